"""Gold-set evaluation: precision / recall / F1 per language and field.

The gold set (``tests/gold/*.yaml``) holds hand-labelled articles, each with
``lang``, ``orgs`` (canonical entity ids, or surface names for organizations
outside the gazetteer, which are keyed like the rules key them:
``org:auto:<normalised key>``), ``countries`` (ISO codes), ``events``
(``{type, date}`` with the date written at its precision: ``2023-11-06``,
``2023-11`` or ``2023``) and ``relevant`` (a health-cooperation story or
not). Negatives — stories that are not about health cooperation — are part
of the set on purpose.

Each field is scored as a set per article, counts summed per language
(micro-averaged) and over all languages (``all``). ``lang`` counts one
true positive per correct language; ``relevant`` scores the positive class.
Translation models are not used (the scores must not depend on what a
machine happens to have installed), so the analysis runs with an empty
models directory.
"""

from __future__ import annotations

import tempfile
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path
from typing import Any

import yaml

from coopwatch.errors import InputError
from coopwatch.records import LANGS, Analysis, Article, Event
from nlp.orgrules import normalise_key

FIELDS = ("lang", "orgs", "countries", "events", "relevant")
DEFAULT_GOLD = Path(__file__).resolve().parent.parent / "tests" / "gold"


def load_gold(directory: Path | None = None) -> list[dict[str, Any]]:
    """All gold articles from ``directory``'s ``*.yaml`` files, validated."""
    folder = Path(directory) if directory else DEFAULT_GOLD
    files = sorted(folder.glob("*.yaml"))
    if not files:
        raise InputError(f"no gold files (*.yaml) in {folder}; pass --gold DIR")
    items: list[dict[str, Any]] = []
    seen: set[str] = set()
    for file in files:
        try:
            raw = yaml.safe_load(file.read_text(encoding="utf-8"))
        except (OSError, yaml.YAMLError) as exc:
            raise InputError(f"gold file {file} cannot be read: {exc}") from exc
        for i, item in enumerate((raw or {}).get("articles") or []):
            where = f"{file.name} article {i + 1}"
            if not isinstance(item, dict) or not item.get("id") or item.get("lang") not in LANGS:
                raise InputError(f"{where}: needs an id and lang in {LANGS}")
            if item["id"] in seen:
                raise InputError(f"{where}: id {item['id']} is used twice")
            seen.add(item["id"])
            items.append(item)
    return items


def _org_key(label: str) -> str:
    return label if label.startswith("org:") else f"org:auto:{normalise_key(label)}"


def _event_key(ev: Event) -> str:
    if ev.date is None:
        return f"{ev.type}@none"
    text = ev.date.isoformat()
    return f"{ev.type}@{ {'year': text[:4], 'month': text[:7]}.get(ev.precision, text)}"


def gold_sets(item: dict[str, Any]) -> dict[str, set[str]]:
    return {
        "lang": {item["lang"]},
        "orgs": {_org_key(str(o)) for o in item.get("orgs") or []},
        "countries": {str(c) for c in item.get("countries") or []},
        "events": {f"{e['type']}@{e.get('date') or 'none'}" for e in item.get("events") or []},
        "relevant": {"yes"} if item.get("relevant", True) else set(),
    }


def predicted_sets(an: Analysis, threshold: float = 0.5) -> dict[str, set[str]]:
    return {
        "lang": {an.lang},
        "orgs": {m.entity_id for m in an.entities if m.field in ("title", "text")},
        "countries": set(an.countries),
        "events": {_event_key(e) for e in an.events},
        "relevant": {"yes"} if an.relevance >= threshold else set(),
    }


def _article(item: dict[str, Any]) -> Article:
    pub = item.get("published")
    published = datetime.fromisoformat(str(pub)) if isinstance(pub, (str, date)) else None
    return Article.build(
        url=f"https://gold.example/{item['id']}",
        source="gold",
        title=str(item.get("title") or ""),
        text=str(item.get("text") or ""),
        published_at=published,
        fetched_at=datetime(2024, 1, 1),
    )


def _prf(tp: int, fp: int, fn: int) -> dict[str, Any]:
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    return {"p": round(p, 4), "r": round(r, 4), "f1": round(f1, 4), "tp": tp, "fp": fp, "fn": fn}


def evaluate(items: list[dict[str, Any]], settings: Any) -> dict[str, Any]:
    """Run the analyzer over the gold articles; scores and per-article errors."""
    from nlp.pipeline import NLP_VERSION, Analyzer

    with tempfile.TemporaryDirectory() as empty:
        s = replace(settings, models_dir=Path(empty) / "models", data_dir=Path(empty), argospm_packages=False)
        analyzer = Analyzer(s)
        counts: dict[str, dict[str, list[int]]] = {}
        errors: list[dict[str, Any]] = []
        for item in items:
            an = analyzer.analyze(_article(item))
            gold, pred = gold_sets(item), predicted_sets(an, getattr(settings, "relevance_threshold", 0.5))
            for field in FIELDS:
                tp, fp, fn = len(gold[field] & pred[field]), len(pred[field] - gold[field]), len(gold[field] - pred[field])
                for lang in (item["lang"], "all"):
                    c = counts.setdefault(lang, {}).setdefault(field, [0, 0, 0])
                    c[0], c[1], c[2] = c[0] + tp, c[1] + fp, c[2] + fn
                if fp or fn:
                    errors.append(
                        {
                            "id": item["id"],
                            "field": field,
                            "missed": sorted(gold[field] - pred[field]),
                            "spurious": sorted(pred[field] - gold[field]),
                        }
                    )
    order = [lang for lang in (*LANGS, "all") if lang in counts]
    scores = {lang: {f: _prf(*counts[lang][f]) for f in FIELDS} for lang in order}
    return {"nlp_version": NLP_VERSION, "articles": len(items), "scores": scores, "errors": errors}


def baseline_of(report: dict[str, Any]) -> dict[str, Any]:
    """The part of a report that is pinned: F1 per language and field."""
    return {
        "nlp_version": report["nlp_version"],
        "f1": {lang: {f: s["f1"] for f, s in fields.items()} for lang, fields in report["scores"].items()},
    }


def regressions(report: dict[str, Any], baseline: dict[str, Any], tolerance: float = 1e-9) -> list[str]:
    """Human-readable list of scores that fell below the pinned baseline."""
    out = []
    for lang, fields in baseline.get("f1", {}).items():
        for field, pinned in fields.items():
            now = report["scores"].get(lang, {}).get(field, {}).get("f1", 0.0)
            if now + tolerance < pinned:
                out.append(f"{lang}/{field}: F1 {now:.4f} < baseline {pinned:.4f}")
    return out
