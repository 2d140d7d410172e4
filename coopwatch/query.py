"""The search query language: one grammar for every backend.

Grammar (lowest precedence first)::

    query   := or
    or      := and (("OR" | "|") and)*
    and     := ranked ("AND" ranked)*
    ranked  := unary+                       plain juxtaposition: ranked, not all required
    unary   := ("NOT" | "-") unary | atom
    atom    := WORD | WORD* | "a phrase" | "(" or ")"

``AND``, ``OR`` and ``NOT`` are operators only in capitals (``and``/``or`` are
words, and stop words). A ``-`` is ``NOT`` only at the start of a word
(``COVID-19`` and ``Schleswig-Holstein`` are words). Plain words side by side
are *ranked*: a document needs :func:`min_should_match` of them (stop words are
ignored) and more matches rank higher. A malformed query raises
:class:`QueryError` naming the position, never a silent empty result.

The tree is pure data. The cross-language expander (:mod:`nlp.crosslang`)
fills each leaf's ``alts`` (translations) and ``neutral`` (language-neutral
tokens: country codes, entity ids); each backend compiles the tree.
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass, replace
from typing import Union

from coopwatch.errors import InputError

MAX_LEAVES = 64

# English function words ignored in ranked queries (a query of only these keeps them).
STOP_WORDS = frozenset(
    """a an and are as at be by for from has have in into is it its of on or the their this to was were
    will with within about after before between over under via new who what which how""".split()
)


class QueryError(InputError):
    """A malformed query; the message names the position (0-based character offset)."""

    def __init__(self, message: str, position: int) -> None:
        super().__init__(f"query error at position {position}: {message}")
        self.position = position


@dataclass(frozen=True)
class Alt:
    """One translation of a leaf: ``text`` in ``lang`` (``phrase``: words adjacent)."""

    text: str
    lang: str
    phrase: bool = True


@dataclass(frozen=True)
class Leaf:
    """A word, a prefix (``tele*``), a phrase or a multi-word concept.

    ``kind``: ``word`` (one word, or several found together as one dictionary
    entry — then all must occur), ``prefix``, ``phrase`` (adjacent words) or
    ``stop`` (a stop word: kept for the expander, never searched).
    """

    text: str
    kind: str = "word"
    pos: int = 0
    alts: tuple[Alt, ...] = ()
    neutral: tuple[str, ...] = ()


@dataclass(frozen=True)
class Not:
    child: Node


@dataclass(frozen=True)
class And:
    children: tuple[Node, ...]


@dataclass(frozen=True)
class Or:
    children: tuple[Node, ...]


@dataclass(frozen=True)
class Ranked:
    """Plain words side by side: at least ``msm`` of the children must match."""

    children: tuple[Node, ...]
    msm: int = 1


Node = Union[Leaf, Not, And, Or, Ranked]


def fold(text: str) -> str:
    """Lower case without diacritics (Lạng Sơn → lang son, Charité → charite, đ → d).

    The one accent rule of the search: the embedded index's analyzers and the
    dictionary keys of the query expander both use it.
    """
    text = text.lower().replace("đ", "d")
    if text.isascii():
        return text
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def neutral_token(kind: str, value: str) -> str:
    """A language-neutral index token no language uses: ``x`` + kind + value (``xccla``, ``xenorgwho``).

    Kinds: ``cc`` country code, ``en`` entity id, ``ev`` event type. The index
    stores them for every document; the expander adds them to query clauses.
    """
    return "x" + kind + re.sub(r"[^a-z0-9]", "", value.casefold())


def min_should_match(n: int) -> int:
    """How many of ``n`` ranked clauses a document needs: all up to 2, then half (rounded up)."""
    return n if n <= 2 else math.ceil(n / 2)


_TOKEN = re.compile(
    r"""(?P<space>\s+)
    | (?P<lparen>\()
    | (?P<rparen>\))
    | (?P<bar>\|)
    | (?P<quote>")
    | (?P<minus>-(?=[^\s\-]))
    | (?P<word>[^\s()"|]+)""",
    re.VERBOSE,
)


@dataclass
class _Tok:
    kind: str  # word, prefix, phrase, and, or, not, lparen, rparen
    text: str
    pos: int


def _lex(text: str) -> list[_Tok]:
    out: list[_Tok] = []
    i = 0
    while i < len(text):
        if text[i] == '"':
            end = text.find('"', i + 1)
            if end < 0:
                raise QueryError('unclosed quote "', i)
            inner = text[i + 1 : end].strip()
            if not re.search(r"[^\W_]", inner):
                raise QueryError("empty phrase", i)
            out.append(_Tok("phrase", inner, i))
            i = end + 1
            continue
        m = _TOKEN.match(text, i)
        assert m is not None  # every character matches one alternative
        kind, value = m.lastgroup or "", m.group()
        if kind == "word":
            if value in ("AND", "OR", "NOT"):
                kind = value.lower()
            elif value.endswith("*"):
                stem = value.rstrip("*")
                if not re.search(r"[^\W_]", stem):
                    raise QueryError(f"a prefix needs letters before * ({value!r})", i)
                kind, value = "prefix", stem
        elif kind == "minus":
            kind = "not"
        elif kind == "bar":
            kind = "or"
        if kind != "space":
            out.append(_Tok(kind, value, i))
        i = m.end()
    return out


class _Parser:
    def __init__(self, text: str) -> None:
        self.text = text
        self.toks = _lex(text)
        self.i = 0

    def peek(self) -> _Tok | None:
        return self.toks[self.i] if self.i < len(self.toks) else None

    def take(self) -> _Tok:
        tok = self.toks[self.i]
        self.i += 1
        return tok

    def where(self) -> int:
        tok = self.peek()
        return tok.pos if tok else len(self.text)

    def parse(self) -> Node:
        node = self.or_()
        tok = self.peek()
        if tok is not None:
            raise QueryError(f"unexpected {tok.text!r}" + (" (no matching '(')" if tok.kind == "rparen" else ""), tok.pos)
        return node

    def or_(self) -> Node:
        parts = [self.and_()]
        while (tok := self.peek()) is not None and tok.kind == "or":
            self.take()
            parts.append(self.and_(after=tok))
        return parts[0] if len(parts) == 1 else Or(tuple(parts))

    def and_(self, after: _Tok | None = None) -> Node:
        parts = [self.ranked(after)]
        while (tok := self.peek()) is not None and tok.kind == "and":
            self.take()
            parts.append(self.ranked(tok))
        return parts[0] if len(parts) == 1 else And(tuple(parts))

    def ranked(self, after: _Tok | None) -> Node:
        parts: list[Node] = []
        while (tok := self.peek()) is not None and tok.kind in ("word", "prefix", "phrase", "not", "lparen"):
            parts.append(self.unary())
        if not parts:
            if after is not None:
                raise QueryError(f"{after.text} needs something after it", after.pos)
            tok = self.peek()
            what = repr(tok.text) if tok else "end of query"
            raise QueryError(f"expected a word, phrase or '(' but found {what}", self.where())
        return parts[0] if len(parts) == 1 else _ranked(parts)

    def unary(self) -> Node:
        tok = self.take()
        if tok.kind == "not":
            nxt = self.peek()
            if nxt is None or nxt.kind not in ("word", "prefix", "phrase", "not", "lparen"):
                raise QueryError(f"{tok.text} needs a word, phrase or '(' after it", tok.pos)
            return Not(self.unary())
        if tok.kind == "lparen":
            if (nxt := self.peek()) is not None and nxt.kind == "rparen":
                raise QueryError("empty parentheses", tok.pos)
            inner = self.or_()
            close = self.peek()
            if close is None or close.kind != "rparen":
                raise QueryError("unclosed '('", tok.pos)
            self.take()
            return inner
        kind = {"word": "word", "prefix": "prefix", "phrase": "phrase"}[tok.kind]
        return Leaf(tok.text, kind, tok.pos)


def is_stop(node: Node) -> bool:
    return isinstance(node, Leaf) and node.kind == "stop"


def ranked_of(kids: list[Node] | tuple[Node, ...]) -> Node:
    """Juxtaposed clauses as one node: stop words and negations do not count toward ``msm``."""
    positive = [k for k in kids if not isinstance(k, Not)]
    negative = [k for k in kids if isinstance(k, Not)]
    content = [k for k in positive if not is_stop(k)]
    if not content:  # only stop words: they are the query
        positive = content = [replace(k, kind="word") for k in positive]  # type: ignore[arg-type]
    if len(content) == 1:
        node: Node = content[0]
    else:
        node = Ranked(tuple(positive), min_should_match(len(content)))
    return And((node, *negative)) if negative else node


def _ranked(parts: list[Node]) -> Node:
    marked = [
        replace(p, kind="stop")
        if isinstance(p, Leaf) and p.kind == "word" and p.text.lower() in STOP_WORDS and not p.text.isupper()
        else p  # WHO and US in capitals are names, not stop words
        for p in parts
    ]
    return ranked_of(marked)


def parse(text: str) -> Node | None:
    """The tree of ``text``; ``None`` for an empty query. Raises :class:`QueryError`."""
    if not text or not text.strip():
        return None
    node = _Parser(text).parse()
    if sum(1 for _ in leaves(node)) > MAX_LEAVES:
        raise QueryError(f"more than {MAX_LEAVES} words; shorten the query", 0)
    if not positive_leaves(node):
        raise QueryError("a query needs at least one word that is not negated", 0)
    return node


def leaves(node: Node) -> list[Leaf]:
    if isinstance(node, Leaf):
        return [node]
    if isinstance(node, Not):
        return leaves(node.child)
    return [leaf for child in node.children for leaf in leaves(child)]


def positive_leaves(node: Node, negated: bool = False) -> list[Leaf]:
    """Leaves not under a NOT, stop words left out (what ranks and what snippets highlight)."""
    if isinstance(node, Leaf):
        return [] if negated or node.kind == "stop" else [node]
    if isinstance(node, Not):
        return positive_leaves(node.child, not negated)
    return [leaf for child in node.children for leaf in positive_leaves(child, negated)]


def map_ranked(node: Node, fn: object) -> Node:
    """``node`` with the clauses of every :class:`Ranked` (and every lone leaf) passed through ``fn``.

    ``fn(children: list[Node]) -> list[Node]`` may merge adjacent leaves (a
    multi-word dictionary entry, stop words inside it); ``msm`` is recomputed.
    """
    call = fn  # Callable[[list[Node]], list[Node]]
    if isinstance(node, Ranked):
        kids = call([c if isinstance(c, Leaf) else map_ranked(c, fn) for c in node.children])  # type: ignore[operator]
        return ranked_of(kids)
    if isinstance(node, Leaf):
        return ranked_of(call([node]))  # type: ignore[operator]
    if isinstance(node, Not):
        return Not(map_ranked(node.child, fn))
    return replace(node, children=tuple(map_ranked(c, fn) for c in node.children))


def describe(node: Node | None) -> list[str]:
    """The translations added to ``node`` (for "also searched: …"), in query order, unique."""
    if node is None:
        return []
    seen: dict[str, None] = {}
    for leaf in positive_leaves(node):
        for alt in leaf.alts:
            if alt.text.lower() != leaf.text.lower():
                seen.setdefault(alt.text, None)
    return list(seen)


__all__ = [
    "Alt",
    "And",
    "Leaf",
    "Node",
    "Not",
    "Or",
    "QueryError",
    "Ranked",
    "describe",
    "fold",
    "leaves",
    "map_ranked",
    "min_should_match",
    "neutral_token",
    "parse",
    "positive_leaves",
]
