"""End to end in real headless Chromium against ``coopwatch serve`` (real uvicorn on 127.0.0.1).

An analyst searches, narrows with a facet, switches to English, exports,
opens an organization's timeline and a hostile article. Screenshots go to the
test's tmp dir; with ``COOPWATCH_SCREENSHOTS=docs/screenshots`` they also
refresh the README pictures.
"""

from __future__ import annotations

import csv
import os
import shutil
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow


def _shot(page, tmp_path: Path, name: str, full_page: bool = False) -> Path:
    path = tmp_path / name
    page.screenshot(path=str(path), full_page=full_page)
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    target = os.environ.get("COOPWATCH_SCREENSHOTS")
    if target:
        Path(target).mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, Path(target) / name)
    return path


def test_search_filter_toggle_and_export(page, live_server, tmp_path):
    page.goto(live_server + "/")
    everything = int(page.inner_text("#total"))
    assert everything >= 20
    assert page.locator("li.hit").count() == 10  # first page
    assert page.locator("nav.pager a[rel=next]").count() == 1

    # narrow with the language facet: German
    page.click("section[data-facet=lang] a:text('German')")
    page.wait_for_url("**lang=de*")
    de_total = int(page.inner_text("#total"))
    assert 0 < de_total < everything
    assert {t.strip().lower() for t in page.locator("li.hit .badge.lang").all_inner_texts()} == {"de"}
    assert page.locator("section[data-facet=lang] li.chosen").count() == 1

    # type a query (the German filter stays), then a date range through the form
    page.fill("input[name=q]", "Krankenhäuser")
    page.press("input[name=q]", "Enter")
    page.wait_for_url("**q=Krankenh*")
    assert "lang=de" in page.url
    found = int(page.inner_text("#total"))
    assert 1 <= found <= de_total
    assert page.locator("li.hit mark").count() > 0  # stemmed match highlighted
    page.fill("input[name=from]", "2022-01-01")
    page.press("input[name=q]", "Enter")
    page.wait_for_url("**from=2022-01-01*")
    dated = page.locator("li.hit .meta").all_inner_texts()
    assert 1 <= len(dated) < found, dated
    assert all(" · 2022" in m or " · 2023" in m or " · 2024" in m for m in dated), dated

    # original / English toggle
    page.click("#show-english")
    page.wait_for_url("**show=english*")
    notes = page.locator("li.hit .meta em").all_inner_texts()
    assert notes and all(n in ("English (machine translation)", "no English translation; original shown") for n in notes)

    # export these results as CSV: the file holds exactly the filtered results
    with page.expect_download() as dl:
        page.click(".export a:text('CSV')")
    with open(dl.value.path(), encoding="utf-8-sig") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == int(page.inner_text("#total"))
    assert {r["lang"] for r in rows} == {"de"}
    assert not page.js_errors


def test_search_page_screenshot(page, demo_server, tmp_path):
    page.goto(demo_server + "/?q=Charit%C3%A9")
    assert int(page.inner_text("#total")) >= 3
    assert page.locator("li.hit mark").count() > 0
    _shot(page, tmp_path, "search.png")
    assert not page.js_errors


def test_open_entity_timeline_from_results(page, demo_server, tmp_path):
    page.goto(demo_server + "/?q=Charit%C3%A9")
    page.locator("li.hit a.badge.org", has_text="Charité").first.click()
    page.wait_for_url("**/entities/org%3Acharite*")
    assert "Charité" in page.inner_text("h1")
    img = page.locator("#timeline-chart")
    img.wait_for()
    assert page.evaluate("document.getElementById('timeline-chart').naturalWidth") > 300  # the PNG really loaded
    rows = page.locator("section.events-table tbody tr")
    assert rows.count() >= 3
    assert page.locator("aside.cooccurring tbody tr a").count() >= 1
    # switch to yearly buckets; then follow an event's article
    page.click(".interval a:text('year')")
    page.wait_for_url("**interval=year*")
    assert page.evaluate("document.getElementById('timeline-chart').naturalWidth") > 300
    page.click(".interval a:text('month')")
    page.wait_for_url("**interval=month*")
    page.wait_for_function("document.getElementById('timeline-chart').complete")
    _shot(page, tmp_path, "entity-timeline.png", full_page=True)
    with page.expect_download() as dl:
        page.click(".downloads a:text('PNG')")
    assert Path(dl.value.path()).read_bytes()[:4] == b"\x89PNG"
    page.locator("section.events-table tbody tr td a[href^='/articles/']").first.click()
    page.wait_for_url("**/articles/*")
    assert page.locator("section.events .event blockquote.evidence").count() >= 1
    assert page.locator("section.translation .note").inner_text()
    assert not page.js_errors


def test_country_pair_page(page, live_server):
    page.goto(live_server + "/countries/CN-VN")
    assert "China" in page.inner_text("h1") and page.locator("section.events-table tbody tr").count() >= 1
    assert page.evaluate("document.getElementById('timeline-chart').naturalWidth") > 300


def test_hostile_article_is_inert_in_the_browser(page, live_server, web_data):
    for url in (f"/articles/{web_data.xss_id}", "/?q=telemedicine+hospital+cooperation&per_page=50", "/entities/org:who"):
        page.goto(live_server + url)
        page.wait_for_load_state("load")
        assert page.evaluate("typeof window.__xss") == "undefined", url
        assert page.evaluate("document.querySelectorAll('script, [onerror]').length") == 0, url
        assert "window.__xss=1" in page.inner_text("body"), url  # shown as text
        if url.startswith("/articles/"):
            assert "<script>window.__xss=1</script>" in page.inner_text("h1")
            assert 'onerror="window.__xss=2"' in page.inner_text("h1")
    assert not page.js_errors


def test_bad_parameters_show_an_error_page(page, live_server):
    resp = page.goto(live_server + "/?lang=klingon")
    assert resp is not None and resp.status == 422
    assert "lang" in page.inner_text(".message")
    resp = page.goto(live_server + "/?from=2024-02-30")
    assert resp is not None and resp.status == 400
    assert "real date" in page.inner_text(".message")


def test_loopback_server_refuses_foreign_host_names(live_server):
    """DNS rebinding: a page on another site resolving its name to 127.0.0.1 gets nothing."""
    import urllib.error
    import urllib.request

    req = urllib.request.Request(live_server + "/api/search", headers={"Host": "attacker.example"})
    with pytest.raises(urllib.error.HTTPError) as err:
        urllib.request.urlopen(req, timeout=10)
    assert err.value.code == 400
    with urllib.request.urlopen(live_server + "/api/search", timeout=10) as ok:
        assert ok.status == 200 and ok.headers["Content-Security-Policy"].startswith("default-src 'none'")
