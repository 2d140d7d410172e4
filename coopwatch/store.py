"""The store: every stage reads what the previous one committed and records its own result.

SQLAlchemy Core over SQLite in WAL mode (the same code runs on PostgreSQL).
Writes are transactions; upserts are keyed by article id, so re-running any
stage after a crash neither loses nor duplicates anything:

* ``articles``      — crawl/ingest output, one row per canonical URL;
* ``analyses``      — NLP output per article with ``nlp_version`` and ``rev``;
* ``entities`` / ``entity_aliases`` / ``mentions`` / ``events`` — derived from analyses;
* ``index_state``   — which analysis ``rev`` each search backend holds;
* ``drops``         — every page or file refused, with a named reason;
* ``runs``          — one row per crawl/process/index/scheduled run with counts.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.exc import OperationalError

from coopwatch.errors import StoreError
from coopwatch.records import Analysis, Article, EntityMention, Event

metadata = sa.MetaData()

articles = sa.Table(
    "articles",
    metadata,
    sa.Column("id", sa.String(16), primary_key=True),
    sa.Column("url", sa.Text, nullable=False),
    sa.Column("canonical_url", sa.Text, nullable=False, unique=True),
    sa.Column("source", sa.String(100), nullable=False, index=True),
    sa.Column("fetched_at", sa.DateTime, nullable=False),
    sa.Column("first_seen", sa.DateTime, nullable=False),
    sa.Column("published_at", sa.DateTime, index=True),
    sa.Column("date_method", sa.String(40), nullable=False),
    sa.Column("title", sa.Text, nullable=False),
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("html_sha1", sa.String(40), nullable=False),
    sa.Column("content_sha1", sa.String(40), nullable=False, index=True),
    sa.Column("lang_hint", sa.String(8)),
)

analyses = sa.Table(
    "analyses",
    metadata,
    sa.Column("article_id", sa.String(16), sa.ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("rev", sa.BigInteger, nullable=False),
    sa.Column("nlp_version", sa.String(40), nullable=False, index=True),
    sa.Column("content_sha1", sa.String(40), nullable=False),
    sa.Column("lang", sa.String(8), nullable=False, index=True),
    sa.Column("lang_confidence", sa.Float, nullable=False),
    sa.Column("title_en", sa.Text),
    sa.Column("text_en", sa.Text),
    sa.Column("translation", sa.String(100), nullable=False),
    sa.Column("countries", sa.JSON, nullable=False),
    sa.Column("topics", sa.JSON, nullable=False),
    sa.Column("relevance", sa.Float, nullable=False),
    sa.Column("relevance_reasons", sa.JSON, nullable=False),
    sa.Column("analyzed_at", sa.DateTime, nullable=False),
)

entities = sa.Table(
    "entities",
    metadata,
    sa.Column("id", sa.String(200), primary_key=True),
    sa.Column("name", sa.Text, nullable=False),
    sa.Column("type", sa.String(40), nullable=False),
)

entity_aliases = sa.Table(
    "entity_aliases",
    metadata,
    sa.Column("entity_id", sa.String(200), sa.ForeignKey("entities.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("alias", sa.Text, primary_key=True),
)

mentions = sa.Table(
    "mentions",
    metadata,
    sa.Column("article_id", sa.String(16), sa.ForeignKey("articles.id", ondelete="CASCADE"), index=True),
    sa.Column("entity_id", sa.String(200), nullable=False, index=True),
    sa.Column("surface", sa.Text, nullable=False),
    sa.Column("start", sa.Integer, nullable=False),
    sa.Column("end", sa.Integer, nullable=False),
    sa.Column("field", sa.String(20), nullable=False),
    sa.Column("matcher", sa.String(60), nullable=False),
)

events = sa.Table(
    "events",
    metadata,
    sa.Column("article_id", sa.String(16), sa.ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("seq", sa.Integer, primary_key=True),
    sa.Column("type", sa.String(40), nullable=False, index=True),
    sa.Column("date", sa.Date),
    sa.Column("precision", sa.String(10), nullable=False),
    sa.Column("participants", sa.JSON, nullable=False),
    sa.Column("countries", sa.JSON, nullable=False),
    sa.Column("location", sa.Text),
    sa.Column("evidence", sa.Text, nullable=False),
    sa.Column("evidence_en", sa.Text),
    sa.Column("trigger", sa.Text, nullable=False),
)

index_state = sa.Table(
    "index_state",
    metadata,
    sa.Column("article_id", sa.String(16), sa.ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("backend", sa.String(40), primary_key=True),
    sa.Column("analysis_rev", sa.BigInteger, nullable=False),
    sa.Column("status", sa.String(30), nullable=False),  # indexed | skipped-irrelevant
    sa.Column("at", sa.DateTime, nullable=False),
)

drops = sa.Table(
    "drops",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("at", sa.DateTime, nullable=False),
    sa.Column("source", sa.String(100), nullable=False),
    sa.Column("url", sa.Text, nullable=False),
    sa.Column("reason", sa.String(60), nullable=False, index=True),
    sa.Column("detail", sa.Text, nullable=False),
)

frontier = sa.Table(  # crawl frontier: every discovered article URL until it has an outcome
    "frontier",
    metadata,
    sa.Column("id", sa.String(16), primary_key=True),  # article id of the discovered URL
    sa.Column("source", sa.String(100), nullable=False, index=True),
    sa.Column("url", sa.Text, nullable=False),
    sa.Column("status", sa.String(10), nullable=False, index=True),  # pending | done
    sa.Column("outcome", sa.String(60)),  # new | updated | unchanged | known-unchanged | <drop reason>
    sa.Column("hint_date", sa.DateTime),
    sa.Column("hint_method", sa.String(20)),
    sa.Column("discovered_at", sa.DateTime, nullable=False),
    sa.Column("done_at", sa.DateTime),
)

signatures = sa.Table(  # MinHash signatures for near-duplicate detection (crawlers/dedup.py)
    "signatures",
    metadata,
    sa.Column("article_id", sa.String(16), sa.ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("scheme", sa.String(40), nullable=False),
    sa.Column("sig", sa.LargeBinary, nullable=False),
)

duplicates = sa.Table(  # a kept article that is a near-duplicate (syndicated copy) of an earlier one
    "duplicates",
    metadata,
    sa.Column("article_id", sa.String(16), sa.ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("duplicate_of", sa.String(16), nullable=False, index=True),
    sa.Column("kind", sa.String(20), nullable=False),  # near
    sa.Column("similarity", sa.Float, nullable=False),
    sa.Column("at", sa.DateTime, nullable=False),
)

runs = sa.Table(
    "runs",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("kind", sa.String(40), nullable=False),
    sa.Column("job", sa.String(100)),
    sa.Column("started_at", sa.DateTime, nullable=False),
    sa.Column("ended_at", sa.DateTime),
    sa.Column("status", sa.String(20), nullable=False),  # running | ok | failed | interrupted
    sa.Column("counts", sa.JSON, nullable=False),
    sa.Column("error", sa.Text),
)


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA busy_timeout=30000")
    cur.close()


def _now() -> datetime:
    return datetime.now().replace(microsecond=0)


def store_exists(url: str) -> bool:
    """Whether a store is already there (a SQLite file); other databases are taken to exist."""
    if url.startswith("sqlite:///"):
        return Path(url.removeprefix("sqlite:///")).is_file()
    return True


def store_problem(exc: BaseException) -> str:
    """One line for a store that cannot be read or written (corrupt, truncated, read-only, locked)."""
    orig = getattr(exc, "orig", None) or exc
    reason = str(orig).splitlines()[0] if str(orig) else type(orig).__name__
    return (
        f"the store cannot be read or written ({reason}); restore coopwatch.db from a backup, "
        "fix its permissions, or move it aside to start a new one"
    )


class Store:
    """All reads and writes of pipeline state. One instance per process."""

    def __init__(self, url: str):
        self.url = url
        if url.startswith("sqlite:///"):
            path = Path(url.removeprefix("sqlite:///"))
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise StoreError(f"cannot create the data directory {path.parent}: {exc}") from exc
        self.engine: Engine = sa.create_engine(url, future=True)
        if self.engine.dialect.name == "sqlite":
            event.listen(self.engine, "connect", _sqlite_pragmas)
        try:
            metadata.create_all(self.engine)
        except OperationalError as exc:
            raise StoreError(f"cannot open the store at {url}: {exc.orig}. Check the path and permissions.") from exc

    @classmethod
    def open(cls, settings: Any) -> Store:
        return cls(settings.store_url)

    def close(self) -> None:
        self.engine.dispose()

    def _insert(self, table: sa.Table) -> Any:
        if self.engine.dialect.name == "postgresql":
            from sqlalchemy.dialects.postgresql import insert
        else:
            from sqlalchemy.dialects.sqlite import insert
        return insert(table)

    # ----------------------------------------------------------------- articles
    def upsert_article(self, art: Article) -> str:
        """Insert or update one article. Returns ``new``, ``updated`` or ``unchanged``."""
        with self.engine.begin() as conn:
            row = conn.execute(
                sa.select(articles.c.content_sha1, articles.c.published_at).where(articles.c.id == art.id)
            ).first()
            values = {
                "url": art.url,
                "canonical_url": art.canonical_url,
                "source": art.source,
                "fetched_at": art.fetched_at,
                "published_at": art.published_at,
                "date_method": art.date_method,
                "title": art.title,
                "text": art.text,
                "html_sha1": art.html_sha1,
                "content_sha1": art.content_sha1,
                "lang_hint": art.lang_hint,
            }
            if row is None:
                conn.execute(articles.insert().values(id=art.id, first_seen=art.fetched_at, **values))
                return "new"
            if row.content_sha1 == art.content_sha1:
                update = {"fetched_at": art.fetched_at}
                if row.published_at is None and art.published_at is not None:
                    update.update(published_at=art.published_at, date_method=art.date_method)
                conn.execute(articles.update().where(articles.c.id == art.id).values(**update))
                return "unchanged"
            conn.execute(articles.update().where(articles.c.id == art.id).values(**values))
            return "updated"

    def known_content(self, content_sha1: str) -> str | None:
        """Id of an article already holding exactly this content (syndicated copy)."""
        with self.engine.connect() as conn:
            return conn.execute(
                sa.select(articles.c.id).where(articles.c.content_sha1 == content_sha1).limit(1)
            ).scalar()

    def get_article(self, article_id: str) -> Article | None:
        with self.engine.connect() as conn:
            row = conn.execute(sa.select(articles).where(articles.c.id == article_id)).mappings().first()
        return _article(row) if row else None

    def find_article(self, key: str) -> Article | None:
        """Look an article up by id, id prefix or URL."""
        from coopwatch.records import article_id

        art = self.get_article(key)
        if art is None and key.startswith(("http://", "https://")):
            art = self.get_article(article_id(key))
        if art is None and len(key) >= 6:
            with self.engine.connect() as conn:
                ids = conn.execute(sa.select(articles.c.id).where(articles.c.id.like(key + "%")).limit(2)).scalars().all()
            if len(ids) == 1:
                art = self.get_article(ids[0])
        return art

    def count_articles(self) -> int:
        with self.engine.connect() as conn:
            return conn.execute(sa.select(sa.func.count()).select_from(articles)).scalar_one()

    # ----------------------------------------------------------------- drops
    def record_drop(self, *, source: str, url: str, reason: str, detail: str = "") -> None:
        with self.engine.begin() as conn:
            conn.execute(
                drops.insert().values(at=_now(), source=source, url=url, reason=reason, detail=detail[:2000])
            )

    def drop_counts(self, since: datetime | None = None) -> dict[str, int]:
        q = sa.select(drops.c.reason, sa.func.count()).group_by(drops.c.reason)
        if since is not None:
            q = q.where(drops.c.at >= since)
        with self.engine.connect() as conn:
            return {r: n for r, n in conn.execute(q)}

    # ----------------------------------------------------------------- crawl frontier
    def article_fetched_at(self, article_id: str) -> datetime | None:
        """When a stored article was last fetched (None: not stored)."""
        with self.engine.connect() as conn:
            return conn.execute(sa.select(articles.c.fetched_at).where(articles.c.id == article_id)).scalar()

    def frontier_add(
        self, *, id: str, source: str, url: str, hint_date: datetime | None = None, hint_method: str | None = None
    ) -> None:
        """Record a discovered article URL as pending (idempotent)."""
        values = {"source": source, "url": url, "status": "pending", "outcome": None, "hint_date": hint_date,
                  "hint_method": hint_method, "done_at": None}
        with self.engine.begin() as conn:
            stmt = self._insert(frontier).values(id=id, discovered_at=_now(), **values)
            conn.execute(stmt.on_conflict_do_update(index_elements=["id"], set_=values))

    def frontier_done(self, id: str, outcome: str) -> None:
        with self.engine.begin() as conn:
            conn.execute(frontier.update().where(frontier.c.id == id).values(status="done", outcome=outcome, done_at=_now()))

    def frontier_pending(self, source: str) -> list[dict[str, Any]]:
        """Discovered URLs of a source with no outcome yet (a crawl stopped before reaching them)."""
        q = sa.select(frontier).where(frontier.c.source == source, frontier.c.status == "pending").order_by(frontier.c.discovered_at)
        with self.engine.connect() as conn:
            return [dict(r) for r in conn.execute(q).mappings()]

    def source_names(self) -> set[str]:
        """Every source that has stored articles."""
        with self.engine.connect() as conn:
            return {r[0] for r in conn.execute(sa.select(articles.c.source).distinct())}

    def frontier_counts(self, source: str | None = None) -> dict[str, int]:
        q = sa.select(frontier.c.status, sa.func.count()).group_by(frontier.c.status)
        if source:
            q = q.where(frontier.c.source == source)
        with self.engine.connect() as conn:
            return {r: n for r, n in conn.execute(q)}

    # ----------------------------------------------------------------- near-duplicates
    def save_signature(self, article_id: str, scheme: str, sig: bytes) -> None:
        with self.engine.begin() as conn:
            stmt = self._insert(signatures).values(article_id=article_id, scheme=scheme, sig=sig)
            conn.execute(stmt.on_conflict_do_update(index_elements=["article_id"], set_={"scheme": scheme, "sig": sig}))

    def iter_signatures(self, scheme: str) -> Iterator[tuple[str, bytes]]:
        with self.engine.connect() as conn:
            for row in conn.execute(sa.select(signatures.c.article_id, signatures.c.sig).where(signatures.c.scheme == scheme)):
                yield row[0], row[1]

    def mark_duplicate(self, article_id: str, duplicate_of: str, similarity: float, kind: str = "near") -> None:
        values = {"duplicate_of": duplicate_of, "kind": kind, "similarity": similarity, "at": _now()}
        with self.engine.begin() as conn:
            stmt = self._insert(duplicates).values(article_id=article_id, **values)
            conn.execute(stmt.on_conflict_do_update(index_elements=["article_id"], set_=values))

    def clear_duplicate(self, article_id: str) -> None:
        with self.engine.begin() as conn:
            conn.execute(duplicates.delete().where(duplicates.c.article_id == article_id))

    def duplicate_links(self) -> dict[str, tuple[str, float]]:
        """article id → (id of the article it near-duplicates, similarity)."""
        with self.engine.connect() as conn:
            return {r[0]: (r[1], r[2]) for r in conn.execute(sa.select(duplicates.c.article_id, duplicates.c.duplicate_of, duplicates.c.similarity))}

    # ----------------------------------------------------------------- NLP stage
    def pending_analysis(self, nlp_version: str, limit: int | None = None, *, force: bool = False) -> list[Article]:
        """Articles with no analysis, an older ``nlp_version`` or changed content."""
        j = articles.outerjoin(analyses, analyses.c.article_id == articles.c.id)
        q = sa.select(articles).select_from(j).order_by(articles.c.id)
        if not force:
            q = q.where(
                sa.or_(
                    analyses.c.article_id.is_(None),
                    analyses.c.nlp_version != nlp_version,
                    analyses.c.content_sha1 != articles.c.content_sha1,
                )
            )
        if limit:
            q = q.limit(limit)
        with self.engine.connect() as conn:
            return [_article(r) for r in conn.execute(q).mappings()]

    def save_analysis(self, art: Article, an: Analysis) -> None:
        """Replace everything derived from one article in one transaction."""
        rev = time.time_ns()
        with self.engine.begin() as conn:
            for table in (mentions, events):
                conn.execute(table.delete().where(table.c.article_id == art.id))
            values = {
                "rev": rev,
                "nlp_version": an.nlp_version,
                "content_sha1": art.content_sha1,
                "lang": an.lang,
                "lang_confidence": an.lang_confidence,
                "title_en": an.title_en,
                "text_en": an.text_en,
                "translation": an.translation,
                "countries": an.countries,
                "topics": an.topics,
                "relevance": an.relevance,
                "relevance_reasons": an.relevance_reasons,
                "analyzed_at": _now(),
            }
            stmt = self._insert(analyses).values(article_id=art.id, **values)
            conn.execute(stmt.on_conflict_do_update(index_elements=["article_id"], set_=values))
            for m in an.entities:
                ent = self._insert(entities).values(id=m.entity_id, name=m.name, type=m.type)
                conn.execute(ent.on_conflict_do_nothing(index_elements=["id"]))
                alias = self._insert(entity_aliases).values(entity_id=m.entity_id, alias=m.surface)
                conn.execute(alias.on_conflict_do_nothing(index_elements=["entity_id", "alias"]))
            if an.entities:
                conn.execute(
                    mentions.insert(),
                    [
                        {
                            "article_id": art.id,
                            "entity_id": m.entity_id,
                            "surface": m.surface,
                            "start": m.start,
                            "end": m.end,
                            "field": m.field,
                            "matcher": m.matcher,
                        }
                        for m in an.entities
                    ],
                )
            if an.events:
                conn.execute(
                    events.insert(),
                    [
                        {
                            "article_id": art.id,
                            "seq": i,
                            "type": ev.type,
                            "date": ev.date,
                            "precision": ev.precision,
                            "participants": ev.participants,
                            "countries": ev.countries,
                            "location": ev.location,
                            "evidence": ev.evidence,
                            "evidence_en": ev.evidence_en,
                            "trigger": ev.trigger,
                        }
                        for i, ev in enumerate(an.events)
                    ],
                )

    def get_analysis(self, article_id: str) -> Analysis | None:
        with self.engine.connect() as conn:
            row = conn.execute(sa.select(analyses).where(analyses.c.article_id == article_id)).mappings().first()
            if row is None:
                return None
            ments = conn.execute(
                sa.select(mentions, entities.c.name, entities.c.type)
                .join(entities, entities.c.id == mentions.c.entity_id)
                .where(mentions.c.article_id == article_id)
                .order_by(mentions.c.field, mentions.c.start)
            ).mappings()
            evs = conn.execute(
                sa.select(events).where(events.c.article_id == article_id).order_by(events.c.seq)
            ).mappings()
            return Analysis(
                article_id=article_id,
                lang=row["lang"],
                lang_confidence=row["lang_confidence"],
                title_en=row["title_en"],
                text_en=row["text_en"],
                translation=row["translation"],
                countries=list(row["countries"]),
                topics=list(row["topics"]),
                relevance=row["relevance"],
                relevance_reasons=list(row["relevance_reasons"]),
                nlp_version=row["nlp_version"],
                entities=[
                    EntityMention(
                        entity_id=m["entity_id"],
                        name=m["name"],
                        type=m["type"],
                        surface=m["surface"],
                        start=m["start"],
                        end=m["end"],
                        field=m["field"],
                        matcher=m["matcher"],
                    )
                    for m in ments
                ],
                events=[
                    Event(
                        type=e["type"],
                        date=e["date"],
                        precision=e["precision"],
                        participants=list(e["participants"]),
                        countries=list(e["countries"]),
                        location=e["location"],
                        evidence=e["evidence"],
                        evidence_en=e["evidence_en"],
                        trigger=e["trigger"],
                    )
                    for e in evs
                ],
            )

    # ----------------------------------------------------------------- index stage
    def pending_index(self, backend: str, limit: int | None = None) -> list[tuple[str, int, float]]:
        """(article id, analysis rev, relevance) of analyses the backend does not hold yet."""
        state = index_state.alias("s")
        j = analyses.outerjoin(
            state, sa.and_(state.c.article_id == analyses.c.article_id, state.c.backend == backend)
        )
        q = (
            sa.select(analyses.c.article_id, analyses.c.rev, analyses.c.relevance)
            .select_from(j)
            .where(sa.or_(state.c.article_id.is_(None), state.c.analysis_rev != analyses.c.rev))
            .order_by(analyses.c.article_id)
        )
        if limit:
            q = q.limit(limit)
        with self.engine.connect() as conn:
            return [(r[0], r[1], r[2]) for r in conn.execute(q)]

    def mark_indexed(self, backend: str, items: Iterable[tuple[str, int]], status: str = "indexed") -> None:
        rows = [
            {"article_id": a, "backend": backend, "analysis_rev": rev, "status": status, "at": _now()}
            for a, rev in items
        ]
        if not rows:
            return
        with self.engine.begin() as conn:
            stmt = self._insert(index_state)
            conn.execute(
                stmt.on_conflict_do_update(
                    index_elements=["article_id", "backend"],
                    set_={"analysis_rev": stmt.excluded.analysis_rev, "status": stmt.excluded.status, "at": stmt.excluded.at},
                ),
                rows,
            )

    def indexed_ids(self, backend: str) -> set[str]:
        with self.engine.connect() as conn:
            return set(
                conn.execute(
                    sa.select(index_state.c.article_id).where(
                        index_state.c.backend == backend, index_state.c.status == "indexed"
                    )
                ).scalars()
            )

    def reset_index_state(self, backend: str) -> None:
        with self.engine.begin() as conn:
            conn.execute(index_state.delete().where(index_state.c.backend == backend))

    # ----------------------------------------------------------------- entities
    def entity_table(self, limit: int = 100, type_: str | None = None) -> list[dict[str, Any]]:
        q = (
            sa.select(
                entities.c.id,
                entities.c.name,
                entities.c.type,
                sa.func.count(sa.distinct(mentions.c.article_id)).label("articles"),
                sa.func.count().label("mentions"),
            )
            .join(mentions, mentions.c.entity_id == entities.c.id)
            .group_by(entities.c.id, entities.c.name, entities.c.type)
            .order_by(sa.desc("articles"), entities.c.id)
            .limit(limit)
        )
        if type_:
            q = q.where(entities.c.type == type_)
        with self.engine.connect() as conn:
            rows = [dict(r) for r in conn.execute(q).mappings()]
            for r in rows:
                r["aliases"] = sorted(
                    conn.execute(
                        sa.select(entity_aliases.c.alias).where(entity_aliases.c.entity_id == r["id"])
                    ).scalars()
                )
        return rows

    def resolve_entity(self, key: str) -> list[str]:
        """Entity ids matching an id, a name or an alias (case-insensitive)."""
        low = key.strip().lower()
        with self.engine.connect() as conn:
            ids = conn.execute(sa.select(entities.c.id).where(sa.func.lower(entities.c.id) == low)).scalars().all()
            if ids:
                return list(ids)
            ids = conn.execute(
                sa.select(entities.c.id).where(sa.func.lower(entities.c.name) == low)
            ).scalars().all()
            ids += conn.execute(
                sa.select(entity_aliases.c.entity_id).where(sa.func.lower(entity_aliases.c.alias) == low)
            ).scalars().all()
        return sorted(set(ids))

    # ----------------------------------------------------------------- runs
    def start_run(self, kind: str, job: str | None = None) -> int:
        with self.engine.begin() as conn:
            res = conn.execute(runs.insert().values(kind=kind, job=job, started_at=_now(), status="running", counts={}))
            return int(res.inserted_primary_key[0])

    def finish_run(self, run_id: int, status: str, counts: dict[str, Any], error: str | None = None) -> None:
        with self.engine.begin() as conn:
            conn.execute(
                runs.update()
                .where(runs.c.id == run_id)
                .values(ended_at=_now(), status=status, counts=counts, error=error)
            )

    def list_runs(self, limit: int = 20, kind: str | None = None) -> list[dict[str, Any]]:
        q = sa.select(runs).order_by(runs.c.id.desc()).limit(limit)
        if kind:
            q = q.where(runs.c.kind == kind)
        with self.engine.connect() as conn:
            return [dict(r) for r in conn.execute(q).mappings()]

    def stats(self) -> dict[str, Any]:
        with self.engine.connect() as conn:
            def n(table: sa.Table) -> int:
                return conn.execute(sa.select(sa.func.count()).select_from(table)).scalar_one()

            by_source = dict(conn.execute(sa.select(articles.c.source, sa.func.count()).group_by(articles.c.source)).all())
            by_lang = dict(conn.execute(sa.select(analyses.c.lang, sa.func.count()).group_by(analyses.c.lang)).all())
            by_index = dict(
                conn.execute(
                    sa.select(index_state.c.backend + ":" + index_state.c.status, sa.func.count()).group_by(
                        index_state.c.backend, index_state.c.status
                    )
                ).all()
            )
            return {
                "articles": n(articles),
                "analyses": n(analyses),
                "entities": n(entities),
                "events": n(events),
                "drops": n(drops),
                "articles_by_source": by_source,
                "analyses_by_lang": by_lang,
                "index_state": by_index,
            }


def _article(row: Any) -> Article:
    return Article(
        id=row["id"],
        url=row["url"],
        canonical_url=row["canonical_url"],
        source=row["source"],
        fetched_at=row["fetched_at"],
        published_at=row["published_at"],
        date_method=row["date_method"],
        title=row["title"],
        text=row["text"],
        html_sha1=row["html_sha1"],
        content_sha1=row["content_sha1"],
        lang_hint=row["lang_hint"],
    )


def chunks(items: Sequence[Any], size: int) -> Iterator[Sequence[Any]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


def jsonable_row(row: dict[str, Any]) -> dict[str, Any]:
    return {k: (v.isoformat() if isinstance(v, (datetime, date)) else v) for k, v in row.items()}


__all__ = ["Store", "chunks", "jsonable_row"]
