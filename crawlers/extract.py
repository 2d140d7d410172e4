"""Turn one fetched page into an Article — pure functions, no Scrapy.

Used by the crawl pipeline and by ``coopwatch ingest``. trafilatura extracts
the main text and title; the publication date comes from page metadata first
(htmldate via trafilatura, metadata only — never a footer's copyright year),
then the date the feed or sitemap gave, then the article's own dateline near
the top of the text (dateparser). Every refusal raises :class:`Dropped` with a
named reason that the caller counts and records.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import dateparser
import trafilatura
from lxml import html as lxml_html

from coopwatch.records import Article, sha1
from crawlers.encoding import BinaryContent, decode_html

MIN_TEXT_CHARS = 80  # shorter "main text" is a menu page or an error page, not an article


class Dropped(Exception):
    """A page refused for a named reason (``empty``, ``binary``, ``oversized``, …)."""

    def __init__(self, reason: str, detail: str = ""):
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason = reason
        self.detail = detail


@dataclass(kw_only=True)
class Extracted:
    title: str
    text: str
    published_at: datetime | None
    date_method: str


_MONTHS_DE = "Januar|Februar|März|Maerz|April|Mai|Juni|Juli|August|September|Oktober|November|Dezember"
_MONTHS_EN = "January|February|March|April|May|June|July|August|September|October|November|December"
DATELINE_PATTERNS = [
    (re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日"), "zh"),
    (re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b"), None),
    (re.compile(rf"\b(\d{{1,2}})\.\s*({_MONTHS_DE})\s+(\d{{4}})"), "de"),
    (re.compile(r"ngày\s+\d{1,2}\s+tháng\s+\d{1,2}\s+năm\s+\d{4}", re.IGNORECASE), "vi"),
    (re.compile(r"\b\d{1,2}/\d{1,2}/\d{4}\b"), "vi"),
    (re.compile(rf"\b(\d{{1,2}})\s+({_MONTHS_EN})\s+(\d{{4}})"), "en"),
    (re.compile(rf"\b({_MONTHS_EN})\s+(\d{{1,2}}),\s+(\d{{4}})"), "en"),
]
DATELINE_WINDOW = 300  # a dateline sits at the top of the article, never in the footer


def decode(body: bytes, content_type: str | None = None) -> str:
    """Decode HTML bytes (:func:`crawlers.encoding.decode_html`: BOM, HTTP charset, meta, then detection)."""
    if not body.strip():
        raise Dropped("empty", "no content")
    try:
        return decode_html(body, content_type).text
    except BinaryContent as exc:
        raise Dropped("binary", str(exc)) from exc


def check_content_type(content_type: str | None) -> None:
    if content_type and not re.search(r"html|xml|text/plain", content_type, re.IGNORECASE):
        raise Dropped("not-html", f"content type {content_type}")


def find_dateline(text: str) -> datetime | None:
    head = text[:DATELINE_WINDOW]
    for pattern, lang in DATELINE_PATTERNS:
        m = pattern.search(head)
        if not m:
            continue
        langs = [lang] if lang else None
        if lang == "vi" and "/" in m.group(0):
            parsed = dateparser.parse(m.group(0), settings={"DATE_ORDER": "DMY"})
        else:
            parsed = dateparser.parse(m.group(0), languages=langs, settings={"PREFER_DAY_OF_MONTH": "first"})
        if parsed:
            return parsed.replace(tzinfo=None)
    return None


def headline_context(html: str, chars: int = DATELINE_WINDOW) -> str:
    """Visible text right after the headline, where bylines and datelines sit."""
    try:
        tree = lxml_html.fromstring(html)
    except (ValueError, lxml_html.etree.ParserError):
        return ""
    heads = tree.xpath("//h1")
    if not heads:
        return ""
    parts: list[str] = []
    size = 0
    for t in heads[0].xpath("following::text()[not(ancestor::script) and not(ancestor::style)]"):
        t = " ".join(str(t).split())
        if t:
            parts.append(t)
            size += len(t)
            if size >= chars:
                break
    return " ".join(parts)[:chars]


def _title_fallback(html: str) -> str:
    try:
        tree = lxml_html.fromstring(html)
    except (ValueError, lxml_html.etree.ParserError):
        return ""
    for xp in ("//h1", "//title"):
        found = tree.xpath(xp)
        if found:
            return " ".join(found[0].text_content().split())
    return ""


def _trafilatura(html: str, url: str, *, favor_precision: bool, include_tables: bool) -> Any:
    try:
        return trafilatura.bare_extraction(  # a Document (as_dict=False)
            html,
            url=url,
            with_metadata=True,
            include_comments=False,
            include_tables=include_tables,
            favor_precision=favor_precision,
            date_extraction_params={"extensive_search": False, "original_date": True},
        )
    except Exception as exc:  # trafilatura raises assorted lxml errors on broken markup
        raise Dropped("unreadable", f"{type(exc).__name__}: {exc}") from exc


def extract(
    html: str,
    url: str,
    *,
    hint_date: datetime | None = None,
    hint_method: str = "feed",
    selectors: dict[str, str] | None = None,
) -> Extracted:
    """Main text, title and publication date of one article page."""
    if not html.strip():
        raise Dropped("empty", "no content")
    doc = _trafilatura(html, url, favor_precision=True, include_tables=False)
    if doc is None or len((doc.text or "").strip()) < MIN_TEXT_CHARS:
        # Precision mode finds nothing on many old Chinese pages whose text sits in layout
        # tables or an unmarked <div> (22 of zh-cwced's 69): fall back to trafilatura's defaults.
        doc = _trafilatura(html, url, favor_precision=False, include_tables=True) or doc
    if doc is None or not (doc.text or "").strip():
        raise Dropped("no-main-text", "trafilatura found no article text")
    text = doc.text.strip()
    title = (doc.title or "").strip() or _title_fallback(html)
    if selectors:
        text, title = _apply_selectors(html, selectors, text, title)
    if len(text) < MIN_TEXT_CHARS and not re.search(r"[\u4e00-\u9fff]{30}", text):
        raise Dropped("too-short", f"{len(text)} characters of main text")
    published: datetime | None = None
    method = "none"
    if doc.date:
        published = datetime.fromisoformat(doc.date)
        method = "metadata"
    elif hint_date is not None:
        published, method = hint_date.replace(tzinfo=None), hint_method
    else:
        found = find_dateline(headline_context(html)) or find_dateline(text)
        if found:
            published, method = found, "dateline"
    return Extracted(title=title, text=text, published_at=published, date_method=method)


def _apply_selectors(html: str, selectors: dict[str, str], text: str, title: str) -> tuple[str, str]:
    from parsel import Selector

    sel = Selector(text=html)
    if "text" in selectors:
        parts = [" ".join(t.split()) for t in sel.css(selectors["text"]).xpath("string()").getall()]
        text = "\n".join(p for p in parts if p) or text
    if "title" in selectors:
        title = " ".join((sel.css(selectors["title"]).xpath("string()").get() or "").split()) or title
    return text, title


def build_article(
    *,
    url: str,
    source: str,
    body: bytes,
    content_type: str | None = None,
    lang_hint: str | None = None,
    max_bytes: int = 5_000_000,
    hint_date: datetime | None = None,
    hint_method: str = "feed",
    selectors: dict[str, str] | None = None,
) -> Article:
    """Raw response → Article, or :class:`Dropped` with the reason."""
    if len(body) > max_bytes:
        raise Dropped("oversized", f"{len(body)} bytes > {max_bytes}")
    check_content_type(content_type)
    html = decode(body, content_type)
    ex = extract(html, url, hint_date=hint_date, hint_method=hint_method, selectors=selectors)
    return Article.build(
        url=url,
        source=source,
        title=ex.title,
        text=ex.text,
        published_at=ex.published_at,
        date_method=ex.date_method,
        html_sha1=sha1(body),
        lang_hint=lang_hint,
    )
