"""docs/s per NLP step on the gold articles, and the full analysis per language on real pages, pinned to 2 cores.

The honest figure is ``realgold analyze <lang>``: the whole analysis (no
translation model) of each real page of ``../shared/realgold`` (~1,500
characters; found as in :mod:`nlp.realgold`), warm, one process.

Run: ``.venv/bin/python benchmarks/bench_nlp.py`` (writes
``benchmarks/results/nlp.json``). The process pins itself to CPUs 0-1
(``os.sched_setaffinity``) so figures match the 2-core target machine.

Translation is measured with the tiny random-weight package from
:mod:`nlp.tinymodel` only, as a plumbing figure (tokenise, batch, decode,
cache): real OPUS-MT/Argos models are far larger and slower. "translate
(cached)" is a second pass served from the on-disk cache.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

if hasattr(os, "sched_setaffinity"):
    os.sched_setaffinity(0, {0, 1} & os.sched_getaffinity(0) or os.sched_getaffinity(0))

from coopwatch.settings import Settings
from nlp import countries, entities, events, langid, realgold, relevance, tinymodel, translate
from nlp.evaluate import _article, load_gold
from nlp.pipeline import NLP_VERSION, Analyzer

RESULTS = Path(__file__).parent / "results" / "nlp.json"


def rate(fn: Callable[[], None], n_docs: int, repeat: int) -> float:
    t0 = time.perf_counter()
    for _ in range(repeat):
        fn()
    return round(repeat * n_docs / (time.perf_counter() - t0), 1)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--out", type=Path, default=RESULTS)
    args = ap.parse_args()
    arts = [_article(i) for i in load_gold()]
    n = len(arts)
    figures: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as tmp:
        s = Settings(data_dir=Path(tmp) / "data")
        langs = [langid.detect_document(a.title, a.text)[0] for a in arts]
        t0 = time.perf_counter()
        for lang in set(langs):
            entities.get_pipeline(lang)
        figures["load spaCy pipelines (s, once)"] = round(time.perf_counter() - t0, 2)

        figures["langid (per paragraph)"] = rate(lambda: [langid.detect_document(a.title, a.text) for a in arts], n, args.repeat)
        figures["entities (title+text)"] = rate(
            lambda: [entities.extract_entities(a.title + "\n" + a.text, lg, "text", s) for a, lg in zip(arts, langs)], n, args.repeat
        )
        figures["countries"] = rate(lambda: [countries.detect_countries(a.title + "\n" + a.text, lg) for a, lg in zip(arts, langs)], n, args.repeat)
        ments = [entities.extract_entities(a.text, lg, "text", s) for a, lg in zip(arts, langs)]
        figures["events"] = rate(
            lambda: [
                events.extract_events(a.text, lg, a.published_at, m, countries.detect_countries)
                for a, lg, m in zip(arts, langs, ments)
            ],
            n,
            args.repeat,
        )
        figures["relevance"] = rate(lambda: [relevance.score(a.title, a.text, lg, m, []) for a, lg, m in zip(arts, langs, ments)], n, args.repeat)
        figures["analyze, no models (all steps)"] = rate(lambda: [Analyzer(s).analyze(a) for a in arts], n, args.repeat)
        shared = realgold.find_shared_realgold()
        if shared is not None:
            analyzer = Analyzer(s)
            pages = [realgold.article_of(i) for i in realgold.load_realgold(shared)]
            [analyzer.analyze(p) for p in pages]  # warm: models, gazetteers, caches
            for lg in ("zh", "en", "de", "vi"):
                mine = [p for p, i in zip(pages, realgold.load_realgold(shared)) if i["lang"] == lg]
                chars = sum(len(p.title) + len(p.text) for p in mine) / max(len(mine), 1)
                figures[f"realgold analyze {lg} (~{chars:,.0f} chars)"] = rate(
                    lambda mine=mine: [analyzer.analyze(p) for p in mine], len(mine), args.repeat
                )

        # translation plumbing with the tiny package, one model per source language
        for src in ("zh", "de", "vi"):
            pkg = tinymodel.build_argos_package(Path(tmp) / f"{src}.argosmodel", src=src)
            translate.install_argos_package(pkg, s)
        foreign = [(a, lg) for a, lg in zip(arts, langs) if lg != "en"]
        t0 = time.perf_counter()
        for a, lg in foreign:
            translate.translate(a.title, a.text, lg, s)
        figures["translate, tiny model, cold cache"] = round(len(foreign) / (time.perf_counter() - t0), 1)
        figures["translate, cached"] = rate(lambda: [translate.translate(a.title, a.text, lg, s) for a, lg in foreign], len(foreign), args.repeat)
    report = {
        "nlp_version": NLP_VERSION,
        "docs": n,
        "cpus": sorted(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count(),
        "python": platform.python_version(),
        "docs_per_s": figures,
    }
    for k, v in figures.items():
        print(f"{k:40} {v:>9}")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"written {args.out}")


if __name__ == "__main__":
    main()
