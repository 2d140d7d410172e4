"""The real scheduler on a real SQLite store: coalesced catch-up after downtime, missed runs,
no overlap (max_instances + database leases), failures recorded with their reason, clean shutdown."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from datetime import datetime, timedelta
from itertools import pairwise
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from apscheduler.events import EVENT_JOB_ERROR, EVENT_JOB_EXECUTED, EVENT_JOB_MISSED

from coopwatch.settings import load_settings
from coopwatch.store import Store
from schedules import lock
from schedules.history import history
from schedules.lock import Leases, LockBusy
from schedules.service import Paused, add_user_job, build_scheduler


def cli(data_dir: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "coopwatch", "--data-dir", str(data_dir), *args],
        capture_output=True, text=True, timeout=300, env={**os.environ, **(env or {})}, check=False,
    )


@pytest.fixture
def env(tmp_path):
    settings = load_settings(data_dir=tmp_path / "data", env={}, schedule_jitter_seconds=0, misfire_grace_hours=20)
    store = Store.open(settings)
    yield settings, store
    store.close()


def _downtime(settings, store, *, hours_ago: float) -> str:
    """A daily catch-up job whose last due time was ``hours_ago`` hours ago, left un-run for three days."""
    now = datetime.now(ZoneInfo(settings.timezone))
    last_due = (now - timedelta(hours=hours_ago)).replace(second=0, microsecond=0)
    with Paused(settings, store) as sched:
        job_id = add_user_job(sched, settings, "daily", f"{last_due.minute} {last_due.hour} * * *", stages=["process", "index"])
        sched.modify_job(job_id, next_run_time=last_due - timedelta(days=3))
    return job_id


def _run_until_first_event(settings, store, timeout: float = 120) -> None:
    sched = build_scheduler(settings, store)
    seen = threading.Event()
    sched.add_listener(lambda ev: seen.set(), EVENT_JOB_EXECUTED | EVENT_JOB_ERROR | EVENT_JOB_MISSED)
    sched.start()
    try:
        assert seen.wait(timeout), "the overdue job was neither run nor reported missed"
    finally:
        sched.shutdown(wait=True)  # also waits for anything else submitted in the same pass


def test_missed_runs_after_downtime_run_once_coalesced(env):
    settings, store = env
    job_id = _downtime(settings, store, hours_ago=1)  # four nights missed, the last one within the grace time
    _run_until_first_event(settings, store)
    rows = history(store, job=job_id)
    assert [(r["kind"], r["status"]) for r in rows] == [("scheduled", "ok")]
    assert set(rows[0]["counts"]["stage_runs"]) == {"process", "index"}
    with Paused(settings, store) as sched:  # and the job is due next at its regular time, not again now
        assert sched.get_job(job_id).next_run_time > datetime.now(ZoneInfo(settings.timezone))


def test_run_missed_beyond_grace_time_is_recorded_not_run(env):
    settings, store = env
    strict = load_settings(data_dir=settings.data_dir, env={}, schedule_jitter_seconds=0, misfire_grace_hours=1)
    job_id = _downtime(strict, store, hours_ago=5)
    _run_until_first_event(strict, store)
    rows = history(store, job=job_id)
    assert [r["status"] for r in rows] == ["missed"]
    assert "misfire grace time" in rows[0]["error"]
    assert not [r for r in store.list_runs(50) if r["kind"] == "process"]  # nothing ran


# ------------------------------------------------------------------ overlap
def slow_job(db_url: str, log_file: str, who: str) -> None:
    """Holds the ``process`` lease for a while, logging when it held it (a stand-in for a long stage)."""
    store = Store(db_url)
    leases = Leases(store.engine, label=who)
    try:
        leases.try_acquire(["process"])
    except LockBusy:
        with open(log_file, "a") as fh:
            fh.write(json.dumps({"who": who, "busy": True}) + "\n")
        return
    start = time.time()
    time.sleep(1.2)
    end = time.time()
    leases.release()
    with open(log_file, "a") as fh:
        fh.write(json.dumps({"who": who, "start": start, "end": end}) + "\n")
    store.close()


def test_overlapping_triggers_never_overlap(env, tmp_path):
    settings, store = env
    log_file = tmp_path / "log.jsonl"
    scheds = [build_scheduler(settings, store) for _ in range(2)]  # as if two scheduler processes ran by mistake
    for i, sched in enumerate(scheds):
        from apscheduler.jobstores.memory import MemoryJobStore

        sched.add_jobstore(MemoryJobStore(), "memory")
        sched.add_job(slow_job, "interval", seconds=0.5, id=f"slow{i}", jobstore="memory",
                      args=[store.url, str(log_file), f"scheduler{i}"])
    for sched in scheds:
        sched.start()
    time.sleep(5)
    for sched in scheds:
        sched.shutdown(wait=True)
    entries = [json.loads(line) for line in log_file.read_text().splitlines()]
    ran = sorted((e["start"], e["end"]) for e in entries if "start" in e)
    assert len(ran) >= 2
    assert all(prev_end <= start for (_, prev_end), (start, _) in pairwise(ran)), ran
    assert any(e.get("busy") for e in entries)  # the lease refused the other scheduler's run
    skipped = [r for r in store.list_runs(100) if r["status"] == "skipped"]
    assert skipped and "still going" in skipped[0]["error"]  # max_instances refused this scheduler's own re-run


def test_busy_work_is_skipped_by_catchup_and_manual_run(env):
    settings, store = env
    nightly = Leases(store.engine, label="scheduled group:asia")
    nightly.try_acquire(["process"])
    try:
        res = cli(settings.data_dir, "schedule", "run-now", "catchup", "--json")
        assert res.returncode == 75, res.stderr
        assert json.loads(res.stdout)["status"] == "skipped"
        res = cli(settings.data_dir, "run", "--source", "who-news")
        assert res.returncode == 75
        assert "skipped: locked by scheduled group:asia" in res.stderr
    finally:
        nightly.release()
    rows = json.loads(cli(settings.data_dir, "schedule", "history", "--json").stdout)
    assert [(r["kind"], r["status"]) for r in rows] == [("run", "skipped"), ("run-now", "skipped")]
    assert all("locked by scheduled group:asia" in r["error"] for r in rows)
    assert not [r for r in store.list_runs(50) if r["kind"] in ("crawl", "process", "index")]  # no stage ran


def test_failed_job_says_why_and_exits_non_zero(env):
    settings, _store = env
    broken = {"COOPWATCH_BACKEND": "elasticsearch", "COOPWATCH_ES_URL": "http://127.0.0.1:9"}  # nothing listens
    res = cli(settings.data_dir, "schedule", "run-now", "catchup", env=broken)
    assert res.returncode == 1
    res = cli(settings.data_dir, "schedule", "history", "--json", "--check")
    assert res.returncode == 1
    row = json.loads(res.stdout)[0]
    assert row["status"] == "failed" and row["job"] == "catchup"
    assert "BackendError" in row["error"] and "127.0.0.1:9" in row["error"]


def test_scheduler_failure_recorded_by_listener(env, monkeypatch):
    settings, store = env
    monkeypatch.setenv("COOPWATCH_BACKEND", "elasticsearch")
    monkeypatch.setenv("COOPWATCH_ES_URL", "http://127.0.0.1:9")
    job_id = _downtime(settings, store, hours_ago=1)
    _run_until_first_event(settings, store)
    rows = history(store, job=job_id)
    assert [r["status"] for r in rows] == ["failed"]
    assert "BackendError" in rows[0]["error"]


def test_start_is_a_single_foreground_process_stopped_cleanly_by_sigterm(env):
    settings, store = env
    proc = subprocess.Popen([sys.executable, "-m", "coopwatch", "--data-dir", str(settings.data_dir), "schedule", "start"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        for _ in range(600):
            if any(r["name"] == "scheduler" for r in lock.current(store.engine)):
                break
            assert proc.poll() is None, proc.communicate()[1]
            time.sleep(0.1)
        second = cli(settings.data_dir, "schedule", "start")
        assert second.returncode == 2 and "another scheduler is running" in second.stderr
        proc.send_signal(signal.SIGTERM)
        _, stderr = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 0, stderr
    assert "scheduler stopped" in stderr
    assert lock.current(store.engine) == []
    listed = json.loads(cli(settings.data_dir, "schedule", "list", "--json").stdout)
    assert {"group:global", "group:asia", "group:europe", "catchup"} <= {j["id"] for j in listed}


def test_history_check_fails_when_no_scheduled_job_ever_ran(env):
    settings, _store = env
    res = cli(settings.data_dir, "schedule", "history", "--check")
    assert res.returncode == 1
    assert "no scheduled job has ever run" in res.stderr


def test_start_runs_every_job_with_its_config_and_backend(env, tmp_path):
    settings, store = env
    cfg = tmp_path / "elsewhere" / "prod.toml"  # not the data dir's coopwatch.toml
    cfg.parent.mkdir()
    cfg.write_text('es_url = "http://127.0.0.1:9"\n', encoding="utf-8")  # nothing listens there
    job_id = _downtime(settings, store, hours_ago=1)  # added without --config: due now, within the grace time
    clean = {k: v for k, v in os.environ.items() if not k.startswith("COOPWATCH_")}
    proc = subprocess.Popen(
        [sys.executable, "-m", "coopwatch", "--data-dir", str(settings.data_dir), "--config", str(cfg),
         "--backend", "elasticsearch", "schedule", "start"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=clean,
    )
    try:
        for _ in range(1200):
            rows = [r for r in history(store, job=job_id) if r["status"] != "running"]
            if rows:
                break
            assert proc.poll() is None, proc.communicate()[1]
            time.sleep(0.1)
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.communicate(timeout=60)
    assert rows, "the due job did not run"
    # the run used the scheduler's --backend (elasticsearch, not the default sqlite) and its --config (es_url)
    assert rows[0]["status"] == "failed" and "127.0.0.1:9" in rows[0]["error"], rows[0]
    listed = cli(settings.data_dir, "schedule", "list", "--json", env=clean)  # no --config: keeps what start stored
    jobs = {j["id"]: j for j in json.loads(listed.stdout)}
    for jid in (job_id, "catchup"):
        assert jobs[jid]["kwargs"]["config_file"] == str(cfg.resolve()) and jobs[jid]["kwargs"]["backend"] == "elasticsearch"


def test_the_job_function_loads_the_config_and_backend_it_is_given(env, tmp_path):
    from schedules.jobs import JobFailed, scheduled_run

    settings, store = env
    cfg = tmp_path / "prod.toml"
    cfg.write_text('es_url = "http://127.0.0.1:9"\n', encoding="utf-8")
    with Paused(settings, store) as sched:
        job_id = add_user_job(sched, settings, "tidy", "0 4 * * *", stages=["process", "index"],
                              launch={"config_file": str(cfg), "backend": "elasticsearch"})
        kwargs = dict(sched.get_job(job_id).kwargs)
    with pytest.raises(JobFailed, match="127.0.0.1:9"):  # called as the scheduler calls it
        scheduled_run(**kwargs)
