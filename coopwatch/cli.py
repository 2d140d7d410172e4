"""The ``coopwatch`` command line: a thin shell over the stage functions.

Every command that prints results takes ``--json``; long work shows a rich
progress bar on stderr; every user error ends with one clear line and a
non-zero exit code (a failed stage exits 1).
"""

from __future__ import annotations

import importlib
import json
import sqlite3
import sys
from datetime import date
from pathlib import Path
from typing import Any, Optional

import typer
from sqlalchemy import exc as sa_exc
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from coopwatch import pipeline
from coopwatch.errors import CoopwatchError, InputError
from coopwatch.records import EVENT_TYPES, to_jsonable
from coopwatch.settings import Settings, load_settings, with_overrides
from coopwatch.store import Store, jsonable_row

app = typer.Typer(help="Monitor health-cooperation news in Chinese, English, German and Vietnamese.", no_args_is_help=True)
sources_app = typer.Typer(help="The source registry (crawlers/sources.yaml).", no_args_is_help=True)
app.add_typer(sources_app, name="sources")
out = Console()
err = Console(stderr=True)

JsonOpt = typer.Option(False, "--json", help="Print machine-readable JSON.")


class Ctx:
    def __init__(self, data_dir: Optional[Path], config: Optional[Path], backend: Optional[str]):
        self._args = (data_dir, config, backend)
        self._settings: Settings | None = None
        self._store: Store | None = None
        self._writes = False

    def writing(self) -> Ctx:
        """Mark this command as one that writes (crawl, ingest, process, index, run, demo, schedule start):
        it may create the store. Every other command only reads and refuses a data dir without one."""
        self._writes = True
        return self

    def require_store(self) -> None:
        """A read command on a data dir without a store says so (exit 2) instead of creating an empty one."""
        from coopwatch.errors import NoStore
        from coopwatch.store import store_exists

        if not self._writes and not store_exists(self.settings.store_url):
            d = self.settings.data_dir
            raise NoStore(
                f"no store at {d} (no coopwatch.db there): make one with `coopwatch --data-dir {d} run` "
                "(or crawl, ingest, demo), or give the --data-dir of an existing store"
            )

    @property
    def explicit_data_dir(self) -> Optional[Path]:
        return self._args[0]

    @property
    def launch(self) -> dict[str, str]:
        """``--config`` and ``--backend`` as given, for the scheduled jobs this command creates."""
        from schedules.service import launch_kwargs

        return launch_kwargs(self._args[1], self._args[2])

    def use_data_dir(self, path: Path) -> None:
        self._settings = with_overrides(self.settings, data_dir=path)
        self._store = None

    @property
    def settings(self) -> Settings:
        if self._settings is None:
            data_dir, config, backend = self._args
            self._settings = load_settings(data_dir=data_dir, config_file=config, backend=backend)
        return self._settings

    @property
    def store(self) -> Store:
        if self._store is None:
            self.require_store()
            self._store = Store.open(self.settings)
        return self._store

    def backend(self, *, needs_store: bool = True, **kw: Any) -> Any:
        from indexer.registry import open_backend

        if needs_store:  # the embedded index lives next to the store; search without one would create both
            self.require_store()
        return open_backend(with_overrides(self.settings, **kw))


@app.callback()
def main(
    ctx: typer.Context,
    data_dir: Optional[Path] = typer.Option(
        None, "--data-dir", envvar="COOPWATCH_HOME", help="Data directory (default ~/.local/share/coopwatch)."
    ),
    config: Optional[Path] = typer.Option(None, "--config", help="Settings file (TOML)."),
    backend: Optional[str] = typer.Option(None, "--backend", help="Search backend: sqlite | elasticsearch | opensearch."),
) -> None:
    ctx.obj = Ctx(data_dir, config, backend)


def emit(data: Any, as_json: bool, render: Any = None) -> None:
    if as_json or render is None:
        out.print_json(json.dumps(to_jsonable(data), ensure_ascii=False, default=str))
    else:
        render(data)


def progress_bar(label: str) -> Progress:
    return Progress(
        TextColumn(f"[bold]{label}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(), console=err, transient=True
    )


def run_stage(label: str, fn: Any, **kw: Any) -> dict[str, Any]:
    with progress_bar(label) as bar:
        task = bar.add_task(label, total=None)
        return fn(
            progress=lambda n: bar.advance(task, n),
            on_total=lambda t: bar.update(task, total=t),
            **kw,
        )


def _leased(c: Ctx, stage: str, work: Any) -> dict[str, Any]:
    """Run a manual ``process``/``index`` under the same database lease as ``run`` and the scheduler:
    a second one at the same time exits 75 ("skipped") instead of doing all the work again, and a
    killed one leaves a lease whose dead holder's run ``runs`` then shows as interrupted."""
    from schedules.jobs import EXIT_SKIPPED
    from schedules.lock import Leases, LockBusy, sweep

    sweep(c.store.engine)
    leases = Leases(c.store.engine, label=f"manual {stage}")
    try:
        leases.acquire([stage], wait=0)
    except LockBusy as exc:
        err.print(f"{stage} skipped: {exc}")
        raise typer.Exit(EXIT_SKIPPED) from None

    def fn() -> dict[str, Any]:
        latest = c.store.list_runs(1, kind=stage)
        if latest and latest[0]["status"] == "running":
            leases.add_runs([latest[0]["id"]])  # a takeover or sweep marks this run interrupted
        return work()

    try:
        return pipeline.tracked(c.store, stage, fn)
    finally:
        leases.release()


def print_counts(title: str, counts: dict[str, Any]) -> None:
    shown = {k: v for k, v in counts.items() if k not in ("errors", "ids", "sources", "drops") and v not in ({}, [])}
    err.print(f"[bold]{title}[/]: " + ", ".join(f"{k}={v}" for k, v in shown.items()))
    for d in counts.get("drops", [])[:5]:
        err.print(f"  [yellow]dropped[/] {escape(d)}", highlight=False, soft_wrap=True)
    for e in counts.get("errors", [])[:5]:
        err.print(f"  [red]error[/] {e}")


# ------------------------------------------------------------------------ stages
def _sources(ctx: Ctx, names: list[str] | None, group: str | None) -> tuple[list[Any], Path]:
    from crawlers.sources import DEFAULT_SOURCES, load_sources, select_sources

    path = ctx.settings.sources_file or DEFAULT_SOURCES
    return select_sources(load_sources(path), names, group), path


@app.command()
def crawl(
    ctx: typer.Context,
    source: Optional[list[str]] = typer.Option(None, "--source", "-s", help="Source name (repeatable); default all enabled."),
    group: Optional[str] = typer.Option(None, "--group", help="Only sources of this group."),
    full: bool = typer.Option(False, "--full", help="Fetch known articles again (default: skip unchanged ones)."),
    as_json: bool = JsonOpt,
) -> None:
    """Crawl sources into the store (incremental; resumes what an interrupted crawl left pending)."""
    c: Ctx = ctx.obj.writing()
    sources, path = _sources(c, source, group)
    err.print(f"crawling {len(sources)} source(s)…")
    counts = pipeline.tracked(
        c.store, "crawl", lambda: pipeline.crawl(c.settings, sources, path, incremental=not full)
    )
    emit(counts, as_json, lambda d: print_counts("crawl", d["totals"]))
    if counts.get("failed"):
        raise typer.Exit(1)


@app.command()
def ingest(
    ctx: typer.Context,
    items: list[str] = typer.Argument(..., help="Saved HTML files, directories of them, or page URLs."),
    source: str = typer.Option("ingest", "--source", help="Source name recorded for these articles."),
    lang: Optional[str] = typer.Option(None, "--lang", help="Language hint (zh, en, de, vi)."),
    as_json: bool = JsonOpt,
) -> None:
    """Store saved pages or single URLs without a crawl."""
    c: Ctx = ctx.obj.writing()
    if lang and lang not in ("zh", "en", "de", "vi"):
        raise InputError(f"--lang must be one of zh, en, de, vi, not {lang!r}")
    counts = pipeline.tracked(
        c.store, "ingest", lambda: run_stage("ingest", _ingest_adapter(c, items, source, lang))
    )
    emit(counts, as_json, lambda d: print_counts("ingest", d))
    if counts.get("failed"):
        raise typer.Exit(1)


def _ingest_adapter(c: Ctx, items: list[str], source: str, lang: str | None) -> Any:
    def fn(progress: Any, on_total: Any) -> dict[str, Any]:
        return pipeline.ingest(c.store, c.settings, items, source=source, lang=lang, progress=progress)

    return fn


@app.command()
def process(
    ctx: typer.Context,
    limit: Optional[int] = typer.Option(None, "--limit", min=1, help="At most this many articles."),
    force: bool = typer.Option(False, "--force", help="Re-analyse every article."),
    as_json: bool = JsonOpt,
) -> None:
    """Run the NLP stage on new, changed or outdated articles."""
    c: Ctx = ctx.obj.writing()
    counts = _leased(
        c, "process", lambda: run_stage("process", pipeline.process, store=c.store, settings=c.settings, limit=limit, force=force)
    )
    emit(counts, as_json, lambda d: print_counts("process", d))
    if counts.get("failed"):
        raise typer.Exit(1)


@app.command()
def index(
    ctx: typer.Context,
    as_json: bool = JsonOpt,
    backend_name: Optional[str] = typer.Option(None, "--backend", help="sqlite | elasticsearch | opensearch."),
    url: Optional[str] = typer.Option(None, "--url", help="Engine URL (overrides es_url)."),
) -> None:
    """Send processed articles to the search backend."""
    c: Ctx = ctx.obj.writing()
    backend = c.backend(backend=backend_name, es_url=url)
    counts = _leased(c, "index", lambda: run_stage("index", pipeline.index, store=c.store, settings=c.settings, backend=backend))
    emit(counts, as_json, lambda d: print_counts(f"index ({backend.name})", d))
    if counts.get("failed"):
        raise typer.Exit(1)


@app.command()
def run(
    ctx: typer.Context,
    source: Optional[list[str]] = typer.Option(None, "--source", "-s", help="Source name (repeatable)."),
    group: Optional[str] = typer.Option(None, "--group", help="Only sources of this group."),
    wait: float = typer.Option(0.0, "--wait", min=0, help="Seconds to wait if a scheduled run holds the same work."),
    as_json: bool = JsonOpt,
) -> None:
    """Crawl, process and index in one go (what the nightly schedule runs); exit 75 if the same work is running."""
    from schedules.jobs import EXIT_SKIPPED, run_pipeline  # same database leases as the scheduler: never overlaps it

    c: Ctx = ctx.obj.writing()
    selected = _sources(c, source, group)
    result = run_pipeline(c.store, c.settings, job="manual", kind="run", hold_all=True, wait=wait, runner=run_stage,
                          selected=selected)
    if result["status"] == "skipped":
        err.print(f"[yellow]{escape(result['error'])}[/]")
        raise typer.Exit(EXIT_SKIPPED)

    def render(d: dict[str, Any]) -> None:
        print_counts("crawl", d["crawl"]["totals"])
        print_counts("process", d["process"])
        print_counts("index", d["index"])

    emit(result, as_json, render)
    if result["crawl"].get("totals", {}).get("failed") or result["process"].get("failed") or result["index"].get("failed"):
        raise typer.Exit(1)


# ------------------------------------------------------------------------ more commands
# Each module below defines ``register(app, sources_app)``; one line per module.
COMMAND_MODULES = [
    "coopwatch.cli_engine",  # reindex (engine backends: versioned index behind the alias)
    "coopwatch.cli_query",  # search, doc, entities, timeline, doctor, runs, demo
    "coopwatch.cli_sources",  # sources list, sources check [--fetch]
    "coopwatch.cli_models",  # models install/list, eval (gold-set scores)
    "coopwatch.cli_web",  # serve (the analyst workbench: web UI + /api/)
    "coopwatch.cli_schedule",  # schedule start|list|add|remove|run-now|history (APScheduler)
]
for _mod in COMMAND_MODULES:
    importlib.import_module(_mod).register(app, sources_app)


def _click_errors() -> tuple[type[Exception], ...]:
    """Click's exception base as Typer raises it (Typer ships its own copy of click) and click's own."""
    import click

    ours = {c for c in typer.BadParameter.__mro__ if c.__name__ == "ClickException"}
    return tuple(ours | {click.ClickException})


_CLICK_ERRORS = _click_errors()
_DB_ERRORS: tuple[type[Exception], ...] = (sa_exc.DatabaseError, sqlite3.DatabaseError)


def entrypoint() -> None:
    try:
        rc = app(standalone_mode=False)
        if isinstance(rc, int) and rc:  # click returns typer.Exit(code) here in non-standalone mode
            sys.exit(rc)
    except CoopwatchError as exc:
        err.print(f"[red]error:[/] {escape(str(exc))}", soft_wrap=True)
        sys.exit(2)
    except _DB_ERRORS as exc:  # a corrupt, truncated, read-only or locked store: one line, not a traceback
        from coopwatch.store import store_problem

        err.print(f"[red]error:[/] {escape(store_problem(exc))}", soft_wrap=True)
        sys.exit(2)
    except typer.Exit as exc:
        sys.exit(exc.exit_code)
    except (typer.Abort, KeyboardInterrupt):
        err.print("aborted")
        sys.exit(130)
    except _CLICK_ERRORS as exc:  # usage errors come through here in non-standalone mode
        # one line and exit 2, as for every other error a user can act on (not click's usage block or a traceback)
        err.print(f"[red]error:[/] {escape(exc.format_message())} (see coopwatch --help)", soft_wrap=True)
        sys.exit(2)


