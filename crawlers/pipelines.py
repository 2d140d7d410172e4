"""Item pipeline: extract each page and write it into the store.

A thin adapter over :func:`crawlers.extract.build_article` and
:class:`coopwatch.store.Store`: every outcome is counted in Scrapy's stats
(``coopwatch/new``, ``coopwatch/updated``, ``coopwatch/unchanged``,
``dropped/<reason>``) and every drop is recorded in the store with its reason.
"""

from __future__ import annotations

from typing import Any

from scrapy.exceptions import DropItem

from coopwatch.settings import load_settings
from coopwatch.store import Store
from crawlers.extract import Dropped, build_article
from crawlers.items import FailedItem, PageItem


class StorePipeline:
    def __init__(self, store: Store, stats: Any, max_bytes: int):
        self.store = store
        self.stats = stats
        self.max_bytes = max_bytes

    @classmethod
    def from_crawler(cls, crawler: Any) -> StorePipeline:
        settings = load_settings(data_dir=crawler.settings.get("COOPWATCH_DATA_DIR"))
        return cls(Store.open(settings), crawler.stats, crawler.settings.getint("COOPWATCH_MAX_PAGE_BYTES"))

    def close_spider(self, spider: Any = None) -> None:
        self.store.close()

    def process_item(self, item: Any, spider: Any = None) -> Any:
        if isinstance(item, FailedItem):
            self._drop(item.source, item.url, item.reason, item.detail)
        if not isinstance(item, PageItem):
            return item
        try:
            art = build_article(
                url=item.url,
                source=item.source,
                body=item.body,
                content_type=item.content_type,
                lang_hint=item.lang_hint,
                max_bytes=self.max_bytes,
                hint_date=item.hint_date,
                hint_method=item.hint_method,
                selectors=item.selectors,
            )
        except Dropped as exc:
            self._drop(item.source, item.url, exc.reason, exc.detail)
        original = self.store.known_content(art.content_sha1)
        if original is not None and original != art.id:
            self._drop(item.source, item.url, "duplicate-content", f"same text as article {original}")
        outcome = self.store.upsert_article(art)
        self.stats.inc_value(f"coopwatch/{outcome}")
        return {"id": art.id, "url": art.url, "outcome": outcome}

    def _drop(self, source: str, url: str, reason: str, detail: str) -> None:
        self.store.record_drop(source=source, url=url, reason=reason, detail=detail)
        self.stats.inc_value(f"dropped/{reason}")
        raise DropItem(f"{reason}: {url} {detail}".strip())
