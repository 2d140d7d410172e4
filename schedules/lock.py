"""Database leases: no two processes ever run the same work at the same time.

A lease is one row in ``coopwatch_locks`` (same database as the store):
``name`` (what is locked, e.g. ``crawl:asia``, ``process``, ``index``,
``job:group:asia``, ``scheduler``), ``owner`` (``host:pid:token``), when it was
taken and when it expires. Taking a lease is one atomic upsert::

    INSERT … ON CONFLICT(name) DO UPDATE SET owner=… WHERE expires_at < now OR owner = <dead owner>

so of two processes racing for the same name exactly one wins, on SQLite and on
PostgreSQL alike. A holder renews its leases from a heartbeat thread; a holder
that dies (SIGKILL, power loss) stops renewing, and its leases are taken over
when they expire — at once when the owner's pid is known dead on this host.
Each lease also lists the ``runs`` rows its holder opened; whoever takes over a
dead holder's lease marks those runs ``interrupted``, so the history never shows
a run as ``running`` forever.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from coopwatch.errors import CoopwatchError
from coopwatch.store import runs

log = logging.getLogger(__name__)
lock_metadata = sa.MetaData()

locks = sa.Table(
    "coopwatch_locks",
    lock_metadata,
    sa.Column("name", sa.String(200), primary_key=True),
    sa.Column("owner", sa.String(200), nullable=False),
    sa.Column("host", sa.String(200), nullable=False),
    sa.Column("pid", sa.Integer, nullable=False),
    sa.Column("label", sa.Text, nullable=False),
    sa.Column("acquired_at", sa.DateTime, nullable=False),  # UTC
    sa.Column("expires_at", sa.Float, nullable=False),  # epoch seconds
    sa.Column("runs", sa.JSON, nullable=False),  # run ids to mark interrupted if the holder dies
)

DEFAULT_TTL = 300.0  # seconds; renewed every TTL/3 while held
HOST = socket.gethostname()


class LockBusy(CoopwatchError):
    """The work is already being done by another live holder."""

    def __init__(self, name: str, holder: dict[str, Any]):
        self.name = name
        self.holder = holder
        since = holder["acquired_at"].replace(microsecond=0).isoformat() + "Z"
        super().__init__(f"locked by {holder['label']} ({holder['owner']}) on {name!r} since {since}")


def pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # exists, owned by someone else
        return True
    return True


def _utcnow() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def _insert(engine: Engine) -> Any:
    if engine.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert  # type: ignore[assignment]
    return insert(locks)


def ensure_table(engine: Engine) -> None:
    try:
        lock_metadata.create_all(engine, checkfirst=True)
    except sa.exc.OperationalError:  # another process created it between our check and our CREATE
        if not sa.inspect(engine).has_table(locks.name):
            raise


def is_stale(row: Any, now: float) -> bool:
    """A lease nobody holds any more: expired, or its owner's pid is gone from this host."""
    return bool(row.expires_at < now or (row.host == HOST and row.pid != os.getpid() and not pid_alive(row.pid)))


class Leases:
    """The leases one unit of work (a job execution, a manual run, the scheduler) holds."""

    def __init__(
        self,
        engine: Engine,
        *,
        label: str,
        ttl: float = DEFAULT_TTL,
        clock: Callable[[], float] = time.time,
        heartbeat: bool = True,
    ):
        self.engine = engine
        self.label = label
        self.ttl = ttl
        self.clock = clock
        self.owner = f"{HOST}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
        self.held: set[str] = set()
        self._heartbeat = heartbeat
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        ensure_table(engine)

    # ---------------------------------------------------------------- acquire
    def try_acquire(self, names: list[str], run_ids: list[int] | None = None) -> None:
        """Take every lease in ``names`` in one transaction, or none; raise :class:`LockBusy`."""
        now = self.clock()
        taken_over: list[dict[str, Any]] = []
        with self.engine.begin() as conn:
            for name in sorted(names):
                row = conn.execute(sa.select(locks).where(locks.c.name == name)).first()
                stale_owner = row.owner if row is not None and is_stale(row, now) else ""
                stmt = _insert(self.engine).values(
                    name=name,
                    owner=self.owner,
                    host=HOST,
                    pid=os.getpid(),
                    label=self.label,
                    acquired_at=_utcnow(),
                    expires_at=now + self.ttl,
                    runs=list(run_ids or []),
                )
                stmt = stmt.on_conflict_do_update(
                    index_elements=["name"],
                    set_={c: stmt.excluded[c] for c in ("owner", "host", "pid", "label", "acquired_at", "expires_at", "runs")},
                    where=sa.or_(locks.c.owner == self.owner, locks.c.owner == stale_owner, locks.c.expires_at < now),
                )
                conn.execute(stmt)
                mine = conn.execute(sa.select(locks).where(locks.c.name == name)).first()
                assert mine is not None
                if mine.owner != self.owner:
                    raise LockBusy(name, dict(mine._mapping))  # leaving the block rolls everything back
                if row is not None and row.owner != self.owner:
                    taken_over.append(dict(row._mapping))
            _interrupt(conn, taken_over)
        self.held |= set(names)
        self._start_heartbeat()

    def acquire(self, names: list[str], *, wait: float = 0.0, run_ids: list[int] | None = None, poll: float = 1.0) -> None:
        """Like :meth:`try_acquire`, retrying for up to ``wait`` seconds."""
        deadline = time.monotonic() + wait
        while True:
            try:
                self.try_acquire(names, run_ids)
                return
            except LockBusy:
                if time.monotonic() >= deadline:
                    raise
            time.sleep(min(poll, max(0.05, deadline - time.monotonic())))

    @contextmanager
    def holding(self, names: list[str], *, wait: float = 0.0, run_ids: list[int] | None = None) -> Iterator[None]:
        self.acquire(names, wait=wait, run_ids=run_ids)
        try:
            yield
        finally:
            self.release(names)

    def add_runs(self, run_ids: list[int]) -> None:
        """Record more runs under the leases held (marked interrupted should this holder die)."""
        with self.engine.begin() as conn:
            for row in conn.execute(sa.select(locks).where(locks.c.owner == self.owner)).all():
                conn.execute(
                    locks.update()
                    .where(locks.c.name == row.name, locks.c.owner == self.owner)
                    .values(runs=sorted(set(row.runs) | set(run_ids)))
                )

    # ---------------------------------------------------------------- release / renew
    def release(self, names: list[str] | None = None) -> None:
        names = list(self.held) if names is None else names
        with self.engine.begin() as conn:
            conn.execute(locks.delete().where(locks.c.name.in_(names), locks.c.owner == self.owner))
        self.held -= set(names)
        if not self.held:
            self._stop_heartbeat()

    def renew(self) -> int:
        """Push the expiry of every lease held forward; returns how many are still ours."""
        if not self.held:
            return 0
        with self.engine.begin() as conn:
            res = conn.execute(
                locks.update()
                .where(locks.c.owner == self.owner, locks.c.name.in_(self.held))
                .values(expires_at=self.clock() + self.ttl)
            )
            return int(res.rowcount)

    def _start_heartbeat(self) -> None:
        if not self._heartbeat or (self._thread and self._thread.is_alive()):
            return
        self._stop.clear()
        self._thread = threading.Thread(target=self._beat, name=f"lease-heartbeat-{self.owner}", daemon=True)
        self._thread.start()

    def _beat(self) -> None:
        while not self._stop.wait(self.ttl / 3):
            try:
                self.renew()
            except Exception as exc:  # noqa: BLE001 - a transient database error must not kill the holder
                log.warning("renewing the leases of %s failed (%s); retrying at the next beat", self.label, exc)

    def _stop_heartbeat(self) -> None:
        self._stop.set()
        if self._thread and self._thread is not threading.current_thread():
            self._thread.join(timeout=5)
        self._thread = None


def _interrupt(conn: Any, dead: list[dict[str, Any]]) -> None:
    for row in dead:
        if row["runs"]:
            conn.execute(
                runs.update()
                .where(runs.c.id.in_(row["runs"]), runs.c.status == "running")
                .values(
                    status="interrupted",
                    ended_at=datetime.now().replace(microsecond=0),
                    error=f"interrupted: {row['label']} ({row['owner']}) stopped before finishing",
                )
            )


def sweep(engine: Engine, clock: Callable[[], float] = time.time) -> list[dict[str, Any]]:
    """Remove stale leases and mark the runs of their dead holders interrupted."""
    ensure_table(engine)
    now = clock()
    with engine.begin() as conn:
        stale = [dict(r._mapping) for r in conn.execute(sa.select(locks)).all() if is_stale(r, now)]
        for row in stale:
            conn.execute(locks.delete().where(locks.c.name == row["name"], locks.c.owner == row["owner"]))
        _interrupt(conn, stale)
    return stale


def current(engine: Engine) -> list[dict[str, Any]]:
    """Leases held now (including stale ones not swept yet)."""
    ensure_table(engine)
    with engine.connect() as conn:
        return [dict(r._mapping) for r in conn.execute(sa.select(locks).order_by(locks.c.name)).all()]
