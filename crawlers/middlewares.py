"""Spider middleware turning ignored HTTP errors into named, counted drops.

Scrapy's HttpErrorMiddleware silently ignores 4xx/5xx responses after retries;
operators need to see them, so they become FailedItem records (reason
``http-<status>``) that the store pipeline counts and records.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from scrapy.spidermiddlewares.httperror import HttpError

from crawlers.items import FailedItem


class DropCounterMiddleware:
    def process_spider_exception(self, response: Any, exception: Exception, spider: Any = None) -> Iterable[Any] | None:
        if isinstance(exception, HttpError):
            src = getattr(spider, "source", None)
            source = str(src.name if src is not None else getattr(spider, "name", "?"))
            return [
                FailedItem(
                    url=response.url,
                    source=source,
                    reason=f"http-{response.status}",
                    frontier_id=response.meta.get("frontier_id"),
                )
            ]
        return None
