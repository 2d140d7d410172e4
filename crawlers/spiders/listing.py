"""Listing spider: Scrapy's CrawlSpider over section pages and their pagination."""

from __future__ import annotations

from typing import Any

from scrapy.linkextractors import LinkExtractor
from scrapy.spiders import CrawlSpider, Rule

from crawlers.spiders.base import SourceSpiderMixin


class ListingSpider(SourceSpiderMixin, CrawlSpider):
    name = "listing"

    def __init__(self, source: str | None = None, sources_file: str | None = None, **kw: Any):
        self._init_source(source, sources_file)
        self.rules = (
            Rule(
                LinkExtractor(allow=self.source.article_patterns),
                callback="parse_article",
                errback="on_error",
                follow=False,
            ),
            Rule(LinkExtractor(allow=self.source.follow_patterns or [r"$^"]), follow=True, errback="on_error"),
        )
        super().__init__(**kw)
