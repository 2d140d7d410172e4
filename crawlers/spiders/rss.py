"""Feed spider: RSS 2.0 / Atom feeds → article pages (feedparser reads the feeds)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any

import feedparser
import scrapy
from scrapy.http import Response

from crawlers.items import FailedItem
from crawlers.spiders.base import SourceSpiderMixin


class FeedSpider(SourceSpiderMixin, scrapy.Spider):
    name = "rss"

    def __init__(self, source: str | None = None, sources_file: str | None = None, **kw: Any):
        super().__init__(**kw)
        self._init_source(source, sources_file)

    async def start(self) -> Any:
        for url in self.start_urls:
            yield scrapy.Request(url, callback=self.parse, errback=self.on_error)

    def parse(self, response: Response, **kw: Any) -> Iterator[Any]:
        feed = feedparser.parse(response.body, response_headers={"content-location": response.url})
        entries = [e for e in feed.entries if e.get("link")]
        if not entries:
            detail = str(feed.get("bozo_exception", "no entries with a link"))
            yield FailedItem(url=response.url, source=self.source.name, reason="broken-feed", detail=detail)
            return
        for entry in entries:
            url = response.urljoin(entry["link"])
            if not self.is_article(url):
                self.crawler.stats.inc_value("skipped/not-article-url")
                continue
            parsed = entry.get("published_parsed") or entry.get("updated_parsed")
            hint = datetime(*parsed[:6]) if parsed else None
            yield scrapy.Request(
                url,
                callback=self.parse_article,
                errback=self.on_error,
                cb_kwargs={"hint_date": hint, "hint_method": "feed"},
            )
