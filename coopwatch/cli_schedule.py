"""``coopwatch schedule …``: the nightly scheduler and its run history.

``start`` runs the one scheduler process in the foreground (systemd runs it, see
``deploy/``); ``list``/``add``/``remove`` edit the persistent job store;
``run-now`` runs a job at once in this process (exit 1 if it failed, 75 if the
same work is running elsewhere); ``history`` shows what ran and why it failed.
"""

from __future__ import annotations

import logging
from typing import Any, Optional

import typer
from rich.table import Table



def register(app: typer.Typer, sources_app: typer.Typer) -> None:
    # imported here, like the other cli_* modules: coopwatch.cli imports this module at its end
    from coopwatch.cli import JsonOpt, emit, err, out, print_counts, run_stage

    schedule_app = typer.Typer(help="Unattended nightly crawls: the scheduler, its jobs and run history.", no_args_is_help=True)
    app.add_typer(schedule_app, name="schedule")

    @schedule_app.command()
    def start(ctx: typer.Context) -> None:
        """Run the scheduler in the foreground until SIGTERM/SIGINT (one per store)."""
        from schedules.service import serve

        logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
        logging.getLogger("apscheduler").setLevel(logging.INFO)
        c = ctx.obj.writing()
        err.print(f"scheduler on {c.settings.store_url} (timezone {c.settings.timezone}); Ctrl-C or SIGTERM stops it")
        serve(c.settings, c.store, launch=c.launch)  # every run loads this --config and --backend
        err.print("scheduler stopped")

    @schedule_app.command("list")
    def list_(ctx: typer.Context, as_json: bool = JsonOpt) -> None:
        """Scheduled jobs with their cron, timezone and next run times (configured jobs are synced first)."""
        from schedules.service import Paused, describe_jobs, sync_jobs

        c = ctx.obj
        with Paused(c.settings, c.store) as sched:
            sync_jobs(sched, c.settings)
            jobs = describe_jobs(sched, c.settings)

        def render(rows: list[dict[str, Any]]) -> None:
            t = Table("job", "cron", "next run", "what", title=f"timezone {c.settings.timezone}")
            for r in rows:
                t.add_row(r["id"], r["cron"], r["next_run_time"] or "paused", r["what"])
            out.print(t)

        emit(jobs, as_json, render)

    @schedule_app.command()
    def add(
        ctx: typer.Context,
        name: str = typer.Argument(..., help="Job name (stored as user:NAME)."),
        cron: str = typer.Option(..., "--cron", help="Five-field cron in the configured timezone, e.g. '0 3 * * 0'."),
        group: Optional[str] = typer.Option(None, "--group", help="Crawl this source group."),
        source: Optional[list[str]] = typer.Option(None, "--source", "-s", help="Crawl these sources (repeatable)."),
        stage: Optional[list[str]] = typer.Option(None, "--stage", help="Stages: crawl, process, index (default all)."),
        as_json: bool = JsonOpt,
    ) -> None:
        """Add a job of your own (configured group jobs come from settings and sources.yaml)."""
        from coopwatch.errors import InputError
        from schedules.service import Paused, add_user_job, describe_jobs

        c = ctx.obj.writing()
        bad = [s for s in stage or [] if s not in ("crawl", "process", "index")]
        if bad or not name.replace("-", "").replace("_", "").isalnum():
            raise InputError(f"--stage must be crawl, process or index (got {bad})" if bad else f"job name {name!r}: use letters, digits, - and _")
        with Paused(c.settings, c.store) as sched:
            job_id = add_user_job(sched, c.settings, name, cron, group=group, sources=source, stages=stage,
                                  launch=c.launch)
            row = next(j for j in describe_jobs(sched, c.settings) if j["id"] == job_id)
        emit(row, as_json, lambda r: out.print(f"added {r['id']}: {r['cron']} ({r['timezone']}), next {r['next_run_time']}"))

    @schedule_app.command()
    def remove(ctx: typer.Context, name: str = typer.Argument(..., help="Job name as added.")) -> None:
        """Remove a job added with `schedule add`."""
        from coopwatch.errors import InputError
        from schedules.service import Paused, resolve_job_id

        c = ctx.obj
        with Paused(c.settings, c.store) as sched:
            job_id = resolve_job_id(sched, name)
            if not job_id.startswith("user:"):
                raise InputError(
                    f"{job_id} comes from the configuration (schedule_cron, schedule_group_crons, sources.yaml); change it there"
                )
            sched.remove_job(job_id)
        out.print(f"removed {job_id}")

    @schedule_app.command("run-now")
    def run_now(
        ctx: typer.Context,
        name: str = typer.Argument(..., help="Job id or name, as `schedule list` shows it."),
        wait: float = typer.Option(0.0, "--wait", min=0, help="Seconds to wait if the same work is running elsewhere."),
        as_json: bool = JsonOpt,
    ) -> None:
        """Run a job now, in this process; exit 1 if it failed, 75 if the same work was already running."""
        from schedules.jobs import EXIT_SKIPPED, run_pipeline
        from schedules.service import Paused, resolve_job_id, sync_jobs

        c = ctx.obj.writing()
        with Paused(c.settings, c.store) as sched:
            sync_jobs(sched, c.settings)
            job = sched.get_job(resolve_job_id(sched, name))
            kw = dict(job.kwargs)
        try:
            result = run_pipeline(
                c.store, c.settings, job=job.id, kind="run-now", stages=kw.get("stages") or ("crawl", "process", "index"),
                group=kw.get("group"), sources=kw.get("sources"), wait=wait, hold_all=True, runner=run_stage,
            )
        except Exception as exc:  # recorded in the history already
            err.print(f"[red]failed[/]: {type(exc).__name__}: {exc}")
            raise typer.Exit(1) from exc
        emit({k: result.get(k) for k in ("run_id", "job", "status", "error", "counts")}, as_json,
             lambda r: print_counts(f"{r['job']} {r['status']}" + (f" ({r['error']})" if r["error"] else ""), r["counts"]))
        if result["status"] == "skipped":
            raise typer.Exit(EXIT_SKIPPED)
        if result["status"] != "ok":
            raise typer.Exit(1)

    @schedule_app.command("history")
    def history_(
        ctx: typer.Context,
        job: Optional[str] = typer.Option(None, "--job", help="Only this job."),
        status: Optional[str] = typer.Option(None, "--status", help="Only ok, failed, skipped, missed, interrupted, running."),
        limit: int = typer.Option(20, "--limit", min=1),
        check: bool = typer.Option(False, "--check", help="Exit 1 if the latest run of any job failed, was missed or interrupted."),
        as_json: bool = JsonOpt,
    ) -> None:
        """Scheduled, run-now and manual runs: start, end, status, counts and why a run failed."""
        from schedules.history import BAD, history, latest_per_job, scheduled_ever

        rows = history(ctx.obj.store, limit=limit, job=job, status=status)

        def render(rs: list[dict[str, Any]]) -> None:
            t = Table("id", "job", "kind", "started", "ended", "status", "new", "processed", "indexed", "error")
            for r in rs:
                n = r["counts"] or {}
                t.add_row(str(r["id"]), r["job"] or "", r["kind"], r["started_at"], r["ended_at"] or "", r["status"],
                          str(n.get("new", "")), str(n.get("processed", "")), str(n.get("indexed", "")), (r["error"] or "")[:70])
            out.print(t)

        emit(rows, as_json, render)
        if check and any(r["status"] in BAD for r in latest_per_job(rows).values()):
            raise typer.Exit(1)
        if check and not scheduled_ever(ctx.obj.store, job):  # a scheduler that never ran is no healthy one
            err.print(f"no scheduled {'run of ' + job if job else 'job'} has ever run: is `coopwatch schedule start` running?")
            raise typer.Exit(1)
