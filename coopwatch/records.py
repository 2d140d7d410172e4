"""Typed records that cross stage boundaries.

Each stage adds its own part: the crawler (or ``ingest``) produces an
:class:`Article`; the NLP stage an :class:`Analysis` holding
:class:`EntityMention` and :class:`Event` records; the indexer consumes an
:class:`IndexDoc` (article + analysis flattened for search).
"""

from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from courlan import normalize_url
from w3lib.url import canonicalize_url

LANGS = ("zh", "en", "de", "vi")
EVENT_TYPES = (
    "agreement_signing",
    "conference_meeting",
    "aid_mission",
    "launch",
    "visit",
    "training_exchange",
    "donation",
    "other",
)


def canonical_url(url: str) -> str:
    """Normalise a URL so the same page always gets the same id.

    courlan strips tracking parameters (utm_*, fbclid…); w3lib sorts the query,
    drops the fragment and normalises percent-escapes; we also drop a trailing
    slash on the path (``/a/`` and ``/a`` are one page on every news CMS we target).
    """
    url = url.strip()
    if url.startswith(("http://", "https://")):
        url = normalize_url(url, strict=True)
    parts = urlsplit(canonicalize_url(url, keep_fragments=False))
    path = parts.path.rstrip("/") or "/"
    return urlunsplit((parts.scheme, parts.netloc.lower(), path, parts.query, ""))


def article_id(url: str) -> str:
    """Stable article id: first 16 hex chars of the sha1 of the canonical URL."""
    return hashlib.sha1(canonical_url(url).encode("utf-8")).hexdigest()[:16]


def sha1(data: str | bytes) -> str:
    if isinstance(data, str):
        data = data.encode("utf-8")
    return hashlib.sha1(data).hexdigest()


@dataclass(kw_only=True)
class Article:
    """A fetched page reduced to its main text. Written by crawl/ingest."""

    id: str
    url: str
    canonical_url: str
    source: str
    fetched_at: datetime
    title: str
    text: str
    published_at: datetime | None = None
    date_method: str = "none"  # htmldate-meta | dateline | feed | sitemap | none
    html_sha1: str = ""
    content_sha1: str = ""
    lang_hint: str | None = None

    @classmethod
    def build(cls, *, url: str, source: str, title: str, text: str, **kw: Any) -> Article:
        kw.setdefault("fetched_at", datetime.now().replace(microsecond=0))
        return cls(
            id=article_id(url),
            url=url,
            canonical_url=canonical_url(url),
            source=source,
            title=title,
            text=text,
            content_sha1=sha1(title + "\n" + text),
            **kw,
        )


@dataclass(kw_only=True)
class EntityMention:
    """An organization (or other entity) found in an article."""

    entity_id: str  # canonical id, e.g. "org:who" or "org:auto:…"
    name: str  # canonical English (or best) name
    type: str  # ORG | GOV | HOSPITAL | IGO | ALLIANCE | …
    surface: str  # text as it appears
    start: int
    end: int
    field: str = "text"  # title | text | title_en | text_en
    matcher: str = "gazetteer"  # gazetteer | rule:<lang> | ner:<model>


@dataclass(kw_only=True)
class Event:
    """A dated cooperation event with its evidence sentence."""

    type: str  # one of EVENT_TYPES
    date: date | None
    precision: str  # day | month | year | none
    participants: list[str] = field(default_factory=list)  # entity ids
    countries: list[str] = field(default_factory=list)  # ISO alpha-2
    location: str | None = None
    evidence: str = ""
    evidence_en: str | None = None
    trigger: str = ""


@dataclass(kw_only=True)
class Analysis:
    """Everything the NLP stage learnt about one article."""

    article_id: str
    lang: str
    lang_confidence: float
    title_en: str | None = None
    text_en: str | None = None
    translation: str = "same-language"  # done | same-language | missing-model:xx-en | failed:…
    entities: list[EntityMention] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    countries: list[str] = field(default_factory=list)
    topics: list[str] = field(default_factory=list)
    relevance: float = 0.0
    relevance_reasons: list[str] = field(default_factory=list)
    nlp_version: str = ""

    @property
    def relevant(self) -> bool:
        return self.relevance >= 0.5


@dataclass(kw_only=True)
class IndexDoc:
    """An article and its analysis, flattened for a search backend."""

    id: str
    url: str
    source: str
    lang: str
    title: str
    text: str
    title_en: str | None
    text_en: str | None
    published_at: datetime | None
    countries: list[str]
    entities: list[dict[str, str]]  # [{"id":…, "name":…, "type":…}], unique by id
    events: list[dict[str, Any]]  # [{"type","date","precision","participants","countries","evidence"}]
    relevance: float

    @classmethod
    def from_records(cls, article: Article, analysis: Analysis) -> IndexDoc:
        seen: dict[str, dict[str, str]] = {}
        for m in analysis.entities:
            seen.setdefault(m.entity_id, {"id": m.entity_id, "name": m.name, "type": m.type})
        events = []
        for ev in analysis.events:
            d = asdict(ev)
            d["date"] = ev.date.isoformat() if ev.date else None
            events.append(d)
        return cls(
            id=article.id,
            url=article.url,
            source=article.source,
            lang=analysis.lang,
            title=article.title,
            text=article.text,
            title_en=analysis.title_en,
            text_en=analysis.text_en,
            published_at=article.published_at,
            countries=list(analysis.countries),
            entities=list(seen.values()),
            events=events,
            relevance=analysis.relevance,
        )


def to_jsonable(obj: Any) -> Any:
    """Dataclasses, dates and containers → JSON-ready values."""
    if hasattr(obj, "__dataclass_fields__"):
        return {k: to_jsonable(v) for k, v in asdict(obj).items()}
    if isinstance(obj, (datetime, date)):
        return obj.isoformat()
    if isinstance(obj, dict):
        return {k: to_jsonable(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [to_jsonable(v) for v in obj]
    return obj
