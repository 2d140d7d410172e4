"""An Atom replica: robots.txt obeyed, the user agent identifies us, a syndicated copy is linked."""

from __future__ import annotations

from coopwatch.store import Store
from crawlers.runner import run_crawl
from crawlers.sources import load_sources


def test_atom_replica_robots_user_agent_and_near_duplicate(settings, replica_site, write_registry):
    server = replica_site("atom")
    path = write_registry(
        server.base,
        [
            {
                "name": "replica-atom",
                "lang": "en",
                "kind": "rss",
                "start_urls": ["{base}/atom.xml"],
                "article_patterns": ["/news/", "/private/"],
            }
        ],
    )
    report = run_crawl(settings, load_sources(path), path)
    paths = [p for p, _ua in server.requests]

    # robots.txt was read first and the disallowed article never requested, but its refusal is named
    assert paths[0] == "/robots.txt"
    assert "/private/memo.html" not in paths
    store = Store.open(settings)
    assert store.drop_counts() == {"robots-disallowed": 1}

    # every request carried the identifying user agent
    assert {ua for _p, ua in server.requests} == {settings.user_agent}
    assert "coopwatch" in settings.user_agent

    # the syndicated copy (other boilerplate, one sentence changed) is kept and linked to the original
    assert report["totals"]["new"] == 3
    assert report["totals"]["duplicate-near"] == 1
    ids = {store.get_article(a).url.rsplit("/", 1)[1]: a for a in _ids(store)}
    links = store.duplicate_links()
    assert len(links) == 1
    ((dup, (orig, sim)),) = links.items()
    assert {dup, orig} == {ids["orig.html"], ids["copy.html"]}
    assert 0.7 <= sim < 1.0
    assert ids["tele.html"] not in links and ids["tele.html"] not in {o for o, _ in links.values()}

    # Atom dates: metadata first; the copy has none, so the feed's <updated> is used
    assert store.get_article(ids["orig.html"]).date_method == "metadata"
    copy = store.get_article(ids["copy.html"])
    assert copy.date_method == "feed" and copy.published_at.isoformat() == "2024-03-02T07:00:00"


def _ids(store: Store) -> list[str]:
    with store.engine.connect() as conn:
        return list(conn.exec_driver_sql("select id from articles").scalars())
