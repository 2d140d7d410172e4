"""The engine backend: Elasticsearch (7.x, 8, 9) or OpenSearch, one code path.

Layout (template in ``indexer/templates/coopwatch.json``): the original title
and text go to ``title.<lang>``/``text.<lang>``, analysed for that language
(``cjk``, ``german``, ``english``, ``standard`` for Vietnamese and others); the
English translation to ``title_en``/``text_en``; countries, entity ids and
event types are keywords; events are ``nested``. Documents live in versioned
indices ``<alias>-v<N>`` behind the alias ``es_index``; :meth:`reindex` builds
the next version and switches the alias atomically (no downtime).

Queries mirror the embedded backend: the query text is analysed by each of the
four analyzers, every analysed token must occur somewhere in the document
(title, text or translation; ``cross_fields`` with ``operator: and``) and the
four variants are ORed. Writes use ``helpers.streaming_bulk`` with per-item
results (a refused item is reported in :class:`IndexReport`, never hidden)
and back-off retries on 429. An engine that cannot be reached raises
:class:`BackendError`, so the pipeline leaves the batch pending in the store.
"""

from __future__ import annotations

import json
import re
import time
import unicodedata
import warnings
from collections.abc import Iterable, Iterator, Sequence
from datetime import UTC, datetime, timedelta
from importlib import resources
from typing import Any

from coopwatch.query import And, Leaf, Node, Not, Or, QueryError, Ranked, is_stop
from coopwatch.records import IndexDoc
from indexer.base import (
    INTERVALS,
    BackendError,
    Bucket,
    IndexReport,
    SearchBackend,
    SearchHit,
    SearchQuery,
    SearchResults,
    batched,
)
from indexer.elastic_client import Auth, Engine, connect
from indexer.highlight import snippet as head_snippet
from indexer.neutral import neutral_text
from indexer.querying import tree_of

MAX_PER_PAGE = 100
MAX_WINDOW = 10_000  # the engines' default index.max_result_window
FACET_SIZE = 100  # values returned per facet field (counts are over the whole match set)
CHUNK_SIZE = 500
TEXT_LANGS = ("zh", "de", "en", "vi")
QUERY_ANALYZERS = ("coopwatch_zh", "coopwatch_de", "coopwatch_en", "coopwatch_vi")
# Titles count more than bodies, the original more than the machine translation (as in SQLite).
FIELDS = ["title.*^4", "text.*^1", "title_en^3", "text_en^0.75"]
FACETS = {
    "lang": "lang",
    "source": "source",
    "country": "countries",
    "entity": "entity_ids",
    "event_type": "event_types",
}
_CALENDAR = {"year": "1y", "month": "1M", "day": "1d"}
_FORMATS = {"year": "yyyy", "month": "yyyy-MM", "day": "yyyy-MM-dd"}
_PRECISIONS = {"year": ["year", "month", "day"], "month": ["month", "day"], "day": ["day"]}
_EVENT_KEYS = ("type", "date", "precision", "evidence", "evidence_en")
_HAN = re.compile(r"[\u3400-\u9fff]")


def load_template(alias: str, replicas: int | None = None) -> dict[str, Any]:
    """The composable index template for ``alias`` (the shipped JSON, comment removed)."""
    raw = resources.files("indexer").joinpath("templates/coopwatch.json").read_text(encoding="utf-8")
    tpl = json.loads(raw.replace("{alias}", alias))
    tpl.pop("_comment", None)
    if replicas is not None:
        tpl["template"]["settings"]["number_of_replicas"] = replicas
    return tpl  # type: ignore[no-any-return]


def _nfc(text: str | None) -> str:
    return unicodedata.normalize("NFC", text or "")


def to_source(doc: IndexDoc) -> dict[str, Any]:
    """The engine document for ``doc`` (pure; raises ValueError when invalid)."""
    if not doc.id:
        raise ValueError("document has no id")
    slot = doc.lang if doc.lang in TEXT_LANGS else "other"
    events = []
    for ev in doc.events or []:
        day = str(ev["date"])[:10] if ev.get("date") else None
        item = {k: v for k, v in ev.items() if k not in ("date", "countries")}
        item.update(
            type=ev.get("type") or "other",
            date=day,
            precision=ev.get("precision") or ("day" if day else "none"),
            participants=list(ev.get("participants") or []),
            countries=sorted({c.upper() for c in ev.get("countries") or [] if c}),
            evidence=ev.get("evidence") or "",
            evidence_en=ev.get("evidence_en"),
        )
        events.append(item)
    entities = list(doc.entities or [])
    return {
        "id": doc.id,
        "url": doc.url,
        "source": doc.source,
        "lang": doc.lang,
        "title": {slot: _nfc(doc.title)},
        "text": {slot: _nfc(doc.text)},
        "title_en": _nfc(doc.title_en) if doc.title_en is not None else None,
        "text_en": _nfc(doc.text_en) if doc.text_en is not None else None,
        "published_at": doc.published_at.isoformat() if doc.published_at else None,
        "relevance": float(doc.relevance or 0.0),
        "countries": sorted({c.upper() for c in doc.countries or [] if c}),
        "entity_ids": list(dict.fromkeys(e["id"] for e in entities if e.get("id"))),
        "entities": entities,
        "event_types": list(dict.fromkeys(ev["type"] for ev in events)),
        "events": events,
        "neutral": neutral_text(doc),
        "indexed_at": datetime.now(UTC).isoformat(timespec="seconds"),
    }


def _one(value: Any) -> str:
    """The single language slot of ``title``/``text``."""
    if isinstance(value, dict):
        return next((v for v in value.values() if v is not None), "")
    return value or ""


def from_source(src: dict[str, Any]) -> dict[str, Any]:
    """The stored fields as :meth:`SearchBackend.get` returns them (same keys as SQLite)."""
    out = {k: src.get(k) for k in ("id", "url", "source", "lang", "title_en", "text_en", "published_at")}
    out.update(
        title=_one(src.get("title")),
        text=_one(src.get("text")),
        relevance=src.get("relevance", 0.0),
        countries=src.get("countries") or [],
        entities=src.get("entities") or [],
        events=src.get("events") or [],
    )
    return out



def _leaf_query(leaf: Leaf) -> dict[str, Any] | None:
    """Any form of ``leaf``: the typed text under each analyzer, each translation, each neutral token."""
    text = _nfc(leaf.text)
    should: list[dict[str, Any]] = []
    for analyzer in QUERY_ANALYZERS:
        mm: dict[str, Any] = {"query": text, "analyzer": analyzer, "fields": FIELDS}
        if leaf.kind == "prefix":
            mm["type"] = "phrase_prefix"
        elif leaf.kind == "phrase" and not _HAN.search(text):
            mm["type"] = "phrase"
        else:
            mm.update(type="cross_fields", operator="and")
        should.append({"multi_match": mm})
    for alt in leaf.alts:
        analyzer = f"coopwatch_{alt.lang}" if alt.lang in TEXT_LANGS else "coopwatch_other"
        mm = {"query": _nfc(alt.text), "analyzer": analyzer, "fields": FIELDS}
        if alt.phrase and not _HAN.search(alt.text):
            mm["type"] = "phrase"
        else:
            mm.update(type="cross_fields", operator="and")
        should.append({"multi_match": mm})
    if leaf.neutral:
        should.append({"terms": {"neutral": list(leaf.neutral), "boost": 2.0}})
    return {"bool": {"should": should, "minimum_should_match": 1}}


def tree_query(node: Node) -> dict[str, Any]:
    """The engine query of a tree; the same set semantics as :func:`indexer.querying.compile_tree`."""

    def walk(n: Node) -> dict[str, Any] | None:
        if isinstance(n, Leaf):
            return None if is_stop(n) else _leaf_query(n)
        if isinstance(n, Not):
            inner = walk(n.child)
            return {"bool": {"must": [{"match_all": {}}], "must_not": [inner]}} if inner else None
        if isinstance(n, Or):
            kids = [k for k in (walk(c) for c in n.children) if k]
            return {"bool": {"should": kids, "minimum_should_match": 1}} if kids else None
        if isinstance(n, And):
            pos = [k for k in (walk(c) for c in n.children if not isinstance(c, Not)) if k]
            neg = [k for k in (walk(c.child) for c in n.children if isinstance(c, Not)) if k]
            return {"bool": {"must": pos, "must_not": neg}} if pos else None
        assert isinstance(n, Ranked)
        kids = [k for k in (walk(c) for c in n.children if not is_stop(c)) if k]
        if not kids:
            return None
        return {"bool": {"should": kids, "minimum_should_match": min(n.msm, len(kids))}}

    query = walk(node)
    if query is None:
        raise QueryError("nothing searchable in the query (only punctuation or stop words)", 0)
    return query


class ElasticBackend(SearchBackend):
    """Search in an Elasticsearch/OpenSearch cluster through the alias ``index``."""

    def __init__(
        self,
        auth: Auth,
        *,
        flavour: str = "elasticsearch",
        index: str = "coopwatch",
        replicas: int | None = None,
        max_retries: int = 5,
        initial_backoff: float = 1.0,
    ) -> None:
        if not re.fullmatch(r"[a-z0-9][a-z0-9_.-]*", index):
            raise BackendError(f"es_index {index!r} is not a valid index name (lower-case letters, digits, - _ .)")
        self.name = flavour
        self.flavour = flavour
        self.auth = auth
        self.alias = index
        self.replicas = replicas
        self.max_retries = max_retries
        self.initial_backoff = initial_backoff
        self._engine: Engine | None = None
        self._ready = False

    @classmethod
    def from_settings(cls, settings: Any) -> ElasticBackend:
        auth = Auth(
            url=settings.es_url,
            api_key=settings.es_api_key,
            username=settings.es_username,
            password=settings.es_password,
            ca_certs=settings.es_ca_certs,
            verify_certs=settings.es_verify_certs,
        )
        return cls(
            auth, flavour=settings.backend, index=settings.es_index, replicas=getattr(settings, "es_replicas", None)
        )

    # -- plumbing -------------------------------------------------------------

    @property
    def engine(self) -> Engine:
        if self._engine is None:
            self._engine = connect(self.flavour, self.auth)
        return self._engine

    def _call(self, what: str, fn: Any, *args: Any, **kw: Any) -> Any:
        """Run one client call; engine failures become a BackendError saying what failed."""
        eng = self.engine
        try:
            with warnings.catch_warnings():
                # ``body=`` is the one request shape that 7.x, 8/9 and opensearch-py all accept;
                # the Elasticsearch clients deprecate it in favour of per-field keywords.
                warnings.filterwarnings(
                    "ignore", message="The 'body' parameter is deprecated", category=DeprecationWarning
                )
                return fn(*args, **kw)
        except eng.engine_errors() as exc:
            if eng.is_connection_error(exc):
                raise BackendError(
                    f"{self.flavour} at {self.auth.url} is unreachable ({what}): {exc}; start the engine or fix "
                    "es_url, then run `coopwatch index` again (pending articles are kept)"
                ) from exc
            raise BackendError(f"{self.flavour} at {self.auth.url} refused {what}: {exc}") from exc

    def _body(self, what: str, fn: Any, *args: Any, **kw: Any) -> dict[str, Any]:
        return self.engine.body(self._call(what, fn, *args, **kw))

    def close(self) -> None:
        if self._engine is not None:
            self._engine.close()
            self._engine = None

    # -- index layout -----------------------------------------------------------

    def template_name(self) -> str:
        return f"{self.alias}-template"

    def versions(self) -> dict[str, bool]:
        """Versioned indices ``<alias>-v<N>`` → whether the alias points at them."""
        raw = self.engine.raw
        try:
            got = self.engine.body(raw.indices.get_alias(index=f"{self.alias}-v*"))
        except self.engine.engine_errors() as exc:
            if self.engine.is_not_found(exc):
                return {}
            raise BackendError(f"{self.flavour} at {self.auth.url}: cannot list indices: {exc}") from exc
        return {name: self.alias in (info.get("aliases") or {}) for name, info in got.items()}

    def current_index(self) -> str | None:
        return next((name for name, on in sorted(self.versions().items()) if on), None)

    def _next_index(self) -> str:
        numbers = [int(m.group(1)) for n in self.versions() if (m := re.search(r"-v(\d+)$", n))]
        return f"{self.alias}-v{max(numbers, default=0) + 1}"

    def ensure_layout(self) -> None:
        """Install the template and, on first use, create ``<alias>-v1`` behind the alias."""
        raw = self.engine.raw
        self._call(
            "installing the index template",
            raw.indices.put_index_template,
            name=self.template_name(),
            body=load_template(self.alias, self.replicas),
        )
        if self.current_index() is None:
            if self._call("checking the alias", raw.indices.exists, index=self.alias):
                raise BackendError(
                    f"{self.alias!r} on {self.auth.url} is an index, not an alias; choose another es_index "
                    "or move that index away"
                )
            name = self._next_index()
            self._call(
                f"creating {name}",
                raw.indices.create,
                index=name,
                body={"aliases": {self.alias: {"is_write_index": True}}},
            )
            self._call("waiting for the new index", raw.cluster.health, index=name, wait_for_status="yellow")
        else:
            self._upgrade_if_old()
        self._ready = True

    def _upgrade_if_old(self) -> None:
        """An index written before the ``neutral`` field (template 2) gets an empty successor.

        Its documents lack the language-neutral tokens and its analyzers do not fold
        accents, so the alias moves to a fresh ``<alias>-v<N+1>`` (the old index is
        kept) and the next ``coopwatch index`` refills it from the store.
        """
        raw = self.engine.raw
        current = self.current_index()
        if current is None:
            return
        mapping = self._body("reading the mapping", raw.indices.get_mapping, index=current)
        props = (mapping.get(current, {}).get("mappings") or {}).get("properties") or {}
        if "neutral" in props:
            return
        new = self._next_index()
        self._call(f"creating {new}", raw.indices.create, index=new, body={})
        self._call("waiting for the new index", raw.cluster.health, index=new, wait_for_status="yellow")
        actions = [
            {"remove": {"index": current, "alias": self.alias}},
            {"add": {"index": new, "alias": self.alias, "is_write_index": True}},
        ]
        self._call("switching the alias", raw.indices.update_aliases, body={"actions": actions})

    def check(self) -> None:
        health = self._body("a health check", self.engine.raw.cluster.health)
        if health.get("status") == "red":
            raise BackendError(f"{self.flavour} cluster at {self.auth.url} is red; fix the cluster before indexing")
        self.ensure_layout()

    def _ensure(self) -> None:
        if not self._ready:
            self.ensure_layout()

    def refresh(self) -> None:
        self._call("a refresh", self.engine.raw.indices.refresh, index=self.alias)

    # -- writing --------------------------------------------------------------------

    def _bulk(self, actions: list[dict[str, Any]]) -> Iterator[tuple[bool, dict[str, Any]]]:
        eng = self.engine
        try:
            yield from eng.helpers.streaming_bulk(
                eng.raw,
                actions,
                chunk_size=CHUNK_SIZE,
                max_retries=self.max_retries,  # back-off retries on 429 (rejected: queue full)
                initial_backoff=self.initial_backoff,
                max_backoff=60,
                raise_on_error=False,  # per-item results: a refused item is reported, not fatal
                raise_on_exception=True,  # an unreachable engine aborts the call (batch stays pending)
                yield_ok=True,
            )
        except eng.engine_errors() as exc:
            if eng.is_connection_error(exc):
                raise BackendError(
                    f"{self.flavour} at {self.auth.url} became unreachable during bulk indexing: {exc}; "
                    "the unacknowledged articles stay pending — run `coopwatch index` again"
                ) from exc
            raise BackendError(f"{self.flavour} at {self.auth.url} refused a bulk request: {exc}") from exc

    def index(self, docs: Iterable[IndexDoc]) -> IndexReport:
        self._ensure()
        report = IndexReport()
        for batch in batched(docs, CHUNK_SIZE):
            actions = []
            for doc in batch:
                try:
                    actions.append(
                        {"_op_type": "index", "_index": self.alias, "_id": doc.id, "_source": to_source(doc)}
                    )
                except (ValueError, TypeError, AttributeError, KeyError) as exc:
                    report.failed[str(getattr(doc, "id", "") or "?")] = f"invalid document: {exc}"
            for ok, item in self._bulk(actions):
                result = next(iter(item.values()))
                if ok:
                    report.indexed.append(result["_id"])
                else:
                    err = result.get("error") or result.get("exception") or "unknown error"
                    if isinstance(err, dict):
                        err = f"{err.get('type')}: {err.get('reason')}"
                    report.failed[result.get("_id", "?")] = f"engine refused (status {result.get('status')}): {err}"
        if report.indexed:
            self.refresh()
        return report

    def delete(self, ids: Sequence[str]) -> int:
        if not ids:
            return 0
        self._ensure()
        actions = [{"_op_type": "delete", "_index": self.alias, "_id": i} for i in dict.fromkeys(ids)]
        deleted = 0
        for ok, item in self._bulk(actions):
            result = next(iter(item.values()))
            if ok and result.get("result") == "deleted":
                deleted += 1
            elif not ok and result.get("status") != 404:
                raise BackendError(f"{self.flavour} refused to delete {result.get('_id')}: {result.get('error')}")
        self.refresh()
        return deleted

    # -- reading ----------------------------------------------------------------

    def get(self, doc_id: str) -> dict[str, Any] | None:
        self._ensure()
        hits = self._search({"query": {"ids": {"values": [doc_id]}}, "size": 1})["hits"]["hits"]
        return from_source(hits[0]["_source"]) if hits else None

    def count(self) -> int:
        self._ensure()
        return int(self._body("a count", self.engine.raw.count, index=self.alias)["count"])

    def _search(self, body: dict[str, Any]) -> dict[str, Any]:
        return self._body("a search", self.engine.raw.search, index=self.alias, body=body)

    @staticmethod
    def text_query(text: str, tree: Node | None = None) -> dict[str, Any] | None:
        """The query tree (``tree``, or ``text`` parsed as typed) as an engine query."""
        node = tree_of(_nfc(text), tree)
        return tree_query(node) if node is not None else None

    @staticmethod
    def filters(query: SearchQuery) -> list[dict[str, Any]]:
        out: list[dict[str, Any]] = []
        for fld, values in (
            ("lang", query.langs),
            ("source", query.sources),
            ("countries", [c.upper() for c in query.countries]),
            ("entity_ids", query.entities),
            ("event_types", query.event_types),
        ):
            if values:
                out.append({"terms": {fld: list(values)}})
        rng: dict[str, str] = {}
        if query.date_from:
            rng["gte"] = query.date_from.isoformat()[:10]
        if query.date_to:
            rng["lt"] = (query.date_to + timedelta(days=1)).isoformat()[:10]
        if rng:
            out.append({"range": {"published_at": rng}})
        return out

    def search(self, query: SearchQuery) -> SearchResults:
        if not isinstance(query.page, int) or query.page < 1:
            raise ValueError(f"page must be an integer >= 1, not {query.page!r}")
        if not isinstance(query.per_page, int) or not 1 <= query.per_page <= MAX_PER_PAGE:
            raise ValueError(f"per_page must be an integer between 1 and {MAX_PER_PAGE}, not {query.per_page!r}")
        if query.page * query.per_page > MAX_WINDOW:
            raise ValueError(f"page {query.page} is too deep: the engine serves the first {MAX_WINDOW} results")
        self._ensure()
        must = self.text_query(query.text, query.tree)
        body: dict[str, Any] = {
            "query": {"bool": {"must": [must] if must else [{"match_all": {}}], "filter": self.filters(query)}},
            "from": (query.page - 1) * query.per_page,
            "size": query.per_page,
            "track_total_hits": True,
            "sort": (["_score"] if must else [])
            + [{"published_at": {"order": "desc", "missing": "_last"}}, {"id": "asc"}],
        }
        if must:
            hl = {"number_of_fragments": 1, "fragment_size": 200, "no_match_size": 0}
            body["highlight"] = {
                "type": "unified",
                "encoder": "html",
                "pre_tags": ["<mark>"],
                "post_tags": ["</mark>"],
                "fields": {"text.*": hl, "title.*": hl, "text_en": hl},
            }
        if query.facets:
            body["aggs"] = {name: {"terms": {"field": fld, "size": FACET_SIZE}} for name, fld in FACETS.items()}
        res = self._search(body)
        facets: dict[str, dict[str, int]] = {}
        if query.facets:
            aggs = res.get("aggregations", {})
            facets = {n: {b["key"]: b["doc_count"] for b in aggs.get(n, {}).get("buckets", [])} for n in FACETS}
        total = res["hits"]["total"]
        total = total["value"] if isinstance(total, dict) else int(total)
        hits = [self._hit(h) for h in res["hits"]["hits"]]
        return SearchResults(total=total, hits=hits, facets=facets, page=query.page, per_page=query.per_page)

    @staticmethod
    def _hit(h: dict[str, Any]) -> SearchHit:
        src, hl = h["_source"], h.get("highlight", {})
        lang = src.get("lang", "")
        slot = lang if lang in TEXT_LANGS else "other"
        text, title = _one(src.get("text")), _one(src.get("title"))
        if text:
            snip = (hl.get(f"text.{slot}") or [None])[0] or head_snippet(text, lang)
        else:
            snip = (hl.get(f"title.{slot}") or [None])[0] or head_snippet(title, lang)
        text_en = src.get("text_en")
        snip_en = None
        if text_en:
            snip_en = (hl.get("text_en") or [None])[0] or head_snippet(text_en, "en")
        return SearchHit(
            id=src["id"],
            score=float(h.get("_score") or 0.0),
            url=src.get("url", ""),
            source=src.get("source", ""),
            lang=lang,
            title=title,
            title_en=src.get("title_en"),
            published_at=src.get("published_at"),
            snippet=snip,
            snippet_en=snip_en,
            countries=src.get("countries") or [],
            entities=src.get("entities") or [],
            event_types=src.get("event_types") or [],
        )

    # -- timelines ----------------------------------------------------------------

    def _event_filter(
        self, entity: str | None, countries: Sequence[str], precisions: list[str] | None
    ) -> dict[str, Any]:
        flt: list[dict[str, Any]] = [{"exists": {"field": "events.date"}}]
        if entity:
            flt.append({"term": {"events.participants": entity}})
        for code in dict.fromkeys(c.upper() for c in countries):
            flt.append({"term": {"events.countries": code}})
        if precisions is not None:
            flt.append({"terms": {"events.precision": precisions}})
        return {"bool": {"filter": flt}}

    def timeline(
        self, *, entity: str | None = None, countries: Sequence[str] = (), query: str = "", interval: str = "month"
    ) -> list[Bucket]:
        """See :meth:`SearchBackend.timeline` (events less precise than ``interval`` are left out)."""
        if interval not in INTERVALS:
            raise ValueError(f"interval must be one of {', '.join(INTERVALS)}, not {interval!r}")
        self._ensure()
        must = self.text_query(query)
        text = [must] if must else []
        hist = {"calendar_interval": _CALENDAR[interval], "format": _FORMATS[interval], "min_doc_count": 1}
        ev_body = {
            "size": 0,
            "query": {"bool": {"must": text or [{"match_all": {}}]}},
            "aggs": {
                "ev": {
                    "nested": {"path": "events"},
                    "aggs": {
                        "f": {
                            "filter": self._event_filter(entity, countries, _PRECISIONS[interval]),
                            "aggs": {
                                "p": {
                                    "date_histogram": {"field": "events.date", **hist},
                                    "aggs": {"t": {"terms": {"field": "events.type", "size": 1000}}},
                                }
                            },
                        }
                    },
                }
            },
        }
        doc_filter: list[dict[str, Any]] = [{"exists": {"field": "published_at"}}]
        if entity:
            doc_filter.append({"term": {"entity_ids": entity}})
        for code in dict.fromkeys(c.upper() for c in countries):
            doc_filter.append({"term": {"countries": code}})
        mention_body = {
            "size": 0,
            "query": {"bool": {"must": text or [{"match_all": {}}], "filter": doc_filter}},
            "aggs": {"p": {"date_histogram": {"field": "published_at", **hist}}},
        }
        buckets: dict[str, dict[str, int]] = {}
        for b in self._search(ev_body)["aggregations"]["ev"]["f"]["p"]["buckets"]:
            counts = buckets.setdefault(b["key_as_string"], {})
            for t in b["t"]["buckets"]:
                counts[t["key"]] = t["doc_count"]
        for b in self._search(mention_body)["aggregations"]["p"]["buckets"]:
            buckets.setdefault(b["key_as_string"], {})["mentions"] = b["doc_count"]
        return [Bucket(period=p, counts={"mentions": 0, **buckets[p]}) for p in sorted(buckets)]

    def events(
        self, *, entity: str | None = None, countries: Sequence[str] = (), query: str = ""
    ) -> list[dict[str, Any]]:
        self._ensure()
        must = self.text_query(query)
        nested = {"nested": {"path": "events", "query": self._event_filter(entity, countries, None)}}
        body = {"query": {"bool": {"must": [must] if must else [], "filter": [nested]}}}
        wanted = {c.upper() for c in countries}
        out = []
        eng = self.engine
        try:
            scanned = list(eng.helpers.scan(eng.raw, index=self.alias, query=body, size=500))
        except eng.engine_errors() as exc:
            raise BackendError(f"{self.flavour} at {self.auth.url}: listing events failed: {exc}") from exc
        for h in scanned:
            src = h["_source"]
            names = {e.get("id"): e.get("name") for e in src.get("entities") or []}
            for seq, ev in enumerate(src.get("events") or []):
                if not ev.get("date") or (entity and entity not in ev.get("participants", [])):
                    continue
                if not wanted <= set(ev.get("countries") or []):
                    continue
                item = {
                    "article_id": src["id"],
                    "url": src.get("url"),
                    "title": _one(src.get("title")),
                    "title_en": src.get("title_en"),
                    "source": src.get("source"),
                    "lang": src.get("lang"),
                    "published_at": src.get("published_at"),
                }
                item.update({k: ev.get(k) for k in _EVENT_KEYS})
                item["participants"] = list(ev.get("participants") or [])
                item["participant_names"] = [names.get(p) or p for p in item["participants"]]
                item["countries"] = list(ev.get("countries") or [])
                item["_order"] = (ev["date"], src.get("published_at") or "", src["id"], seq)
                out.append(item)
        out.sort(key=lambda e: e["_order"])
        for item in out:
            item.pop("_order")
        return out

    # -- versions ---------------------------------------------------------------

    def reindex(self, *, keep_old: bool = True) -> dict[str, Any]:
        """Copy the current index into ``<alias>-v<N+1>`` (fresh template) and switch the alias.

        Searches keep using the old index until the alias moves in one atomic
        ``_aliases`` call. Documents written while the copy runs are caught up
        (by ``indexed_at``) before and after the switch, so none is lost.
        """
        self.check()
        raw = self.engine.raw
        old = self.current_index()
        new = self._next_index()
        started = datetime.now(UTC) - timedelta(seconds=5)
        self._call(f"creating {new}", raw.indices.create, index=new, body={})
        self._call("waiting for the new index", raw.cluster.health, index=new, wait_for_status="yellow")
        first = self._body(
            "the copy",
            raw.reindex,
            body={"source": {"index": old}, "dest": {"index": new}},
            wait_for_completion=True,
            refresh=True,
            request_timeout=3600,
        )
        catch_up = started.isoformat()
        second_start = datetime.now(UTC) - timedelta(seconds=5)
        self._catch_up(old, new, catch_up, "index")
        actions = [
            {"remove": {"index": old, "alias": self.alias}},
            {"add": {"index": new, "alias": self.alias, "is_write_index": True}},
        ]
        self._call("switching the alias", raw.indices.update_aliases, body={"actions": actions})
        # Writes that reached the old index between the catch-up and the switch: copy what is missing.
        self._catch_up(old, new, second_start.isoformat(), "create")
        if not keep_old:
            self._call(f"deleting {old}", raw.indices.delete, index=old)
        self.refresh()
        return {
            "old": old,
            "new": new,
            "copied": first.get("total", 0),
            "count": self.count(),
            "deleted_old": not keep_old,
        }

    def _catch_up(self, old: str | None, new: str, since: str, op_type: str) -> None:
        body = {
            "source": {"index": old, "query": {"range": {"indexed_at": {"gte": since}}}},
            "dest": {"index": new, "op_type": op_type},
            "conflicts": "proceed",
        }
        self._call("the catch-up copy", self.engine.raw.reindex, body=body, wait_for_completion=True, refresh=True)


def wait_for_green(backend: ElasticBackend, timeout: float = 60.0) -> None:
    """Block until the cluster is green (tests and benchmarks)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        health = backend.engine.body(backend.engine.raw.cluster.health())
        if health.get("status") == "green":
            return
        time.sleep(0.5)
    raise BackendError(f"{backend.flavour} at {backend.auth.url} did not turn green within {timeout:.0f} s")
