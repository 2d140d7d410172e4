"""Our own sentence splitter, one rule set per language, with offsets.

Translation, event extraction and evidence sentences all need the same
boundaries, and the trained splitters that ship with translation packages
download models at run time (stanza, minisbd), so we split with rules:

- zh: after 。！？!? (and ；… at the end of a line), keeping closing quotes;
- en/de/vi: after . ! ? followed by space and a capital, digit or quote —
  but not after known abbreviations (Dr., Prof., z. B., Nr., TP., …), single
  initials, or a day number before a month or a lower-case word
  ("am 30. Juli 2020").

Line breaks always end a sentence (news text arrives paragraph per line).
"""

from __future__ import annotations

import re

Sentence = tuple[int, int, str]  # start, end, text (text == source[start:end])

_ABBREVIATIONS = {
    "en": {
        "dr",
        "mr",
        "mrs",
        "ms",
        "prof",
        "st",
        "no",
        "vs",
        "etc",
        "jan",
        "feb",
        "mar",
        "apr",
        "jun",
        "jul",
        "aug",
        "sep",
        "sept",
        "oct",
        "nov",
        "dec",
        "inc",
        "ltd",
        "co",
        "corp",
        "gov",
        "dept",
        "u.s",
        "e.g",
        "i.e",
        "approx",
        "fig",
        "gen",
        "sen",
        "rep",
        "jr",
        "sr",
        "mt",
        "ph.d",
        "m.d",
    },
    "de": {
        "dr",
        "prof",
        "nr",
        "bzw",
        "ca",
        "z",
        "b",
        "d.h",
        "u.a",
        "usw",
        "vgl",
        "ggf",
        "inkl",
        "evtl",
        "bspw",
        "st",
        "str",
        "tel",
        "abs",
        "jan",
        "feb",
        "mrz",
        "apr",
        "jun",
        "jul",
        "aug",
        "sep",
        "sept",
        "okt",
        "nov",
        "dez",
        "mio",
        "mrd",
        "gem",
        "u",
        "s",
        "o",
        "a",
        "i",
        "v",
        "chr",
        "jh",
        "med",
        "dipl",
        "hr",
        "fr",
    },
    "vi": {
        "tp",
        "ts",
        "ths",
        "pgs",
        "gs",
        "bs",
        "bsck",
        "ck",
        "ths.bs",
        "ts.bs",
        "pgs.ts",
        "gs.ts",
        "q",
        "p",
        "tt",
        "ubnd",
        "hđnd",
        "ttg",
        "mr",
        "dr",
        "prof",
        "st",
        "no",
        "tx",
        "h",
    },
}
_MONTHS = {
    "de": {
        "januar",
        "jänner",
        "februar",
        "märz",
        "april",
        "mai",
        "juni",
        "juli",
        "august",
        "september",
        "oktober",
        "november",
        "dezember",
        "jan",
        "feb",
        "mär",
        "apr",
        "jun",
        "jul",
        "aug",
        "sep",
        "okt",
        "nov",
        "dez",
    },
}
_ZH_END = re.compile(r"[。！？!?]+[”’」』）)\"']*|[；;]+[”’」』）)\"']*(?=\s*$)", re.MULTILINE)
_LATIN_END = re.compile(r"[.!?…]+[\"'”’»)\]]*(?=\s+|$)")
_NEXT_WORD = re.compile(r"\s*([\"'“‘„«(\[]?)(\S*)")
_PREV_WORD = re.compile(r"(\S+)$")


def _spans(text: str, cuts: list[int]) -> list[Sentence]:
    out: list[Sentence] = []
    start = 0
    for cut in [*cuts, len(text)]:
        chunk = text[start:cut]
        stripped = chunk.strip()
        if stripped:
            s = start + (len(chunk) - len(chunk.lstrip()))
            out.append((s, s + len(stripped), stripped))
        start = cut
    return out


def _line_cuts(text: str) -> list[int]:
    return [m.end() for m in re.finditer(r"\n", text)]


def _is_boundary(text: str, dot: int, end: int, lang: str) -> bool:
    """Decide whether the terminator text[dot:end] ends a sentence."""
    nxt = _NEXT_WORD.match(text, end)
    quote, word = (nxt.group(1), nxt.group(2)) if nxt else ("", "")
    if not word and not quote:
        return True  # end of text
    if text[dot] in "!?…":
        return True
    prev_m = _PREV_WORD.search(text, 0, dot)
    prev = prev_m.group(1) if prev_m else ""
    prev_core = prev.lstrip("(\"'“„«[").lower()
    first = word[:1]
    if prev_core in _ABBREVIATIONS.get(lang, set()) or prev_core in _ABBREVIATIONS["en"]:
        return False
    if len(prev_core) == 1 and prev_core.isalpha():
        return False  # initial: "J. Smith", "z. B."
    # ordinal day "30. Juli", "am 3. des Monats"
    ordinal = prev_core.isdigit() and len(prev_core) <= 2
    if ordinal and (word.lower().rstrip(".,") in _MONTHS.get(lang, set()) or (first and first.islower())):
        return False
    if first and first.islower() and not quote:
        return False
    return bool(quote or not first or first.isupper() or first.isdigit() or not first.isalpha())


def split_sentences(text: str, lang: str) -> list[Sentence]:
    """Split ``text`` into ``(start, end, sentence)`` triples.

    ``sentence`` is exactly ``text[start:end]`` (surrounding whitespace
    dropped), so offsets can be mapped back onto the source.
    """
    if not text or not text.strip():
        return []
    cuts = set(_line_cuts(text))
    if lang == "zh":
        cuts.update(m.end() for m in _ZH_END.finditer(text))
        # Latin sentences quoted inside Chinese text still end at ". "
        cuts.update(m.end() for m in re.finditer(r"(?<=[A-Za-z])[.](?=\s+[A-Z])", text))
    else:
        for m in _LATIN_END.finditer(text):
            if _is_boundary(text, m.start(), m.end(), lang):
                cuts.add(m.end())
    return _spans(text, sorted(cuts))
