"""The store's own crawl frontier: resumable after SIGKILL, incremental across runs.

A spider middleware sees every request a spider yields, whatever its kind
(feed entries, SitemapSpider's sitemap entries, CrawlSpider's rule links):

* an article URL the store already holds, whose feed/sitemap date is not
  newer than the stored fetch, is not requested at all
  (``skipped/known-unchanged``);
* any other article URL is written to the ``frontier`` table as *pending*
  before it is scheduled; a known one is asked for conditionally
  (``If-Modified-Since`` the stored fetch; a 304 answer is also
  ``known-unchanged``);
* the store pipeline marks each frontier entry *done* with its outcome (new,
  updated, unchanged, known-unchanged or the drop reason).

At start-up the middleware re-issues the source's *pending* entries first. A
crawl killed at any moment (SIGKILL included — Scrapy's JOBDIR queue is not
safe against that) therefore loses nothing on the next run, even when the feed
has moved on and no longer lists what was discovered; and since articles are
upserted by id, nothing is stored twice.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from email.utils import format_datetime
from typing import Any
from urllib.parse import urlsplit

import scrapy
from scrapy.spidermiddlewares.base import BaseSpiderMiddleware

from coopwatch.records import article_id
from coopwatch.store import Store
from crawlers.settings import app_settings

SKIPPED = "known-unchanged"


def http_date(naive_local: datetime) -> str:
    """An HTTP date for a naive local timestamp as the store keeps them."""
    return format_datetime(naive_local.astimezone(UTC), usegmt=True)


def on_domains(url: str, domains: list[str]) -> bool:
    """Whether the URL's host is one of ``domains`` or a subdomain (ports ignored, like OffsiteMiddleware)."""
    host = (urlsplit(url).hostname or "").lower()
    return any(host == d.lower() or host.endswith("." + d.lower()) for d in domains)


class FrontierMiddleware(BaseSpiderMiddleware):
    def __init__(self, crawler: Any):
        super().__init__(crawler)
        settings = app_settings(crawler.settings)
        self.store = Store.open(settings)
        self.stats = crawler.stats
        self.incremental = crawler.settings.getbool("COOPWATCH_INCREMENTAL", True)
        # frontier id → True when queued, False when skipped, in this run (the dupefilter drops repeats)
        self.seen: dict[str, bool] = {}
        crawler.signals.connect(self.store.close, signal=scrapy.signals.spider_closed)

    # ------------------------------------------------------------ resume
    async def process_start(self, start: AsyncIterator[Any]) -> AsyncIterator[Any]:
        spider: Any = self.crawler.spider
        source = getattr(spider, "source", None)
        if source is not None:
            pending = self.store.frontier_pending(source.name)
            if pending:
                self.stats.set_value("frontier/resumed", len(pending))
            for row in pending:
                self.seen[row["id"]] = True
                req = scrapy.Request(
                    row["url"],
                    callback=spider.parse_article,
                    errback=spider.on_error,
                    cb_kwargs={"hint_date": row["hint_date"], "hint_method": row["hint_method"] or "feed"},
                    meta={"frontier_id": row["id"]},
                )
                yield self._conditional(req, row["id"])
        async for item in start:  # feeds, sitemaps, listing pages: not frontier entries
            yield item

    # ------------------------------------------------------------ discovery
    def get_processed_request(self, request: scrapy.Request, response: Any) -> scrapy.Request | None:
        spider: Any = self.crawler.spider
        if not hasattr(spider, "source") or not spider.is_article(request.url):
            return request
        if not on_domains(request.url, spider.source.allowed_domains):
            return request  # Scrapy's OffsiteMiddleware refuses it; nothing to track
        aid = article_id(request.url)
        if aid in self.seen:  # e.g. the same article behind a tracking-parameter URL
            if not self.seen[aid]:
                self.stats.inc_value(f"skipped/{SKIPPED}")
                return None
            request.meta["frontier_id"] = aid
            return self._conditional(request, aid)
        hint_date, hint_method = spider.hint_for(request)
        fetched = self.store.article_fetched_at(aid) if self.incremental else None
        if fetched is not None and hint_date is not None and hint_date <= fetched:
            self.seen[aid] = False
            self.stats.inc_value(f"skipped/{SKIPPED}")
            return None
        self.seen[aid] = True
        self.store.frontier_add(
            id=aid, source=spider.source.name, url=request.url, hint_date=hint_date, hint_method=hint_method
        )
        request.meta["frontier_id"] = aid
        return self._conditional(request, aid, fetched)

    def _conditional(self, req: scrapy.Request, aid: str, fetched: datetime | None = None) -> scrapy.Request:
        """Ask for a known article only if it changed since the stored fetch."""
        if fetched is None and self.incremental:
            fetched = self.store.article_fetched_at(aid)
        if fetched is not None:
            req.headers["If-Modified-Since"] = http_date(fetched)
            req.meta["handle_httpstatus_list"] = [304]
        return req
