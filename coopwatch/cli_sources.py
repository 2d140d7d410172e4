"""CLI commands for the source registry: ``sources list`` and ``sources check [--fetch]``."""

from __future__ import annotations

from typing import Any

import typer
from rich.table import Table


def register(app: typer.Typer, sources_app: typer.Typer) -> None:
    from coopwatch.cli import JsonOpt, emit, out

    @sources_app.command("list")
    def sources_list(ctx: typer.Context, as_json: bool = JsonOpt) -> None:
        """List the configured sources."""
        from crawlers.sources import DEFAULT_SOURCES, load_sources

        srcs = load_sources(ctx.obj.settings.sources_file or DEFAULT_SOURCES)

        def render(ss: list[Any]) -> None:
            t = Table("name", "lang", "kind", "group", "enabled", "delay", "start")
            for s in ss:
                t.add_row(
                    s.name, s.lang, s.kind, s.group, "yes" if s.enabled else "no",
                    f"{s.politeness.download_delay:g}s×{s.politeness.concurrency}", s.start_urls[0],
                )
            out.print(t)

        emit([s.model_dump() for s in srcs] if as_json else srcs, as_json, render)

    @sources_app.command("check")
    def sources_check(
        ctx: typer.Context,
        fetch: bool = typer.Option(
            False, "--fetch", help="Also fetch each start URL and count links matching the article patterns."
        ),
        source: list[str] = typer.Option([], "--source", "-s", help="Only these sources (with --fetch)."),
        as_json: bool = JsonOpt,
    ) -> None:
        """Validate the registry (exits 2 with every problem listed when invalid); --fetch probes the sites."""
        from crawlers.sources import DEFAULT_SOURCES, load_sources, select_sources

        settings = ctx.obj.settings
        path = settings.sources_file or DEFAULT_SOURCES
        srcs = load_sources(path)
        by_lang: dict[str, int] = {}
        for s in srcs:
            by_lang[s.lang] = by_lang.get(s.lang, 0) + 1
        result: dict[str, Any] = {"file": str(path), "sources": len(srcs), "by_lang": by_lang, "ok": True}
        if fetch:
            from dataclasses import asdict

            from crawlers.check import probe

            probes = [p for s in select_sources(srcs, source or None) for p in probe(s, settings.user_agent)]
            result["probes"] = [asdict(p) | {"ok": p.ok} for p in probes]
            result["ok"] = all(p.ok for p in probes)

        def render(d: dict[str, Any]) -> None:
            out.print(f"{d['file']}: {d['sources']} valid source(s) {d['by_lang']}")
            for p in d.get("probes", []):
                mark = "[green]ok[/]" if p["ok"] else "[red]FAIL[/]"
                detail = p["problem"] or f"{p['articles']}/{p['links']} links are articles"
                if p["sub_sitemaps"]:
                    detail += f", {p['sub_sitemaps']} sitemaps"
                out.print(f"{mark}  {p['source']}  {p['url']}  {detail}", highlight=False)

        emit(result, as_json, render)
        if not result["ok"]:
            raise typer.Exit(1)
