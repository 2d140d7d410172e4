"""The embedded search backend: one SQLite file with FTS5, zero setup.

Tables (schema version in ``PRAGMA user_version``):

- ``docs``: the stored fields, one row per article; ``docno`` is the integer
  key shared with the FTS table (FTS5 needs an integer rowid), ``id`` the
  article id (unique).
- ``docs_fts``: FTS5 over the pre-tokenised ``title``/``text`` (analyzer of
  the article's language) and ``title_en``/``text_en`` (English analyzer),
  ranked by bm25 with title > text and original > translation.
- ``facets``: multi-valued facets ``(docno, field, value)`` for country,
  entity and event_type (lang and source are ``docs`` columns).
- ``events``: one row per event for timelines.

``index`` is an idempotent upsert by id (a re-indexed document replaces every
row about it), one transaction per batch, one savepoint per document so a bad
document is reported in :class:`IndexReport` without losing the batch.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Iterable, Iterator, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from coopwatch.records import IndexDoc
from indexer.base import (
    INTERVALS,
    BackendError,
    Bucket,
    IndexReport,
    SearchBackend,
    SearchHit,
    SearchQuery,
    SearchResults,
)
from indexer.highlight import snippet
from indexer.tokenize import fts_match, query_variants, to_fts

SCHEMA_VERSION = 1
BATCH_SIZE = 500
MAX_PER_PAGE = 100
# bm25 weights for (title, text, title_en, text_en): titles count more than
# bodies, the original more than the machine translation.
BM25_WEIGHTS = (4.0, 1.0, 3.0, 0.75)
FACET_FIELDS = ("lang", "source", "country", "entity", "event_type")
_PERIOD_LEN = {"year": 4, "month": 7, "day": 10}
_PRECISION_RANK = {"year": 0, "month": 1, "day": 2}

_SCHEMA = """
CREATE TABLE IF NOT EXISTS docs (
    docno INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    url TEXT NOT NULL,
    source TEXT NOT NULL,
    lang TEXT NOT NULL,
    title TEXT NOT NULL,
    text TEXT NOT NULL,
    title_en TEXT,
    text_en TEXT,
    published_at TEXT,
    pub_date TEXT,
    relevance REAL NOT NULL DEFAULT 0,
    countries TEXT NOT NULL DEFAULT '[]',
    entities TEXT NOT NULL DEFAULT '[]',
    events TEXT NOT NULL DEFAULT '[]',
    indexed_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS docs_pub ON docs(pub_date, published_at);
CREATE INDEX IF NOT EXISTS docs_lang ON docs(lang);
CREATE INDEX IF NOT EXISTS docs_source ON docs(source);
CREATE VIRTUAL TABLE IF NOT EXISTS docs_fts USING fts5(
    title, text, title_en, text_en,
    tokenize = "unicode61 remove_diacritics 0 categories 'L* N* Co M*'"
);
CREATE TABLE IF NOT EXISTS facets (
    docno INTEGER NOT NULL REFERENCES docs(docno) ON DELETE CASCADE,
    field TEXT NOT NULL,
    value TEXT NOT NULL,
    PRIMARY KEY (field, value, docno)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS facets_doc ON facets(docno);
CREATE TABLE IF NOT EXISTS events (
    docno INTEGER NOT NULL REFERENCES docs(docno) ON DELETE CASCADE,
    seq INTEGER NOT NULL,
    type TEXT NOT NULL,
    date TEXT,
    precision TEXT NOT NULL,
    participants TEXT NOT NULL,
    countries TEXT NOT NULL,
    evidence TEXT NOT NULL,
    evidence_en TEXT,
    PRIMARY KEY (docno, seq)
);
CREATE INDEX IF NOT EXISTS events_date ON events(date);
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
"""


def _hint(path: Path) -> str:
    return (
        f"check that {path} and its directory are writable, or move the broken file "
        "away and run `coopwatch index` again to rebuild the search index from the store"
    )


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def _batches(docs: Iterable[IndexDoc], size: int) -> Iterator[list[IndexDoc]]:
    batch: list[IndexDoc] = []
    for doc in docs:
        batch.append(doc)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


class SqliteBackend(SearchBackend):
    """SQLite FTS5 search in its own file (WAL); safe to share across threads."""

    name = "sqlite"

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        self._db: sqlite3.Connection | None = None
        self._lock = threading.RLock()

    @classmethod
    def from_settings(cls, settings: Any) -> SqliteBackend:
        return cls(settings.search_db)

    # -- connection ---------------------------------------------------------

    def _conn(self) -> sqlite3.Connection:
        if self._db is not None:
            return self._db
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            db = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None, timeout=30)
            db.row_factory = sqlite3.Row
            version = db.execute("PRAGMA user_version").fetchone()[0]
            if version > SCHEMA_VERSION:
                db.close()
                raise BackendError(
                    f"search index {self.path} has schema version {version}, newer than this "
                    f"coopwatch ({SCHEMA_VERSION}); upgrade coopwatch or rebuild the index"
                )
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=NORMAL")
            db.execute("PRAGMA foreign_keys=ON")
            db.executescript(_SCHEMA)
            db.execute(f"PRAGMA user_version={SCHEMA_VERSION}")
        except (sqlite3.Error, OSError) as exc:
            raise BackendError(f"cannot open the search index {self.path}: {exc}; {_hint(self.path)}") from exc
        self._db = db
        return db

    def close(self) -> None:
        with self._lock:
            if self._db is not None:
                self._db.close()
                self._db = None

    def _read(self, sql: str, params: Sequence[Any] = ()) -> list[sqlite3.Row]:
        with self._lock:
            try:
                return self._conn().execute(sql, params).fetchall()
            except sqlite3.Error as exc:
                raise BackendError(f"search index {self.path} query failed: {exc}; {_hint(self.path)}") from exc

    def check(self) -> None:
        with self._lock:
            db = self._conn()
            try:
                problems = [r[0] for r in db.execute("PRAGMA quick_check").fetchall()]
                if problems != ["ok"]:
                    raise BackendError(f"search index {self.path} is corrupt ({problems[0]}); {_hint(self.path)}")
                db.execute("BEGIN IMMEDIATE")
                db.execute(
                    "INSERT OR REPLACE INTO meta(key, value) VALUES ('checked_at', ?)",
                    (datetime.now().isoformat(timespec="seconds"),),
                )
                db.execute("COMMIT")
            except sqlite3.Error as exc:
                if db.in_transaction:
                    db.execute("ROLLBACK")
                raise BackendError(f"search index {self.path} is not usable: {exc}; {_hint(self.path)}") from exc

    # -- writing ------------------------------------------------------------

    def index(self, docs: Iterable[IndexDoc]) -> IndexReport:
        report = IndexReport()
        for batch in _batches(docs, BATCH_SIZE):
            with self._lock:
                db = self._conn()
                try:
                    db.execute("BEGIN IMMEDIATE")
                    for doc in batch:
                        db.execute("SAVEPOINT doc")
                        try:
                            self._upsert(db, doc)
                        except (ValueError, TypeError, AttributeError, KeyError, sqlite3.IntegrityError) as exc:
                            db.execute("ROLLBACK TO doc")
                            report.failed[str(getattr(doc, "id", "?"))] = f"invalid document: {exc}"
                        else:
                            report.indexed.append(doc.id)
                        db.execute("RELEASE doc")
                    db.execute("COMMIT")
                except sqlite3.Error as exc:
                    if db.in_transaction:
                        db.execute("ROLLBACK")
                    raise BackendError(
                        f"indexing into {self.path} failed, batch rolled back: {exc}; {_hint(self.path)}"
                    ) from exc
                except BaseException:
                    if db.in_transaction:
                        db.execute("ROLLBACK")
                    raise
        return report

    def _delete_rows(self, db: sqlite3.Connection, docnos: list[int]) -> None:
        for docno in docnos:
            db.execute("DELETE FROM docs_fts WHERE rowid = ?", (docno,))
            db.execute("DELETE FROM facets WHERE docno = ?", (docno,))
            db.execute("DELETE FROM events WHERE docno = ?", (docno,))
            db.execute("DELETE FROM docs WHERE docno = ?", (docno,))

    def _upsert(self, db: sqlite3.Connection, doc: IndexDoc) -> None:
        if not doc.id:
            raise ValueError("document has no id")
        old = [r[0] for r in db.execute("SELECT docno FROM docs WHERE id = ?", (doc.id,))]
        self._delete_rows(db, old)
        countries = sorted({c.upper() for c in doc.countries or [] if c})
        entities = list(doc.entities or [])
        events = list(doc.events or [])
        pub = _iso(doc.published_at)
        cur = db.execute(
            "INSERT INTO docs (id, url, source, lang, title, text, title_en, text_en, published_at, pub_date,"
            " relevance, countries, entities, events, indexed_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            (
                doc.id, doc.url, doc.source, doc.lang, doc.title or "", doc.text or "", doc.title_en,
                doc.text_en, pub, pub[:10] if pub else None, float(doc.relevance or 0.0),
                json.dumps(countries), json.dumps(entities, ensure_ascii=False),
                json.dumps(events, ensure_ascii=False, default=str),
                datetime.now().isoformat(timespec="seconds"),
            ),
        )  # fmt: skip
        docno = cur.lastrowid
        db.execute(
            "INSERT INTO docs_fts (rowid, title, text, title_en, text_en) VALUES (?,?,?,?,?)",
            (docno, to_fts(doc.title, doc.lang), to_fts(doc.text, doc.lang),
             to_fts(doc.title_en, "en"), to_fts(doc.text_en, "en")),
        )  # fmt: skip
        facet_rows = {("country", c) for c in countries}
        facet_rows |= {("entity", e["id"]) for e in entities if e.get("id")}
        facet_rows |= {("event_type", ev["type"]) for ev in events if ev.get("type")}
        db.executemany(
            "INSERT INTO facets (docno, field, value) VALUES (?,?,?)", [(docno, f, v) for f, v in facet_rows]
        )
        for seq, ev in enumerate(events):
            date = ev.get("date")
            db.execute(
                "INSERT INTO events (docno, seq, type, date, precision, participants, countries, evidence,"
                " evidence_en) VALUES (?,?,?,?,?,?,?,?,?)",
                (docno, seq, ev.get("type") or "other", str(date)[:10] if date else None,
                 ev.get("precision") or ("none" if not date else "day"),
                 json.dumps(list(ev.get("participants") or [])),
                 json.dumps(sorted({c.upper() for c in ev.get("countries") or [] if c})),
                 ev.get("evidence") or "", ev.get("evidence_en")),
            )  # fmt: skip

    def delete(self, ids: Sequence[str]) -> int:
        with self._lock:
            db = self._conn()
            try:
                db.execute("BEGIN IMMEDIATE")
                docnos = [
                    r[0] for i in dict.fromkeys(ids) for r in db.execute("SELECT docno FROM docs WHERE id = ?", (i,))
                ]
                self._delete_rows(db, docnos)
                db.execute("COMMIT")
            except sqlite3.Error as exc:
                if db.in_transaction:
                    db.execute("ROLLBACK")
                raise BackendError(f"deleting from {self.path} failed: {exc}; {_hint(self.path)}") from exc
        return len(docnos)

    # -- reading ------------------------------------------------------------

    def get(self, doc_id: str) -> dict[str, Any] | None:
        rows = self._read("SELECT * FROM docs WHERE id = ?", (doc_id,))
        if not rows:
            return None
        row = dict(rows[0])
        for key in ("countries", "entities", "events"):
            row[key] = json.loads(row[key])
        for key in ("docno", "pub_date", "indexed_at"):
            row.pop(key)
        return row

    def count(self) -> int:
        return int(self._read("SELECT count(*) FROM docs")[0][0])

    def _selection(
        self,
        *,
        match: str = "",
        langs: Sequence[str] = (),
        sources: Sequence[str] = (),
        facets: Sequence[tuple[str, Sequence[str], bool]] = (),
        date_from: Any = None,
        date_to: Any = None,
    ) -> tuple[str, list[Any]]:
        """SQL for ``(docno, rank)`` of the matching, filtered documents.

        ``facets``: (field, values, all) — any value (OR) or, with ``all``,
        every value (AND).
        """
        params: list[Any] = []
        if match:
            sql = (
                f"SELECT d.docno AS docno, bm25(docs_fts, {', '.join(map(str, BM25_WEIGHTS))}) AS rank "
                "FROM docs_fts JOIN docs d ON d.docno = docs_fts.rowid WHERE docs_fts MATCH ?"
            )
            params.append(match)
        else:
            sql = "SELECT d.docno AS docno, 0.0 AS rank FROM docs d WHERE 1"
        for column, values in (("lang", langs), ("source", sources)):
            if values:
                sql += f" AND d.{column} IN ({','.join('?' * len(values))})"
                params.extend(values)
        for field, values, every in facets:
            if not values:
                continue
            groups = [[v] for v in values] if every else [list(values)]
            for group in groups:
                sql += (
                    " AND EXISTS (SELECT 1 FROM facets f WHERE f.docno = d.docno AND f.field = ?"
                    f" AND f.value IN ({','.join('?' * len(group))}))"
                )
                params.extend([field, *group])
        if date_from:
            sql += " AND d.pub_date >= ?"
            params.append(date_from.isoformat()[:10])
        if date_to:
            sql += " AND d.pub_date <= ?"
            params.append(date_to.isoformat()[:10])
        return sql, params

    def search(self, query: SearchQuery) -> SearchResults:
        if not isinstance(query.page, int) or query.page < 1:
            raise ValueError(f"page must be an integer >= 1, not {query.page!r}")
        if not isinstance(query.per_page, int) or not 1 <= query.per_page <= MAX_PER_PAGE:
            raise ValueError(f"per_page must be an integer between 1 and {MAX_PER_PAGE}, not {query.per_page!r}")
        variants = query_variants(query.text) if query.text.strip() else []
        match = fts_match(variants)
        if query.text.strip() and not match:
            # Only punctuation or operators: nothing searchable, so nothing matches.
            return SearchResults(total=0, hits=[], facets={}, page=query.page, per_page=query.per_page)
        sel, params = self._selection(
            match=match,
            langs=query.langs,
            sources=query.sources,
            facets=[
                ("country", [c.upper() for c in query.countries], False),
                ("entity", query.entities, False),
                ("event_type", query.event_types, False),
            ],
            date_from=query.date_from,
            date_to=query.date_to,
        )
        order = "s.rank, d.published_at DESC" if match else "d.published_at IS NULL, d.published_at DESC"
        with self._lock:
            total = int(self._read(f"SELECT count(*) FROM ({sel})", params)[0][0])
            rows = self._read(
                f"SELECT d.*, s.rank AS rank FROM ({sel}) s JOIN docs d ON d.docno = s.docno "
                f"ORDER BY {order}, d.docno LIMIT ? OFFSET ?",
                [*params, query.per_page, (query.page - 1) * query.per_page],
            )
            facets = self._facets(sel, params) if query.facets and total else {}
        hits = [self._hit(row, variants) for row in rows]
        return SearchResults(total=total, hits=hits, facets=facets, page=query.page, per_page=query.per_page)

    def _facets(self, sel: str, params: list[Any]) -> dict[str, dict[str, int]]:
        out: dict[str, dict[str, int]] = {f: {} for f in FACET_FIELDS}
        for column in ("lang", "source"):
            for row in self._read(
                f"SELECT d.{column}, count(*) FROM ({sel}) s JOIN docs d ON d.docno = s.docno "
                f"GROUP BY d.{column} ORDER BY count(*) DESC, d.{column}",
                params,
            ):
                out[column][row[0]] = row[1]
        for row in self._read(
            f"SELECT f.field, f.value, count(*) FROM ({sel}) s JOIN facets f ON f.docno = s.docno "
            "GROUP BY f.field, f.value ORDER BY count(*) DESC, f.value",
            params,
        ):
            out[row[0]][row[1]] = row[2]
        return out

    @staticmethod
    def _hit(row: sqlite3.Row, variants: list[list[str]]) -> SearchHit:
        events = json.loads(row["events"])
        return SearchHit(
            id=row["id"],
            score=-float(row["rank"]) if row["rank"] else 0.0,
            url=row["url"],
            source=row["source"],
            lang=row["lang"],
            title=row["title"],
            title_en=row["title_en"],
            published_at=row["published_at"],
            snippet=snippet(row["text"] or row["title"], row["lang"], variants),
            snippet_en=snippet(row["text_en"], "en", variants) if row["text_en"] else None,
            countries=json.loads(row["countries"]),
            entities=json.loads(row["entities"]),
            event_types=list(dict.fromkeys(ev.get("type") or "other" for ev in events)),
        )

    # -- timelines ----------------------------------------------------------

    def _doc_selection(self, entity: str | None, countries: Sequence[str], query: str) -> tuple[str, list[Any]]:
        match = fts_match(query_variants(query)) if query.strip() else ""
        if query.strip() and not match:
            return "SELECT NULL AS docno, 0.0 AS rank WHERE 0", []
        return self._selection(
            match=match,
            facets=[
                ("entity", [entity] if entity else [], False),
                ("country", [c.upper() for c in countries], True),
            ],
        )

    def _event_rows(self, entity: str | None, countries: Sequence[str], query: str) -> list[sqlite3.Row]:
        """Dated events matching all given conditions, oldest first."""
        match = fts_match(query_variants(query)) if query.strip() else ""
        if query.strip() and not match:
            return []
        sql = (
            "SELECT e.*, d.id AS article_id, d.url, d.title, d.title_en, d.source, d.lang, d.published_at,"
            " d.entities FROM events e JOIN docs d ON d.docno = e.docno WHERE e.date IS NOT NULL"
        )
        params: list[Any] = []
        if match:
            sql += " AND e.docno IN (SELECT rowid FROM docs_fts WHERE docs_fts MATCH ?)"
            params.append(match)
        if entity:
            sql += " AND EXISTS (SELECT 1 FROM json_each(e.participants) WHERE value = ?)"
            params.append(entity)
        for code in dict.fromkeys(c.upper() for c in countries):
            sql += " AND EXISTS (SELECT 1 FROM json_each(e.countries) WHERE value = ?)"
            params.append(code)
        return self._read(sql + " ORDER BY e.date, d.published_at, e.docno, e.seq", params)

    def timeline(
        self, *, entity: str | None = None, countries: Sequence[str] = (), query: str = "", interval: str = "month"
    ) -> list[Bucket]:
        """See :meth:`SearchBackend.timeline`.

        An event dated less precisely than ``interval`` (a year-only event in
        a monthly timeline) cannot be placed in one period and is left out of
        the buckets; :meth:`events` still lists it with its precision.
        """
        if interval not in INTERVALS:
            raise ValueError(f"interval must be one of {', '.join(INTERVALS)}, not {interval!r}")
        n = _PERIOD_LEN[interval]
        buckets: dict[str, dict[str, int]] = {}
        for ev in self._event_rows(entity, countries, query):
            if _PRECISION_RANK.get(ev["precision"], -1) < _PRECISION_RANK[interval]:
                continue
            counts = buckets.setdefault(ev["date"][:n], {})
            counts[ev["type"]] = counts.get(ev["type"], 0) + 1
        sel, params = self._doc_selection(entity, countries, query)
        for period, mentions in self._read(
            f"SELECT substr(d.pub_date, 1, {n}), count(*) FROM ({sel}) s JOIN docs d ON d.docno = s.docno "
            "WHERE d.pub_date IS NOT NULL GROUP BY 1",
            params,
        ):
            buckets.setdefault(period, {})["mentions"] = mentions
        return [Bucket(period=p, counts={"mentions": 0, **buckets[p]}) for p in sorted(buckets)]

    def events(
        self, *, entity: str | None = None, countries: Sequence[str] = (), query: str = ""
    ) -> list[dict[str, Any]]:
        out = []
        for ev in self._event_rows(entity, countries, query):
            names = {e.get("id"): e.get("name") for e in json.loads(ev["entities"])}
            participants = json.loads(ev["participants"])
            out.append(
                {
                    "article_id": ev["article_id"],
                    "url": ev["url"],
                    "title": ev["title"],
                    "title_en": ev["title_en"],
                    "source": ev["source"],
                    "lang": ev["lang"],
                    "published_at": ev["published_at"],
                    "type": ev["type"],
                    "date": ev["date"],
                    "precision": ev["precision"],
                    "participants": participants,
                    "participant_names": [names.get(p) or p for p in participants],
                    "countries": json.loads(ev["countries"]),
                    "evidence": ev["evidence"],
                    "evidence_en": ev["evidence_en"],
                }
            )
        return out
