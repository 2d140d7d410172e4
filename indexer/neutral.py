"""Language-neutral index text: what every document offers whatever its language.

One space-joined string per document, stored in the ``neutral`` field of both
backends and matched by the expanded query's neutral tokens:

- ``xcc<code>`` for each country, ``xen<entity id>`` for each organization and
  ``xev<type>`` for each event type (see :func:`coopwatch.query.neutral_token`);
- for Chinese text, the pinyin of each word, syllables joined and without tones
  (宣武医院 → ``xuanwu yiyuan xuanwuyiyuan``), so a name typed in pinyin
  (Xuanwu, Nanning, Wafangdian) finds the Chinese story. ``pypinyin`` does the
  transliteration (MIT licence, its dictionary ships with it).
"""

from __future__ import annotations

import functools

from coopwatch.query import neutral_token
from coopwatch.records import IndexDoc
from indexer.tokenize import _HAN_RUN, tokens_with_offsets

MAX_CHARS = 20_000  # pinyin of the first 20,000 characters: names appear early


@functools.lru_cache(maxsize=100_000)
def _pinyin_word(word: str) -> str:
    from pypinyin import Style, lazy_pinyin

    return "".join(lazy_pinyin(word, style=Style.NORMAL, errors="ignore")).replace("ü", "v")


def pinyin_words(text: str) -> list[str]:
    """Pinyin of the Chinese words of ``text`` (jieba search-mode words, tones dropped), unique."""
    out: dict[str, None] = {}
    text = (text or "")[:MAX_CHARS]
    for tok, start, end in tokens_with_offsets(text, "zh"):
        if _HAN_RUN.fullmatch(tok):
            word = _pinyin_word(tok)
            if len(word) >= 4 and word.isascii() and word.isalpha():
                out.setdefault(word, None)
    return list(out)


def neutral_text(doc: IndexDoc) -> str:
    """The ``neutral`` field of ``doc`` (see module doc)."""
    tokens: dict[str, None] = {}
    for code in doc.countries or []:
        tokens.setdefault(neutral_token("cc", code), None)
    for ent in doc.entities or []:
        if ent.get("id"):
            tokens.setdefault(neutral_token("en", ent["id"]), None)
    for ev in doc.events or []:
        if ev.get("type"):
            tokens.setdefault(neutral_token("ev", ev["type"]), None)
    if doc.lang == "zh":
        for word in pinyin_words(f"{doc.title or ''}\n{doc.text or ''}"):
            tokens.setdefault(word, None)
    return " ".join(tokens)
