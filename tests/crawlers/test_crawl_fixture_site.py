"""Crawl a real local HTTP server full of bad input; count every outcome, lose nothing."""

from __future__ import annotations

from pathlib import Path

import pytest

from coopwatch.settings import with_overrides
from coopwatch.store import Store
from crawlers.runner import run_crawl
from crawlers.sources import load_sources

FIXTURE_SOURCES = Path(__file__).parents[1] / "fixtures" / "sources.yaml"


@pytest.fixture
def crawl_env(settings, fixture_server, tmp_path):
    settings = with_overrides(settings, max_page_bytes=2_000_000, download_timeout=1.5)
    text = FIXTURE_SOURCES.read_text().replace("{base}", fixture_server)
    path = tmp_path / "sources.yaml"
    path.write_text(text)
    return settings, load_sources(path), path


def test_feed_crawl_stores_good_pages_and_names_every_drop(crawl_env):
    settings, sources, path = crawl_env
    feed = [s for s in sources if s.name == "fixture-feed"]
    report = run_crawl(settings, feed, path)
    totals = report["totals"]
    store = Store.open(settings)
    stats = store.stats()
    # a1 (twice in the feed: the tracking-parameter copy canonicalises to the same id),
    # a2 (German), gbk.html, big5.html are stored once each.
    assert stats["articles"] == 4, stats
    assert totals["new"] == 4
    drops = store.drop_counts()
    assert drops.get("http-404") == 1
    assert drops.get("http-500") == 1
    assert drops.get("too-many-redirects") == 1
    assert drops.get("timeout") == 1
    assert drops.get("oversized") == 1
    # syndicated.html repeats a1's text: whichever arrives second is a named duplicate
    assert drops.get("duplicate-content", 0) >= 1
    assert drops.get("not-html") == 1  # report.pdf
    assert drops.get("empty", 0) + drops.get("no-main-text", 0) + drops.get("too-short", 0) >= 2  # empty + menu


def test_encodings_and_dates(crawl_env):
    settings, sources, path = crawl_env
    run_crawl(settings, [s for s in sources if s.name == "fixture-feed"], path)
    store = Store.open(settings)
    by_title = {}
    for aid in [a for a in store.engine.connect().exec_driver_sql("select id from articles").scalars()]:
        art = store.get_article(aid)
        by_title[art.title] = art
    gbk = by_title["广西与越南签署卫生合作协议"]
    assert "越南卫生部" in gbk.text
    assert gbk.published_at.date().isoformat() == "2023-11-06"
    assert gbk.date_method == "dateline"  # never the footer's 2008-2026
    big5 = by_title["華西醫院啟動遠程醫療平台"]
    assert "遠程醫療" in big5.text
    de = by_title["Deutsch-chinesisches Gesundheitsforum in Berlin"]
    assert de.published_at.date().isoformat() == "2023-11-14" and de.date_method == "dateline"
    en = by_title["Bach Mai Hospital and Charité sign MoU"]
    assert en.date_method == "metadata" and en.published_at.date().isoformat() == "2022-09-08"


def test_recrawl_is_idempotent_and_incremental(crawl_env):
    settings, sources, path = crawl_env
    feed = [s for s in sources if s.name == "fixture-feed"]
    run_crawl(settings, feed, path)
    store = Store.open(settings)
    fetched = {
        a: store.get_article(a).fetched_at
        for a in store.engine.connect().exec_driver_sql("select id from articles").scalars()
    }
    second = run_crawl(settings, feed, path)
    t = second["totals"]
    # a1 carries a feed date older than its stored fetch: not requested at all; the other
    # known articles are asked If-Modified-Since and the server answers 304.
    assert t["new"] == 0 and t["updated"] == 0 and t["unchanged"] == 0, t
    assert t["skipped/known-unchanged"] >= 4, t
    assert store.stats()["articles"] == 4
    assert store.frontier_counts() == {"done": store.frontier_counts()["done"]}  # nothing left pending
    # a full (non-incremental) crawl fetches them again: all unchanged, nothing duplicated
    third = run_crawl(settings, feed, path, incremental=False)
    assert third["totals"]["unchanged"] == 4 and third["totals"]["new"] == 0
    assert store.stats()["articles"] == 4
    assert all(store.get_article(a).fetched_at >= f for a, f in fetched.items())


def test_broken_feed_is_a_named_drop(crawl_env):
    settings, sources, path = crawl_env
    report = run_crawl(settings, [s for s in sources if s.name == "fixture-broken-feed"], path)
    assert report["totals"].get("dropped/broken-feed") == 1
    assert Store.open(settings).drop_counts() == {"broken-feed": 1}
