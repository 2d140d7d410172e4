"""The workbench's core: plain functions over the store and any SearchBackend.

Both the JSON API (:mod:`coopwatch.web.api`) and the HTML pages
(:mod:`coopwatch.web.pages`) call these, so a page always shows what the API
returns. Nothing here writes: the store and the backend are only read.
Bad input raises :class:`~coopwatch.errors.InputError` (shown as a 400).
"""

from __future__ import annotations

import csv
import io
import json
import math
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from coopwatch.errors import InputError
from coopwatch.query import Node
from coopwatch.records import to_jsonable
from coopwatch.searchtext import prepare
from coopwatch.settings import Settings
from coopwatch.store import Store
from coopwatch.web.safe import plain_snippet, safe_href
from indexer.base import SearchBackend, SearchQuery, SearchResults
from indexer.exports import csv_cell

EXPORT_FORMATS = ("csv", "json", "parquet")
EXPORT_MAX = 10_000  # rows in one search export
EXPORT_COLUMNS = (
    "id",
    "published_at",
    "lang",
    "source",
    "title",
    "title_en",
    "url",
    "countries",
    "entities",
    "entity_names",
    "event_types",
    "score",
    "snippet",
    "snippet_en",
)
LIST_COLUMNS = ("countries", "entities", "entity_names", "event_types")


@dataclass(kw_only=True)
class SearchParams:
    """A search as the web sends it (already type-checked by FastAPI)."""

    q: str = ""
    lang: list[str] = field(default_factory=list)
    source: list[str] = field(default_factory=list)
    country: list[str] = field(default_factory=list)
    entity: list[str] = field(default_factory=list)  # ids, names or aliases
    event: list[str] = field(default_factory=list)
    date_from: date | None = None
    date_to: date | None = None
    page: int = 1
    per_page: int = 10
    exact: bool = False  # no cross-language expansion

    def echo(self) -> dict[str, Any]:
        return to_jsonable(self)  # type: ignore[no-any-return]


@lru_cache(maxsize=1)
def country_names() -> dict[str, str]:
    """ISO code → English name, from the NLP country table."""
    import yaml

    path = Path(__file__).resolve().parents[2] / "nlp" / "data" / "countries.yaml"
    try:
        table = yaml.safe_load(path.read_text(encoding="utf-8")).get("countries", {})
    except OSError:
        return {}
    return {code: (entry.get("en") or [code])[0] for code, entry in table.items()}


class Workbench:
    """Read-only access to one store and one search backend."""

    def __init__(self, settings: Settings, store: Store | None = None, backend: SearchBackend | None = None):
        from indexer.registry import open_backend

        self.settings = settings
        self.store = store or Store.open(settings)
        self.backend = backend or open_backend(settings)

    def close(self) -> None:
        self.backend.close()
        self.store.close()

    # ------------------------------------------------------------- entities
    def entity_names(self, ids: list[str] | set[str]) -> dict[str, str]:
        from coopwatch.store import entities

        wanted = sorted(set(ids))
        if not wanted:
            return {}
        with self.store.engine.connect() as conn:
            rows = conn.execute(sa.select(entities.c.id, entities.c.name).where(entities.c.id.in_(wanted)))
            return {r[0]: r[1] for r in rows}

    def entity(self, key: str) -> dict[str, Any]:
        """One entity by id, name or alias, with its aliases and counts."""
        from coopwatch.store import entities, entity_aliases, mentions

        ids = self.store.resolve_entity(key)
        if not ids:
            raise InputError(f"no entity matches {key!r}; see the entity list")
        with self.store.engine.connect() as conn:
            row = conn.execute(sa.select(entities).where(entities.c.id == ids[0])).mappings().one()
            aliases = sorted(
                conn.execute(sa.select(entity_aliases.c.alias).where(entity_aliases.c.entity_id == row["id"])).scalars()
            )
            articles = conn.execute(
                sa.select(sa.func.count(sa.distinct(mentions.c.article_id))).where(mentions.c.entity_id == row["id"])
            ).scalar_one()
        return {"id": row["id"], "name": row["name"], "type": row["type"], "aliases": aliases, "articles": articles}

    def entities(self, limit: int = 100, type_: str | None = None) -> list[dict[str, Any]]:
        return self.store.entity_table(limit, type_)

    def resolve_entities(self, keys: list[str]) -> list[str]:
        out: list[str] = []
        for key in keys:
            ids = self.store.resolve_entity(key)
            if not ids:
                raise InputError(f"no entity matches {key!r}; see the entity list")
            out += [i for i in ids if i not in out]
        return out

    # ------------------------------------------------------------- search
    def _query(
        self, p: SearchParams, *, page: int, per_page: int, facets: bool, tree: Node | None = None
    ) -> SearchQuery:
        if p.date_from and p.date_to and p.date_from > p.date_to:
            raise InputError(f"date range is empty: from {p.date_from} is after to {p.date_to}")
        if tree is None:
            tree, _ = prepare(p.q, exact=p.exact)
        return SearchQuery(
            text=p.q,
            tree=tree,
            langs=list(p.lang),
            sources=list(p.source),
            countries=[c.upper() for c in p.country],
            entities=self.resolve_entities(p.entity),
            event_types=list(p.event),
            date_from=p.date_from,
            date_to=p.date_to,
            page=page,
            per_page=per_page,
            facets=facets,
        )

    def search(self, p: SearchParams) -> dict[str, Any]:
        """Results, facets with labels, and paging, JSON-ready."""
        tree, also = prepare(p.q, exact=p.exact)
        res: SearchResults = self.backend.search(
            self._query(p, page=p.page, per_page=p.per_page, facets=True, tree=tree)
        )
        data: dict[str, Any] = to_jsonable(res)
        ids = set(res.facets.get("entity", {})) | {e["id"] for h in res.hits for e in h.entities if "id" in e}
        ids |= set(self.resolve_entities(p.entity))
        names = country_names()
        data["labels"] = {
            "entity": self.entity_names(ids),
            "country": {c: names.get(c, c) for c in res.facets.get("country", {})},
        }
        data["also_searched"] = also
        data["pages"] = max(1, math.ceil(res.total / p.per_page))
        data["query"] = p.echo()
        return data

    def export_rows(self, p: SearchParams, limit: int = EXPORT_MAX) -> list[dict[str, Any]]:
        """Every hit of the search (up to ``limit``) as flat rows, best first."""
        rows: list[dict[str, Any]] = []
        page, per_page = 1, 100
        tree, _ = prepare(p.q, exact=p.exact)  # expanded once, not once per page
        while len(rows) < limit:
            res = self.backend.search(self._query(p, page=page, per_page=per_page, facets=False, tree=tree))
            for h in res.hits:
                rows.append(
                    {
                        "id": h.id,
                        "published_at": h.published_at,
                        "lang": h.lang,
                        "source": h.source,
                        "title": h.title,
                        "title_en": h.title_en,
                        "url": h.url,
                        "countries": list(h.countries),
                        "entities": [e.get("id", "") for e in h.entities],
                        "entity_names": [e.get("name", "") for e in h.entities],
                        "event_types": list(h.event_types),
                        "score": float(h.score),
                        "snippet": plain_snippet(h.snippet),
                        "snippet_en": plain_snippet(h.snippet_en) if h.snippet_en else None,
                    }
                )
            if page * per_page >= res.total or not res.hits:
                break
            page += 1
        return rows[:limit]

    # ------------------------------------------------------------- article
    def article(self, key: str) -> dict[str, Any] | None:
        """Original, translation (or why none), entities, countries, events; None when unknown."""
        art = self.store.find_article(key)
        if art is None:
            return None
        an = self.store.get_analysis(art.id)
        data: dict[str, Any] = {"article": to_jsonable(art), "analysis": None, "entities": [], "events": []}
        data["article"]["href"] = safe_href(art.url)
        if an is None:
            data["status"] = "not processed yet (run `coopwatch process`)"
            return data
        data["analysis"] = {k: v for k, v in to_jsonable(an).items() if k not in ("entities", "events")}
        data["status"] = "processed"
        data["translation_note"] = translation_note(an.translation, an.lang)
        ents: dict[str, dict[str, Any]] = {}
        for m in an.entities:
            e = ents.setdefault(m.entity_id, {"id": m.entity_id, "name": m.name, "type": m.type, "surfaces": [], "mentions": 0})
            e["mentions"] += 1
            if m.surface not in e["surfaces"]:
                e["surfaces"].append(m.surface)
        data["entities"] = sorted(ents.values(), key=lambda e: (-e["mentions"], e["name"]))
        names = self.entity_names({p for ev in an.events for p in ev.participants}) | {i: e["name"] for i, e in ents.items()}
        cnames = country_names()
        data["countries"] = [{"code": c, "name": cnames.get(c, c)} for c in an.countries]
        for ev in an.events:
            item = to_jsonable(ev)
            item["participant_names"] = [names.get(p, p) for p in ev.participants]
            data["events"].append(item)
        return data

    # ------------------------------------------------------------- timelines
    def timeline(
        self, *, entity: str | None = None, countries: list[str] | None = None, q: str = "", interval: str = "month"
    ) -> dict[str, Any]:
        """Same data as ``coopwatch timeline`` plus co-occurring organizations."""
        from indexer.timeline import timeline_rows

        countries = [c.upper() for c in countries or []]
        if not entity and not countries and not q.strip():
            raise InputError("give an entity, one or two countries, or a query")
        entity_id = self.resolve_entities([entity])[0] if entity else None
        data = timeline_rows(self.backend, entity=entity_id, countries=countries, query=q, interval=interval)
        data["cooccurring"] = self.cooccurring(data["events"], entity_id, countries)
        return data

    def cooccurring(self, events: list[dict[str, Any]], entity_id: str | None, countries: list[str]) -> list[dict[str, Any]]:
        """Organizations taking part in the same events (and, for an entity, mentioned in the same articles)."""
        in_events: Counter[str] = Counter()
        names: dict[str, str] = {}
        for ev in events:
            for pid, pname in zip(ev.get("participants") or [], ev.get("participant_names") or []):
                if pid != entity_id:
                    in_events[pid] += 1
                    names.setdefault(pid, pname)
        in_articles: dict[str, int] = {}
        if entity_id:
            res = self.backend.search(SearchQuery(entities=[entity_id], per_page=1, facets=True))
            in_articles = {k: v for k, v in res.facets.get("entity", {}).items() if k != entity_id}
        ids = set(in_events) | set(in_articles)
        names = names | self.entity_names(ids)  # store names win over event-time names
        ranked = sorted(ids, key=lambda i: (-in_events.get(i, 0), -in_articles.get(i, 0), names.get(i, i)))
        return [
            {"id": i, "name": names.get(i, i), "events": in_events.get(i, 0), "articles": in_articles.get(i, 0)}
            for i in ranked[:50]
        ]


def translation_note(status: str, lang: str) -> str:
    """Why the English text is (or is not) there, in words."""
    if status == "done":
        return "machine translation to English (offline model)"
    if status == "same-language":
        return "the article is in English; no translation needed"
    if status.startswith("missing-model:"):
        pair = status.split(":", 1)[1]
        return f"not translated: no {pair} translation model is installed (see `coopwatch doctor`)"
    if status.startswith("failed"):
        return f"translation failed: {status.partition(':')[2] or 'unknown error'}"
    return f"translation status: {status} (language {lang})"


# ------------------------------------------------------------------ exports
def export_csv(rows: list[dict[str, Any]]) -> bytes:
    """UTF-8 with BOM (spreadsheets then show CJK), lists joined with ``;``, like the timeline CSV."""
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(EXPORT_COLUMNS)
    for r in rows:
        writer.writerow([csv_cell(r.get(c)) for c in EXPORT_COLUMNS])
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


def export_json(rows: list[dict[str, Any]], query: dict[str, Any]) -> bytes:
    doc = {"query": query, "count": len(rows), "results": rows}
    return (json.dumps(doc, ensure_ascii=False, indent=2, default=str) + "\n").encode("utf-8")


def export_parquet(rows: list[dict[str, Any]]) -> bytes:
    """One typed column per field (lists as list<string>), readable by pandas, polars, DuckDB."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    types = {c: pa.list_(pa.string()) if c in LIST_COLUMNS else pa.string() for c in EXPORT_COLUMNS}
    types["score"] = pa.float64()
    schema = pa.schema([(c, types[c]) for c in EXPORT_COLUMNS])
    table = pa.Table.from_pylist([{c: r.get(c) for c in EXPORT_COLUMNS} for r in rows], schema=schema)
    buf = io.BytesIO()
    pq.write_table(table, buf)
    return buf.getvalue()
