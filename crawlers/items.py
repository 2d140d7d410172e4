"""Items the spiders yield: a fetched page, a page that could not be fetched, or one known unchanged."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(kw_only=True)
class PageItem:
    """A fetched article page, raw; extraction happens in the pipeline."""

    url: str
    source: str
    body: bytes
    content_type: str | None
    lang_hint: str | None
    hint_date: datetime | None = None
    hint_method: str = "feed"
    selectors: dict[str, str] | None = None
    frontier_id: str | None = None  # the crawl-frontier entry this page settles


@dataclass(kw_only=True)
class FailedItem:
    """A request that ended without a usable response (404, timeout, broken feed…)."""

    url: str
    source: str
    reason: str
    detail: str = ""
    frontier_id: str | None = None


@dataclass(kw_only=True)
class SkippedItem:
    """A known article the server says is unchanged (HTTP 304): nothing to store."""

    url: str
    source: str
    reason: str = "known-unchanged"
    frontier_id: str | None = None
