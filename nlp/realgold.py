"""Evaluation on real news pages: the realgold format and its scoring rules.

A realgold directory holds one folder per language (``zh/``, ``en/`` …), each
with ``gold.yaml`` (a list of labelled pages) and the pages' texts
``NN_<lang>.txt`` — the format of ``../shared/realgold`` (see its GUIDE.md);
``tests/realgold`` holds coopwatch's own additional pages in the same format.

Scoring, per language (micro-averaged over the articles):

- **organizations**: the predicted organizations of an article are its
  distinct entity ids in title and text, each with every surface form it was
  found under. A prediction matches a gold organization when a normalised
  form of one equals a normalised form of the other (name or alias), or one
  contains the other and covers at least 75 % of it. Matching is one to one
  (a maximum bipartite matching): two predicted entities for one gold
  organization count one true and one false positive — they should have been
  merged;
- **countries**: sets of ISO codes;
- **events**: one to one on type and date at the gold's precision
  (``YYYY`` / ``YYYY-MM`` / ``YYYY-MM-DD``; ``--MM-DD`` = any year; null =
  any date); a predicted date coarser than the gold's never matches;
- **language**: accuracy; **relevance**: F1 of the relevant class.

Organizations, countries and events are scored on the relevant pages only
(near-misses carry no labels for them); relevance and language on all pages.

The split is fixed before tuning: in a shared set, odd ``NN`` = ``tune``,
even ``NN`` = ``heldout``; every page of a set marked ``extra`` (our own
additions) is ``tune``. The analysis runs without translation models, so the
figures do not depend on what a machine has installed.

Each page's first line is its headline and the rest its text; a leading
`` date YYYY-MM-DD`` line is page metadata and becomes the publication date,
as the crawler's metadata extraction would; otherwise the labelled
publication date is used (the crawler finds one on most pages).
"""

from __future__ import annotations

import os
import re
import tempfile
import unicodedata
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import Any

import yaml

from coopwatch.errors import InputError
from coopwatch.records import LANGS, Analysis, Article, Event
from nlp.evaluate import _prf

SPLITS = ("tune", "heldout")
REPO = Path(__file__).resolve().parent.parent
EXTRA_GOLD = REPO / "tests" / "realgold"
# the search tool's metadata prefix: " date 2020-03-29 First line of the page…" (or a month: "2022-04")
_DATE_LINE = re.compile(r"^\s*date\s+(\d{4}-\d{2}(?:-\d{2})?)(?!\d)\s*(.*)$")


def find_shared_realgold() -> Path | None:
    """``../shared/realgold`` next to the checkout (or ``$COOPWATCH_REALGOLD``), if present."""
    env = os.environ.get("COOPWATCH_REALGOLD")
    candidates = [Path(env)] if env else []
    candidates += [REPO.parent / "shared" / "realgold", Path("/work/shared/realgold")]
    for c in candidates:
        if (c / "GUIDE.md").is_file() or any(c.glob("*/gold.yaml")):
            return c
    return None


def is_realgold(directory: Path) -> bool:
    return any(Path(directory).glob("*/gold.yaml")) or (Path(directory) / "gold.yaml").is_file()


def _split_of(file: str, extra: bool) -> str:
    if extra:
        return "tune"
    m = re.match(r"(\d+)", file)
    if not m:
        raise InputError(f"realgold file {file} does not start with its number NN")
    return "tune" if int(m.group(1)) % 2 else "heldout"


def split_page(raw: str) -> tuple[str, str, str | None]:
    """``(title, text, metadata date)`` of a stored page text."""
    lines = raw.splitlines()
    meta: str | None = None
    while lines and not lines[0].strip():
        lines.pop(0)
    if lines and (m := _DATE_LINE.match(lines[0])):
        meta = m.group(1) if len(m.group(1)) == 10 else None  # a month is no publication day
        lines[0] = m.group(2)  # the page's own first line follows the prefix
    while lines and not lines[0].strip():
        lines.pop(0)
    title = lines[0].strip() if lines else ""
    return title, "\n".join(lines[1:]).strip(), meta


def load_realgold(directory: Path, *, extra: bool = False) -> list[dict[str, Any]]:
    """Every labelled page under ``directory`` with its text, language folder and split."""
    folder = Path(directory)
    files = sorted(folder.glob("*/gold.yaml")) or ([folder / "gold.yaml"] if (folder / "gold.yaml").is_file() else [])
    if not files:
        raise InputError(f"no realgold files (<lang>/gold.yaml) under {folder}")
    items: list[dict[str, Any]] = []
    for gold in files:
        try:
            entries = yaml.safe_load(gold.read_text(encoding="utf-8")) or []
        except (OSError, yaml.YAMLError) as exc:
            raise InputError(f"realgold file {gold} cannot be read: {exc}") from exc
        if not isinstance(entries, list):
            raise InputError(f"{gold}: expected a list of pages")
        for i, e in enumerate(entries):
            where = f"{gold} entry {i + 1}"
            if not isinstance(e, dict) or not e.get("file") or e.get("lang") not in LANGS:
                raise InputError(f"{where}: needs file and lang in {LANGS}")
            path = gold.parent / str(e["file"])
            try:
                raw = path.read_text(encoding="utf-8")
            except OSError as exc:
                raise InputError(f"{where}: page text {path} cannot be read ({exc})") from exc
            title, text, meta = split_page(raw)
            items.append(
                {
                    **e,
                    "id": f"{'x' if extra else ''}{e['file']}",
                    "set": "extra" if extra else "shared",
                    "split": _split_of(str(e["file"]), extra),
                    "page_title": title,
                    "page_text": text,
                    "meta_date": meta,
                }
            )
    return items


def article_of(item: dict[str, Any]) -> Article:
    """The page as the crawler would store it (headline, text, publication date)."""
    pub = item.get("meta_date") or item.get("published")
    published = datetime.fromisoformat(str(pub)) if pub else None
    return Article.build(
        url=str(item.get("url") or f"https://realgold.example/{item['id']}"),
        source="realgold",
        title=item["page_title"],
        text=item["page_text"],
        published_at=published,
        fetched_at=datetime(2026, 1, 1),
    )


# ------------------------------------------------------------------ matching


def norm_form(s: str) -> str:
    """Case-, width- and punctuation-insensitive form of an organization name."""
    s = unicodedata.normalize("NFKC", s).casefold()
    return "".join(c for c in s if c.isalnum())


def forms_match(a: str, b: str) -> bool:
    """Equal, or one contains the other and covers >= 75 % of it."""
    a, b = norm_form(a), norm_form(b)
    if not a or not b:
        return False
    if a == b:
        return True
    short, long_ = (a, b) if len(a) <= len(b) else (b, a)
    return short in long_ and len(short) >= 0.75 * len(long_)


def _max_matching(adj: list[list[int]], n_right: int) -> int:
    """Size of a maximum bipartite matching (Kuhn's augmenting paths)."""
    owner = [-1] * n_right

    def augment(u: int, seen: set[int]) -> bool:
        for v in adj[u]:
            if v in seen:
                continue
            seen.add(v)
            if owner[v] < 0 or augment(owner[v], seen):
                owner[v] = u
                return True
        return False

    return sum(1 for u in range(len(adj)) if augment(u, set()))


def predicted_orgs(an: Analysis) -> list[set[str]]:
    """Surface forms per distinct predicted organization (title and text)."""
    by_id: dict[str, set[str]] = {}
    for m in an.entities:
        if m.field in ("title", "text"):
            by_id.setdefault(m.entity_id, set()).add(m.surface)
    return list(by_id.values())


def score_orgs(gold: list[dict[str, Any]], pred: list[set[str]]) -> tuple[int, int, int]:
    gold_forms = [[str(g["name"]), *[str(a) for a in g.get("aliases") or []]] for g in gold]
    adj = [
        [j for j, gf in enumerate(gold_forms) if any(forms_match(p, g) for p in forms for g in gf)] for forms in pred
    ]
    tp = _max_matching(adj, len(gold_forms))
    return tp, len(pred) - tp, len(gold_forms) - tp


def event_matches(gold: dict[str, Any], ev: Event) -> bool:
    if gold.get("type") != ev.type:
        return False
    want = gold.get("date")
    if want is None:
        return True
    want = str(want)
    if ev.date is None:
        return False
    iso = ev.date.isoformat()
    if want.startswith("--"):
        return ev.precision == "day" and iso[4:] == want[1:]
    need = {4: "year", 7: "month", 10: "day"}.get(len(want))
    rank = {"year": 1, "month": 2, "day": 3}
    if need is None or rank.get(ev.precision, 0) < rank[need]:
        return False
    return iso[: len(want)] == want


def score_events(gold: list[dict[str, Any]], pred: list[Event]) -> tuple[int, int, int]:
    adj = [[j for j, g in enumerate(gold) if event_matches(g, ev)] for ev in pred]
    tp = _max_matching(adj, len(gold))
    return tp, len(pred) - tp, len(gold) - tp


# ------------------------------------------------------------------ report


FIELDS = ("orgs", "countries", "events", "lang", "relevant")


def analyse_items(items: list[dict[str, Any]], settings: Any) -> list[Analysis]:
    """Analyses of the pages, without translation models (see the module doc)."""
    from nlp.pipeline import Analyzer

    with tempfile.TemporaryDirectory() as empty:
        s = replace(settings, models_dir=Path(empty) / "models", data_dir=Path(empty), argospm_packages=False)
        analyzer = Analyzer(s)
        return [analyzer.analyze(article_of(item)) for item in items]


def evaluate_real(items: list[dict[str, Any]], settings: Any) -> dict[str, Any]:
    """Scores per split and language (plus ``all``), and per-page errors."""
    from nlp.pipeline import NLP_VERSION

    threshold = float(getattr(settings, "relevance_threshold", 0.5))
    analyses = analyse_items(items, settings)
    counts: dict[str, dict[str, dict[str, list[int]]]] = {}
    errors: list[dict[str, Any]] = []
    for item, an in zip(items, analyses, strict=True):
        relevant = bool(item.get("relevant"))
        predicted_relevant = an.relevance >= threshold
        per: dict[str, tuple[int, int, int]] = {
            "lang": (int(an.lang == item["lang"]), int(an.lang != item["lang"]), 0),
            "relevant": (
                int(relevant and predicted_relevant),
                int(predicted_relevant and not relevant),
                int(relevant and not predicted_relevant),
            ),
        }
        pred_orgs = predicted_orgs(an)
        if relevant:
            per["orgs"] = score_orgs(item.get("organizations") or [], pred_orgs)
            gold_c, pred_c = set(item.get("countries") or []), set(an.countries)
            per["countries"] = (len(gold_c & pred_c), len(pred_c - gold_c), len(gold_c - pred_c))
            per["events"] = score_events(item.get("events") or [], an.events)
        for field, (tp, fp, fn) in per.items():
            for split in (item["split"], "all"):
                for lang in (item["lang"], "all"):
                    c = counts.setdefault(split, {}).setdefault(lang, {}).setdefault(field, [0, 0, 0])
                    c[0], c[1], c[2] = c[0] + tp, c[1] + fp, c[2] + fn
        errors.append(
            {
                "id": item["id"],
                "split": item["split"],
                "lang": item["lang"],
                "predicted_orgs": sorted(min(f) for f in pred_orgs),
                "gold_orgs": [o["name"] for o in item.get("organizations") or []],
                "predicted_countries": sorted(an.countries),
                "gold_countries": sorted(item.get("countries") or []),
                "predicted_events": [f"{e.type}@{e.date}/{e.precision}" for e in an.events],
                "gold_events": [f"{e.get('type')}@{e.get('date')}" for e in item.get("events") or []],
                "relevance": an.relevance,
                "relevant": relevant,
                "lang_detected": an.lang,
            }
        )
    scores = {
        split: {
            lang: {f: _prf(*by_lang[lang][f]) for f in FIELDS if f in by_lang[lang]}
            for lang in [*[x for x in LANGS if x in by_lang], "all"]
            if lang in by_lang
        }
        for split, by_lang in counts.items()
    }
    return {"nlp_version": NLP_VERSION, "articles": len(items), "scores": scores, "pages": errors}


def table_rows(report: dict[str, Any], split: str) -> list[dict[str, Any]]:
    """The issue's table: org R/P, countries R/P, events F1, language, relevance F1."""
    rows = []
    for lang, f in report["scores"].get(split, {}).items():
        rows.append(
            {
                "lang": lang,
                "org_recall": f.get("orgs", {}).get("r"),
                "org_precision": f.get("orgs", {}).get("p"),
                "countries_recall": f.get("countries", {}).get("r"),
                "countries_precision": f.get("countries", {}).get("p"),
                "events_f1": f.get("events", {}).get("f1"),
                "language": f["lang"]["p"],
                "relevance_f1": f["relevant"]["f1"],
            }
        )
    return rows


GATED = (
    "org_recall",
    "org_precision",
    "countries_recall",
    "countries_precision",
    "events_f1",
    "language",
    "relevance_f1",
)


def baseline_of(report: dict[str, Any], split: str = "heldout") -> dict[str, Any]:
    return {"nlp_version": report["nlp_version"], "split": split, "rows": table_rows(report, split)}


def regressions(report: dict[str, Any], baseline: dict[str, Any], tolerance: float = 1e-9) -> list[str]:
    now = {r["lang"]: r for r in table_rows(report, baseline.get("split", "heldout"))}
    out = []
    for row in baseline.get("rows", []):
        for key in GATED:
            pinned = row.get(key)
            value = now.get(row["lang"], {}).get(key)
            if pinned is not None and (value is None or value + tolerance < pinned):
                out.append(f"{row['lang']}/{key}: {value} < baseline {pinned}")
    return out
