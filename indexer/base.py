"""The SearchBackend contract shared by every search engine.

Every backend (embedded SQLite FTS5, Elasticsearch/OpenSearch) implements the
same methods over the same records, and one contract test-suite
(``tests/indexer/test_contract.py``) runs against each.
"""

from __future__ import annotations

import abc
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from coopwatch.errors import CoopwatchError
from coopwatch.query import Node
from coopwatch.records import IndexDoc

INTERVALS = ("year", "month", "day")


@dataclass(kw_only=True)
class SearchQuery:
    """A search: free text (any language) plus filters.

    Empty ``text`` means "match everything" (filters and facets still apply).
    List filters are OR within a field and AND across fields.
    """

    text: str = ""
    # The parsed and expanded query (coopwatch.query); None: ``text`` is parsed as typed (no expansion).
    tree: Node | None = None
    langs: list[str] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)
    countries: list[str] = field(default_factory=list)
    entities: list[str] = field(default_factory=list)  # canonical entity ids
    event_types: list[str] = field(default_factory=list)
    date_from: date | None = None  # on published_at, inclusive
    date_to: date | None = None  # inclusive
    page: int = 1
    per_page: int = 10
    facets: bool = True


@dataclass(kw_only=True)
class SearchHit:
    id: str
    score: float
    url: str
    source: str
    lang: str
    title: str
    title_en: str | None
    published_at: str | None  # ISO date-time
    snippet: str  # HTML-escaped text with <mark>…</mark> around matches
    snippet_en: str | None
    countries: list[str]
    entities: list[dict[str, str]]
    event_types: list[str]


@dataclass(kw_only=True)
class SearchResults:
    total: int
    hits: list[SearchHit]
    facets: dict[str, dict[str, int]]  # field → value → count; fields: lang, source, country, entity, event_type
    page: int
    per_page: int


@dataclass(kw_only=True)
class Bucket:
    period: str  # "2023", "2023-11" or "2023-11-06"
    counts: dict[str, int]  # event type → number of events; "mentions" → articles mentioning


@dataclass(kw_only=True)
class IndexReport:
    indexed: list[str] = field(default_factory=list)  # ids acknowledged by the engine
    failed: dict[str, str] = field(default_factory=dict)  # id → reason


class BackendError(CoopwatchError):
    """The engine cannot be reached or refused a request (message says how to fix)."""


def batched(docs: Iterable[IndexDoc], size: int) -> Iterator[list[IndexDoc]]:
    """Lists of at most ``size`` docs (itertools.batched arrives only in Python 3.12)."""
    batch: list[IndexDoc] = []
    for doc in docs:
        batch.append(doc)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


class SearchBackend(abc.ABC):
    """One search engine. Document id = article id; ``index`` is an upsert."""

    name: str = "abstract"

    @abc.abstractmethod
    def check(self) -> None:
        """Raise BackendError with an actionable message when the engine is unusable."""

    @abc.abstractmethod
    def index(self, docs: Iterable[IndexDoc]) -> IndexReport: ...

    @abc.abstractmethod
    def delete(self, ids: Sequence[str]) -> int: ...

    @abc.abstractmethod
    def get(self, doc_id: str) -> dict[str, Any] | None: ...

    @abc.abstractmethod
    def count(self) -> int: ...

    @abc.abstractmethod
    def search(self, query: SearchQuery) -> SearchResults: ...

    @abc.abstractmethod
    def timeline(
        self, *, entity: str | None = None, countries: Sequence[str] = (), query: str = "", interval: str = "month"
    ) -> list[Bucket]:
        """Events per period stacked by event type, plus article mentions.

        ``entity``: events whose participants include the entity id (mentions:
        articles mentioning it). ``countries``: events involving all these
        countries (a country pair). ``query``: events of matching articles.
        Events without a date are not bucketed. Periods sorted ascending.
        """

    @abc.abstractmethod
    def events(
        self, *, entity: str | None = None, countries: Sequence[str] = (), query: str = ""
    ) -> list[dict[str, Any]]:
        """The dated events behind a timeline, each with article id, url, title, source."""

    def close(self) -> None:  # pragma: no cover - optional
        pass
