"""End-to-end benchmark on the bundled demo site: articles/s per stage.

Run: ``make bench`` (or ``.venv/bin/python benchmarks/bench_e2e.py``).
Prints a table and writes ``benchmarks/results/e2e.json``.

The demo site has 24 articles (6 per language). Crawling includes the child
process start-up and extraction; ``process`` and ``index`` are repeated
(``--repeat``) on the same articles with a forced re-run so the figure is not
dominated by one-off model loading, which is reported separately.
"""

from __future__ import annotations

import argparse
import json
import platform
import statistics
import tempfile
import time
from pathlib import Path

from coopwatch import pipeline
from coopwatch.demo.run import DEMO_QUERIES, write_demo_sources
from coopwatch.demo.server import SITE_DIR, serve_site
from coopwatch.settings import load_settings
from coopwatch.store import Store
from indexer.base import SearchQuery
from indexer.registry import open_backend

RESULTS = Path(__file__).parent / "results" / "e2e.json"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--out", type=Path, default=RESULTS)
    args = ap.parse_args()
    figures: dict[str, dict[str, float]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        settings = load_settings(data_dir=Path(tmp) / "data", env={})
        store = Store.open(settings)
        backend = open_backend(settings)
        with serve_site(SITE_DIR, port=0) as base:
            sources, path = write_demo_sources(base, settings.data_dir / "demo-sources.yaml")
            t = time.perf_counter()
            crawl = pipeline.crawl(settings, sources, path)
            dt = time.perf_counter() - t
        n = crawl["totals"]["new"]
        figures["crawl+extract"] = {"articles": n, "seconds": dt, "articles_per_s": n / dt}

        t = time.perf_counter()
        from nlp.pipeline import Analyzer

        analyzer = Analyzer(settings)
        for lang in ("zh", "en", "de", "vi"):  # warm the per-language pipelines
            from nlp.entities import get_pipeline

            get_pipeline(lang)
        figures["nlp-model-loading"] = {"seconds": time.perf_counter() - t}
        arts = store.pending_analysis("")  # every article
        times = []
        for _ in range(args.repeat):
            t = time.perf_counter()
            for a in arts:
                store.save_analysis(a, analyzer.analyze(a))
            times.append(time.perf_counter() - t)
        best = min(times)
        figures["process"] = {"articles": len(arts), "seconds": best, "articles_per_s": len(arts) / best}

        times = []
        for _ in range(args.repeat):
            store.reset_index_state(backend.name)
            t = time.perf_counter()
            res = pipeline.index(store, settings, backend)
            times.append(time.perf_counter() - t)
        best = min(times)
        figures["index"] = {"articles": res["indexed"], "seconds": best, "articles_per_s": res["indexed"] / best}

        lat = []
        for _ in range(20):
            for q, _why in DEMO_QUERIES:
                t = time.perf_counter()
                backend.search(SearchQuery(text=q))
                lat.append((time.perf_counter() - t) * 1000)
        lat.sort()
        figures["search"] = {
            "queries": len(lat),
            "p50_ms": statistics.median(lat),
            "p95_ms": lat[int(len(lat) * 0.95) - 1],
        }
    report = {
        "benchmark": "e2e-demo-site",
        "machine": {"python": platform.python_version(), "cpu": platform.processor() or platform.machine()},
        "figures": figures,
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=2))
    print(f"{'stage':<20}{'items':>8}{'seconds':>10}{'items/s':>10}")
    for stage, f in figures.items():
        if "articles" in f:
            print(f"{stage:<20}{f['articles']:>8}{f['seconds']:>10.2f}{f['articles_per_s']:>10.1f}")
    print(f"{'nlp-model-loading':<20}{'':>8}{figures['nlp-model-loading']['seconds']:>10.2f}")
    print(f"search latency: p50 {figures['search']['p50_ms']:.1f} ms, p95 {figures['search']['p95_ms']:.1f} ms "
          f"({figures['search']['queries']} queries)")
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
