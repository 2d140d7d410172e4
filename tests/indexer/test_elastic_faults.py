"""Engine faults and index versions, on real OpenSearch nodes.

- the node is stopped in the middle of ``pipeline.index``: the unsent articles
  stay pending in the store and the next run (node back up) sends them;
- ``reindex`` builds the next index version and switches the alias while the
  documents stay searchable.
"""

from __future__ import annotations

import subprocess
import threading
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from engines import SCRIPT, Cluster, start_cluster, unavailable

from coopwatch import pipeline
from coopwatch.records import Analysis, Article
from coopwatch.settings import load_settings
from coopwatch.store import Store
from indexer.base import BackendError, SearchQuery
from indexer.elastic import ElasticBackend
from indexer.elastic_client import Auth

pytestmark = pytest.mark.engine


def fill_store(tmp_path: Path, n: int, batch_size: int) -> tuple[Any, Store]:
    settings = load_settings(data_dir=tmp_path / "data", env={}, batch_size=batch_size)
    store = Store.open(settings)
    for i in range(n):
        art = Article.build(
            url=f"https://news.example.org/{i}",
            source="example",
            title=f"Hospital cooperation {i}",
            text=f"Article {i} about a telemedicine agreement between hospitals.",
            published_at=datetime(2024, 1, 1 + i % 28),
        )
        store.upsert_article(art)
        store.save_analysis(
            art,
            Analysis(
                article_id=art.id,
                lang="en",
                lang_confidence=1.0,
                relevance=0.9,
                title_en=art.title,
                text_en=art.text,
                countries=["VN"],
            ),
        )
    return settings, store


def own_cluster(tmp_path: Path, nodes: int) -> Cluster:
    try:
        return start_cluster("opensearch", tmp_path / "node", nodes)
    except (RuntimeError, OSError, subprocess.TimeoutExpired) as exc:
        unavailable(str(exc))
        raise


def test_node_stopped_mid_run_keeps_articles_pending(tmp_path: Path) -> None:
    cluster = own_cluster(tmp_path, 1)
    try:
        settings, store = fill_store(tmp_path, 20, batch_size=5)

        class StopsAfterFirstBatch(ElasticBackend):
            batches = 0

            def index(self, docs):  # type: ignore[no-untyped-def]
                StopsAfterFirstBatch.batches += 1
                if StopsAfterFirstBatch.batches == 2:
                    cluster.stop()  # the real node goes away between two batches
                return super().index(docs)

        backend = StopsAfterFirstBatch(
            Auth(url=cluster.url, timeout=5), flavour="opensearch", index="faults", replicas=0
        )
        with pytest.raises(BackendError, match="unreachable"):
            pipeline.index(store, settings, backend)
        backend.close()
        assert len(store.pending_index("opensearch")) == 15  # the first batch of 5 was acknowledged

        subprocess.run(
            [str(SCRIPT), "start", "opensearch", str(cluster.workdir), "1", str(cluster.base_port)],
            check=True,
            capture_output=True,
            timeout=400,
        )
        again = ElasticBackend(Auth(url=cluster.url), flavour="opensearch", index="faults", replicas=0)
        counts = pipeline.index(store, settings, again)
        assert counts["indexed"] == 15 and counts["failed"] == 0
        assert store.pending_index("opensearch") == []
        assert again.count() == 20
        again.close()
    finally:
        cluster.stop()


def test_reindex_switches_alias_and_keeps_documents(opensearch_cluster: Cluster, make_doc: Any) -> None:
    be = ElasticBackend(Auth(url=opensearch_cluster.url), flavour="opensearch", index="reidx", replicas=0)
    be.engine.raw.indices.delete(index="reidx-v*", ignore_unavailable=True)
    be.check()
    docs = [make_doc(f"https://x.example/{i}", title=f"Vaccine donation {i}", text="Aid.") for i in range(30)]
    assert not be.index(docs).failed
    assert be.current_index() == "reidx-v1"
    stop = threading.Event()
    seen: list[int] = []

    def searcher() -> None:  # searches keep answering while the alias moves
        while not stop.is_set():
            seen.append(be.search(SearchQuery(text="vaccine", facets=False)).total)

    t = threading.Thread(target=searcher)
    t.start()
    try:
        result = be.reindex(keep_old=False)
    finally:
        stop.set()
        t.join()
    assert result["old"] == "reidx-v1" and result["new"] == "reidx-v2" and result["count"] == 30
    assert be.current_index() == "reidx-v2" and set(be.versions()) == {"reidx-v2"}
    assert seen and set(seen) == {30}
    assert be.get(docs[0].id)["title"] == "Vaccine donation 0"
    be.close()
