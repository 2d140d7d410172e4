"""A run killed with SIGKILL mid-way leaves the store consistent; the next run takes the dead
holder's leases over, marks its runs interrupted and completes the work (demo site, real crawl)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time

import pytest
import sqlalchemy as sa

from coopwatch.demo.run import write_demo_sources
from coopwatch.demo.server import SITE_DIR, serve_site
from coopwatch.settings import load_settings
from coopwatch.store import Store, analyses, articles, index_state
from schedules import lock


@pytest.mark.slow
def test_killed_run_leaves_store_consistent_and_next_run_completes(tmp_path):
    data = tmp_path / "data"
    with serve_site(SITE_DIR, port=0) as base:
        _, sources_file = write_demo_sources(base, tmp_path / "demo-sources.yaml")
        env = {**os.environ, "COOPWATCH_SOURCES_FILE": str(sources_file)}
        cmd = [sys.executable, "-m", "coopwatch", "--data-dir", str(data)]
        victim = subprocess.Popen([*cmd, "run", "--json"], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        store = Store.open(load_settings(data_dir=data, env={}))
        try:
            deadline = time.monotonic() + 300
            while True:  # kill it while the NLP stage is part-way through
                assert victim.poll() is None, victim.communicate()[1][-2000:]
                assert time.monotonic() < deadline
                with store.engine.connect() as conn:
                    done = conn.execute(sa.select(sa.func.count()).select_from(analyses)).scalar_one()
                if done >= 1:
                    break
                time.sleep(0.05)
            victim.send_signal(signal.SIGKILL)
        finally:
            if victim.poll() is None:
                victim.kill()
            victim.wait()

        with store.engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"
            n_articles = conn.execute(sa.select(sa.func.count()).select_from(articles)).scalar_one()
            n_done = conn.execute(sa.select(sa.func.count()).select_from(analyses)).scalar_one()
            n_indexed = conn.execute(sa.select(sa.func.count()).select_from(index_state)).scalar_one()
        assert n_articles == 24 and 1 <= n_done < 24 and n_indexed == 0  # killed part-way, committed rows intact
        held = {r["name"]: r for r in lock.current(store.engine)}
        assert {"job:manual", "process", "index"} <= set(held) and held["process"]["pid"] == victim.pid
        assert store.list_runs(1, kind="process")[0]["status"] == "running"

        res = subprocess.run([*cmd, "schedule", "run-now", "group:default", "--json"], env=env,
                             capture_output=True, text=True, timeout=300, check=False)
        assert res.returncode == 0, res.stderr[-3000:]
        counts = json.loads(res.stdout)["counts"]

    assert counts["sources"] == 4 and counts["new"] == 0 and counts["updated"] == 0  # recrawled, nothing duplicated
    assert counts["processed"] == 24 - n_done  # exactly the rest
    assert counts["indexed"] + counts["skipped_irrelevant"] == 24
    with store.engine.connect() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(articles)).scalar_one() == 24
        assert conn.execute(sa.select(sa.func.count()).select_from(analyses)).scalar_one() == 24
    assert lock.current(store.engine) == []  # the dead holder's job:manual lease was swept as well

    hist = json.loads(subprocess.run([*cmd, "schedule", "history", "--json"], env=env, capture_output=True,
                                     text=True, timeout=120, check=False).stdout)
    assert [(r["kind"], r["status"]) for r in hist] == [("run-now", "ok"), ("run", "interrupted")]
    assert f":{victim.pid}:" in hist[1]["error"]
    stage_runs = {r["id"]: r for r in store.list_runs(20)}
    assert [r["status"] for r in stage_runs.values() if r["kind"] == "process"] == ["ok", "interrupted"]
    store.close()
