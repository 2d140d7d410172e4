"""Untrusted article text renders inert everywhere: escaped, never executed, never a live link."""

from __future__ import annotations

import re

PAYLOAD_TAGS = re.compile(r"<script|<img[^>]*onerror|onerror=\"window", re.IGNORECASE)


def _assert_inert(html: str) -> None:
    # our pages carry no script at all; any <script or live onerror attribute is an injection
    assert not PAYLOAD_TAGS.search(html), PAYLOAD_TAGS.search(html)
    assert "window.__xss" in html  # the payload is there, as text


def test_hostile_article_page_is_escaped(client, web_data):
    r = client.get(f"/articles/{web_data.xss_id}")
    assert r.status_code == 200
    _assert_inert(r.text)
    assert "&lt;script&gt;window.__xss=1&lt;/script&gt;" in r.text
    assert "onerror=&#34;window.__xss=2&#34;" in r.text or "onerror=&quot;window.__xss=2&quot;" in r.text
    csp = r.headers["Content-Security-Policy"]
    assert csp.startswith("default-src 'none'") and "script-src" not in csp  # the README's promise: no script at all


def test_hostile_article_in_search_results_and_facets(client, web_data):
    for url in ("/?q=telemedicine", "/?q=telemedicine&show=english", "/?q=window"):
        r = client.get(url)
        assert r.status_code == 200
        assert not PAYLOAD_TAGS.search(r.text)
    page = client.get("/", params={"q": "telemedicine hospital cooperation", "per_page": 50}).text
    assert "window.__xss=1" in page  # the hostile article is among the results, escaped
    # the hostile source name appears in the source facet, escaped
    assert "evil&#34;&gt;&lt;script&gt;" in page or "evil&quot;&gt;&lt;script&gt;" in page
    api = client.get("/api/search", params={"q": "window"}).json()
    for h in api["hits"]:
        assert "<script" not in h["snippet"] and "<img" not in h["snippet"]


def test_hostile_article_in_timeline_tables(client, web_data):
    r = client.get("/entities/org:who")
    assert r.status_code == 200
    assert not PAYLOAD_TAGS.search(r.text)
    assert "window.__xss=1" in r.text  # its event is listed (WHO signed), title escaped


def test_error_pages_escape_what_the_user_typed(client):
    r = client.get("/articles/<script>alert(1)</script>")
    assert r.status_code == 404
    assert "<script>alert" not in r.text and "&lt;script&gt;alert" in r.text
    r = client.get("/?entity=<img src=x onerror=alert(1)>")
    assert r.status_code == 400 and "<img" not in r.text


def test_untrusted_urls_are_not_links(client, web_data):
    from coopwatch.store import Store, articles

    store = Store.open(web_data.settings)
    art = store.get_article(web_data.xss_id)
    assert art is not None
    html = client.get(f"/articles/{web_data.xss_id}").text
    assert f'href="{art.url}"' in html  # an https source link is a link
    # a javascript: URL (as a hostile feed could hand the crawler) is shown as text, never as href
    with store.engine.begin() as conn:
        conn.execute(articles.update().where(articles.c.id == web_data.xss_id).values(url="javascript:window.__xss=6"))
    try:
        html = client.get(f"/articles/{web_data.xss_id}").text
        assert 'href="javascript:' not in html and "javascript:window.__xss=6" in html
    finally:
        with store.engine.begin() as conn:
            conn.execute(articles.update().where(articles.c.id == web_data.xss_id).values(url=art.url))
        store.close()


def test_store_failures_and_unexpected_errors_keep_the_security_headers(tmp_path):
    import sqlite3

    from fastapi.testclient import TestClient
    from sqlalchemy import exc as sa_exc

    from coopwatch.settings import load_settings
    from coopwatch.web.app import SECURITY_HEADERS, create_app

    app = create_app(load_settings(tmp_path / "data"))
    wb = app.state.workbench
    failures = {
        503: sa_exc.DatabaseError("SELECT", {}, sqlite3.DatabaseError("database disk image is malformed")),
        500: RuntimeError("a bug"),
    }
    with TestClient(app, raise_server_exceptions=False) as c:
        for status, failure in failures.items():

            def boom(*_a, _f=failure, **_k):
                raise _f

            original = wb.entities
            wb.entities = boom
            try:
                for path in ("/api/entities", "/entities"):
                    r = c.get(path)
                    assert r.status_code == status, (path, r.status_code)
                    assert all(r.headers.get(k) == v for k, v in SECURITY_HEADERS.items()), path
                    if status == 503:
                        assert "store cannot be read" in r.text
                    else:
                        assert "a bug" not in r.text  # no internals leak
            finally:
                wb.entities = original
    wb.close()
