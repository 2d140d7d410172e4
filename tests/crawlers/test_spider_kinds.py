"""Each spider kind against the bundled demo site, a local replica of real portals.

RSS 2.0 (en), Atom 1.0 (de), a sitemap index pointing at a Google News sitemap
(vi) and a listing with pagination plus a GBK-encoded section (zh) — crawled
in one run through the real child-process runner.
"""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from coopwatch.demo.server import SITE_DIR, serve_site
from coopwatch.store import Store
from crawlers.runner import run_crawl
from crawlers.sources import load_sources

DEMO_SOURCES = SITE_DIR.parent / "sources.yaml"


@pytest.fixture(scope="module")
def demo_crawl(tmp_path_factory):
    from coopwatch.settings import load_settings

    tmp = tmp_path_factory.mktemp("kinds")
    settings = load_settings(data_dir=tmp / "data", env={})
    with serve_site() as base:
        path = tmp / "sources.yaml"
        path.write_text(DEMO_SOURCES.read_text().replace("{base}", base))
        report = run_crawl(settings, load_sources(path), path)
        store = Store.open(settings)
        with store.engine.connect() as conn:
            ids = list(conn.exec_driver_sql("select id from articles").scalars())
        arts = [store.get_article(a) for a in ids]
        yield SimpleNamespace(
            report=report,
            arts={a.url.split(base, 1)[1]: a for a in arts},
            store=store,
            recrawl=lambda: run_crawl(settings, load_sources(path), path),
        )


def test_every_kind_stores_its_articles(demo_crawl):
    report = demo_crawl.report
    per = report["sources"]
    assert per["demo-en"]["new"] == 6  # RSS 2.0
    assert per["demo-de"]["new"] == 6  # Atom 1.0
    assert per["demo-vi"]["new"] == 6  # sitemap index → news sitemap
    assert per["demo-zh"]["new"] == 6  # listing: 2 pages + the GBK section
    assert all(v.get("finish_reason") == "finished" for v in per.values())
    assert not any(k.startswith("dropped/") for k in report["totals"]), report["totals"]


def test_listing_follows_pagination_and_decodes_gbk(demo_crawl):
    arts = demo_crawl.arts
    # linked only from /zh/list_2.html
    assert "/zh/content/2022-10/12/content_1004.html" in arts
    assert "/zh/content/2023-11/06/content_1001.html" in arts
    gbk = [a for u, a in arts.items() if u.startswith("/zh-gbk/")]
    assert len(gbk) == 2 and all("\ufffd" not in a.text for a in gbk)
    undated = arts["/zh-gbk/content/content_2001.html"]
    assert undated.date_method == "dateline" and undated.published_at.date().isoformat() == "2023-03-15"


def test_sitemap_and_atom_dates_say_how_they_were_found(demo_crawl):
    arts = demo_crawl.arts
    vi = [a for u, a in arts.items() if u.startswith("/vi/")]
    assert vi and all(a.published_at is not None for a in vi)
    assert {a.date_method for a in vi} <= {"metadata", "sitemap", "dateline"}
    forum = arts["/de/nachrichten/deutsch-chinesisches-gesundheitsforum-in-berlin.html"]
    # no date metadata in the page: the Atom entry's <updated> comes before the page's own dateline
    assert forum.date_method == "feed" and forum.published_at.date().isoformat() == "2023-11-14"


def test_frontier_settled_for_every_source(demo_crawl):
    store = demo_crawl.store
    for name in ("demo-en", "demo-de", "demo-vi", "demo-zh"):
        assert set(store.frontier_counts(name)) == {"done"}, name


def test_recrawl_of_every_kind_skips_known_unchanged_articles(demo_crawl):
    arts, store = demo_crawl.arts, demo_crawl.store
    again = demo_crawl.recrawl()  # last in the module: it re-crawls the same store
    per = again["sources"]
    for name in ("demo-en", "demo-de", "demo-vi", "demo-zh"):
        assert per[name]["new"] == per[name]["updated"] == per[name]["unchanged"] == 0, (name, per[name])
        assert per[name]["skipped/known-unchanged"] == 6, (name, per[name])
    # feed/sitemap dates skip without a request; the listing's pages are asked If-Modified-Since (304)
    assert per["demo-vi"]["requests"] < 6 and per["demo-zh"]["responses"] >= 6 + 3
    assert store.count_articles() == len(arts) == 24
