"""A 3-node OpenSearch cluster loses nothing when one node is killed during bulk indexing.

Three OpenSearch 2.19.1 nodes run as three separate JVMs (``engine.sh
start-nodes``), so one of them can be SIGKILLed alone. The index has 3 primary
shards with 1 replica each; the client is given all three node URLs. While
``pipeline.index`` sends a few thousand articles in batches, another thread
SIGKILLs a node that is not the elected cluster manager. Then:

- every article the store marked indexed is retrievable by id, and the count
  equals the number of marked articles (nothing acknowledged was lost);
- a second ``pipeline.index`` run sends whatever is still pending and the final
  count is exact.
"""

from __future__ import annotations

import os
import signal
import subprocess
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from engines import SCRIPT, free_base_port, unavailable

from coopwatch import pipeline
from coopwatch.records import Analysis, Article
from coopwatch.settings import load_settings
from coopwatch.store import Store
from indexer.elastic import ElasticBackend, load_template
from indexer.elastic_client import Auth

pytestmark = [pytest.mark.engine, pytest.mark.slow]

NODES = 3
DOCS = 3000
BATCH = 100
KILL_AFTER_BATCHES = 8
ALIAS = "cluster3"
LANGS = ("en", "de", "zh", "vi")


@dataclass
class ThreeNodes:
    workdir: Path
    base_port: int
    urls: list[str]

    def pid(self, k: int) -> int:
        return int((self.workdir / f"pid.{k}").read_text())

    def kill(self, k: int) -> None:
        """SIGKILL node ``k``'s JVM (its own process group, started with setsid)."""
        try:
            os.killpg(self.pid(k), signal.SIGKILL)
        except ProcessLookupError:
            pass

    def pids(self) -> list[int]:
        return [int(p.read_text()) for p in sorted(self.workdir.glob("pid.*"))]


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


@pytest.fixture(scope="module")
def three_nodes(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ThreeNodes]:
    workdir = tmp_path_factory.mktemp("opensearch-3jvm")
    base = free_base_port(NODES)
    env = {**os.environ, "ENGINE_HEAP": "384m"}
    try:
        proc = subprocess.run(
            [str(SCRIPT), "start-nodes", "opensearch", str(workdir), str(NODES), str(base)],
            capture_output=True,
            text=True,
            timeout=500,
            check=False,
            env=env,
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        subprocess.run([str(SCRIPT), "stop", str(workdir)], check=False, timeout=120)
        unavailable(f"3 OpenSearch JVMs did not start: {exc}")
        return
    if proc.returncode != 0:
        subprocess.run([str(SCRIPT), "stop", str(workdir)], check=False, timeout=120)
        unavailable(f"3 OpenSearch JVMs did not form a cluster: {proc.stderr.strip()[-3000:]}")
        return
    nodes = ThreeNodes(workdir, base, proc.stdout.strip().splitlines()[-1].split(","))
    pids = nodes.pids()
    try:
        yield nodes
    finally:
        for k in range(1, NODES + 1):  # data is throw-away: kill, no graceful shutdown
            nodes.kill(k)
        for _ in range(100):
            if not any(_alive(p) for p in pids):
                break
            time.sleep(0.1)
        subprocess.run([str(SCRIPT), "stop", str(workdir)], check=False, timeout=120)  # removes the pid files
        left = [p for p in pids if _alive(p)]
        assert not left, f"OpenSearch JVMs still running after teardown: {left}"


def fill_store(tmp_path: Path, n: int) -> tuple[Any, Store]:
    settings = load_settings(data_dir=tmp_path / "data", env={}, batch_size=BATCH)
    store = Store.open(settings)
    for i in range(n):
        lang = LANGS[i % len(LANGS)]
        art = Article.build(
            url=f"https://news.example.org/{lang}/{i}",
            source=f"source-{i % 7}",
            title=f"Hospital cooperation {i}",
            text=f"Article {i} about a telemedicine agreement between hospitals in {lang}.",
            published_at=datetime(2024, 1 + i % 12, 1 + i % 28),
        )
        store.upsert_article(art)
        store.save_analysis(
            art,
            Analysis(
                article_id=art.id,
                lang=lang,
                lang_confidence=1.0,
                relevance=0.9,
                title_en=art.title,
                text_en=art.text,
                countries=["VN", "CN", "DE"][i % 3 : i % 3 + 1],
            ),
        )
    return settings, store


def missing_ids(backend: ElasticBackend, ids: list[str]) -> list[str]:
    """The ids a real-time multi-get does not find (no refresh needed)."""
    raw, missing = backend.engine.raw, []
    for start in range(0, len(ids), 1000):
        chunk = ids[start : start + 1000]
        got = backend.engine.body(raw.mget(index=backend.alias, body={"ids": chunk}))
        missing += [d["_id"] for d in got["docs"] if not d.get("found")]
    return missing


def test_node_killed_during_bulk_indexing_loses_nothing(three_nodes: ThreeNodes, tmp_path: Path) -> None:
    url = ",".join(three_nodes.urls)
    backend = ElasticBackend(Auth(url=url, timeout=60), flavour="opensearch", index=ALIAS, replicas=1)
    raw = backend.engine.raw
    # 3 primaries, 1 replica each, spread over the 3 nodes: killing any node loses some primaries.
    raw.indices.put_index_template(name=backend.template_name(), body=load_template(ALIAS, 1))
    raw.indices.create(
        index=f"{ALIAS}-v1",
        body={
            "settings": {"number_of_shards": 3, "number_of_replicas": 1},
            "aliases": {ALIAS: {"is_write_index": True}},
        },
    )
    health = backend.engine.body(raw.cluster.health(index=ALIAS, wait_for_status="green"))
    assert health["status"] == "green" and health["number_of_nodes"] == NODES
    manager = raw.cat.cluster_manager(format="json")[0]["node"]  # opensearch-py: a plain list
    victim = next(k for k in range(1, NODES + 1) if f"Node {k}" != manager)
    shards = raw.cat.shards(index=f"{ALIAS}-v1", format="json")
    assert any(s["node"] == f"Node {victim}" for s in shards), shards  # the victim holds shard copies

    settings, store = fill_store(tmp_path, DOCS)
    batch_done = threading.Event()
    killed: dict[str, int] = {}

    class SignalsBatches(ElasticBackend):
        batches = 0

        def index(self, docs):  # type: ignore[no-untyped-def]
            report = super().index(docs)
            SignalsBatches.batches += 1
            if SignalsBatches.batches == KILL_AFTER_BATCHES:
                batch_done.set()
            return report

    def killer() -> None:
        if not batch_done.wait(timeout=300):
            return
        time.sleep(0.05)  # the next bulk request is on its way
        killed["indexed_before"] = len(store.indexed_ids("opensearch"))
        three_nodes.kill(victim)
        killed["pid"] = three_nodes.pid(victim)

    writer = SignalsBatches(Auth(url=url, timeout=60), flavour="opensearch", index=ALIAS, replicas=1)
    thread = threading.Thread(target=killer, daemon=True)
    thread.start()
    try:
        counts = pipeline.index(store, settings, writer)
    finally:
        batch_done.set()
        thread.join(timeout=60)
    assert "pid" in killed, "the node was never killed"
    for _ in range(100):
        if not _alive(killed["pid"]):
            break
        time.sleep(0.1)
    assert not _alive(killed["pid"]), "the killed JVM is still running"
    # The kill fell in the middle of the run: batches were acknowledged before and after it.
    assert 0 < killed["indexed_before"] < DOCS
    marked = sorted(store.indexed_ids("opensearch"))
    assert len(marked) == counts["indexed"] > killed["indexed_before"]

    health = backend.engine.body(raw.cluster.health(index=ALIAS, wait_for_status="yellow"))
    assert health["status"] in ("yellow", "green") and health["number_of_nodes"] == NODES - 1
    # Every article the store marked indexed survived the kill, and nothing else is there.
    assert missing_ids(backend, marked) == []
    backend.refresh()
    assert backend.count() == len(marked)
    sample = backend.get(marked[len(marked) // 2])
    assert sample is not None and sample["title"].startswith("Hospital cooperation")

    # Nothing pending is lost: the next run sends the remainder (if any) to the 2 surviving nodes.
    again = ElasticBackend(Auth(url=url, timeout=60), flavour="opensearch", index=ALIAS, replicas=1)
    rest = pipeline.index(store, settings, again)
    print(f"killed Node {victim} after {killed['indexed_before']} acknowledged; first run {counts}; second run {rest}")
    assert rest["failed"] == 0 and rest["indexed"] == DOCS - len(marked)
    assert store.pending_index("opensearch") == []
    all_ids = sorted(store.indexed_ids("opensearch"))
    assert len(all_ids) == DOCS
    assert missing_ids(again, all_ids) == []
    again.refresh()
    assert again.count() == DOCS
    for be in (backend, writer, again):
        be.close()
