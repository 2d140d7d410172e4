"""Country detection: ISO alpha-2 codes from names, demonyms and pair forms.

Data lives in ``nlp/data/countries.yaml`` (names per language, stems, the
one-character Chinese abbreviations, masks for place names that merely
contain a country name, and the event-location list used by
:mod:`nlp.events`). Besides plain names we read the forms in which news
states a *bilateral* relation:

- Chinese pairs ``中越合作``, ``中老边境``, ``中德两国`` — two or three
  abbreviations directly followed by a cooperation word, so that 中 inside
  ordinary words (中心, 其中) never counts;
- German compounds ``deutsch-chinesisch`` (covered by stems);
- Vietnamese pairs ``Việt - Trung``, ``Việt - Đức``, ``Việt - Lào``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml

from coopwatch.errors import ConfigError

DATA_FILE = Path(__file__).parent / "data" / "countries.yaml"

# Words that make two abbreviations a country pair (中越 + 合作).
_ZH_PAIR_NEXT = (
    "合作|两国|三国|双方|三方|医疗|卫生|友好|边境|联合|关系|跨境|医院|传统|签署|交流|"
    "人民|友谊|建交|携手|共建|抗疫|疫情|医学|中医|经贸|贸易|铁路|政府|青年|会谈|"
)
# Characters that turn a leading 以 into part of a word (所以, 可以 …).
_ZH_YI_WORDS = set("所可予加难得用足借")

# Short Vietnamese names used in pair forms (Việt - Trung).
_VI_SHORT = {
    "Việt": "VN",
    "Trung": "CN",
    "Đức": "DE",
    "Lào": "LA",
    "Nga": "RU",
    "Nhật": "JP",
    "Pháp": "FR",
    "Mỹ": "US",
    "Hàn": "KR",
    "Thái": "TH",
    "Campuchia": "KH",
    "Anh": "GB",
}
_VI_SHORT_ALT = "|".join(sorted(map(re.escape, _VI_SHORT), key=len, reverse=True))
_VI_PAIR = re.compile(rf"(?<!\w)(?:{_VI_SHORT_ALT})(?:\s*[-–—]\s*(?:{_VI_SHORT_ALT}))+(?!\w)")
_VI_PAIR_PART = re.compile(rf"{_VI_SHORT_ALT}")


@dataclass(frozen=True)
class _LangMatcher:
    """Country names of one language, looked up in dictionaries rather than one regex of ~1,000
    alternatives (which cost 9-18 ms per page): zh names as substrings, longest first; Latin names
    as runs of whole words, case-insensitive unless the entry is Vietnamese or all capitals;
    stems (``chines*``) as word prefixes."""

    masks: tuple[str, ...]
    substrings: dict[str, str] = field(default_factory=dict)  # zh
    exact: dict[str, str] = field(default_factory=dict)
    folded: dict[str, str] = field(default_factory=dict)
    stems: tuple[tuple[str, str], ...] = ()
    max_words: int = 1


@dataclass(frozen=True)
class CountryData:
    matchers: dict[str, _LangMatcher]
    abbr: dict[str, str]  # 中 → CN
    places: dict[str, tuple[str, ...]]  # canonical → surface forms


def _build(lang: str, table: dict[str, dict], masks: list[str]) -> _LangMatcher:
    items: list[tuple[str, str]] = []
    for iso, names in table.items():
        for entry in names.get(lang) or []:
            items.append((str(entry), iso))
    items.sort(key=lambda it: (-len(it[0].rstrip("*")), it[0]))  # longest first wins a shared key
    if lang == "zh":
        return _LangMatcher(tuple(masks), substrings={e: iso for e, iso in reversed(items)})
    exact: dict[str, str] = {}
    folded: dict[str, str] = {}
    stems: list[tuple[str, str]] = []
    for entry, iso in items:
        if entry.endswith("*"):
            stems.append((entry[:-1].casefold(), iso))
        elif lang == "vi" or not any(c.islower() for c in entry):  # Vietnamese names and US/UK are case-sensitive
            exact.setdefault(entry, iso)
        else:
            folded.setdefault(entry.casefold(), iso)
    longest = max((len(_WORD.findall(e)) for e, _ in items), default=1)
    return _LangMatcher(tuple(masks), exact=exact, folded=folded, stems=tuple(stems), max_words=longest)


_WORD = re.compile(r"\w+")


def _scan_words(text: str, m: _LangMatcher) -> set[str]:
    """Codes of the names found as whole-word runs, the longest run at each word first."""
    words = [(w.start(), w.end()) for w in _WORD.finditer(text)]
    found: set[str] = set()
    i = 0
    while i < len(words):
        for n in range(min(m.max_words, len(words) - i), 0, -1):
            piece = text[words[i][0] : words[i + n - 1][1]]
            iso = m.exact.get(piece) or m.folded.get(piece.casefold())
            if iso is not None:
                found.add(iso)
                i += n
                break
        else:
            word = text[words[i][0] : words[i][1]].casefold()
            found.update(next(([iso] for stem, iso in m.stems if word.startswith(stem)), []))
            i += 1
    return found


@lru_cache(maxsize=4)
def _load_table(path: str | None = None) -> tuple[dict, dict[str, dict]]:
    """The raw YAML and its country table with the CLDR names added (cached; treat as read-only)."""
    file = Path(path) if path else DATA_FILE
    try:
        raw = yaml.safe_load(file.read_text(encoding="utf-8"))
        table: dict[str, dict] = raw["countries"]
    except (OSError, yaml.YAMLError, KeyError, TypeError) as exc:
        raise ConfigError(f"country table {file} cannot be read ({exc}); restore it from git") from exc
    _add_cldr_names(table)
    return raw, table


def country_names(lang: str) -> dict[str, list[str]]:
    """ISO code → the country's names in ``lang`` (curated first, then CLDR; stems left out)."""
    _, table = _load_table(None)
    return {iso: [n for n in entry.get(lang) or [] if not n.endswith("*")] for iso, entry in table.items()}


@lru_cache(maxsize=4)
def load_countries(path: str | None = None) -> CountryData:
    """Load and compile the country table (cached; pass a path for tests)."""
    raw, table = _load_table(path)
    masks = raw.get("mask") or {}
    matchers = {lang: _build(lang, table, list(masks.get(lang) or [])) for lang in ("zh", "en", "de", "vi")}
    abbr = {str(v["abbr"]): iso for iso, v in table.items() if v.get("abbr")}
    places = {str(k): tuple(str(x) for x in v) for k, v in (raw.get("places") or {}).items()}
    return CountryData(matchers=matchers, abbr=abbr, places=places)


# CLDR names that are also ordinary words or given names in one of our languages.
_CLDR_SKIP = {
    "Jordan",
    "Chad",
    "Georgia",
    "Jersey",
    "Turkey",
    "Guernsey",
    "Man",
    "Niger",
    "Mali",
    "Chile",
    "Cuba",
    "Peru",
}


def _add_cldr_names(table: dict[str, dict]) -> None:
    """Every country's name in zh/en/de/vi from CLDR (``babel``), beside the curated table."""
    import pycountry
    from babel import Locale

    codes = {c.alpha_2 for c in pycountry.countries}
    for lang in ("zh", "en", "de", "vi"):
        names = Locale(lang).territories
        for iso in codes:
            name = names.get(iso)
            if not name or name in _CLDR_SKIP or (lang != "zh" and len(name) < 4) or (lang == "zh" and len(name) < 2):
                continue
            entry = table.setdefault(iso, {})
            have = entry.setdefault(lang, []) or []
            variants = {name}
            if lang == "en":
                official = pycountry.countries.get(alpha_2=iso)
                variants |= {n for n in (getattr(official, "name", None), getattr(official, "common_name", None)) if n}
                variants |= {name.replace(" & ", " and ")}
            for v in variants:
                if v not in have and "(" not in v and "," not in v and v not in _CLDR_SKIP:
                    have.append(v)
            entry[lang] = have


def _mask(text: str, masks: tuple[str, ...]) -> str:
    for m in masks:
        if m in text:
            text = text.replace(m, " " * len(m))
    return text


def _zh_pairs(text: str, abbr: dict[str, str]) -> set[str]:
    chars = "".join(abbr)
    pat = re.compile(rf"[{chars}]{{2,3}}(?=(?:{_ZH_PAIR_NEXT.rstrip('|')}))")
    found: set[str] = set()
    for m in pat.finditer(text):
        run = m.group(0)
        if run[0] == "以" and m.start() > 0 and text[m.start() - 1] in _ZH_YI_WORDS:
            run = run[1:]
        if len(run) < 2 or len(set(run)) < len(run):
            continue
        found.update(abbr[c] for c in run)
    return found


def _scan_names(text: str, names: dict[str, str]) -> set[str]:
    """Codes of the names found left to right, the longest name at each position first."""
    sizes = sorted({len(n) for n in names}, reverse=True)
    found: set[str] = set()
    i = 0
    while i < len(text):
        for size in sizes:
            iso = names.get(text[i : i + size])
            if iso is not None:
                found.add(iso)
                i += size
                break
        else:
            i += 1
    return found


def detect_countries(text: str, lang: str) -> list[str]:
    """ISO alpha-2 codes of the countries a text names, sorted and unique.

    ``lang`` selects the name list; an unknown language ("und") is matched
    with every Latin-script list.
    """
    if not text:
        return []
    data = load_countries()
    langs = [lang] if lang in data.matchers else ["en", "de", "vi"]
    found: set[str] = set()
    for code in langs:
        matcher = data.matchers[code]
        masked = _mask(text, matcher.masks)
        found |= _scan_names(masked, matcher.substrings) if matcher.substrings else _scan_words(masked, matcher)
    if lang == "zh":
        found |= _zh_pairs(text, data.abbr)
    if lang in ("vi", "und"):
        for m in _VI_PAIR.finditer(text):
            found.update(_VI_SHORT[p] for p in _VI_PAIR_PART.findall(m.group(0)))
    return sorted(found)


def find_place(text: str) -> str | None:
    """Canonical name of the first known city/province named in ``text``."""
    best: tuple[int, int, str] | None = None
    for canonical, forms in load_countries().places.items():
        for form in forms:
            if form.isascii():
                m = re.search(rf"(?<!\w){re.escape(form)}(?!\w)", text)
                pos = m.start() if m else -1
            else:
                pos = text.find(form)
            if pos >= 0:
                key = (pos, -len(form), canonical)
                if best is None or key < best:
                    best = key
    return best[2] if best else None


HOME = {"zh": "CN", "vi": "VN", "de": "DE"}


def passing_mentions(title: str, text: str, lang: str, events: list, mentions: list = ()) -> set[str]:
    """Countries the story names only in passing: in one sentence of the text, not in the
    title, not in the sentence of any event or of an organization, and not in a list of three
    or more countries ("… as it did earlier in Egypt")."""
    from nlp.places import place_countries
    from nlp.sentences import split_sentences

    named: dict[str, int] = {}
    kept = set(detect_countries(title, lang)) | place_countries(title, lang)
    org_at = sorted(m.start for m in mentions if m.field == "text")
    for start, end, sentence in split_sentences(text, lang):
        here = set(detect_countries(sentence, lang)) | place_countries(sentence, lang)
        if len(here) >= 3 or any(start <= at < end for at in org_at):
            kept |= here  # a list of partner countries, or a sentence naming an organization there
        for code in here:
            named[code] = named.get(code, 0) + 1
    for e in events:
        kept |= set(e.countries) | set(detect_countries(e.evidence, lang)) | place_countries(e.evidence, lang)
    return {code for code, n in named.items() if n == 1 and code not in kept}


def article_countries(
    title: str, text: str, lang: str, mentions: list, relevant: bool, events: list | None = None
) -> list[str]:
    """Countries taking part in an article's story.

    Names and pair forms (:func:`detect_countries`), the countries of the
    cities and provinces it names (:mod:`nlp.places`), the home countries of
    gazetteer organizations, and — for a relevant zh/vi/de story — the home
    country of the language when a domestic organization takes part (a
    Guangzhou hospital story is a Chinese story): an organization found by the
    rules or a tagger whose name contains no foreign country.
    """
    from nlp.gazetteer import load_gazetteer
    from nlp.places import place_countries

    found = set(detect_countries(title, lang)) | set(detect_countries(text, lang))
    found |= place_countries(title, lang) | place_countries(text, lang)
    if events is not None and relevant:  # outside a cooperation story nothing takes part: all named stay
        found -= passing_mentions(title, text, lang, events, mentions)
    gaz = load_gazetteer()
    found |= {org.country for m in mentions if (org := gaz.get(m.entity_id)) is not None and org.country}
    home = HOME.get(lang)
    if home and relevant and home not in found:
        foreign = [m for m in mentions if m.field in ("title", "text") and not gaz.get(m.entity_id)]
        if any(not (set(detect_countries(m.surface, lang)) - {home}) for m in foreign):
            found.add(home)
    return sorted(found)
