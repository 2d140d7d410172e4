"""The embedded index's SQLite schema and how an IndexDoc becomes its rows.

Tables (schema version in ``PRAGMA user_version``):

- ``docs``: the stored fields, one row per article; ``docno`` is the integer
  key shared with the FTS table (FTS5 needs an integer rowid), ``id`` the
  article id (unique).
- ``docs_fts``: FTS5 over the pre-tokenised ``title``/``text`` (analyzer of
  the article's language) and ``title_en``/``text_en`` (English analyzer).
  Our tokens are space-joined and already folded (:func:`indexer.tokenize.fold`),
  so ``unicode61`` only splits on spaces. ``neutral`` holds the
  language-neutral tokens (:mod:`indexer.neutral`).
- ``facets``: multi-valued facets ``(docno, field, value)`` for country,
  entity and event_type (lang and source are ``docs`` columns).
- ``events``: one row per event for timelines.

:func:`prepare` is pure: validation and tokenisation, no database.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from coopwatch.records import IndexDoc
from indexer.neutral import neutral_text
from indexer.tokenize import to_fts

SCHEMA_VERSION = 3  # 2: facets is a rowid table; 3: docs_fts.neutral, folded tokens (older files are rebuilt)

SCHEMA = """
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
    title, text, title_en, text_en, neutral,
    tokenize = "unicode61 remove_diacritics 0 categories 'L* N* Co M*'"
);
CREATE TABLE IF NOT EXISTS facets (
    docno INTEGER NOT NULL REFERENCES docs(docno) ON DELETE CASCADE,
    field TEXT NOT NULL,
    value TEXT NOT NULL,
    PRIMARY KEY (field, value, docno)
);
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


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


@dataclass
class Rows:
    """One document turned into table rows (tokenised), ready to write."""

    doc: tuple[Any, ...]
    fts: tuple[str, str, str, str, str]
    facets: list[tuple[str, str]]
    events: list[tuple[Any, ...]]


def prepare(doc: IndexDoc) -> Rows:
    """Validate and tokenise one document (pure; raises ValueError & co. when invalid)."""
    if not doc.id:
        raise ValueError("document has no id")
    countries = sorted({c.upper() for c in doc.countries or [] if c})
    entities, events = list(doc.entities or []), list(doc.events or [])
    pub = _iso(doc.published_at)
    facets = {("country", c) for c in countries}
    facets |= {("entity", e["id"]) for e in entities if e.get("id")}
    facets |= {("event_type", ev["type"]) for ev in events if ev.get("type")}
    event_rows = []
    for ev in events:
        day = str(ev["date"])[:10] if ev.get("date") else None
        event_rows.append(
            (
                ev.get("type") or "other",
                day,
                ev.get("precision") or ("day" if day else "none"),
                json.dumps(list(ev.get("participants") or [])),
                json.dumps(sorted({c.upper() for c in ev.get("countries") or [] if c})),
                ev.get("evidence") or "",
                ev.get("evidence_en"),
            )
        )
    return Rows(
        doc=(
            doc.id,
            doc.url,
            doc.source,
            doc.lang,
            doc.title or "",
            doc.text or "",
            doc.title_en,
            doc.text_en,
            pub,
            pub[:10] if pub else None,
            float(doc.relevance or 0.0),
            json.dumps(countries),
            json.dumps(entities, ensure_ascii=False),
            json.dumps(events, ensure_ascii=False, default=str),
            datetime.now().isoformat(timespec="seconds"),
        ),
        fts=(
            to_fts(doc.title, doc.lang),
            to_fts(doc.text, doc.lang),
            to_fts(doc.title_en, "en"),
            to_fts(doc.text_en, "en"),
            neutral_text(doc),
        ),
        facets=sorted(facets),
        events=event_rows,
    )
