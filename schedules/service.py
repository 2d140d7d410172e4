"""The one scheduler process: APScheduler 3.x with its job store in the store's database.

* Job store: ``SQLAlchemyJobStore`` on the store's engine (table
  ``apscheduler_jobs``), so jobs and their next run times survive restarts.
* Timezone: ``settings.timezone``, explicit — never the host's local zone.
* Defaults for every job: ``coalesce=True`` (after downtime a job runs once, not
  once per missed night), ``max_instances=1``, ``misfire_grace_time`` =
  ``misfire_grace_hours``; cron triggers carry ``schedule_jitter_seconds``.
* Jobs come from configuration (:func:`desired_jobs`): one nightly job per
  source group (``group:<name>``, cron ``schedule_cron`` or the group's entry in
  ``schedule_group_crons``), one per source with its own ``schedule``
  (``source:<name>``), and ``catchup`` (process → index of whatever is pending).
  :func:`sync_jobs` brings the job store in line without touching the next run
  time of unchanged jobs (a missed run must stay due). Jobs added by hand
  (``coopwatch schedule add``) have ids ``user:<name>`` and are left alone.
* Launch options: the ``--config`` file and ``--backend`` of ``schedule start``
  go into every job's kwargs (:func:`launch_kwargs`), so each run loads the
  settings the scheduler was started with; commands that only sync the job
  store (``schedule list``, ``run-now``) keep what is stored.
* Listeners write a ``missed`` run when a run was skipped past the grace time,
  ``skipped`` when the previous instance was still running, and ``failed`` for a
  job that raised before it could record itself.
* Only one scheduler runs per store: ``start`` holds the ``scheduler`` lease.
"""

from __future__ import annotations

import logging
import signal
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from apscheduler.events import (
    EVENT_JOB_ERROR,
    EVENT_JOB_MAX_INSTANCES,
    EVENT_JOB_MISSED,
    JobExecutionEvent,
    JobSubmissionEvent,
)
from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.jobstores.memory import MemoryJobStore
from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.schedulers.base import BaseScheduler
from apscheduler.schedulers.blocking import BlockingScheduler

from coopwatch.errors import ConfigError, InputError
from coopwatch.settings import Settings
from coopwatch.store import Store
from schedules import lock
from schedules.jobs import JobFailed
from schedules.triggers import cron_trigger, describe, upcoming

log = logging.getLogger(__name__)
JOB_FUNC = "schedules.jobs:scheduled_run"
JOBS_TABLE = "apscheduler_jobs"
POLL_SECONDS = 60  # how often the scheduler re-reads the job store for jobs added by the CLI
LAUNCH_KEYS = ("config_file", "backend")


def launch_kwargs(config_file: str | Path | None, backend: str | None) -> dict[str, str]:
    """The job kwargs that make a scheduled run load the same settings as the command that scheduled it."""
    out: dict[str, str] = {}
    if config_file:
        out["config_file"] = str(Path(config_file).expanduser().resolve())
    if backend:
        out["backend"] = backend
    return out


def group_crons(settings: Settings) -> dict[str, str]:
    """``schedule_group_crons`` ("asia=0 1 * * *; europe=30 2 * * *") as a mapping."""
    out: dict[str, str] = {}
    for part in settings.schedule_group_crons.split(";"):
        if not part.strip():
            continue
        group, eq, expr = part.partition("=")
        if not eq or not group.strip() or not expr.strip():
            raise ConfigError(f"schedule_group_crons entry {part.strip()!r} must look like 'group=0 2 * * *'")
        out[group.strip()] = expr.strip()
    return out


def desired_jobs(settings: Settings) -> list[dict[str, Any]]:
    """The jobs configuration asks for: id, cron, description and the job function's kwargs."""
    from schedules.jobs import select_job_sources

    src, _ = select_job_sources(settings, None, None)
    per_group = group_crons(settings)
    base = {"data_dir": str(settings.data_dir)}
    jobs: list[dict[str, Any]] = []
    for group in sorted({s.group for s in src if not s.schedule}):
        expr = per_group.get(group, settings.schedule_cron)
        jobs.append({"id": f"group:{group}", "cron": expr, "what": f"crawl → process → index, source group {group!r}",
                     "kwargs": {**base, "group": group}})
    for s in sorted((s for s in src if s.schedule), key=lambda s: s.name):
        jobs.append({"id": f"source:{s.name}", "cron": s.schedule, "what": f"crawl → process → index, source {s.name!r}",
                     "kwargs": {**base, "sources": [s.name]}})
    jobs.append({"id": "catchup", "cron": settings.schedule_catchup_cron, "what": "process → index what is pending",
                 "kwargs": {**base, "stages": ["process", "index"]}})
    for j in jobs:
        j["kwargs"]["job_id"] = j["id"]
    return jobs


class EditOnlyScheduler(BaseScheduler):
    """A scheduler with no main loop: it reads and edits the job store and never runs a job.

    (A paused BackgroundScheduler is not safe for this: shutting it down races its
    thread, which can then process — and consume — a due run.)
    """

    def wakeup(self) -> None:
        pass

    def shutdown(self, wait: bool = True) -> None:
        super().shutdown(wait)


def build_scheduler(settings: Settings, store: Store, *, blocking: bool = False, edit_only: bool = False) -> BaseScheduler:
    """A scheduler on the store's database with our job defaults and listeners (not started)."""
    tz = ZoneInfo(settings.timezone)
    cls: type[BaseScheduler] = EditOnlyScheduler if edit_only else BlockingScheduler if blocking else BackgroundScheduler
    sched = cls(
        jobstores={"default": SQLAlchemyJobStore(engine=store.engine, tablename=JOBS_TABLE)},
        executors={"default": ThreadPoolExecutor(8)},
        job_defaults={
            "coalesce": True,
            "max_instances": 1,
            "misfire_grace_time": int(settings.misfire_grace_hours * 3600),
        },
        timezone=tz,
    )
    sched.add_listener(lambda ev: _record_event(store, ev), EVENT_JOB_MISSED | EVENT_JOB_ERROR | EVENT_JOB_MAX_INSTANCES)
    return sched


def _record_event(store: Store, ev: Any) -> None:
    """Write what APScheduler would otherwise only log: missed, overlapping and crashed runs."""
    when = ev.scheduled_run_times[0] if isinstance(ev, JobSubmissionEvent) else getattr(ev, "scheduled_run_time", None)
    at = when.isoformat() if isinstance(when, datetime) else str(when)
    if ev.code == EVENT_JOB_MISSED:
        status, error = "missed", f"missed: due at {at}, scheduler was not running within the misfire grace time"
    elif ev.code == EVENT_JOB_MAX_INSTANCES:
        status, error = "skipped", f"skipped: run due at {at} while the previous run of this job was still going"
    else:
        assert isinstance(ev, JobExecutionEvent)
        if isinstance(ev.exception, JobFailed) and ev.exception.run_id >= 0:
            log.error("job %s failed: %s", ev.job_id, ev.exception)
            return  # already in the history with its reason
        status, error = "failed", f"{type(ev.exception).__name__}: {ev.exception}"
    log.warning("job %s: %s", ev.job_id, error)
    run_id = store.start_run("scheduled", ev.job_id)
    store.finish_run(run_id, status, {}, error)


def sync_jobs(sched: BaseScheduler, settings: Settings, launch: dict[str, str] | None = None) -> dict[str, list[str]]:
    """Make the job store hold exactly the configured jobs (user jobs untouched but for ``launch``).

    ``launch`` (from ``schedule start``: :func:`launch_kwargs`) replaces every job's config file and
    backend; without it each job keeps the ones stored with it.
    """
    tz = ZoneInfo(settings.timezone)
    changes: dict[str, list[str]] = {"added": [], "changed": [], "removed": [], "kept": []}
    want = {j["id"]: j for j in desired_jobs(settings)}
    grace = int(settings.misfire_grace_hours * 3600)
    for job in sched.get_jobs():
        if job.misfire_grace_time != grace:  # stored with each job; follow the setting
            sched.modify_job(job.id, misfire_grace_time=grace)
        stored = {k: job.kwargs[k] for k in LAUNCH_KEYS if k in job.kwargs}
        keep = stored if launch is None else launch
        if job.id.startswith("user:"):
            if keep != stored:
                sched.modify_job(job.id, kwargs={**{k: v for k, v in job.kwargs.items() if k not in LAUNCH_KEYS}, **keep})
            continue
        spec = want.pop(job.id, None)
        if spec is None:
            sched.remove_job(job.id)
            changes["removed"].append(job.id)
            continue
        spec["kwargs"] = {**spec["kwargs"], **keep}
        trig = cron_trigger(spec["cron"], tz, jitter=settings.schedule_jitter_seconds, what=f"schedule of {job.id}")
        if repr(trig) != repr(job.trigger) or job.kwargs != spec["kwargs"] or job.name != spec["what"]:
            sched.modify_job(job.id, kwargs=spec["kwargs"], name=spec["what"])
            if repr(trig) != repr(job.trigger):
                sched.reschedule_job(job.id, trigger=trig)
            changes["changed"].append(job.id)
        else:
            changes["kept"].append(job.id)
    for spec in want.values():
        trig = cron_trigger(spec["cron"], tz, jitter=settings.schedule_jitter_seconds, what=f"schedule of {spec['id']}")
        sched.add_job(JOB_FUNC, trigger=trig, id=spec["id"], name=spec["what"], kwargs={**spec["kwargs"], **(launch or {})})
        changes["added"].append(spec["id"])
    return changes


def add_user_job(
    sched: BaseScheduler, settings: Settings, name: str, cron: str, *,
    group: str | None = None, sources: list[str] | None = None, stages: list[str] | None = None,
    launch: dict[str, str] | None = None,
) -> str:
    from schedules.jobs import select_job_sources

    job_id = f"user:{name}"
    if sched.get_job(job_id) is not None:
        raise InputError(f"a job named {name!r} exists already; remove it first (coopwatch schedule remove {name})")
    if sources or group:
        select_job_sources(settings, group, sources)  # unknown source names are a clear error now, not at 02:00
    trig = cron_trigger(cron, ZoneInfo(settings.timezone), jitter=settings.schedule_jitter_seconds, what="--cron")
    kwargs: dict[str, Any] = {"job_id": job_id, "data_dir": str(settings.data_dir), **(launch or {})}
    if group:
        kwargs["group"] = group
    if sources:
        kwargs["sources"] = sources
    if stages:
        kwargs["stages"] = stages
    what = " → ".join(stages or ["crawl", "process", "index"]) + (
        f", source group {group!r}" if group else f", sources {', '.join(sources)}" if sources else ", all enabled sources"
    )
    sched.add_job(JOB_FUNC, trigger=trig, id=job_id, name=what, kwargs=kwargs)
    return job_id


def resolve_job_id(sched: BaseScheduler, name: str) -> str:
    for cand in (name, f"user:{name}"):
        if sched.get_job(cand) is not None:
            return cand
    known = ", ".join(j.id for j in sched.get_jobs()) or "none"
    raise InputError(f"no scheduled job {name!r}; known jobs: {known}")


def describe_jobs(sched: BaseScheduler, settings: Settings, now: datetime | None = None, n: int = 3) -> list[dict[str, Any]]:
    tz = ZoneInfo(settings.timezone)
    now = now or datetime.now(tz)
    out = []
    for job in sorted(sched.get_jobs(), key=lambda j: j.id):
        out.append({
            "id": job.id,
            "what": job.name,
            "cron": describe(job.trigger),
            "timezone": settings.timezone,
            "jitter_seconds": getattr(job.trigger, "jitter", None) or 0,
            "next_run_time": job.next_run_time.isoformat() if job.next_run_time else None,
            "upcoming": [t.isoformat() for t in upcoming(job.trigger, now, n)],
            "kwargs": {k: v for k, v in job.kwargs.items() if k not in ("data_dir", "job_id")},
        })
    return out


class Paused:
    """An edit-only scheduler for the CLI: reads and edits the job store, runs nothing."""

    def __init__(self, settings: Settings, store: Store):
        self.sched = build_scheduler(settings, store, edit_only=True)

    def __enter__(self) -> BaseScheduler:
        self.sched.start(paused=True)
        return self.sched

    def __exit__(self, *exc: object) -> None:
        self.sched.shutdown(wait=False)


def _poll() -> None:
    """No-op job: wakes the scheduler every minute so jobs added by the CLI are picked up."""


def serve(
    settings: Settings, store: Store, *, scheduler: BaseScheduler | None = None, launch: dict[str, str] | None = None
) -> None:
    """Run the scheduler in the foreground until SIGTERM/SIGINT; one per store.

    ``launch`` (:func:`launch_kwargs` of ``--config``/``--backend``) is written into every job, so the
    runs load the settings this scheduler was started with."""
    stale = lock.sweep(store.engine)
    for row in stale:
        log.warning("took over the stale lease %s of %s", row["name"], row["owner"])
    leases = lock.Leases(store.engine, label="scheduler")
    try:
        leases.try_acquire(["scheduler"])
    except lock.LockBusy as exc:
        raise InputError(f"another scheduler is running on this store: {exc}. Run only one `coopwatch schedule start`.") from exc
    try:
        with Paused(settings, store) as paused:  # a stopped scheduler cannot see its job store's jobs
            changes = sync_jobs(paused, settings, launch or {})
        log.info("jobs: %s", {k: v for k, v in changes.items() if v})
        sched = scheduler or build_scheduler(settings, store, blocking=True)
        sched.add_jobstore(MemoryJobStore(), "memory")
        sched.add_job(_poll, "interval", seconds=POLL_SECONDS, id="_poll", jobstore="memory")

        def stop(signum: int, _frame: Any) -> None:
            log.info("signal %s: shutting down after running jobs finish", signum)
            sched.shutdown(wait=True)

        old = {s: signal.signal(s, stop) for s in (signal.SIGTERM, signal.SIGINT)}
        try:
            sched.start()
        finally:
            for s, h in old.items():
                signal.signal(s, h)
    finally:
        leases.release()
