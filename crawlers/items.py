"""Items the spiders yield: a fetched page, or a page that could not be fetched."""

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


@dataclass(kw_only=True)
class FailedItem:
    """A request that ended without a usable response (404, timeout, broken feed…)."""

    url: str
    source: str
    reason: str
    detail: str = ""
