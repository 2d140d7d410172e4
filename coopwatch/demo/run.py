"""``coopwatch demo``: serve the bundled site on loopback and run the whole pipeline on it.

The site is served on a fixed port (8765 by default) so that article ids,
which hash the URL, stay the same from one demo run to the next: running the
demo twice updates nothing and duplicates nothing.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from coopwatch import pipeline
from coopwatch.demo.server import SITE_DIR, serve_site
from coopwatch.errors import InputError
from coopwatch.settings import Settings
from coopwatch.store import Store

DEMO_SOURCES = Path(__file__).with_name("sources.yaml")
DEMO_PORT = 8765
DEMO_QUERIES = [
    ("telemedicine", "English query; finds translated and English stories"),
    ("远程医疗", "Chinese: telemedicine"),
    ("Krankenhaus", "German: hospital (stemmed)"),
    ("bệnh viện", "Vietnamese: hospital"),
    ("medical team Laos", "aid missions"),
]
DEMO_ENTITY = "org:charite"


def write_demo_sources(base: str, dest: Path) -> tuple[list[Any], Path]:
    """The demo registry with the live base URL; loopback needs no crawl delay."""
    from crawlers.sources import load_sources

    sources = load_sources(DEMO_SOURCES, base=base)
    for s in sources:
        s.politeness.download_delay = 0.0
        s.politeness.concurrency = 8
    dest.parent.mkdir(parents=True, exist_ok=True)
    dest.write_text(yaml.safe_dump({"sources": [s.model_dump() for s in sources]}, allow_unicode=True), encoding="utf-8")
    return sources, dest


def run_demo(ctx: Any, *, port: int = DEMO_PORT, keep_serving: bool = False, as_json: bool = False) -> dict[str, Any]:
    from coopwatch.cli import err, out, print_counts, run_stage

    if as_json:  # stdout carries only the JSON document
        out = err
    from indexer import timeline as tl
    from coopwatch.searchtext import prepare
    from indexer.base import SearchQuery
    from indexer.registry import open_backend

    settings: Settings = ctx.settings
    store: Store = ctx.store
    backend = open_backend(settings)
    backend.check()
    err.print(f"[bold]coopwatch demo[/] — data directory {settings.data_dir}")
    try:
        server = serve_site(SITE_DIR, port=port)
        base = server.__enter__()
    except OSError as exc:
        raise InputError(f"cannot serve the demo site on 127.0.0.1:{port}: {exc.strerror}") from exc
    try:
        err.print(f"serving the demo site at {base}")
        sources, path = write_demo_sources(base, settings.data_dir / "demo-sources.yaml")
        result: dict[str, Any] = {"site": base, "data_dir": str(settings.data_dir)}
        result["crawl"] = pipeline.tracked(store, "crawl", lambda: pipeline.crawl(settings, sources, path))
        print_counts("crawl", result["crawl"]["totals"])
        result["process"] = pipeline.tracked(
            store, "process", lambda: run_stage("process", pipeline.process, store=store, settings=settings)
        )
        print_counts("process", result["process"])
        result["index"] = pipeline.tracked(
            store, "index", lambda: run_stage("index", pipeline.index, store=store, settings=settings, backend=backend)
        )
        print_counts("index", result["index"])
        result["searches"] = {}
        for q, why in DEMO_QUERIES:
            tree, also = prepare(q)
            res = backend.search(SearchQuery(text=q, tree=tree, per_page=3))
            result["searches"][q] = {"total": res.total, "langs": res.facets.get("lang", {}),
                                     "top": [h.title for h in res.hits], "also_searched": also}
            out.print(f"\n[bold cyan]search[/] {q!r} [dim]({why})[/]: {res.total} hit(s) {dict(res.facets.get('lang', {}))}")
            for h in res.hits:
                out.print(f"  \\[{h.lang}] {h.title}", highlight=False)
        exports = settings.data_dir / "exports"
        data = tl.timeline_rows(backend, entity=DEMO_ENTITY, interval="month")
        png, csv = exports / "timeline-charite.png", exports / "timeline-charite.csv"
        exports.mkdir(parents=True, exist_ok=True)
        tl.write_png(data, png, title=f"Cooperation events: {DEMO_ENTITY}")
        tl.write_csv(data, csv)
        result["timeline"] = {"entity": DEMO_ENTITY, "events": len(data["events"]), "png": str(png), "csv": str(csv)}
        out.print(f"\n[bold]timeline[/] {DEMO_ENTITY}: {len(data['events'])} dated event(s) → {png} and {csv}")
        out.print(
            f"\nTry: coopwatch --data-dir {settings.data_dir} search 'hospital cooperation'   "
            f"(or: timeline org:who -f png -o who.png, entities, doc ID)"
        )
        if keep_serving:
            err.print(f"demo site still at {base} — Ctrl-C to stop")
            import time

            try:
                while True:
                    time.sleep(3600)
            except KeyboardInterrupt:
                pass
        return result
    finally:
        server.__exit__(None, None, None)
