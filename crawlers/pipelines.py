"""Item pipeline: extract each page and write it into the store.

A thin adapter over :func:`crawlers.extract.build_article`,
:mod:`crawlers.dedup` and :class:`coopwatch.store.Store`: every outcome is
counted in Scrapy's stats (``coopwatch/new``, ``coopwatch/updated``,
``coopwatch/unchanged``, ``coopwatch/duplicate-near``, ``skipped/<reason>``,
``dropped/<reason>``), every drop is recorded in the store with its reason, and
the crawl-frontier entry of the page (:mod:`crawlers.frontier`) is marked done
with its outcome only after that outcome is committed.

Exact copies (same content hash as another article) are dropped as
``duplicate-content`` — the text is already stored. Near-duplicates
(syndicated copies with edits) are kept and linked to the original in the
store's ``duplicates`` table.
"""

from __future__ import annotations

from typing import Any

from scrapy.exceptions import DropItem

from coopwatch.records import Article
from coopwatch.store import Store
from crawlers.settings import app_settings
from crawlers import dedup
from crawlers.extract import Dropped, build_article
from crawlers.items import FailedItem, PageItem, SkippedItem


class StorePipeline:
    def __init__(self, store: Store, stats: Any, max_bytes: int):
        self.store = store
        self.stats = stats
        self.max_bytes = max_bytes
        self.near = dedup.NearDuplicateIndex()
        for aid, sig in store.iter_signatures(dedup.SCHEME):
            self.near.add(aid, dedup.from_bytes(sig))

    @classmethod
    def from_crawler(cls, crawler: Any) -> StorePipeline:
        settings = app_settings(crawler.settings)
        return cls(Store.open(settings), crawler.stats, crawler.settings.getint("COOPWATCH_MAX_PAGE_BYTES"))

    def close_spider(self, spider: Any = None) -> None:
        self.store.close()

    def process_item(self, item: Any, spider: Any = None) -> Any:
        if isinstance(item, FailedItem):
            self._drop(item.source, item.url, item.reason, item.detail, item.frontier_id)
        if isinstance(item, SkippedItem):
            self.stats.inc_value(f"skipped/{item.reason}")
            self._settle(item.frontier_id, item.reason)
            return {"url": item.url, "outcome": item.reason}
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
            self._drop(item.source, item.url, exc.reason, exc.detail, item.frontier_id)
        original = self.store.known_content(art.content_sha1)
        if original is not None and original != art.id:
            self._drop(item.source, item.url, "duplicate-content", f"same text as article {original}", item.frontier_id)
        outcome = self.store.upsert_article(art)
        self.stats.inc_value(f"coopwatch/{outcome}")
        if outcome != "unchanged":
            self._near_duplicates(art)
        self._settle(item.frontier_id, outcome)
        return {"id": art.id, "url": art.url, "outcome": outcome}

    def _near_duplicates(self, art: Article) -> None:
        sig = dedup.signature(art.title + "\n" + art.text)
        match = self.near.find(art.id, sig)
        if match is not None:
            self.store.mark_duplicate(art.id, match[0], match[1])
            self.stats.inc_value("coopwatch/duplicate-near")
        else:
            self.store.clear_duplicate(art.id)
        self.store.save_signature(art.id, dedup.SCHEME, dedup.to_bytes(sig))
        self.near.add(art.id, sig)

    def _settle(self, frontier_id: str | None, outcome: str) -> None:
        if frontier_id:
            self.store.frontier_done(frontier_id, outcome)

    def _drop(self, source: str, url: str, reason: str, detail: str, frontier_id: str | None = None) -> None:
        self.store.record_drop(source=source, url=url, reason=reason, detail=detail)
        self._settle(frontier_id, reason)
        self.stats.inc_value(f"dropped/{reason}")
        raise DropItem(f"{reason}: {url} {detail}".strip())
