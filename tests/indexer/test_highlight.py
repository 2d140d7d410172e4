"""Snippets: best window, <mark> around matches, everything HTML-escaped."""

from __future__ import annotations

from coopwatch.query import parse
from indexer.highlight import snippet
from indexer.querying import highlight_tokens


def query_variants(text: str) -> list[list[str]]:
    """The tokens a search marks for ``text`` (every form of every positive word)."""
    return highlight_tokens(parse(text))


def test_no_query_gives_escaped_start() -> None:
    text = "<b>Bold</b> start " + "word " * 100
    out = snippet(text, "en", [])
    assert out.startswith("&lt;b&gt;Bold&lt;/b&gt; start")
    assert len(out) <= 200 + 30 and out.endswith("…")
    assert snippet("short", "en") == "short"
    assert snippet("", "en", query_variants("x")) == "" and snippet(None, "en") == ""


def test_script_is_escaped_and_match_marked() -> None:
    out = snippet("Hospital <script>alert('x')</script> partnership", "en", query_variants("partnerships"))
    assert "<script>" not in out
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in out
    assert "<mark>partnership</mark>" in out


def test_window_with_most_matches_is_chosen() -> None:
    text = "telemedicine " + "filler " * 60 + "WHO hospital telemedicine hospital network " + "filler " * 60
    out = snippet(text, "en", query_variants("hospital telemedicine"))
    assert out.startswith("…") and out.endswith("…")
    assert out.count("<mark>") == 3
    assert "<mark>hospital</mark> <mark>telemedicine</mark> <mark>hospital</mark>" in out


def test_stemmed_match_marks_surface_form() -> None:
    out = snippet("Das Krankenhaus in Hanoi.", "de", query_variants("Krankenhäuser"))
    assert out == "Das <mark>Krankenhaus</mark> in Hanoi."


def test_chinese_overlapping_tokens_merge() -> None:
    out = snippet("中国与越南签署远程医疗合作协议。", "zh", query_variants("远程医疗"))
    assert out == "中国与越南签署<mark>远程医疗</mark>合作协议。"
    out = snippet("中华人民共和国卫生部", "zh", query_variants("共和国"))
    assert "<mark>" in out and out.count("<mark>") == 1


def test_vietnamese_diacritics() -> None:
    out = snippet("Bệnh viện Bạch Mai ký kết hợp tác", "vi", query_variants("bệnh viện"))
    assert out.startswith("<mark>Bệnh</mark> <mark>viện</mark>")


def test_no_match_falls_back_to_start() -> None:
    assert snippet("Nothing relevant & here", "en", query_variants("vaccine")) == "Nothing relevant &amp; here"
