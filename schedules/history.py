"""Run history: the parent runs of scheduled, run-now and manual ``coopwatch run`` work."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from coopwatch.store import Store, jsonable_row, runs
from schedules import lock

HISTORY_KINDS = ("scheduled", "run-now", "run")
BAD = ("failed", "missed", "interrupted")


def history(store: Store, *, limit: int = 20, job: str | None = None, status: str | None = None) -> list[dict[str, Any]]:
    """Newest first. Stale leases are swept first, so a dead run reads ``interrupted``, not ``running``."""
    lock.sweep(store.engine)
    q = sa.select(runs).where(runs.c.kind.in_(HISTORY_KINDS)).order_by(runs.c.id.desc()).limit(limit)
    if job:
        q = q.where(sa.or_(runs.c.job == job, runs.c.job == f"user:{job}"))
    if status:
        q = q.where(runs.c.status == status)
    with store.engine.connect() as conn:
        return [jsonable_row(dict(r)) for r in conn.execute(q).mappings()]


def scheduled_ever(store: Store, job: str | None = None) -> bool:
    """Whether the scheduler has ever started a job (of this id)."""
    q = sa.select(runs.c.id).where(runs.c.kind == "scheduled").limit(1)
    if job:
        q = q.where(runs.c.job == job)
    with store.engine.connect() as conn:
        return conn.execute(q).first() is not None


def latest_per_job(rows: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    for r in rows:  # newest first
        out.setdefault(r["job"] or r["kind"], r)
    return out
