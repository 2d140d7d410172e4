"""Per-language pre-tokenisation for the embedded FTS5 index.

SQLite's own tokenizers know nothing about Chinese words or German stems, so
every text is turned into a space-joined string of *our* tokens before it goes
into FTS5 (whose ``unicode61 remove_diacritics 0`` tokenizer then only splits
on the spaces). The same analyzers tokenise queries and drive highlighting, so
index, query and snippet always agree.

Analyzers (``lang`` → behaviour):

- ``zh``: Han runs segmented with jieba in search mode (overlapping sub-words
  of long words, no HMM so segmentation does not depend on context); Latin
  runs lowercased.
- ``en`` / ``de``: lowercase words stemmed with Snowball (english / german);
  Han runs inside them go through jieba.
- ``vi``: lowercase syllables.

Every analyzer then folds diacritics (:func:`fold`): Charite finds Charité and
Lang Son finds Lạng Sơn; folding comes first, so
Charite and Charité stem alike (Krankenhäuser → krankenhauser → krankenhaus).
- anything else: lowercase words, Han via jieba, no stemming.

A query may be written in any language, so each query word is analysed under
each of the four analyzers and any form may match (:mod:`indexer.querying`).
"""

from __future__ import annotations

import functools
import logging
import re
import threading
import unicodedata
from collections.abc import Iterator

import snowballstemmer

from coopwatch.query import fold as _fold

ANALYZERS = ("zh", "en", "de", "vi")
ANALYZER_VERSION = "2"  # bump when tokens change: the index must be rebuilt (2: folded)

_STEMMER_NAMES = {"en": "english", "de": "german"}
_HAN = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002ebef\U00030000-\U0003134f"
_HAN_RUN = re.compile(f"[{_HAN}]+")
_WORD = re.compile(r"[^\W_]+")
_WORDISH = re.compile(r"[^\W_]")

_jieba_lock = threading.Lock()
_jieba_ready = False
_local = threading.local()

Token = tuple[str, int, int]  # (token, start, end) — offsets into the NFC text


def _jieba():  # type: ignore[no-untyped-def]
    """Import and initialise jieba once, quietly (its dictionary ships with it)."""
    global _jieba_ready
    import jieba

    if not _jieba_ready:
        with _jieba_lock:
            if not _jieba_ready:
                jieba.setLogLevel(logging.WARNING)
                jieba.initialize()
                _jieba_ready = True
    return jieba


@functools.lru_cache(maxsize=200_000)
def _stem(lang: str, word: str) -> str:
    """Stem with a per-thread Snowball stemmer (stemmer objects keep state).

    Cached: the pure-Python stemmers cost ~10 µs a word and news vocabulary
    repeats, so the cache makes indexing several times faster.
    """
    name = _STEMMER_NAMES.get(lang)
    if name is None:
        return word
    stemmers = getattr(_local, "stemmers", None)
    if stemmers is None:
        stemmers = _local.stemmers = {}
    stemmer = stemmers.get(name)
    if stemmer is None:
        stemmer = stemmers[name] = snowballstemmer.stemmer(name)
    return str(stemmer.stemWord(word))


def normalize(text: str) -> str:
    """NFC form: Vietnamese tone marks as single code points, offsets stable."""
    return unicodedata.normalize("NFC", text or "")


def _han_tokens(run: str, base: int) -> Iterator[Token]:
    jieba = _jieba()
    for word, start, end in jieba.tokenize(run, mode="search", HMM=False):
        if _WORDISH.search(word):
            yield word.lower(), base + start, base + end


# Every analyzer folds accents (coopwatch.query.fold), so matching is accent-insensitive
# in all languages; cached, as news vocabulary repeats.
fold = functools.lru_cache(maxsize=200_000)(_fold)


def _latin_tokens(segment: str, base: int, lang: str) -> Iterator[Token]:
    for m in _WORD.finditer(segment):
        word = fold(m.group())
        if lang in _STEMMER_NAMES:
            word = _stem(lang, word)
        if word:
            yield word, base + m.start(), base + m.end()


def tokens_with_offsets(text: str, lang: str) -> list[Token]:
    """Tokens of ``normalize(text)`` under the analyzer for ``lang``, with offsets.

    Offsets index the NFC-normalised text (what :func:`normalize` returns);
    Chinese search-mode tokens may overlap.
    """
    text = normalize(text)
    out: list[Token] = []
    pos = 0
    for m in _HAN_RUN.finditer(text):
        if m.start() > pos:
            out.extend(_latin_tokens(text[pos : m.start()], pos, lang))
        out.extend(_han_tokens(m.group(), m.start()))
        pos = m.end()
    if pos < len(text):
        out.extend(_latin_tokens(text[pos:], pos, lang))
    return out


def analyze(text: str, lang: str) -> list[str]:
    """The token list of ``text`` under ``lang``'s analyzer."""
    return [tok for tok, _, _ in tokens_with_offsets(text, lang)]


def to_fts(text: str | None, lang: str) -> str:
    """Space-joined tokens, ready to store in an FTS5 column."""
    return " ".join(analyze(text or "", lang))


def fts_quote(token: str) -> str:
    """One token as an FTS5 string literal (keywords and operators lose meaning)."""
    return '"' + token.replace('"', '""') + '"'
