"""Highlighted snippets: the best window of the original text, HTML-safe.

The text is tokenised with the same analyzer as the index (so "Krankenhäuser"
highlights "Krankenhaus", 远程医疗 highlights in a Chinese sentence), the window
of about ``width`` characters holding the most matching tokens is chosen, every
character is HTML-escaped (article text is untrusted) and matches are wrapped
in ``<mark>…</mark>``.
"""

from __future__ import annotations

import html
from collections.abc import Sequence

from indexer.tokenize import normalize, tokens_with_offsets

ELLIPSIS = "…"


def _matches(text: str, lang: str, wanted: set[str]) -> list[tuple[int, int]]:
    """Merged, sorted character spans of tokens in ``wanted``."""
    spans = sorted((s, e) for tok, s, e in tokens_with_offsets(text, lang) if tok in wanted)
    merged: list[tuple[int, int]] = []
    for s, e in spans:
        if merged and s <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], e))
        else:
            merged.append((s, e))
    return merged


def _best_window(spans: list[tuple[int, int]], width: int) -> int:
    """Start offset of the ``width``-char window covering the most spans."""
    best_start, best_count = spans[0][0], 0
    j = 0
    for i, (start, _) in enumerate(spans):
        j = max(j, i)
        while j + 1 < len(spans) and spans[j + 1][1] <= start + width:
            j += 1
        if j - i + 1 > best_count:
            best_start, best_count = start, j - i + 1
    return best_start


def _align(text: str, start: int, width: int, first_match: int) -> tuple[int, int]:
    """Pull the window back to show context before the first match, at a word edge."""
    lead = min(width // 4, start)
    start -= lead
    # Mid-text, start at a sentence or word boundary in the lead-in, never past the match.
    for sep in ("。", ". ", "! ", "? ", "\n", " ") if start > 0 else ():
        k = text.find(sep, start, first_match)
        if k != -1 and k + len(sep) <= first_match:
            start = k + len(sep)
            break
    end = min(len(text), start + width)
    if end < len(text):
        k = text.rfind(" ", start + width // 2, end)
        if k != -1:
            end = k
    return start, end


def _head(text: str, width: int) -> str:
    if len(text) <= width:
        return html.escape(text)
    cut = text.rfind(" ", width // 2, width)
    cut = cut if cut != -1 else width
    return html.escape(text[:cut].rstrip()) + ELLIPSIS


def snippet(
    text: str | None,
    lang: str,
    query_tokens_by_variant: Sequence[Sequence[str]] = (),
    width: int = 200,
) -> str:
    """An HTML-escaped excerpt of ``text`` with ``<mark>`` around query matches.

    ``query_tokens_by_variant`` is :func:`indexer.querying.highlight_tokens`
    output; a token from any variant counts as a match. Without a query or a
    match, the first ``width`` characters are returned (escaped).
    """
    text = normalize(text or "").strip()
    if not text:
        return ""
    wanted = {tok for variant in query_tokens_by_variant for tok in variant}
    spans = _matches(text, lang, wanted) if wanted else []
    if not spans:
        return _head(text, width)
    best = _best_window(spans, width)
    start, end = _align(text, best, width, best)
    # The window may have moved; keep the spans it holds, clipped to it.
    inside = [(max(s, start), min(e, end)) for s, e in spans if e > start and s < end]
    parts: list[str] = [ELLIPSIS] if start > 0 else []
    pos = start
    for s, e in inside:
        parts.append(html.escape(text[pos:s]))
        parts.append("<mark>" + html.escape(text[s:e]) + "</mark>")
        pos = e
    parts.append(html.escape(text[pos:end]))
    if end < len(text):
        parts.append(ELLIPSIS)
    return "".join(parts).strip()
