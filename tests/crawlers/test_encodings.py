"""Pages that declare no charset, or carry a BOM, crawled from a real local server and decoded right."""

from __future__ import annotations

from coopwatch.store import Store
from crawlers.encoding import decode_html
from crawlers.runner import run_crawl
from crawlers.sources import load_sources

ZH_TITLE = "云南与老挝签署传统医药合作备忘录"
EN_TITLE = "Viet Nam and Germany extend hospital partnership"


def test_crawl_decodes_undeclared_gbk_and_utf16_with_bom(settings, replica_site, write_registry):
    server = replica_site("encodings")  # serves .html as plain "text/html": no charset in the header
    path = write_registry(
        server.base,
        [
            {
                "name": "replica-enc",
                "lang": "zh",
                "kind": "rss",
                "start_urls": ["{base}/feed.xml"],
                "article_patterns": ["/news/"],
            }
        ],
    )
    report = run_crawl(settings, load_sources(path), path)
    store = Store.open(settings)
    assert store.drop_counts() == {}, store.drop_counts()  # the UTF-16 page is no longer dropped as `binary`
    assert report["totals"]["new"] == 2
    ids = store.engine.connect().exec_driver_sql("select id from articles").scalars().all()
    arts = {a.title: a for a in (store.get_article(i) for i in ids)}
    assert set(arts) == {ZH_TITLE, EN_TITLE}, list(arts)  # GBK read as UTF-8 gave a mojibake title
    assert "老挝卫生部" in arts[ZH_TITLE].text
    assert "Bệnh viện Bạch Mai" in arts[EN_TITLE].text


def test_detection_survives_a_broken_multibyte_sequence():
    # A forum title cut mid-character far down the page (as on zh-cwced 6dc2d508) makes strict GBK
    # decoding of the whole page fail, and charset-normalizer alone then says a Cyrillic code page.
    para = "<p>" + "广西壮族自治区卫生健康委员会与越南卫生部签署卫生合作协议，双方将深化边境传染病联防联控合作。" * 3 + "</p>\n"
    body = (
        "<html><head><title>合作</title></head><body>".encode("gbk")
        + (para * 150).encode("gbk")
        + "<a>论坛标题".encode("gbk") + b"\xc7...</a><a>" + "边境".encode("gbk") + b"\xd6</a>"
        + "</body></html>".encode("gbk")
    )
    assert len(body) > 40_000
    got = decode_html(body, "text/html")
    assert got.method == "detected" and got.encoding == "gb18030", got.encoding
    assert "越南卫生部" in got.text


def test_declared_charset_wins_over_detection():
    body = '<html><head><meta charset="big5"></head><body><p>衛生合作協議</p></body></html>'.encode("big5")
    got = decode_html(body, "text/html")
    assert got.method == "meta" and "衛生合作協議" in got.text
