"""MinHash near-duplicate detection on real replica pages (pure: no crawl)."""

from __future__ import annotations

from pathlib import Path

from crawlers import dedup
from crawlers.extract import extract

NEWS = Path(__file__).parents[1] / "fixtures" / "replicas" / "atom" / "news"


def text(name: str) -> str:
    ex = extract((NEWS / name).read_text(), f"http://127.0.0.1/news/{name}")
    return ex.title + "\n" + ex.text


def test_syndicated_copy_is_found_unrelated_article_is_not():
    index = dedup.NearDuplicateIndex()
    index.add("orig", dedup.signature(text("orig.html")))
    index.add("tele", dedup.signature(text("tele.html")))
    match = index.find("copy", dedup.signature(text("copy.html")))
    assert match is not None and match[0] == "orig" and 0.7 <= match[1] < 1.0
    assert index.find("x", dedup.signature("Weather: heavy rain expected in Hamburg over the weekend, " * 3)) is None


def test_signature_survives_the_store_round_trip():
    sig = dedup.signature(text("orig.html"))
    again = dedup.from_bytes(dedup.to_bytes(sig))
    assert again.jaccard(sig) == 1.0 and again.jaccard(dedup.signature(text("tele.html"))) < 0.3


def test_shingles_work_without_spaces():
    zh = "广西壮族自治区卫生健康委员会与越南卫生部签署卫生合作协议，双方将在边境地区开展传染病联防联控。"
    edited = zh.replace("传染病", "疟疾")
    assert dedup.signature(zh).jaccard(dedup.signature(edited)) > 0.6
    assert dedup.shingles("abc") == {b"abc"} and dedup.shingles("  ") == set()
