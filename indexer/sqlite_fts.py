"""The embedded search backend: one SQLite file with FTS5, zero setup.

The tables and how a document becomes rows are in
:mod:`indexer.sqlite_schema`; this module runs the SQL: upserts, searches
(bm25 over all four text columns, filters, facets over the whole filtered
match set, highlighted snippets) and timelines.

``index`` is an idempotent upsert by id (a re-indexed document replaces every
row about it), one transaction per batch. Documents are validated and
tokenised before the transaction; a bad one is reported in
:class:`IndexReport` and the rest of the batch is still written.
"""

from __future__ import annotations

import json
import logging
import sqlite3
import threading
from collections.abc import Iterable, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from coopwatch.query import Node
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
    batched,
)
from indexer.highlight import snippet
from indexer.querying import Compiled, compile_tree, highlight_tokens, tree_of
from indexer.sqlite_schema import SCHEMA, SCHEMA_VERSION, Rows, prepare
from indexer.tantivy_mirror import MirrorDoc, TantivyMirror, mirror_doc, row_facets

log = logging.getLogger(__name__)

BATCH_SIZE = 500
MAX_PER_PAGE = 100
# bm25 weights for (title, text, title_en, text_en, neutral): titles count more than
# bodies, the original more than the machine translation.
BM25_WEIGHTS = (4.0, 1.0, 3.0, 0.75, 2.0)  # … and the language-neutral tokens
COVERAGE_WEIGHT = 1000.0  # a document matching one more query clause always ranks higher
FACET_FIELDS = ("lang", "source", "country", "entity", "event_type")
_PERIOD_LEN = {"year": 4, "month": 7, "day": 10}
_PRECISION_RANK = {"year": 0, "month": 1, "day": 2}
_EVENT_KEYS = (
    "article_id",
    "url",
    "title",
    "title_en",
    "source",
    "lang",
    "published_at",
    "type",
    "date",
    "precision",
    "evidence",
    "evidence_en",
)


def _hint(path: Path) -> str:
    return (
        f"check that {path} and its directory are writable, or move the broken file "
        "away and run `coopwatch index` again to rebuild the search index from the store"
    )



class SqliteBackend(SearchBackend):
    """SQLite FTS5 search in its own file (WAL); safe to share across threads."""

    name = "sqlite"

    def __init__(self, path: Path | str, *, mirror: bool = True) -> None:
        self.path = Path(path)
        self.use_mirror = mirror  # False: FTS5 answers every search (the contract suite runs both)
        self._db: sqlite3.Connection | None = None
        self._lock = threading.RLock()
        self.mirror = TantivyMirror(self.path.with_name(self.path.name + ".tantivy"), BM25_WEIGHTS)

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
            if 0 < version < SCHEMA_VERSION:
                # An index built by an older coopwatch: dropped and recreated empty;
                # `coopwatch index` refills it from the store (the source of truth).
                for table in ("docs_fts", "facets", "events", "docs", "meta"):
                    db.execute(f"DROP TABLE IF EXISTS {table}")
            if version > SCHEMA_VERSION:
                db.close()
                raise BackendError(
                    f"search index {self.path} has schema version {version}, newer than this "
                    f"coopwatch ({SCHEMA_VERSION}); upgrade coopwatch or rebuild the index"
                )
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=NORMAL")
            db.execute("PRAGMA foreign_keys=ON")
            db.executescript(SCHEMA)
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
        for batch in batched(docs, BATCH_SIZE):
            # Tokenising (jieba, stemmers) happens before the write lock is taken.
            rows: dict[str, Rows] = {}
            for doc in batch:
                try:
                    rows[doc.id] = prepare(doc)
                except (ValueError, TypeError, AttributeError, KeyError) as exc:
                    report.failed[str(getattr(doc, "id", "") or "?")] = f"invalid document: {exc}"
            with self._lock:
                db = self._conn()
                removed: list[int] = []
                added: list[MirrorDoc] = []
                try:
                    db.execute("BEGIN IMMEDIATE")
                    for doc_id, prepared in rows.items():
                        gone, docno = self._write(db, doc_id, prepared)
                        removed += gone
                        added.append(mirror_doc(docno, prepared.fts, prepared.doc, prepared.facets))
                    db.execute("COMMIT")
                except BaseException as exc:
                    if db.in_transaction:
                        db.execute("ROLLBACK")
                    if isinstance(exc, sqlite3.Error):
                        raise BackendError(
                            f"indexing into {self.path} failed, batch rolled back: {exc}; {_hint(self.path)}"
                        ) from exc
                    raise
                self._sync_mirror(removed, added)
            report.indexed.extend(rows)
        return report

    def _sync_mirror(self, removed: list[int], added: list[MirrorDoc]) -> None:
        """Apply a committed write to the tantivy mirror; rebuild it from SQLite when it was
        out of step. A mirror failure never fails the write: search falls back to FTS5."""
        if not self.use_mirror:
            return
        try:
            before = self.mirror.count()
            expected = self.count() - len(added) + len({*removed})
            if before == expected:
                self.mirror.write(removed, added)
            if self.mirror.count() != self.count():
                self._rebuild_mirror()
        except Exception as exc:  # noqa: BLE001 - the mirror is derived; the committed write stands
            # e.g. another process holds the mirror's writer lock: its count now differs, so searches
            # use FTS5 until a later write finds it out of step and rebuilds it.
            log.warning("the tantivy mirror of %s was not updated (%s); searches use FTS5 until it is rebuilt",
                        self.path, exc)

    def _rebuild_mirror(self) -> None:
        """Refill the mirror from the SQLite rows (tokens from docs_fts, facets from docs)."""
        rows = self._read(
            "SELECT f.rowid AS docno, f.title AS t, f.text AS x, f.title_en AS te, f.text_en AS xe, f.neutral AS n,"
            " d.lang, d.source, d.published_at, d.countries, d.entities, d.events"
            " FROM docs_fts f JOIN docs d ON d.docno = f.rowid"
        )
        docs = (
            MirrorDoc(r["docno"], (r["t"], r["x"], r["te"], r["xe"], r["n"]), r["lang"], r["source"], row_facets(r),
                      r["published_at"])
            for r in rows
        )
        self.mirror.write([], docs, clear=True)

    def _mirror_ready(self) -> bool:
        """Whether the mirror holds exactly the SQLite file's documents (else: answer from FTS5)."""
        if not self.use_mirror:
            return False
        try:
            return self.mirror.count() == self.count()
        except (ValueError, OSError) as exc:
            log.warning("the tantivy mirror of %s cannot be read (%s); answering from FTS5", self.path, exc)
            return False

    def _delete_rows(self, db: sqlite3.Connection, docnos: list[int]) -> None:
        for docno in docnos:
            db.execute("DELETE FROM docs_fts WHERE rowid = ?", (docno,))
            db.execute("DELETE FROM facets WHERE docno = ?", (docno,))
            db.execute("DELETE FROM events WHERE docno = ?", (docno,))
            db.execute("DELETE FROM docs WHERE docno = ?", (docno,))

    def _write(self, db: sqlite3.Connection, doc_id: str, rows: Rows) -> tuple[list[int], int]:
        """Replace everything stored about ``doc_id`` (inside the caller's transaction);
        returns the replaced docnos and the new one."""
        old = [r[0] for r in db.execute("SELECT docno FROM docs WHERE id = ?", (doc_id,))]
        self._delete_rows(db, old)
        docno = db.execute(
            "INSERT INTO docs (id, url, source, lang, title, text, title_en, text_en, published_at, pub_date,"
            " relevance, countries, entities, events, indexed_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            rows.doc,
        ).lastrowid
        db.execute(
            "INSERT INTO docs_fts (rowid, title, text, title_en, text_en, neutral) VALUES (?,?,?,?,?,?)",
            (docno, *rows.fts),
        )
        db.executemany("INSERT INTO facets (docno, field, value) VALUES (?,?,?)", [(docno, *f) for f in rows.facets])
        db.executemany(
            "INSERT INTO events (docno, seq, type, date, precision, participants, countries, evidence,"
            " evidence_en) VALUES (?,?,?,?,?,?,?,?,?)",
            [(docno, seq, *ev) for seq, ev in enumerate(rows.events)],
        )
        return old, int(docno)

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
            if docnos:
                self._sync_mirror(docnos, [])
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
        match: Compiled | None = None,
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
        if match is not None:  # reads the temp tables of _materialize (call it first, under the lock)
            sql = (
                f"SELECT d.docno AS docno, bm25(docs_fts, {', '.join(map(str, BM25_WEIGHTS))})"
                f" - {COVERAGE_WEIGHT} * coalesce(c.n, 0) AS rank "
                "FROM docs_fts JOIN temp.match_set m ON m.doc = docs_fts.rowid JOIN docs d ON d.docno = m.doc "
                "LEFT JOIN temp.match_cov c ON c.doc = m.doc WHERE docs_fts MATCH ?"
            )
            params.append(match.rank_match)
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

    def _materialize(self, match: Compiled) -> None:
        """Run each leaf's MATCH once into keyed temp tables: the hits per leaf, the match
        set and the clauses matched per document (joined by key, never rescanned)."""
        for table in ("leaf_hits", "match_set", "match_cov"):
            self._read(f"DROP TABLE IF EXISTS temp.{table}")
        self._read(
            "CREATE TEMP TABLE leaf_hits (leaf INTEGER NOT NULL, doc INTEGER NOT NULL, PRIMARY KEY (leaf, doc))"
            " WITHOUT ROWID"
        )
        for i, expr in enumerate(match.leaf_exprs):
            self._read(f"INSERT OR IGNORE INTO temp.leaf_hits SELECT {i}, rowid FROM docs_fts WHERE docs_fts MATCH ?", [expr])
        self._read("CREATE TEMP TABLE match_set (doc INTEGER PRIMARY KEY)")
        self._read(f"INSERT OR IGNORE INTO temp.match_set {match.sql}")
        self._read("CREATE TEMP TABLE match_cov (doc INTEGER PRIMARY KEY, n INTEGER NOT NULL)")
        self._read(f"INSERT INTO temp.match_cov {match.coverage_sql}")

    def search(self, query: SearchQuery) -> SearchResults:
        if not isinstance(query.page, int) or query.page < 1:
            raise ValueError(f"page must be an integer >= 1, not {query.page!r}")
        if not isinstance(query.per_page, int) or not 1 <= query.per_page <= MAX_PER_PAGE:
            raise ValueError(f"per_page must be an integer between 1 and {MAX_PER_PAGE}, not {query.per_page!r}")
        tree = tree_of(query.text, query.tree)
        match = compile_tree(tree) if tree is not None else None  # QueryError names the position
        variants = highlight_tokens(tree)
        with self._lock:
            if self._mirror_ready():
                return self._search_mirror(query, tree, variants)
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
        order = "s.rank, d.published_at DESC" if match is not None else "d.published_at IS NULL, d.published_at DESC"
        with self._lock:
            # The match set (FTS + bm25 + filters) is computed once into a temp table;
            # the count, the page and every facet read it instead of re-running the match.
            if match is not None:
                self._materialize(match)
            self._read("DROP TABLE IF EXISTS temp.matched")
            self._read(f"CREATE TEMP TABLE matched AS {sel}", params)
            try:
                total = int(self._read("SELECT count(*) FROM temp.matched")[0][0])
                rows = self._read(
                    "SELECT d.*, s.rank AS rank FROM temp.matched s JOIN docs d ON d.docno = s.docno "
                    f"ORDER BY {order}, d.docno LIMIT ? OFFSET ?",
                    [query.per_page, (query.page - 1) * query.per_page],
                )
                facets = self._facets("SELECT docno FROM temp.matched", [], bool(total)) if query.facets else {}
            finally:
                self._read("DROP TABLE IF EXISTS temp.matched")
        hits = [self._hit(row, variants) for row in rows]
        return SearchResults(total=total, hits=hits, facets=facets, page=query.page, per_page=query.per_page)

    def _search_mirror(self, query: SearchQuery, tree: Node | None, variants: list[list[str]]) -> SearchResults:
        """The search answered by the tantivy mirror; stored fields and snippets from SQLite."""
        total, page, facets = self.mirror.search(
            tree,
            langs=query.langs,
            sources=query.sources,
            facets=[
                ("country", [c.upper() for c in query.countries]),
                ("entity", query.entities),
                ("event_type", query.event_types),
            ],
            date_from=query.date_from,
            date_to=query.date_to,
            offset=(query.page - 1) * query.per_page,
            limit=query.per_page,
            want_facets=query.facets,
        )
        if query.facets:
            facets = {f: facets.get(f, {}) for f in FACET_FIELDS}
        score = dict(page)
        found = {
            r["docno"]: r
            for r in self._read(f"SELECT * FROM docs WHERE docno IN ({','.join('?' * len(page))})", list(score))
        } if page else {}
        hits = []
        for docno, s in page:
            row = found.get(docno)
            if row is not None:
                hits.append(self._hit(row, variants, s))
        return SearchResults(total=total, hits=hits, facets=facets, page=query.page, per_page=query.per_page)

    def _facets(self, sel: str, params: list[Any], any_hits: bool) -> dict[str, dict[str, int]]:
        """Value counts per facet field over the whole filtered match set (not the page)."""
        out: dict[str, dict[str, int]] = {f: {} for f in FACET_FIELDS}
        if not any_hits:
            return out
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
    def _hit(row: sqlite3.Row, variants: list[list[str]], score: float | None = None) -> SearchHit:
        events = json.loads(row["events"])
        return SearchHit(
            id=row["id"],
            score=score if score is not None else (-float(row["rank"]) if row["rank"] else 0.0),
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

    def _match_of(self, query: str) -> Compiled | None:
        """Compile and materialize ``query`` (the caller holds the lock: temp tables)."""
        tree = tree_of(query, None)
        if tree is None:
            return None
        match = compile_tree(tree)
        self._materialize(match)
        return match

    def _event_rows(self, entity: str | None, countries: Sequence[str], matched: bool) -> list[sqlite3.Row]:
        """Dated events matching all given conditions, oldest first (``matched``: of temp.match_set)."""
        sql = (
            "SELECT e.*, d.id AS article_id, d.url, d.title, d.title_en, d.source, d.lang, d.published_at,"
            " d.entities FROM events e JOIN docs d ON d.docno = e.docno WHERE e.date IS NOT NULL"
        )
        params: list[Any] = []
        if matched:
            sql += " AND e.docno IN (SELECT doc FROM temp.match_set)"
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
        with self._lock:
            match = self._match_of(query)
            for ev in self._event_rows(entity, countries, match is not None):
                if _PRECISION_RANK.get(ev["precision"], -1) < _PRECISION_RANK[interval]:
                    continue
                counts = buckets.setdefault(ev["date"][:n], {})
                counts[ev["type"]] = counts.get(ev["type"], 0) + 1
            sel, params = self._selection(
                match=match,
                facets=[
                    ("entity", [entity] if entity else [], False),
                    ("country", [c.upper() for c in countries], True),
                ],
            )
            mentions_rows = self._read(
                f"SELECT substr(d.pub_date, 1, {n}), count(*) FROM ({sel}) s JOIN docs d ON d.docno = s.docno "
                "WHERE d.pub_date IS NOT NULL GROUP BY 1",
                params,
            )
        for period, mentions in mentions_rows:
            buckets.setdefault(period, {})["mentions"] = mentions
        return [Bucket(period=p, counts={"mentions": 0, **buckets[p]}) for p in sorted(buckets)]

    def events(
        self, *, entity: str | None = None, countries: Sequence[str] = (), query: str = ""
    ) -> list[dict[str, Any]]:
        out = []
        with self._lock:
            rows = self._event_rows(entity, countries, self._match_of(query) is not None)
        for ev in rows:
            item = {k: ev[k] for k in _EVENT_KEYS}
            names = {e.get("id"): e.get("name") for e in json.loads(ev["entities"])}
            item["participants"] = json.loads(ev["participants"])
            item["participant_names"] = [names.get(p) or p for p in item["participants"]]
            item["countries"] = json.loads(ev["countries"])
            out.append(item)
        return out
