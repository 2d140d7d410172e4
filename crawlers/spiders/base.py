"""What every coopwatch spider shares: its source, article pages, failures."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import datetime
from typing import Any

from scrapy.exceptions import DownloadTimeoutError, IgnoreRequest
from scrapy.http import Response, TextResponse
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.internet.error import DNSLookupError, TCPTimedOutError, TimeoutError
from twisted.python.failure import Failure

from crawlers.items import FailedItem, PageItem, SkippedItem
from crawlers.sources import Source, load_sources


class SourceSpiderMixin:
    """Loads the source named by ``-a source=NAME`` and applies its settings."""

    source: Source
    name: str

    def _init_source(self, source: str | None, sources_file: str | None) -> None:
        if not source:
            raise ValueError(f"spider {self.name!r} needs -a source=NAME (see `coopwatch sources list`)")
        registry = {s.name: s for s in load_sources(sources_file)}
        if source not in registry:
            raise ValueError(f"unknown source {source!r}; known: {', '.join(sorted(registry))}")
        self.source = registry[source]
        if self.source.kind != self.name:
            raise ValueError(f"source {source!r} is of kind {self.source.kind!r}, not {self.name!r}")
        self.start_urls = list(self.source.start_urls)
        self.allowed_domains = list(self.source.allowed_domains)
        self._article_res = [re.compile(p) for p in self.source.article_patterns]
        # Per-source politeness overrides the project defaults.
        self.download_delay = self.source.politeness.download_delay

    def is_article(self, url: str) -> bool:
        return any(r.search(url) for r in self._article_res)

    def hint_for(self, request: Any) -> tuple[datetime | None, str]:
        """The date a feed or sitemap gave for an article request (used to skip known, unchanged ones)."""
        return request.cb_kwargs.get("hint_date"), request.cb_kwargs.get("hint_method", "feed")

    def page_item(self, response: Response, hint_date: datetime | None = None, hint_method: str = "feed") -> PageItem:
        ctype = response.headers.get("Content-Type")
        return PageItem(
            url=response.url,
            source=self.source.name,
            body=response.body,
            content_type=ctype.decode("latin-1") if ctype else None,
            lang_hint=self.source.lang,
            hint_date=hint_date,
            hint_method=hint_method,
            selectors=self.source.selectors or None,
            frontier_id=response.meta.get("frontier_id"),
        )

    def parse_article(self, response: Response, **kw: Any) -> Iterator[PageItem | FailedItem | SkippedItem]:
        if response.status == 304:  # asked conditionally (crawlers.frontier): unchanged since the stored fetch
            yield SkippedItem(url=response.url, source=self.source.name, frontier_id=response.meta.get("frontier_id"))
            return
        if not isinstance(response, TextResponse):
            ctype = (response.headers.get("Content-Type") or b"?").decode("latin-1")
            yield FailedItem(
                url=response.url,
                source=self.source.name,
                reason="not-html",
                detail=ctype,
                frontier_id=response.meta.get("frontier_id"),
            )
            return
        yield self.page_item(response, kw.get("hint_date"), kw.get("hint_method", "feed"))

    def on_error(self, failure: Failure) -> Iterator[FailedItem]:
        """Errback: every failed request becomes a named, counted drop."""
        request = failure.request  # type: ignore[attr-defined]
        if failure.check(HttpError):
            reason = f"http-{failure.value.response.status}"
        elif failure.check(DownloadTimeoutError, TimeoutError, TCPTimedOutError):
            reason = "timeout"
        elif failure.check(DNSLookupError):
            reason = "dns"
        elif "max size" in str(failure.value).lower() or "maxsize" in str(failure.value).lower():
            reason = "oversized"
        elif failure.check(IgnoreRequest) and "redirect" in str(failure.value).lower():
            reason = "too-many-redirects"
        elif failure.check(IgnoreRequest) and "robots.txt" in str(failure.value).lower():
            reason = "robots-disallowed"
        else:
            reason = "fetch-error"
        yield FailedItem(
            url=request.url,
            source=self.source.name,
            reason=reason,
            detail=str(failure.value)[:500],
            frontier_id=request.meta.get("frontier_id"),
        )
