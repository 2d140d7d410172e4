"""A page that raises inside the store pipeline is a named, counted failure, never a silent loss."""

from __future__ import annotations

import pytest
from scrapy.exceptions import DropItem
from scrapy.statscollectors import MemoryStatsCollector
from scrapy.utils.test import get_crawler

from coopwatch.records import article_id
from coopwatch.store import Store
from crawlers.items import PageItem
from crawlers.pipelines import StorePipeline
from crawlers.runner import summarise
from schedules.jobs import aggregate

PAGE = (
    "<html><head><title>Hospitals sign telemedicine MoU</title></head><body><article><h1>Hospitals sign MoU</h1><p>"
    + "Bach Mai Hospital and Charité signed a telemedicine cooperation agreement in Hanoi. " * 4
    + "</p></article></body></html>"
).encode()


def test_an_exception_on_one_page_is_a_named_failed_drop_that_settles_the_frontier(settings):
    store = Store.open(settings)
    url = "http://127.0.0.1:9/news/mou.html"
    aid = article_id(url)
    store.frontier_add(id=aid, source="s1", url=url)
    stats = MemoryStatsCollector(get_crawler())
    pipe = StorePipeline(store, stats, 1_000_000)
    # a selector that never went through the registry's validation: parsel raises on it
    item = PageItem(url=url, source="s1", body=PAGE, content_type="text/html", lang_hint="en",
                    selectors={"title": "[[["}, frontier_id=aid)
    with pytest.raises(DropItem, match="extract-error"):
        pipe.process_item(item)
    assert store.drop_counts() == {"extract-error": 1}
    assert store.frontier_pending("s1") == []
    assert store.frontier_counts("s1") == {"done": 1}
    assert stats.get_value("dropped/extract-error") == 1 and stats.get_value("coopwatch/failed") == 1
    # the next page is handled as usual
    good = PageItem(url=url.replace("mou", "mou2"), source="s1", body=PAGE, content_type="text/html", lang_hint="en")
    assert pipe.process_item(good)["outcome"] == "new"


def test_failed_pages_make_the_crawl_and_the_run_failed():
    report = summarise({"s1": {"coopwatch/new": 2, "coopwatch/failed": 1, "dropped/extract-error": 1,
                               "finish_reason": "finished"}})
    assert report["totals"]["failed"] == 1 and report["totals"]["dropped/extract-error"] == 1
    assert aggregate({"crawl": report})["failed"] == 1
