"""Untrusted text on the page: snippets checked before they are trusted, links only to http(s).

Backends return snippets already HTML-escaped with ``<mark>`` around matches
(:mod:`indexer.highlight`). The page marks such a snippet safe only after
checking that, once the exact ``<mark>``/``</mark>`` tags are removed, no
``<`` or ``>`` is left; anything else (a backend bug, an engine returning raw
text) is escaped as a whole, so it shows as text and never runs.
"""

from __future__ import annotations

import html
import re
from urllib.parse import urlsplit

from markupsafe import Markup, escape

_MARK = re.compile(r"</?mark>")


def is_marked_escaped(snippet: str) -> bool:
    """True when ``snippet`` is escaped text whose only tags are ``<mark>``/``</mark>``."""
    rest = _MARK.sub("", snippet)
    return "<" not in rest and ">" not in rest


def safe_snippet(snippet: str | None) -> Markup:
    """The snippet as markup when it passes :func:`is_marked_escaped`, else fully escaped."""
    if not snippet:
        return Markup("")
    if is_marked_escaped(snippet):
        return Markup(snippet)  # verified above: escaped text plus <mark> only
    return escape(snippet)


def plain_snippet(snippet: str | None) -> str:
    """The snippet as plain text (marks dropped, entities decoded) for exports."""
    return html.unescape(_MARK.sub("", snippet or ""))


def safe_href(url: str | None) -> str | None:
    """``url`` when it is an absolute http(s) URL (no ``javascript:``, ``data:``, ``file:``), else None."""
    if not url:
        return None
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return None
    if parts.scheme.lower() in ("http", "https") and parts.netloc:
        return url.strip()
    return None
