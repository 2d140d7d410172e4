"""A tantivy mirror of the embedded index: fast ranking, counting and facets.

The embedded backend's SQLite file stays the whole truth (stored fields,
FTS5, facets, events, timelines). Beside it, ``<search_db>.tantivy/`` holds
a tantivy index (the Rust search engine, official ``tantivy`` bindings, MIT)
of the same documents with the *same tokens* (our analyzers'
space-joined output, split on whitespace), so it answers ``search`` — the
query tree, filters, the total and the facet counts over the whole match set
— in compiled code with block-max WAND top-k and columnar aggregations.

The mirror is derived state and is checked before use: when its document
count differs from the SQLite file's (a write that failed half-way, another
process writing, a new format), ``search`` answers from SQLite FTS5 instead
and the next write rebuilds the mirror from the SQLite rows.
"""

from __future__ import annotations

import json
import logging
import shutil
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import tantivy

from coopwatch.query import And, Leaf, Node, Not, Or, Ranked, is_stop
from indexer.querying import leaf_forms

log = logging.getLogger(__name__)

FORMAT = "1"  # bump when the schema or the tokens change: the mirror is rebuilt
TEXT_FIELDS = ("title", "text", "title_en", "text_en", "neutral")
FACET_FIELDS = {"lang": "lang", "source": "source", "country": "country", "entity": "entity", "event_type": "event_type"}
COVERAGE = 1000.0  # as in SQLite: one more matched clause always ranks higher
HEAP = 64_000_000


def _schema(weights: Sequence[float]) -> tantivy.Schema:
    sb = tantivy.SchemaBuilder()
    sb.add_unsigned_field("docno", stored=True, indexed=True, fast=True)
    for name in TEXT_FIELDS:
        sb.add_text_field(name, tokenizer_name="whitespace", index_option="position")
    for name in FACET_FIELDS.values():
        sb.add_text_field(name, tokenizer_name="raw", fast=True)
    sb.add_unsigned_field("day", indexed=True, fast=True)  # yyyymmdd of publication, 0 when unknown
    sb.add_unsigned_field("newest", fast=True)  # order of the empty query: newest first, then docno
    return sb.build()


@dataclass
class MirrorDoc:
    docno: int
    fts: Sequence[str]  # tokens of TEXT_FIELDS, space-joined
    lang: str
    source: str
    facets: Iterable[tuple[str, str]]  # (field, value): country, entity, event_type
    published_at: str | None  # ISO date-time


def _newest(published_at: str | None, docno: int) -> int:
    seconds = 0
    if published_at:
        from datetime import datetime

        try:
            seconds = max(0, int(datetime.fromisoformat(published_at).timestamp()))
        except ValueError:
            seconds = 0
    # published first (newest first), undated last; ties: lower docno first (as SQLite orders them)
    return (((1 if published_at else 0) << 40 | min(seconds, (1 << 40) - 1)) << 22) | ((1 << 22) - 1 - docno % (1 << 22))


class TantivyMirror:
    """The tantivy index next to one SQLite search file (see module doc)."""

    def __init__(self, path: Path, weights: Sequence[float]) -> None:
        self.path = path
        self.weights = dict(zip(TEXT_FIELDS, weights, strict=True))
        self.schema = _schema(weights)
        self._index: tantivy.Index | None = None

    # -- opening -------------------------------------------------------------------------

    def _open(self) -> tantivy.Index:
        if self._index is None:
            marker = self.path / "coopwatch-format"
            if self.path.exists() and (not marker.is_file() or marker.read_text().strip() != FORMAT):
                shutil.rmtree(self.path, ignore_errors=True)
            self.path.mkdir(parents=True, exist_ok=True)
            try:
                self._index = tantivy.Index(self.schema, path=str(self.path), reuse=True)
            except ValueError as exc:  # unreadable (a crash mid-write, a foreign schema): start empty
                log.warning("tantivy mirror %s is unreadable (%s); it is rebuilt from SQLite", self.path, exc)
                shutil.rmtree(self.path, ignore_errors=True)
                self.path.mkdir(parents=True)
                self._index = tantivy.Index(self.schema, path=str(self.path), reuse=True)
            marker.write_text(FORMAT)
        return self._index

    def discard(self) -> None:
        """Forget the mirror (searches fall back to SQLite until it is rebuilt)."""
        self._index = None
        shutil.rmtree(self.path, ignore_errors=True)

    def count(self) -> int:
        index = self._open()
        index.reload()
        return int(index.searcher().num_docs)

    # -- writing -------------------------------------------------------------------------

    def _doc(self, d: MirrorDoc) -> tantivy.Document:
        doc = tantivy.Document()
        doc.add_unsigned("docno", d.docno)
        for name, tokens in zip(TEXT_FIELDS, d.fts, strict=True):
            if tokens:
                doc.add_text(name, tokens)
        doc.add_text("lang", d.lang)
        doc.add_text("source", d.source)
        for field, value in d.facets:
            doc.add_text(FACET_FIELDS[field], value)
        day = int(d.published_at[:10].replace("-", "")) if d.published_at else 0
        doc.add_unsigned("day", day)
        doc.add_unsigned("newest", _newest(d.published_at, d.docno))
        return doc

    def write(self, removed: Iterable[int], added: Iterable[MirrorDoc], *, clear: bool = False) -> None:
        """Delete ``removed`` docnos, add ``added``, commit (one writer, then released)."""
        writer = self._open().writer(heap_size=HEAP, num_threads=1)
        try:
            if clear:
                writer.delete_all_documents()
            for docno in removed:
                writer.delete_documents_by_query(tantivy.Query.term_query(self.schema, "docno", docno))
            for d in added:
                writer.add_document(self._doc(d))
            writer.commit()
        except BaseException:
            writer.rollback()
            raise
        finally:
            writer.wait_merging_threads()

    # -- searching -------------------------------------------------------------------------

    def _field_any(self, build: Any) -> tantivy.Query:
        return tantivy.Query.boolean_query(
            [(tantivy.Occur.Should, tantivy.Query.boost_query(build(f), w)) for f, w in self.weights.items()]
        )

    def leaf_query(self, leaf: Leaf) -> tantivy.Query | None:
        """Any form of ``leaf`` in any text field (the FTS5 expression of indexer.querying, in tantivy)."""
        Q, S = tantivy.Query, self.schema
        forms: list[tantivy.Query] = []
        for form in leaf_forms(leaf):
            toks = list(form.tokens)
            if form.prefix:
                forms.append(self._field_any(lambda f, t=toks: Q.phrase_prefix_query(S, f, t)))
            elif len(toks) == 1:
                forms.append(self._field_any(lambda f, t=toks[0]: Q.term_query(S, f, t)))
            elif form.phrase:
                forms.append(self._field_any(lambda f, t=toks: Q.phrase_query(S, f, t)))
            else:  # every token somewhere in the document (as FTS5's AND over all columns)
                forms.append(
                    Q.boolean_query(
                        [(tantivy.Occur.Must, self._field_any(lambda f, t=t: Q.term_query(S, f, t))) for t in toks]
                    )
                )
        forms += [Q.boost_query(Q.term_query(S, "neutral", t), self.weights["neutral"]) for t in leaf.neutral]
        if not forms:
            return None
        return Q.boolean_query([(tantivy.Occur.Should, f) for f in forms])

    def tree_query(self, node: Node) -> tantivy.Query | None:
        """The tree with the set semantics of indexer.querying.compile_tree; each positive leaf
        adds COVERAGE to the score, so documents matching more clauses rank first."""
        Q, O = tantivy.Query, tantivy.Occur

        def walk(n: Node, negated: bool = False) -> tantivy.Query | None:
            if isinstance(n, Leaf):
                if is_stop(n):
                    return None
                q = self.leaf_query(n)
                if q is None or negated:
                    return q
                return Q.boolean_query([(O.Should, Q.const_score_query(q, COVERAGE)), (O.Should, q)])
            if isinstance(n, Not):
                inner = walk(n.child, not negated)
                return Q.boolean_query([(O.Must, Q.all_query()), (O.MustNot, inner)]) if inner else None
            if isinstance(n, Or):
                kids = [k for k in (walk(c, negated) for c in n.children) if k]
                return Q.boolean_query([(O.Should, k) for k in kids]) if kids else None
            if isinstance(n, And):
                pos = [k for k in (walk(c, negated) for c in n.children if not isinstance(c, Not)) if k]
                neg = [k for k in (walk(c.child, not negated) for c in n.children if isinstance(c, Not)) if k]
                if not pos:
                    return None
                return Q.boolean_query([(O.Must, k) for k in pos] + [(O.MustNot, k) for k in neg])
            assert isinstance(n, Ranked)
            kids = [k for k in (walk(c, negated) for c in n.children if not is_stop(c)) if k]
            if not kids:
                return None
            return Q.boolean_query([(O.Should, k) for k in kids], min(n.msm, len(kids)))

        return walk(node)

    def search(
        self,
        tree: Node | None,
        *,
        langs: Sequence[str] = (),
        sources: Sequence[str] = (),
        facets: Sequence[tuple[str, Sequence[str]]] = (),
        date_from: date | None = None,
        date_to: date | None = None,
        offset: int = 0,
        limit: int = 10,
        want_facets: bool = True,
    ) -> tuple[int, list[tuple[int, float]], dict[str, dict[str, int]]]:
        """``(total, [(docno, score)] of the page, facet counts over the whole match set)``."""
        Q, O, S = tantivy.Query, tantivy.Occur, self.schema
        text = self.tree_query(tree) if tree is not None else None
        filters: list[tantivy.Query] = []
        for field, values in (("lang", langs), ("source", sources), *facets):
            if values:
                filters.append(Q.term_set_query(S, FACET_FIELDS.get(field, field), list(values)))
        if date_from or date_to:
            lo = int(date_from.strftime("%Y%m%d")) if date_from else 1  # undated (0) never in a range
            hi = int(date_to.strftime("%Y%m%d")) if date_to else None
            filters.append(Q.range_query(S, "day", tantivy.FieldType.Unsigned, lo, hi))
        clauses = [(O.Must, text if text is not None else Q.all_query())]
        clauses += [(O.Must, Q.const_score_query(f, 0.0)) for f in filters]
        query = Q.boolean_query(clauses)
        index = self._open()
        index.reload()
        searcher = index.searcher()
        if text is not None:
            res = searcher.search(query, limit=limit, offset=offset, count=True)
        else:
            res = searcher.search(query, limit=limit, offset=offset, count=True, order_by_field="newest")
        page = [(int(searcher.doc(addr)["docno"][0]), float(score) if text is not None else 0.0) for score, addr in res.hits]
        counts: dict[str, dict[str, int]] = {}
        if want_facets:
            aggs = {name: {"terms": {"field": field, "size": 10_000}} for name, field in FACET_FIELDS.items()}
            got = searcher.aggregate(query, aggs) if res.count else {}
            for name in FACET_FIELDS:
                buckets = (got.get(name) or {}).get("buckets") or []
                ordered = sorted(((b["key"], int(b["doc_count"])) for b in buckets), key=lambda kv: (-kv[1], kv[0]))
                counts[name] = dict(ordered)
        return int(res.count or 0), page, counts


def mirror_doc(docno: int, fts: Sequence[str], doc_row: Sequence[Any], facets: Iterable[tuple[str, str]]) -> MirrorDoc:
    """A MirrorDoc from sqlite_schema.Rows parts (``doc_row`` as Rows.doc: id, url, source, lang, …, published_at)."""
    return MirrorDoc(docno, fts, lang=doc_row[3], source=doc_row[2], facets=list(facets), published_at=doc_row[8])


def row_facets(row: Any) -> list[tuple[str, str]]:
    """Facet values of a stored ``docs`` row (for rebuilding the mirror)."""
    out = [("country", c) for c in json.loads(row["countries"])]
    out += [("entity", e["id"]) for e in json.loads(row["entities"]) if e.get("id")]
    out += [("event_type", t) for t in dict.fromkeys(ev.get("type") for ev in json.loads(row["events"])) if t]
    return out
