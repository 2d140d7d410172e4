"""The embedded backend's tantivy mirror: derived state that is checked, never trusted blindly."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from indexer.base import SearchQuery
from indexer.sqlite_fts import SqliteBackend


def docs(make_doc: Any, n: int) -> list:  # type: ignore[type-arg]
    return [make_doc(f"https://m.example/{i}", title=f"Hospital partnership {i}", countries=["VN"]) for i in range(n)]


def test_mirror_answers_like_fts5(tmp_path: Path, make_doc: Any) -> None:
    fast, slow = SqliteBackend(tmp_path / "a.db"), SqliteBackend(tmp_path / "b.db", mirror=False)
    for be in (fast, slow):
        be.index(docs(make_doc, 30))
    assert fast._mirror_ready() and not slow._mirror_ready()
    for text in ("hospital", "partnership -hospital", "partner*", '"hospital partnership" 7'):
        a, b = (be.search(SearchQuery(text=text, per_page=100)) for be in (fast, slow))
        assert a.total == b.total and {h.id for h in a.hits} == {h.id for h in b.hits}
        assert a.facets == b.facets


def test_out_of_step_mirror_falls_back_then_is_rebuilt(tmp_path: Path, make_doc: Any) -> None:
    be = SqliteBackend(tmp_path / "s.db")
    be.index(docs(make_doc, 5))
    be.mirror.discard()  # a lost or half-written mirror
    assert not be._mirror_ready()
    assert be.search(SearchQuery(text="hospital")).total == 5  # answered by FTS5, nothing lost
    be.index([make_doc("https://m.example/new", title="Hospital twinning")])
    assert be._mirror_ready() and be.mirror.count() == 6  # the next write rebuilt it from SQLite
    assert be.search(SearchQuery(text="hospital")).total == 6


def test_mirror_of_another_format_is_replaced(tmp_path: Path, make_doc: Any) -> None:
    be = SqliteBackend(tmp_path / "s.db")
    be.index(docs(make_doc, 3))
    (be.mirror.path / "coopwatch-format").write_text("0")
    fresh = SqliteBackend(tmp_path / "s.db")
    assert not fresh._mirror_ready()  # the old-format mirror was wiped, not read
    fresh.index(docs(make_doc, 1))  # an upsert: the rebuild restores all three
    assert fresh._mirror_ready() and fresh.search(SearchQuery(text="hospital")).total == 3


def test_delete_reaches_the_mirror(tmp_path: Path, make_doc: Any) -> None:
    be = SqliteBackend(tmp_path / "s.db")
    batch = docs(make_doc, 4)
    be.index(batch)
    assert be.delete([batch[0].id]) == 1
    assert be._mirror_ready() and be.search(SearchQuery(text="hospital")).total == 3


def test_a_busy_writer_lock_never_fails_the_write(tmp_path: Path, make_doc: Any) -> None:
    # Another process writing the mirror holds its lock: the SQLite write stands, search stays right.
    be = SqliteBackend(tmp_path / "s.db")
    be.index(docs(make_doc, 2))
    other = be.mirror._open().writer(heap_size=15_000_000, num_threads=1)  # holds the writer lock
    try:
        report = be.index([make_doc("https://m.example/late", title="Hospital late")])
        assert report.indexed and not report.failed
        assert not be._mirror_ready()
        assert be.search(SearchQuery(text="hospital")).total == 3  # from FTS5
    finally:
        other.rollback()
        other.wait_merging_threads()
    be.index([make_doc("https://m.example/later", title="Hospital later")])
    assert be._mirror_ready() and be.search(SearchQuery(text="hospital")).total == 4
