"""Per-language pre-tokenisation and FTS5 query building."""

from __future__ import annotations

import sqlite3
import unicodedata

import pytest

from indexer.tokenize import analyze, fts_quote, to_fts, tokens_with_offsets


def test_chinese_is_segmented_with_jieba() -> None:
    tokens = analyze("中国与越南签署远程医疗合作协议", "zh")
    assert {"中国", "越南", "签署", "远程", "医疗", "合作", "协议"} <= set(tokens)
    assert "，" not in analyze("你好，世界", "zh")


def test_chinese_search_mode_emits_sub_words() -> None:
    tokens = analyze("中华人民共和国", "zh")
    assert "中华人民共和国" in tokens and "共和国" in tokens


def test_latin_inside_chinese_is_lowercased() -> None:
    tokens = analyze("世界卫生组织WHO支持Telemedicine项目", "zh")
    assert "who" in tokens and "telemedicine" in tokens
    assert "世界卫生组织" in tokens or "卫生" in tokens


@pytest.mark.parametrize(
    ("lang", "a", "b"),
    [
        ("en", "hospitals", "hospital"),
        ("en", "cooperation", "cooperating"),
        ("de", "Krankenhäuser", "Krankenhaus"),
        ("de", "Zusammenarbeiten", "Zusammenarbeit"),
    ],
)
def test_stemming(lang: str, a: str, b: str) -> None:
    assert analyze(a, lang) == analyze(b, lang)


def test_english_lowercases_and_splits() -> None:
    assert analyze("WHO's Hospital-Partnerships, 2023!", "en") == ["who", "s", "hospit", "partnership", "2023"]


def test_analyzers_fold_accents_and_normalise() -> None:
    assert analyze("Bệnh viện Bạch Mai Đà Nẵng", "vi") == ["benh", "vien", "bach", "mai", "da", "nang"]
    decomposed = unicodedata.normalize("NFD", "Bệnh viện")
    assert analyze(decomposed, "vi") == ["benh", "vien"]
    assert analyze("benh vien", "vi") == analyze("bệnh viện", "vi")
    assert analyze("Charité", "de") == analyze("Charite", "de")


def test_mixed_script_runs() -> None:
    tokens = analyze("Hospitals in 北京 cooperate", "en")
    assert tokens == ["hospit", "in", "北京", "cooper"]
    assert analyze("Bệnh viện 北京", "vi") == ["benh", "vien", "北京"]


def test_offsets_point_into_the_text() -> None:
    text = "Die Krankenhäuser in 河内市"
    for tok, start, end in tokens_with_offsets(text, "de"):
        assert text[start:end]
    assert ("krankenhaus", 4, 17) in tokens_with_offsets(text, "de")


def test_unknown_language_falls_back_to_plain_words() -> None:
    assert analyze("Hôpitaux Français", "fr") == ["hopitaux", "francais"]


def test_to_fts_joins_with_spaces() -> None:
    assert to_fts("Deutsche Krankenhäuser", "de") == "deutsch krankenhaus"
    assert to_fts(None, "en") == ""


def test_fts_quote_escapes_quotes() -> None:
    assert fts_quote('x"y') == '"x""y"'


@pytest.mark.parametrize("odd", ["NEAR a", "col:val", "a* -b ^c", "title:x AND y", "C++ (hospital)"])
def test_compiled_queries_are_valid_fts5(odd: str) -> None:
    from coopwatch.query import parse
    from indexer.querying import compile_tree

    db = sqlite3.connect(":memory:")
    db.execute('CREATE VIRTUAL TABLE docs_fts USING fts5(x, tokenize="unicode61 remove_diacritics 0")')
    db.execute("CREATE TABLE docs (docno INTEGER PRIMARY KEY)")
    db.execute("CREATE TEMP TABLE leaf_hits (leaf INTEGER, doc INTEGER)")
    db.execute("INSERT INTO docs_fts VALUES ('and or near col val a b c not')")
    compiled = compile_tree(parse(odd))
    for i, expr in enumerate(compiled.leaf_exprs):
        db.execute(f"INSERT INTO temp.leaf_hits SELECT {i}, rowid FROM docs_fts WHERE docs_fts MATCH ?", (expr,))
    db.execute(compiled.sql).fetchall()
    db.execute(compiled.coverage_sql).fetchall()
    db.execute("SELECT rowid FROM docs_fts WHERE docs_fts MATCH ?", (compiled.rank_match,)).fetchall()
