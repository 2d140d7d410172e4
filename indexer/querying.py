"""Compiling a query tree (:mod:`coopwatch.query`) for the embedded index.

The tree's *set* semantics (which documents match) are compiled to SQL over
FTS5 row ids, one FTS5 ``MATCH`` per leaf:

- a leaf matches when any of its *forms* does: the typed text analysed by each
  of the four analyzers, each translation analysed by its language's analyzer
  (words adjacent for a phrase; Chinese words all present), or one of its
  language-neutral tokens;
- ``AND`` is ``INTERSECT``, ``OR`` is ``UNION``, ``NOT`` is ``EXCEPT``;
- a ranked clause list (plain words) keeps documents matching at least
  ``msm`` clauses (``GROUP BY … HAVING count(*) >= msm``).

Ranking: documents matching more positive leaves first (coordination), then
bm25 over the OR of every positive leaf. The Elasticsearch backend compiles
the same tree to ``bool`` queries (:func:`indexer.elastic.tree_query`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from coopwatch.query import And, Leaf, Node, Not, Or, QueryError, Ranked, is_stop, parse, positive_leaves
from indexer.tokenize import ANALYZERS, analyze, fold, fts_quote

_HAN = re.compile(r"[\u3400-\u9fff]")


@dataclass(frozen=True)
class Form:
    tokens: tuple[str, ...]
    phrase: bool  # tokens adjacent (else: all present)
    prefix: bool = False


def leaf_forms(leaf: Leaf) -> list[Form]:
    """Every way ``leaf`` can match text (duplicates removed, order kept)."""
    out: dict[Form, None] = {}
    if leaf.kind == "prefix":
        word = fold(leaf.text)
        for tokens in dict.fromkeys(tuple(analyze(word, lang)) for lang in ("en", "zh")):
            if tokens:
                out.setdefault(Form(tokens, True, prefix=not _HAN.search(word)), None)
        return list(out)
    phrase = leaf.kind == "phrase"
    for lang in ANALYZERS:
        tokens = tuple(dict.fromkeys(analyze(leaf.text, lang))) if not phrase else tuple(analyze(leaf.text, lang))
        if tokens:
            out.setdefault(Form(tokens, phrase and not _HAN.search(leaf.text)), None)
    for alt in leaf.alts:
        tokens = tuple(analyze(alt.text, alt.lang))
        if tokens:
            out.setdefault(Form(tokens, alt.phrase and not _HAN.search(alt.text)), None)
    return list(out)


def highlight_tokens(node: Node | None) -> list[list[str]]:
    """Tokens to mark in snippets: every form of every positive leaf."""
    if node is None:
        return []
    return [list(f.tokens) for leaf in positive_leaves(node) for f in leaf_forms(leaf)]


def fts_leaf(leaf: Leaf) -> str:
    """The FTS5 expression of one leaf ('' when nothing in it is searchable)."""
    parts = []
    for form in leaf_forms(leaf):
        if form.prefix:
            parts.append(fts_quote(" ".join(form.tokens)) + " *")
        elif form.phrase or len(form.tokens) == 1:
            parts.append(fts_quote(" ".join(form.tokens)))
        else:
            parts.append("(" + " AND ".join(fts_quote(t) for t in form.tokens) + ")")
    parts += [fts_quote(t) for t in leaf.neutral]
    return " OR ".join(parts)


@dataclass
class Compiled:
    """A tree ready to run: one FTS5 expression per leaf, and SQL over their hits.

    :meth:`indexer.sqlite_fts.SqliteBackend` runs each leaf's ``MATCH`` once into
    the keyed temp table ``temp.leaf_hits(leaf, doc)``; ``sql`` (the tree's
    set operations) and ``coverage_sql`` read that table, never the FTS index again.
    """

    leaf_exprs: list[str]  # index = leaf number in leaf_hits
    positive: list[int]  # leaves that rank (not under a NOT)
    sql: str  # SELECT rowid … of the matching documents, over temp.leaf_hits

    @property
    def rank_match(self) -> str:
        """One FTS5 expression for bm25: any positive leaf."""
        return " OR ".join(f"({self.leaf_exprs[i]})" for i in self.positive)

    @property
    def coverage_sql(self) -> str:
        """``(rowid, n)``: how many positive leaves each document matches."""
        ids = ",".join(str(i) for i in self.positive)
        return f"SELECT doc, count(*) AS n FROM temp.leaf_hits WHERE leaf IN ({ids}) GROUP BY doc"


_UNIVERSE = "SELECT docno AS rowid FROM docs"


def compile_tree(node: Node) -> Compiled:
    """The leaf expressions and set SQL of ``node`` (QueryError when nothing is searchable)."""
    exprs: list[str] = []
    positive: list[int] = []

    def leaf_sql(leaf: Leaf, negated: bool) -> str | None:
        expr = fts_leaf(leaf)
        if not expr:
            return None
        exprs.append(expr)
        if not negated:
            positive.append(len(exprs) - 1)
        return f"SELECT doc AS rowid FROM temp.leaf_hits WHERE leaf = {len(exprs) - 1}"

    def walk(n: Node, negated: bool = False) -> str | None:
        if isinstance(n, Leaf):
            return None if is_stop(n) else leaf_sql(n, negated)
        if isinstance(n, Not):
            inner = walk(n.child, not negated)
            return f"{_UNIVERSE} EXCEPT SELECT * FROM ({inner})" if inner else None
        if isinstance(n, Or):
            kids = [k for k in (walk(c, negated) for c in n.children) if k]
            return " UNION ".join(f"SELECT * FROM ({k})" for k in kids) if kids else None
        if isinstance(n, And):
            pos = [k for k in (walk(c, negated) for c in n.children if not isinstance(c, Not)) if k]
            neg = [k for k in (walk(c.child, not negated) for c in n.children if isinstance(c, Not)) if k]
            if not pos:
                return None
            sql = " INTERSECT ".join(f"SELECT * FROM ({k})" for k in pos)
            for k in neg:
                sql = f"SELECT * FROM ({sql}) EXCEPT SELECT * FROM ({k})"
            return sql
        assert isinstance(n, Ranked)
        kids = [k for k in (walk(c, negated) for c in n.children if not is_stop(c)) if k]
        if not kids:
            return None
        need = min(n.msm, len(kids))
        if need >= len(kids):
            return " INTERSECT ".join(f"SELECT * FROM ({k})" for k in kids)
        union = " UNION ALL ".join(f"SELECT rowid FROM ({k})" for k in kids)
        return f"SELECT rowid FROM ({union}) GROUP BY rowid HAVING count(*) >= {int(need)}"

    sql = walk(node)
    if not sql or not positive:
        raise QueryError("nothing searchable in the query (only punctuation or stop words)", 0)
    return Compiled(exprs, positive, sql)


def tree_of(text: str, tree: Node | None) -> Node | None:
    """The tree to run: the expanded one when given, else ``text`` parsed as typed."""
    if tree is not None:
        return tree
    return parse(text) if text and text.strip() else None
