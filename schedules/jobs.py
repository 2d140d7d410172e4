"""The scheduled work: crawl → process → index under leases, recorded as one parent run.

:func:`run_pipeline` is the pure core the scheduler, ``coopwatch schedule
run-now`` and ``coopwatch run`` all call. It writes one parent row to the
store's ``runs`` table (``kind`` = ``scheduled`` or ``run``, ``job`` = the job
id) with the aggregated counts — fetched, new, updated, unchanged, duplicates,
dropped by reason, processed, indexed — and each stage writes its own child row
through :func:`coopwatch.pipeline.tracked` with the same ``job``.

Statuses: ``ok``; ``failed`` (a stage raised, items failed, or a later stage
could not get its lease in time — ``error`` says why); ``skipped`` (the work
was already running elsewhere: ``error`` = ``skipped: locked by …``);
``missed`` (the scheduler was down past the misfire grace time);
``interrupted`` (the process died; marked by whoever takes its lease over).

:func:`scheduled_run` is the job function stored in the job store by its
textual reference ``schedules.jobs:scheduled_run``; it loads settings itself
(data dir, ``--config`` file and ``--backend`` of ``schedule start`` come in its
kwargs), so a changed settings file or ``sources.yaml`` takes effect at the next run.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

from coopwatch import pipeline
from coopwatch.settings import Settings, load_settings
from coopwatch.store import Store
from schedules.lock import Leases, LockBusy, sweep

log = logging.getLogger(__name__)
STAGES = ("crawl", "process", "index")
EXIT_SKIPPED = 75  # EX_TEMPFAIL: try again later


class JobFailed(Exception):
    """A scheduled run failed and is already recorded (run id and reason)."""

    def __init__(self, run_id: int, reason: str):
        self.run_id = run_id
        super().__init__(f"run {run_id} failed: {reason}")


def _direct(_label: str, fn: Callable[..., dict[str, Any]], **kw: Any) -> dict[str, Any]:
    return fn(**kw)


def select_job_sources(settings: Settings, group: str | None, sources: list[str] | None) -> tuple[list[Any], Path]:
    """The sources a job crawls: named ones, or a group's enabled sources without their own schedule."""
    from crawlers.sources import DEFAULT_SOURCES, load_sources, select_sources

    path = settings.sources_file or DEFAULT_SOURCES
    registry = load_sources(path)
    if sources:
        return select_sources(registry, sources), path
    chosen = select_sources(registry, None, group)
    if group is not None:
        chosen = [s for s in chosen if not s.schedule]
    return chosen, path


def aggregate(result: dict[str, Any]) -> dict[str, Any]:
    """The counts an operator reads in the history, from the stage results."""
    totals = result.get("crawl", {}).get("totals", {})
    dropped = {k.removeprefix("dropped/"): v for k, v in totals.items() if k.startswith("dropped/")}
    proc, idx = result.get("process", {}), result.get("index", {})
    counts: dict[str, Any] = {
        "sources": len(result.get("crawl", {}).get("sources", {})),
        "fetched": totals.get("responses", 0),
        "new": totals.get("new", 0),
        "updated": totals.get("updated", 0),
        "unchanged": totals.get("unchanged", 0),
        "duplicates": dropped.get("duplicate-content", 0),
        "dropped": dropped,
        "processed": proc.get("processed", 0),
        "relevant": proc.get("relevant", 0),
        "indexed": idx.get("indexed", 0),
        "skipped_irrelevant": idx.get("skipped_irrelevant", 0),
        "failed": int(totals.get("failed", 0) or 0) + int(proc.get("failed", 0) or 0) + int(idx.get("failed", 0) or 0),
        "stage_runs": {s: result[s]["run_id"] for s in STAGES if isinstance(result.get(s), dict) and "run_id" in result[s]},
    }
    errors = list(proc.get("errors", [])) + list(idx.get("errors", []))
    if errors:
        counts["errors"] = errors[:20]
    return counts


def run_pipeline(
    store: Store,
    settings: Settings,
    *,
    job: str,
    kind: str = "scheduled",
    stages: tuple[str, ...] | list[str] = STAGES,
    group: str | None = None,
    sources: list[str] | None = None,
    wait: float = 0.0,
    stage_wait: float | None = None,
    hold_all: bool = False,
    runner: Callable[..., dict[str, Any]] = _direct,
    selected: tuple[list[Any], Path] | None = None,
) -> dict[str, Any]:
    """Run ``stages`` for a job under database leases and record one parent run.

    Leases: ``job:<job>`` for the whole run (the same job never runs twice at
    once), then ``crawl:<group>`` for each group crawled, ``process`` and
    ``index``. With ``hold_all`` (manual runs) every lease is taken up front and
    held to the end; otherwise each stage takes its own lease, waiting up to
    ``stage_wait`` seconds for another run of that stage to finish, so groups
    crawl side by side but never process or index at the same time.
    The first lease waits ``wait`` seconds; if it stays busy the run is recorded
    ``skipped``. Exceptions are recorded and re-raised. ``selected`` passes
    sources chosen by the caller (``coopwatch run --group``) instead of the job's.
    """
    stages = [s for s in STAGES if s in stages]
    stage_wait = settings.schedule_lock_wait_minutes * 60 if stage_wait is None else stage_wait
    src: list[Any] = []
    path: Path | None = None
    if "crawl" in stages:
        src, path = selected or select_job_sources(settings, group, sources)
    stage_locks = {
        "crawl": sorted({f"crawl:{s.group}" for s in src}),
        "process": ["process"],
        "index": ["index"],
    }
    for stale in sweep(store.engine):  # dead holders' leases go, their runs read interrupted
        log.warning("removed the stale lease %s of %s (%s)", stale["name"], stale["label"], stale["owner"])
    leases = Leases(store.engine, label=f"{kind} {job}")
    run_id = store.start_run(kind, job)
    result: dict[str, Any] = {"run_id": run_id, "job": job, "kind": kind, "stages": stages}

    def finish(status: str, error: str | None) -> dict[str, Any]:
        counts = aggregate(result)
        store.finish_run(run_id, status, counts, error)
        result.update(status=status, error=error, counts=counts)
        return result

    first = [f"job:{job}"] + ([n for s in stages for n in stage_locks[s]] if hold_all else [])
    try:
        leases.acquire(first, wait=wait, run_ids=[run_id])
    except LockBusy as exc:
        return finish("skipped", f"skipped: {exc}")
    try:
        backend = None
        if "index" in stages:
            from indexer.registry import open_backend

            backend = open_backend(settings)
            backend.check()  # fail before crawling, not after
        for stage in stages:
            names = stage_locks[stage]
            if not hold_all and names:
                try:
                    leases.acquire(names, wait=stage_wait, run_ids=[run_id])
                except LockBusy as exc:
                    return finish("failed", f"{stage} not run: still {exc} after waiting {stage_wait:.0f} s")
            try:
                result[stage] = _stage(store, settings, stage, job, src, path, backend, runner, leases)
            finally:
                if not hold_all and names:
                    leases.release(names)
    except BaseException as exc:
        status = "interrupted" if isinstance(exc, KeyboardInterrupt | SystemExit) else "failed"
        finish(status, f"{type(exc).__name__}: {exc}")
        exc.coopwatch_run_id = run_id  # type: ignore[attr-defined]
        raise
    finally:
        leases.release()
    failed = aggregate(result)["failed"]
    return finish("failed" if failed else "ok", f"{failed} item(s) failed" if failed else None)


def _stage(
    store: Store, settings: Settings, stage: str, job: str, src: list[Any], path: Path | None,
    backend: Any, runner: Callable[..., dict[str, Any]], leases: Leases,
) -> dict[str, Any]:
    def fn() -> dict[str, Any]:
        if stage == "crawl":
            return pipeline.crawl(settings, src, path) if src and path else {"sources": {}, "totals": {}}
        if stage == "process":
            return runner("process", pipeline.process, store=store, settings=settings)
        return runner("index", pipeline.index, store=store, settings=settings, backend=backend)

    # the child run id is recorded on our leases so a takeover can mark it interrupted
    def tracked_fn() -> dict[str, Any]:
        latest = store.list_runs(1, kind=stage)
        if latest and latest[0]["status"] == "running" and latest[0]["job"] == job:
            leases.add_runs([latest[0]["id"]])
        return fn()

    return pipeline.tracked(store, stage, tracked_fn, job=job)


def scheduled_run(
    job_id: str,
    *,
    data_dir: str,
    config_file: str | None = None,
    backend: str | None = None,
    stages: list[str] | None = None,
    group: str | None = None,
    sources: list[str] | None = None,
) -> dict[str, Any]:
    """The job function the scheduler calls (by reference ``schedules.jobs:scheduled_run``).

    Catch-up jobs (no crawl) never wait for a lease: if a nightly run is
    processing, they are recorded ``skipped``. Raises :class:`JobFailed` when
    the run failed, so the scheduler's error listener sees it. ``config_file`` and
    ``backend`` are the ``--config`` and ``--backend`` the scheduler was started with.
    """
    settings = load_settings(data_dir=data_dir, config_file=config_file, backend=backend)  # errors: the listener records them
    store = Store.open(settings)
    try:
        stages = stages or list(STAGES)
        wait = settings.schedule_lock_wait_minutes * 60 if "crawl" in stages else 0.0
        stage_wait = None if "crawl" in stages else 0.0
        log.info("job %s starting at %s", job_id, datetime.now().isoformat(timespec="seconds"))
        result = run_pipeline(
            store, settings, job=job_id, kind="scheduled", stages=stages, group=group, sources=sources,
            wait=wait, stage_wait=stage_wait,
        )
        log.info("job %s: %s %s", job_id, result["status"], result.get("error") or "")
        if result["status"] == "failed":
            raise JobFailed(result["run_id"], result["error"] or "failed")
        return {k: result[k] for k in ("run_id", "status", "error", "counts")}
    except JobFailed:
        raise
    except Exception as exc:  # recorded by run_pipeline if it got that far; else the error listener records it
        raise JobFailed(getattr(exc, "coopwatch_run_id", -1), f"{type(exc).__name__}: {exc}") from exc
    finally:
        store.close()
