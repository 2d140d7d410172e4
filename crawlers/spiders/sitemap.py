"""Sitemap spider: Scrapy's SitemapSpider (indexes, robots.txt, news sitemaps).

Dates from ``<news:publication_date>`` or ``<lastmod>`` are kept as a hint for
pages whose HTML carries no date metadata.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import datetime
from typing import Any

import dateparser
from scrapy.http import Response
from scrapy.spiders import SitemapSpider

from crawlers.spiders.base import SourceSpiderMixin


class NewsSitemapSpider(SourceSpiderMixin, SitemapSpider):
    name = "sitemap"

    def __init__(self, source: str | None = None, sources_file: str | None = None, **kw: Any):
        self._init_source(source, sources_file)
        self.sitemap_urls = list(self.source.start_urls)
        self.sitemap_rules = [(p, "parse_article") for p in self.source.article_patterns]
        self._dates: dict[str, datetime] = {}
        super().__init__(**kw)

    def sitemap_filter(self, entries: Iterable[dict[str, Any]]) -> Iterator[dict[str, Any]]:
        for entry in entries:
            raw = entry.get("publication_date") or entry.get("lastmod")
            news = entry.get("news")
            if isinstance(news, dict):
                raw = news.get("publication_date") or raw
            if raw and "loc" in entry:
                parsed = dateparser.parse(str(raw), settings={"RETURN_AS_TIMEZONE_AWARE": False})
                if parsed:
                    self._dates[entry["loc"]] = parsed
            yield entry

    def hint_for(self, request: Any) -> tuple[datetime | None, str]:
        return request.cb_kwargs.get("hint_date") or self._dates.get(request.url), "sitemap"

    def parse_article(self, response: Response, **kw: Any) -> Iterator[Any]:
        hint = kw.get("hint_date") or self._dates.get(response.url)
        if hint is None and response.request is not None:
            first = (response.request.meta.get("redirect_urls") or [response.request.url])[0]
            hint = self._dates.get(first)
        yield from super().parse_article(response, hint_date=hint, hint_method="sitemap")
