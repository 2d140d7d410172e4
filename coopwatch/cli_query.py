"""CLI commands that read: search, doc, entities, timeline, doctor, demo (sources: cli_sources)."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any, Optional

import typer
from rich.markup import escape as esc
from rich.table import Table

from coopwatch.errors import InputError
from coopwatch.records import EVENT_TYPES, LANGS
from coopwatch.store import jsonable_row


def _date(value: Optional[str], name: str) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise InputError(f"{name} must be a date like 2024-01-31, not {value!r}") from exc


def country_codes(values: list[str] | None) -> list[str]:
    """ISO 3166 alpha-2 codes for ``--country`` values: a code in any case (vn), or a country's name or
    demonym in zh/en/de/vi (Laos, Lào, 老挝, Vietnamese). Anything else is an error naming the value, so
    a mistyped filter never gives a silently empty result."""
    import pycountry

    from nlp.countries import country_names

    out: list[str] = []
    for raw in values or []:
        value = raw.strip()
        if len(value) == 2 and value.isalpha() and pycountry.countries.get(alpha_2=value.upper()):
            out.append(value.upper())
            continue
        key = value.casefold()
        found = next(
            (iso for lang in LANGS for iso, names in country_names(lang).items() if key in {n.casefold() for n in names}),
            None,
        )
        if found is None:
            hint = " (one country per --country: --country CN --country VN)" if "-" in value or "," in value else ""
            raise InputError(
                f"unknown country {raw!r}: give an ISO 3166 code such as VN or a country name such as Laos{hint}"
            )
        out.append(found)
    return out


def register(app: typer.Typer, sources_app: typer.Typer) -> None:
    from coopwatch.cli import JsonOpt, emit, err, out

    @app.command()
    def search(
        ctx: typer.Context,
        query: str = typer.Argument("", help="Words in any of zh/en/de/vi; empty lists everything."),
        lang: Optional[list[str]] = typer.Option(None, "--lang", help="Filter: language (repeatable)."),
        source: Optional[list[str]] = typer.Option(None, "--source", help="Filter: source name."),
        country: Optional[list[str]] = typer.Option(None, "--country", help="Filter: ISO country code (VN) or country name (Laos, Lào, 老挝)."),
        entity: Optional[list[str]] = typer.Option(None, "--entity", help="Filter: entity id or name."),
        event_type: Optional[list[str]] = typer.Option(None, "--event", help="Filter: event type."),
        date_from: Optional[str] = typer.Option(None, "--from", help="Published on or after (YYYY-MM-DD)."),
        date_to: Optional[str] = typer.Option(None, "--to", help="Published on or before (YYYY-MM-DD)."),
        page: int = typer.Option(1, "--page", min=1),
        per_page: int = typer.Option(10, "--per-page", min=1, max=100),
        exact: bool = typer.Option(False, "--exact", help="Search the words as typed: no translation into the other languages."),
        as_json: bool = JsonOpt,
    ) -> None:
        """Search in any language (AND OR NOT - "phrases" (groups) prefix*), with filters and facets.

        English words also search their Chinese, German and Vietnamese translations
        (shown as "also searched"); --exact turns that off.
        """
        from coopwatch.searchtext import prepare
        from indexer.base import SearchQuery

        c = ctx.obj
        bad = [x for x in (lang or []) if x not in LANGS]
        if bad:
            raise InputError(f"unknown language(s) {bad}; use {', '.join(LANGS)}")
        bad = [x for x in (event_type or []) if x not in EVENT_TYPES]
        if bad:
            raise InputError(f"unknown event type(s) {bad}; use {', '.join(EVENT_TYPES)}")
        entity_ids: list[str] = []
        for e in entity or []:
            ids = c.store.resolve_entity(e)
            if not ids:
                raise InputError(f"no entity matches {e!r}; see `coopwatch entities`")
            entity_ids += ids
        unknown_sources = sorted(set(source or []) - c.store.source_names())
        if unknown_sources:
            raise InputError(f"no stored article comes from source {', '.join(unknown_sources)}; see `coopwatch sources list`")
        tree, also = prepare(query, exact=exact)
        q = SearchQuery(
            text=query,
            tree=tree,
            langs=lang or [],
            sources=source or [],
            countries=country_codes(country),
            entities=entity_ids,
            event_types=event_type or [],
            date_from=_date(date_from, "--from"),
            date_to=_date(date_to, "--to"),
            page=page,
            per_page=per_page,
        )
        res = c.backend().search(q)

        def render(r: Any) -> None:
            import re

            out.print(f"[bold]{r.total}[/] hit(s) for [cyan]{esc(query or '*')}[/] (page {r.page})")
            if also:
                out.print(f"[dim]also searched: {esc(' · '.join(also))}[/]")
            for h in r.hits:
                snippet = re.sub(r"</?mark>", "", h.snippet)
                meta = esc(f"{h.lang} · {h.source} · {(h.published_at or '')[:10]} · {h.id}")
                out.print(f"\n[bold]{esc(h.title)}[/]  [dim]{meta}[/]")
                out.print(f"  {esc(snippet[:220])}", highlight=False)
                if h.title_en and h.lang != "en":
                    out.print(f"  [dim]en: {esc(h.title_en)}[/]")
            for field, values in r.facets.items():
                if values:
                    top = ", ".join(f"{k}:{v}" for k, v in list(values.items())[:8])
                    out.print(f"[dim]{field}: {esc(top)}[/]")

        if as_json:
            from coopwatch.records import to_jsonable

            data = to_jsonable(res)
            data["also_searched"] = also
            emit(data, as_json, render)
        else:
            emit(res, as_json, render)

    @app.command()
    def doc(ctx: typer.Context, key: str = typer.Argument(..., help="Article id (or prefix) or URL."), as_json: bool = JsonOpt) -> None:
        """Show one article: original, translation, entities, events."""
        c = ctx.obj
        if len(key) < 6 and not key.startswith(("http://", "https://")):  # ids are longer: no article has one this short
            raise InputError(f"no article {key!r}: an id prefix needs 6 or more characters (ids are shown by search)")
        art = c.store.find_article(key)
        if art is None:
            raise InputError(f"no article {key!r} in the store")
        an = c.store.get_analysis(art.id)
        data = {"article": art, "analysis": an}

        def render(d: Any) -> None:
            a = d["article"]
            meta = esc(f"{a.url}\n{a.source} · published {a.published_at} ({a.date_method}) · id {a.id}")
            out.print(f"[bold]{esc(a.title)}[/]\n[dim]{meta}[/]")
            out.print(esc(a.text[:1500]), highlight=False)
            if an is None:
                out.print("[yellow]not processed yet — run `coopwatch process`[/]")
                return
            out.print(f"\n[bold]language[/] {an.lang} ({an.lang_confidence:.2f}) · translation: {an.translation} · relevance {an.relevance:.2f} {an.relevance_reasons}")
            if an.title_en and an.lang != "en":
                out.print(f"[bold]English title[/] {esc(an.title_en)}")
            out.print(f"[bold]countries[/] {', '.join(an.countries) or '-'}")
            ents = sorted({(m.entity_id, m.name) for m in an.entities})
            out.print("[bold]organizations[/] " + esc("; ".join(f"{n} ({i})" for i, n in ents)))
            for ev in an.events:
                detail = esc(f"{ev.type} {ev.date or '?'} ({ev.precision}) {', '.join(ev.participants)} — {ev.evidence[:160]}")
                out.print(f"[bold]event[/] {detail}", highlight=False)

        emit(data, as_json, render)

    @app.command()
    def entities(
        ctx: typer.Context,
        limit: int = typer.Option(50, "--limit", min=1),
        type_: Optional[str] = typer.Option(None, "--type", help="Only this entity type."),
        as_json: bool = JsonOpt,
    ) -> None:
        """Canonical organizations with their aliases and mention counts."""
        from nlp.gazetteer import ORG_TYPES

        if type_ is not None:  # "hospital" is HOSPITAL; a type that does not exist is an error, not an empty table
            known = (*ORG_TYPES, "ORG")
            if type_.upper() not in known:
                raise InputError(f"unknown entity type {type_!r}; use one of {', '.join(known)}")
            type_ = type_.upper()
        rows = ctx.obj.store.entity_table(limit, type_)

        def render(rs: list[dict[str, Any]]) -> None:
            t = Table("id", "name", "type", "articles", "mentions", "aliases")
            for r in rs:
                aliases = " | ".join(r["aliases"][:3]) + (" …" if len(r["aliases"]) > 3 else "")
                t.add_row(esc(r["id"]), esc(r["name"]), r["type"], str(r["articles"]), str(r["mentions"]), esc(aliases))
            out.print(t)

        emit(rows, as_json, render)

    @app.command()
    def timeline(
        ctx: typer.Context,
        entity: Optional[str] = typer.Argument(None, help="Entity id, name or alias (e.g. org:who, 世界卫生组织)."),
        country: Optional[list[str]] = typer.Option(None, "--country", help="ISO code; two of them for a country pair."),
        query: str = typer.Option("", "--query", "-q", help="Events of articles matching this search."),
        interval: str = typer.Option("month", "--interval", help="year | month | day"),
        fmt: Optional[str] = typer.Option(
            None, "--format", "-f", help="csv | json | png (default: from the -o file's extension, else json)"
        ),
        output: Optional[Path] = typer.Option(None, "-o", "--output", help="Write here ('-' or none: print JSON/CSV)."),
    ) -> None:
        """Export an entity (or country-pair) timeline of cooperation events."""
        from indexer import timeline as tl

        c = ctx.obj
        if output is not None and str(output) == "-":
            output = None  # "-o -" is standard output
        suffix = output.suffix.lower().lstrip(".") if output is not None else ""
        if fmt is None:
            fmt = suffix or "json"
            if fmt not in ("csv", "json", "png"):
                raise InputError(f"cannot tell the format from {output}; give -f csv, json or png")
        elif suffix in ("csv", "json", "png") and suffix != fmt:
            raise InputError(f"-f {fmt} does not match the file name {output}; write to a .{fmt} file or drop -f")
        if fmt not in ("csv", "json", "png"):
            raise InputError(f"--format must be csv, json or png, not {fmt!r}")
        if interval not in ("year", "month", "day"):
            raise InputError(f"--interval must be year, month or day, not {interval!r}")
        if not entity and not country and not query:
            raise InputError("give an entity, --country (twice for a pair) or --query")
        entity_id = None
        if entity:
            ids = c.store.resolve_entity(entity)
            if not ids:
                raise InputError(f"no entity matches {entity!r}; see `coopwatch entities`")
            entity_id = ids[0]
        data = tl.timeline_rows(
            c.backend(), entity=entity_id, countries=country_codes(country), query=query, interval=interval
        )
        if fmt == "png" and output is None:
            raise InputError("--format png needs -o FILE.png")
        if output is None:
            import sys
            import tempfile

            with tempfile.TemporaryDirectory() as tmp:
                p = Path(tmp) / f"t.{fmt}"
                (tl.write_csv if fmt == "csv" else tl.write_json)(data, p)
                sys.stdout.write(p.read_text(encoding="utf-8"))
            return
        if output.is_dir():
            raise InputError(f"{output} is a directory; give a file name such as {output / ('timeline.' + fmt)}")
        label = entity_id or "-".join(country or []) or query
        try:
            output.parent.mkdir(parents=True, exist_ok=True)
            if fmt == "png":
                tl.write_png(data, output, title=f"Cooperation events: {label}")
            else:
                (tl.write_csv if fmt == "csv" else tl.write_json)(data, output)
        except OSError as exc:
            raise InputError(f"cannot write {output}: {exc.strerror or exc}") from exc
        err.print(f"wrote {output} ({len(data['events'])} events, {len(data['buckets'])} periods)")

    @app.command()
    def doctor(ctx: typer.Context, as_json: bool = JsonOpt) -> None:
        """Check the installation: store, backend, models, sources, dictionaries, the CJK font."""
        from coopwatch.doctor import run_checks

        checks = run_checks(ctx.obj)

        def render(cs: list[dict[str, Any]]) -> None:
            for ch in cs:
                mark = {"ok": "[green]ok[/]", "warn": "[yellow]warn[/]", "fail": "[red]FAIL[/]"}[ch["status"]]
                out.print(f"{mark:>18}  {ch['check']}: {ch['detail']}", highlight=False)

        emit(checks, as_json, render)
        if any(ch["status"] == "fail" for ch in checks):
            raise typer.Exit(1)

    @app.command()
    def runs(ctx: typer.Context, limit: int = typer.Option(20, "--limit", min=1), as_json: bool = JsonOpt) -> None:
        """Recent crawl/process/index runs with their counts (a run whose process died reads interrupted)."""
        from schedules.lock import sweep

        sweep(ctx.obj.store.engine)
        rows = [jsonable_row(r) for r in ctx.obj.store.list_runs(limit)]

        def summary(counts: Any) -> str:
            if not isinstance(counts, dict):
                return ""
            flat = counts.get("totals") if isinstance(counts.get("totals"), dict) else counts
            return ", ".join(f"{k} {v}" for k, v in flat.items() if isinstance(v, int) and not isinstance(v, bool) and k != "run_id")

        def render(rs: list[dict[str, Any]]) -> None:
            t = Table("id", "kind", "started", "ended", "status", "counts", "error")
            for r in rs:
                t.add_row(str(r["id"]), r["kind"], r["started_at"], r["ended_at"] or "", r["status"], esc(summary(r.get("counts"))),
                          esc((r["error"] or "")[:60]))
            out.print(t)

        emit(rows, as_json, render)

    @app.command()
    def demo(
        ctx: typer.Context,
        keep_serving: bool = typer.Option(False, "--serve", help="Keep the demo site up after the run."),
        port: int = typer.Option(8765, "--port", min=0, max=65535, help="Loopback port for the demo site (0: any free one)."),
        as_json: bool = JsonOpt,
    ) -> None:
        """Serve the bundled multilingual demo site, run the whole pipeline on it, show results."""
        from coopwatch.demo.run import run_demo

        c = ctx.obj.writing()
        if c.explicit_data_dir is None:  # keep demo articles out of the real monitoring store
            c.use_data_dir(c.settings.data_dir / "demo")
        result = run_demo(c, port=port, keep_serving=keep_serving, as_json=as_json)
        if as_json:
            emit(result, as_json)
