"""The extraction benchmark's scorer (benchmarks/bench_extract.py)."""

from __future__ import annotations

from benchmarks.bench_extract import half_of, same_day, text_f1, tokens


def test_chinese_is_scored_per_character_and_words_per_word():
    assert tokens("卫生合作 Health-Cooperation 2024") == ["卫", "生", "合", "作", "health", "cooperation", "2024"]


def test_f1_is_bag_of_tokens():
    assert text_f1("卫生合作", "卫生合作") == (1.0, 1.0, 1.0)
    p, r, f = text_f1("卫生", "卫生合作")  # half the gold found, all of it right
    assert (p, r) == (1.0, 0.5) and abs(f - 2 / 3) < 1e-9
    assert text_f1("", "卫生")[2] == 0.0
    assert text_f1("a a b", "a b b")[2] == 2 / 3  # multiset, not set


def test_dates_and_halves():
    assert same_day("2024-03-05", "2024-03-05") and not same_day(None, "2024-03-05")
    assert [half_of(i) for i in range(3)] == ["tune", "held-out", "tune"]
