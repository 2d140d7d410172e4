"""Item pipeline: extract each page and write it into the store.

A thin adapter over :func:`crawlers.extract.build_article` and
:class:`crawlers.intake.Intake` (duplicate checks shared with ``ingest``): every outcome is
counted in Scrapy's stats (``coopwatch/new``, ``coopwatch/updated``,
``coopwatch/unchanged``, ``coopwatch/duplicate-near``, ``skipped/<reason>``,
``dropped/<reason>``), every drop is recorded in the store with its reason, and
the crawl-frontier entry of the page (:mod:`crawlers.frontier`) is marked done
with its outcome only after that outcome is committed.

Any unexpected exception while handling one page (a bug, a store error)
becomes the drop ``extract-error``, also counted as ``coopwatch/failed`` so the
crawl is reported failed and exits 1; its frontier entry is settled with that
outcome instead of staying pending for ever.

Exact copies (same content hash as another article) are dropped as
``duplicate-content`` — the text is already stored. Near-duplicates
(syndicated copies with edits) are kept and linked to the original in the
store's ``duplicates`` table.
"""

from __future__ import annotations

from typing import Any, NoReturn

from scrapy.exceptions import DropItem

from coopwatch.store import Store
from crawlers.settings import app_settings
from crawlers.extract import Dropped, build_article
from crawlers.intake import Intake
from crawlers.items import FailedItem, PageItem, SkippedItem


ITEM_ERROR = "extract-error"  # an unexpected exception while handling one page: counted as failed too


class StorePipeline:
    def __init__(self, store: Store, stats: Any, max_bytes: int):
        self.store = store
        self.stats = stats
        self.max_bytes = max_bytes
        self.intake = Intake(store)

    @classmethod
    def from_crawler(cls, crawler: Any) -> StorePipeline:
        settings = app_settings(crawler.settings)
        return cls(Store.open(settings), crawler.stats, crawler.settings.getint("COOPWATCH_MAX_PAGE_BYTES"))

    def close_spider(self, spider: Any = None) -> None:
        self.store.close()

    def process_item(self, item: Any, spider: Any = None) -> Any:
        try:
            return self._process(item)
        except DropItem:
            raise
        except Exception as exc:  # a bug or a store error on one page: a named failure, never a silent loss
            if not isinstance(item, (PageItem, FailedItem, SkippedItem)):
                raise
            self.stats.inc_value("coopwatch/failed")
            self._drop(item.source, item.url, ITEM_ERROR, f"{type(exc).__name__}: {exc}", item.frontier_id)

    def _process(self, item: Any) -> Any:
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
            admitted = self.intake.admit(art)
        except Dropped as exc:
            self._drop(item.source, item.url, exc.reason, exc.detail, item.frontier_id)
        self.stats.inc_value(f"coopwatch/{admitted.outcome}")
        if admitted.near is not None:
            self.stats.inc_value("coopwatch/duplicate-near")
        self._settle(item.frontier_id, admitted.outcome)
        return {"id": art.id, "url": art.url, "outcome": admitted.outcome}

    def _settle(self, frontier_id: str | None, outcome: str) -> None:
        if frontier_id:
            self.store.frontier_done(frontier_id, outcome)

    def _drop(self, source: str, url: str, reason: str, detail: str, frontier_id: str | None = None) -> NoReturn:
        self.store.record_drop(source=source, url=url, reason=reason, detail=detail)
        self._settle(frontier_id, reason)
        self.stats.inc_value(f"dropped/{reason}")
        raise DropItem(f"{reason}: {url} {detail}".strip())
