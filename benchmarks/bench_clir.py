"""Cross-language retrieval on the real-page gold set: recall@10 and MRR.

Every page of ``../shared/realgold`` is analysed (no translation model, as on
a fresh install), indexed into a fresh embedded index, and each English query
of the gold files is run twice: as typed (``--exact``: no expansion) and with
the dictionary expansion of :mod:`nlp.crosslang`. A query's answer is its own
page; figures are per answer language and per split (``tune``: odd page
numbers, ``heldout``: even — the split of the NLP issue; report held-out).

    .venv/bin/python benchmarks/bench_clir.py [--gold DIR] [--out FILE]

Writes JSON (default ``benchmarks/results/clir.json``) and prints a table.
"""

from __future__ import annotations

import argparse
import json
import platform
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from coopwatch.records import IndexDoc  # noqa: E402
from coopwatch.settings import Settings  # noqa: E402
from indexer.base import SearchQuery  # noqa: E402
from indexer.sqlite_fts import SqliteBackend  # noqa: E402
from nlp import realgold  # noqa: E402
from nlp.crosslang import expand_text, load_lexicon  # noqa: E402

LANGS = ("zh", "en", "de", "vi")
K = 10


def build_index(items: list[dict[str, Any]], path: Path) -> tuple[SqliteBackend, dict[str, str]]:
    """Analyse and index every page; returns the backend and page id → document id."""
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(data_dir=Path(tmp) / "data")
        analyses = realgold.analyse_items(items, replace(settings))
    backend = SqliteBackend(path)
    docs, ids = [], {}
    for item, an in zip(items, analyses, strict=True):
        art = realgold.article_of(item)
        doc = IndexDoc.from_records(art, replace(an, article_id=art.id) if hasattr(an, "article_id") else an)
        docs.append(doc)
        ids[item["id"]] = doc.id
    report = backend.index(docs)
    if report.failed:
        raise SystemExit(f"indexing failed: {report.failed}")
    return backend, ids


def rank_of(backend: SqliteBackend, text: str, answer: str, expand: bool) -> tuple[int | None, float]:
    t0 = time.perf_counter()
    tree = expand_text(text) if expand else None
    res = backend.search(SearchQuery(text=text, tree=tree, per_page=K, facets=False))
    ms = (time.perf_counter() - t0) * 1000
    for i, hit in enumerate(res.hits, 1):
        if hit.id == answer:
            return i, ms
    return None, ms


def evaluate(backend: SqliteBackend, items: list[dict[str, Any]], ids: dict[str, str]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    misses: list[dict[str, Any]] = []
    for mode, expand in (("exact", False), ("expanded", True)):
        for split in ("tune", "heldout", "all"):
            for lang in (*LANGS, "zh+de+vi"):
                langs = ("zh", "de", "vi") if lang == "zh+de+vi" else (lang,)
                ranks, times = [], []
                for item in items:
                    if item["lang"] not in langs or (split != "all" and item["split"] != split):
                        continue
                    for q in item.get("queries") or []:
                        r, ms = rank_of(backend, q, ids[item["id"]], expand)
                        ranks.append(r)
                        times.append(ms)
                        if expand and split == "tune" and r is None and lang != "zh+de+vi":
                            misses.append({"page": item["id"], "query": q})
                n = len(ranks)
                out.setdefault(mode, {}).setdefault(split, {})[lang] = {
                    "queries": n,
                    f"recall@{K}": round(sum(r is not None for r in ranks) / n, 3) if n else None,
                    "mrr": round(sum(1 / r for r in ranks if r) / n, 3) if n else None,
                    "mean_ms": round(sum(times) / n, 1) if n else None,
                }
    out["tune_misses"] = misses  # tune pages only: what to work on without looking at held-out pages
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--gold", type=Path, default=None, help="realgold folder (default: ../shared/realgold)")
    ap.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results" / "clir.json")
    args = ap.parse_args()
    gold = args.gold or realgold.find_shared_realgold()
    if gold is None:
        raise SystemExit("no realgold folder: pass --gold DIR (../shared/realgold)")
    items = realgold.load_realgold(gold)
    t0 = time.perf_counter()
    lex = load_lexicon()
    lexicon_s = time.perf_counter() - t0
    with tempfile.TemporaryDirectory() as tmp:
        backend, ids = build_index(items, Path(tmp) / "search.db")
        result = evaluate(backend, items, ids)
        backend.close()
    result["meta"] = {
        "pages": len(items),
        "lexicon_sources": lex.sources,
        "lexicon_load_s": round(lexicon_s, 2),
        "python": platform.python_version(),
        "date": time.strftime("%Y-%m-%d"),
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"{'mode':9} {'split':8} {'answers':9} {'n':>3} {'R@10':>6} {'MRR':>6} {'ms':>6}")
    for mode in ("exact", "expanded"):
        for split in ("tune", "heldout"):
            for lang, row in result[mode][split].items():
                print(
                    f"{mode:9} {split:8} {lang:9} {row['queries']:>3} {row['recall@10']!s:>6} "
                    f"{row['mrr']!s:>6} {row['mean_ms']!s:>6}"
                )
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
