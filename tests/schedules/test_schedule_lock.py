"""Database leases: atomic, exclusive, renewed, taken over when the holder is dead or its lease expired."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap

import pytest

from coopwatch.store import Store
from schedules import lock
from schedules.lock import Leases, LockBusy


@pytest.fixture
def store(tmp_path):
    s = Store(f"sqlite:///{tmp_path / 'coopwatch.db'}")
    yield s
    s.close()


def test_second_holder_is_refused_until_release(store):
    a = Leases(store.engine, label="nightly asia", heartbeat=False)
    b = Leases(store.engine, label="manual run", heartbeat=False)
    a.try_acquire(["process", "index"])
    with pytest.raises(LockBusy, match=r"locked by nightly asia \(.*\) on 'index'"):
        b.try_acquire(["crawl:asia", "index"])
    # all or nothing: b holds none of what it asked for, not even the free crawl:asia
    assert {r["name"]: r["label"] for r in lock.current(store.engine)} == {"index": "nightly asia", "process": "nightly asia"}
    a.release()
    b.try_acquire(["crawl:asia", "index"])
    assert {r["name"] for r in lock.current(store.engine)} == {"crawl:asia", "index"}


def test_expired_lease_is_taken_over_and_its_runs_marked_interrupted(store):
    now = [1000.0]
    dead = Leases(store.engine, label="nightly europe", ttl=60, clock=lambda: now[0], heartbeat=False)
    run_id = store.start_run("scheduled", "group:europe")
    dead.try_acquire(["process"], run_ids=[run_id])
    other = Leases(store.engine, label="catchup", ttl=60, clock=lambda: now[0], heartbeat=False)
    now[0] += 59
    with pytest.raises(LockBusy):
        other.try_acquire(["process"])
    dead.renew()  # a live holder renews…
    now[0] += 59
    with pytest.raises(LockBusy):
        other.try_acquire(["process"])
    now[0] += 61  # …a dead one does not
    other.try_acquire(["process"])
    row = store.list_runs(1)[0]
    assert row["id"] == run_id and row["status"] == "interrupted"
    assert "nightly europe" in row["error"]
    assert dead.renew() == 0  # the old holder learns it lost the lease


def test_heartbeat_keeps_a_short_lease_alive(store):
    import time

    holder = Leases(store.engine, label="long crawl", ttl=0.6)
    holder.try_acquire(["crawl:asia"])
    try:
        time.sleep(1.5)  # longer than the TTL: only renewals keep it
        with pytest.raises(LockBusy):
            Leases(store.engine, label="other", heartbeat=False).try_acquire(["crawl:asia"])
    finally:
        holder.release()


def test_lease_of_a_killed_process_is_taken_over_at_once(store, tmp_path):
    """SIGKILL leaves the row behind with a long TTL; its pid is dead, so the next holder takes over."""
    run_id = store.start_run("run", "manual")
    code = textwrap.dedent(f"""
        import sys, time
        from coopwatch.store import Store
        from schedules.lock import Leases
        s = Store({store.url!r})
        Leases(s.engine, label="doomed run", ttl=3600).try_acquire(["process", "index"], run_ids=[{run_id}])
        print("held", flush=True)
        time.sleep(600)
    """)
    proc = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True, cwd=os.getcwd())
    try:
        assert proc.stdout is not None and proc.stdout.readline().strip() == "held"
        with pytest.raises(LockBusy, match="doomed run"):
            Leases(store.engine, label="next", heartbeat=False).try_acquire(["process"])
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait()
    nxt = Leases(store.engine, label="next", heartbeat=False)
    nxt.try_acquire(["process"])
    assert store.list_runs(1)[0]["status"] == "interrupted"
    # the other lease of the dead process is swept too
    swept = lock.sweep(store.engine)
    assert [r["name"] for r in swept] == ["index"]
    assert [r["name"] for r in lock.current(store.engine)] == ["process"]


def test_racing_processes_exactly_one_wins(store):
    code = textwrap.dedent(f"""
        import sys
        from coopwatch.store import Store
        from schedules.lock import Leases, LockBusy
        s = Store({store.url!r})
        try:
            Leases(s.engine, label=sys.argv[1], heartbeat=False).try_acquire(["index"])
            print("won", flush=True)
        except LockBusy:
            print("lost", flush=True)
        sys.stdin.read()  # stay alive (a dead winner's lease may be taken over) until every racer has tried
    """)
    procs = [
        subprocess.Popen([sys.executable, "-c", code, f"p{i}"], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        for i in range(4)
    ]
    results = sorted(p.stdout.readline().strip() for p in procs)  # type: ignore[union-attr]
    for p in procs:
        p.communicate(timeout=60)
    assert results == ["lost", "lost", "lost", "won"]
