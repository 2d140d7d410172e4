"""The query grammar (coopwatch/query.py): structure, stop words, errors with positions."""

from __future__ import annotations

import pytest

from coopwatch.query import And, Leaf, Not, Or, QueryError, Ranked, describe, min_should_match, parse, positive_leaves


def words(node) -> list[str]:  # type: ignore[no-untyped-def]
    return [leaf.text for leaf in positive_leaves(node)]


def test_plain_words_are_ranked_with_stop_words_ignored() -> None:
    node = parse("support for Ukrainian hospitals")
    assert isinstance(node, Ranked)
    assert words(node) == ["support", "Ukrainian", "hospitals"]
    assert node.msm == 2


def test_min_should_match() -> None:
    assert [min_should_match(n) for n in range(1, 8)] == [1, 2, 2, 2, 3, 3, 4]


def test_operators_and_precedence() -> None:
    node = parse('telemedicine OR Telemedizin | 远程医疗')
    assert isinstance(node, Or) and len(node.children) == 3
    node = parse('a AND (b OR c) -d')
    assert isinstance(node, And)
    assert isinstance(node.children[1], And) and isinstance(node.children[1].children[1], Not)
    assert parse("tele*") == Leaf("tele", "prefix", 0)
    assert parse('"medical team"') == Leaf("medical team", "phrase", 0)


def test_hyphen_inside_a_word_is_not_a_negation() -> None:
    node = parse("COVID-19 Schleswig-Holstein")
    assert words(node) == ["COVID-19", "Schleswig-Holstein"]


def test_lower_case_operators_are_words_and_capitals_are_not_stop_words() -> None:
    assert words(parse("who and why")) == ["why"]
    assert words(parse("WHO reform")) == ["WHO", "reform"]


def test_only_stop_words_are_searched_as_words() -> None:
    assert words(parse("the and")) == ["the", "and"]


@pytest.mark.parametrize(
    ("text", "position", "why"),
    [
        ('say "hello', 4, "unclosed quote"),
        ("(a OR b", 0, "unclosed"),
        ("a OR", 2, "OR needs"),
        ("AND b", 0, "expected a word"),
        ("-China", 0, "not negated"),
        ("a )", 2, "unexpected"),
        ("*", 0, "prefix"),
        ('""', 0, "empty phrase"),
    ],
)
def test_malformed_queries(text: str, position: int, why: str) -> None:
    with pytest.raises(QueryError, match=why) as exc:
        parse(text)
    assert exc.value.position == position
    assert f"position {position}" in str(exc.value)


def test_empty_query_is_none_and_describe_lists_translations() -> None:
    assert parse("   ") is None
    assert describe(None) == []
