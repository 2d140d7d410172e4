"""`coopwatch ingest`: saved pages and single URLs, through the real CLI."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from coopwatch.records import article_id
from coopwatch.store import Store

SAVED = Path(__file__).parents[1] / "fixtures" / "saved"
ENCODINGS = Path(__file__).parents[1] / "fixtures" / "replicas" / "encodings" / "news"


def cli(data_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "coopwatch", "--data-dir", str(data_dir), *args],
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_ingest_saved_file_uses_its_canonical_url(settings):
    res = cli(settings.data_dir, "ingest", str(SAVED / "who-vietnam-telehealth.html"), "--json")
    assert res.returncode == 0, res.stderr
    out = json.loads(res.stdout)
    assert out["new"] == 1
    expected = article_id("https://www.who.int/vietnam/news/detail/12-03-2024-telehealth")
    assert out["ids"] == [expected]
    art = Store.open(settings).get_article(expected)
    assert art.published_at.date().isoformat() == "2024-03-12"
    assert "telehealth" in art.text
    again = json.loads(cli(settings.data_dir, "ingest", str(SAVED / "who-vietnam-telehealth.html"), "--json").stdout)
    assert again["unchanged"] == 1 and again["new"] == 0


def test_ingest_directory_records_bad_files(settings):
    res = cli(settings.data_dir, "ingest", str(SAVED), "--json")
    assert res.returncode == 0, res.stderr
    out = json.loads(res.stdout)
    assert out["new"] == 1
    assert out["dropped/binary"] == 1
    assert Store.open(settings).drop_counts() == {"binary": 1}


def test_ingest_decodes_undeclared_gbk_and_utf16_with_bom(settings):
    pages = (str(ENCODINGS / "gbk-undeclared.html"), str(ENCODINGS / "utf16-bom.html"))
    res = cli(settings.data_dir, "ingest", *pages, "--json")
    assert res.returncode == 0, res.stderr
    out = json.loads(res.stdout)
    assert out["new"] == 2 and not any(k.startswith("dropped/") for k in out), out  # UTF-16 was `binary`
    store = Store.open(settings)
    zh, en = (store.get_article(i) for i in out["ids"])
    assert zh.title == "云南与老挝签署传统医药合作备忘录", zh.title  # GBK read as UTF-8 was mojibake
    assert "老挝卫生部" in zh.text
    assert en.title == "Viet Nam and Germany extend hospital partnership"
    assert "Bệnh viện Bạch Mai" in en.text


def test_ingest_url_from_local_server(settings, fixture_server):
    res = cli(settings.data_dir, "ingest", f"{fixture_server}/a2.html", "--json")
    assert res.returncode == 0, res.stderr
    assert json.loads(res.stdout)["new"] == 1


def test_ingest_missing_path_is_a_clear_error(settings):
    res = cli(settings.data_dir, "ingest", "/no/such/file.html")
    assert res.returncode == 2
    assert "neither a URL nor an existing file" in res.stderr


def test_malformed_urls_are_clear_errors_and_store_nothing(settings):
    for url, says in (("http://127.0.0.1:1/a b", "space or control character"), ("http://[::1", "Invalid IPv6 URL")):
        res = cli(settings.data_dir, "ingest", url)
        assert res.returncode == 2 and says in res.stderr, res.stderr
        assert "Traceback" not in res.stderr
    assert Store(settings.store_url).count_articles() == 0


def test_ingest_uses_download_timeout(settings, monkeypatch):
    import urllib.request

    from coopwatch import pipeline

    seen = {}

    def fake_urlopen(req, timeout):
        seen["timeout"] = timeout
        raise OSError("stop here")

    monkeypatch.setattr(urllib.request, "urlopen", fake_urlopen)
    from dataclasses import replace

    counts = pipeline.ingest(Store(settings.store_url), replace(settings, download_timeout=7.5), ["http://127.0.0.1:9/x"])
    assert seen["timeout"] == 7.5 and counts.get("dropped/fetch-error") == 1


def test_an_oversized_saved_file_is_refused_from_its_size_unread(settings, tmp_path):
    import tracemalloc

    from coopwatch import pipeline
    from coopwatch.settings import with_overrides

    small = with_overrides(settings, max_page_bytes=1_000_000)
    big = tmp_path / "saved" / "huge.html"
    big.parent.mkdir()
    with big.open("wb") as fh:  # a 40 MB page (sparse: the test writes almost nothing to disk)
        fh.write(b"<html><head><link rel='canonical' href='https://example.org/a'></head><body><p>x</p>")
        fh.truncate(40 * 1024 * 1024)
    store = Store(small.store_url)
    tracemalloc.start()
    try:
        counts = pipeline.ingest(store, small, [str(big.parent)])
        _now, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert counts["dropped/oversized"] == 1 and counts["new"] == 0
    assert peak < 5 * 1024 * 1024, f"read {peak} bytes of a page refused for its size"
    assert store.drop_counts() == {"oversized": 1}


def test_an_oversized_page_by_url_is_refused_from_its_content_length(settings, fixture_server):
    from coopwatch import pipeline
    from coopwatch.settings import with_overrides

    small = with_overrides(settings, max_page_bytes=1_000_000)
    counts = pipeline.ingest(Store(small.store_url), small, [f"{fixture_server}/big"])
    assert counts["dropped/oversized"] == 1
    with Store(small.store_url).engine.connect() as conn:
        detail = conn.exec_driver_sql("select detail from drops").scalar_one()
    assert "Content-Length" in detail
