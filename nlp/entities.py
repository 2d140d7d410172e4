"""Organization mentions: spaCy pipelines with the gazetteer and rules.

One blank spaCy pipeline per language (zh with the jieba segmenter, vi
without pyvi, de, en), built once and cached, each running:

1. ``entity_ruler`` — gazetteer aliases as phrase patterns (lower-cased,
   so case-insensitive for Latin scripts); aliases without lower-case
   letters (WHO, BMG, BYT) become exact token patterns so that "who" stays
   a pronoun;
2. ``coopwatch_orgs`` — a component that (a) re-finds gazetteer aliases at
   character level, which catches matches a tokenizer split differently
   (``WHO-Generaldirektor``, a jieba segmentation that cuts across an
   alias), and (b) adds organizations found by the suffix/prefix rules of
   :mod:`nlp.orgrules` via ``doc.char_span(..., alignment_mode="expand")``.
   Gazetteer matches win over rules. Results land in ``doc.ents`` and, with
   exact character offsets, in ``doc._.coop_orgs``.

The Chinese pipeline gets a private ``jieba.Tokenizer`` that knows our
aliases as words; the global jieba dictionary (used by the indexer for
search tokens) is left untouched. Vietnamese tokens are split on
punctuation too (spaCy's pyvi-less tokenizer splits on spaces only, so
"Nam." would hide "Việt Nam").

When ``settings.spacy_models`` names an installed trained pipeline for a
language (``en=en_core_web_sm``), its ORG entities are added where nothing
else matched (matcher ``ner:<package>``); a missing package is skipped.
"""

from __future__ import annotations

import bisect
import itertools
import re
import threading
from dataclasses import dataclass, replace
from typing import Any

import spacy
from spacy.attrs import IDX, LENGTH
from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from coopwatch.records import EntityMention
from nlp import ner, orgrules
from nlp.gazetteer import Gazetteer, alias_key, is_case_sensitive, load_gazetteer

SUPPORTED = ("zh", "en", "de", "vi")
_LATIN = orgrules.LATIN

if not Doc.has_extension("coop_orgs"):
    Doc.set_extension("coop_orgs", default=None)


@dataclass(frozen=True)
class OrgMatch:
    start: int
    end: int
    entity_id: str
    name: str
    type: str
    matcher: str


class _VietnameseTokenizer:
    """Syllables and punctuation as tokens, whitespace preserved."""

    _TOKEN = re.compile(r"\w+(?:[.,]\d+)*|[^\w\s]")

    def __init__(self, vocab: Any) -> None:
        self.vocab = vocab

    def __call__(self, text: str) -> Doc:
        words: list[str] = []
        spaces: list[bool] = []
        for m in self._TOKEN.finditer(text):
            words.append(m.group(0))
            spaces.append(m.end() < len(text) and text[m.end()].isspace())
        # spaCy requires the text to be reproduced exactly: keep odd whitespace as tokens
        doc = Doc(self.vocab, words=words, spaces=spaces)
        if doc.text != text:
            words, spaces = spacy.util.get_words_and_spaces(words, text)
            doc = Doc(self.vocab, words=words, spaces=spaces)
        return doc


def trie_pattern(words: list[str]) -> str:
    """One regex for a set of literal strings, factored as a trie ("Ministry of Health of (?:Guinea|Laos)"):
    Python's ``re`` tries the alternatives of a flat alternation one by one at every position, so with
    thousands of aliases the trie is many times faster. Longer continuations are tried first (greedy)."""
    trie: dict = {}
    for w in words:
        node = trie
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = {}

    def emit(node: dict) -> str:
        alts = [re.escape(ch) + emit(child) for ch, child in sorted(node.items()) if ch]
        if not alts:
            return ""
        body = alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
        return f"(?:{body})?" if "" in node else body

    return emit(trie) if words else r"(?!)"


def _alias_regex(gaz: Gazetteer) -> tuple[list[re.Pattern[str]], dict[str, str]]:
    """Regexes over all aliases with their lookup table: case-sensitive (WHO, BMG) and case-insensitive
    Latin aliases on word boundaries, and Han aliases, each a trie (:func:`trie_pattern`). Their matches
    are merged longest first by the caller."""
    lookup: dict[str, str] = {}
    exact: list[str] = []
    folded: list[str] = []
    plain: list[str] = []
    for alias, org_id in gaz.alias_table():
        lookup.setdefault(alias_key(alias), org_id)
        latin = any(c.isascii() and c.isalpha() for c in alias[:1] + alias[-1:]) or any(
            c.isalpha() and ord(c) < 0x3000 for c in alias
        )
        if not latin:
            plain.append(alias)
        elif is_case_sensitive(alias):
            exact.append(alias)
        else:
            folded.append(alias.lower())
    edge = f"[{_LATIN}0-9]"
    patterns = [
        re.compile(rf"(?<!{edge})(?:{trie_pattern(exact)})(?!{edge})"),
        re.compile(rf"(?<!{edge})(?:{trie_pattern(folded)})(?!{edge})", re.IGNORECASE),
        re.compile(trie_pattern(plain)),
    ]
    return patterns, lookup


class OrgComponent:
    """Character-level gazetteer backstop + rule-based organizations."""

    def __init__(self, nlp: Language, lang: str) -> None:
        self.lang = lang
        self.gaz = load_gazetteer()
        self.alias_res, self.alias_lookup = _alias_regex(self.gaz)

    def _gazetteer(self, doc: Doc) -> list[OrgMatch]:
        found: list[OrgMatch] = []
        for ent in doc.ents:
            org = self.gaz.get(ent.ent_id_)
            if org:
                found.append(OrgMatch(ent.start_char, ent.end_char, org.id, org.name, org.type, "gazetteer"))
        text = doc.text  # a property that rebuilds the string on every access
        for alias_re in self.alias_res:
            for m in alias_re.finditer(text):
                org_id = self.alias_lookup.get(alias_key(m.group(0)))
                org = self.gaz.get(org_id) if org_id else None
                if org:
                    found.append(OrgMatch(m.start(), m.end(), org.id, org.name, org.type, "gazetteer"))
        if self.lang == "vi":  # "cán bộ y tế" (health workers) is not the Bộ Y tế: Vietnamese names are capitalised
            found = [f for f in found if not text[f.start : f.start + 1].islower()]
        return _resolve(found)

    def _drop_foreign_namesakes(
        self, text: str, matches: list[OrgMatch], rule_orgs: list, taken: bytearray
    ) -> list[OrgMatch]:
        """A known name followed by a place in another country names another organization:
        "Bệnh viện Chợ Rẫy Phnom Penh" is not the Chợ Rẫy of Ho Chi Minh City. The gazetteer
        match gives way to the longer rule span."""
        from nlp.places import place_countries

        keep = []
        for m in matches:
            org = self.gaz.get(m.entity_id)
            longer = next((r for r in rule_orgs if r[0] == m.start and r[1] > m.end), None)
            if org is not None and org.country and longer is not None:
                where = place_countries(text[m.end : longer[1]], self.lang)
                if where and org.country not in where:
                    taken[m.start : m.end] = b"\0" * (m.end - m.start)
                    continue
            keep.append(m)
        return keep

    def __call__(self, doc: Doc) -> Doc:
        matches = self._gazetteer(doc)
        text = doc.text  # a property that rebuilds the string on every access
        taken = bytearray(len(text) + 1)
        for m in matches:
            taken[m.start : m.end] = b"\1" * (m.end - m.start)
        rule_orgs = orgrules.find_rule_orgs(text, self.lang)
        matches = self._drop_foreign_namesakes(text, matches, rule_orgs, taken)
        for start, end, typ in rule_orgs:
            if taken.find(1, start, end) != -1:
                continue
            surface = text[start:end]
            key = orgrules.normalise_key(surface)
            matches.append(OrgMatch(start, end, f"org:auto:{key}", " ".join(surface.split()), typ, f"rule:{self.lang}"))
            taken[start:end] = b"\1" * (end - start)
        matches.sort(key=lambda m: (m.start, m.end))
        spans: list[Span] = []
        # token index by character offset with bisect ("expand" alignment): doc.char_span is linear per call
        offsets = doc.to_array([IDX, LENGTH]).tolist() if len(doc) else []  # no Token objects: this is a hot path
        starts = [o[0] for o in offsets]
        ends = [o[0] + o[1] for o in offsets]
        for m in matches:
            i = bisect.bisect_right(starts, m.start) - 1
            j = bisect.bisect_left(ends, m.end) + 1
            if 0 <= i < j <= len(doc):
                spans.append(Span(doc, i, j, label=m.type, span_id=m.entity_id))
        doc.ents = filter_spans(spans)
        doc._.coop_orgs = matches
        return doc


@Language.factory("coopwatch_orgs", default_config={"lang": "en"})
def _make_org_component(nlp: Language, name: str, lang: str) -> OrgComponent:
    return OrgComponent(nlp, lang)


def _resolve(found: list[OrgMatch]) -> list[OrgMatch]:
    ordered = sorted(set(found), key=lambda m: (-(m.end - m.start), m.start, m.entity_id))
    return sorted(orgrules.keep_longest(ordered, lambda m: (m.start, m.end)), key=lambda m: (m.start, m.end))


def _blank(lang: str) -> Language:
    if lang == "zh":
        import logging

        import jieba

        jieba.setLogLevel(logging.WARNING)  # its dictionary-loading chatter is not for operators
        nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {"segmenter": "jieba"}}})
        private = jieba.Tokenizer()
        for alias, _ in load_gazetteer().alias_table():
            if re.search(r"[\u4e00-\u9fff]", alias) and " " not in alias:
                private.add_word(alias, freq=50000, tag="nt")
        nlp.tokenizer.jieba_seg = private  # type: ignore[attr-defined,union-attr]
        orgrules.set_zh_tokenizer(private)
        return nlp
    if lang == "vi":
        nlp = spacy.blank("vi", config={"nlp": {"tokenizer": {"use_pyvi": False}}})
        nlp.tokenizer = _VietnameseTokenizer(nlp.vocab)
        return nlp
    return spacy.blank(lang)


def build_pipeline(lang: str) -> Language:
    """A fresh pipeline for ``lang`` (use :func:`get_pipeline` for the cached one)."""
    nlp = _blank(lang)
    ruler = nlp.add_pipe("entity_ruler", config={"phrase_matcher_attr": "LOWER", "overwrite_ents": True})
    patterns: list[dict[str, Any]] = []
    gaz = load_gazetteer()
    for org in gaz.orgs.values():
        for alias in org.all_aliases():
            if is_case_sensitive(alias):
                toks = [t.text for t in nlp.make_doc(alias)]
                patterns.append({"label": org.type, "pattern": [{"ORTH": t} for t in toks], "id": org.id})
            else:
                patterns.append({"label": org.type, "pattern": alias, "id": org.id})
    ruler.add_patterns(patterns)  # type: ignore[attr-defined]
    nlp.add_pipe("coopwatch_orgs", config={"lang": lang})
    return nlp


_pipelines: dict[str, Language] = {}
_lock = threading.Lock()


def get_pipeline(lang: str) -> Language:
    """The cached pipeline for ``lang``; unknown languages use the English one."""
    lang = lang if lang in SUPPORTED else "en"
    with _lock:
        if lang not in _pipelines:
            _pipelines[lang] = build_pipeline(lang)
        return _pipelines[lang]


def parse_spacy_models(value: str) -> dict[str, str]:
    """``"en=en_core_web_sm, de=de_core_news_sm"`` → ``{"en": …, "de": …}``."""
    out: dict[str, str] = {}
    for part in (value or "").split(","):
        lang, sep, name = part.strip().partition("=")
        if sep and lang.strip() and name.strip():
            out[lang.strip()] = name.strip()
    return out


_RUN_ON = re.compile(r"\s(?:and|und|và)\s|[)—–]")


def _merge_trained(text: str, lang: str, settings: Any, matches: list[OrgMatch]) -> list[OrgMatch]:
    """Add the trained tagger's organizations: they replace overlapping rule spans
    (a trained model finds the edges of long names better than suffix rules) but
    never a gazetteer match."""
    models = parse_spacy_models(getattr(settings, "spacy_models", "") or "") if settings is not None else {}
    trained = ner.trained_orgs(text, lang, models)
    if not trained:
        return matches
    label = "ner:lac" if lang == "zh" else f"ner:{models.get('en') or ner.DEFAULT_MODELS['en']}"
    kept = list(matches)
    for start, end, _ in trained:
        overlapping = [m for m in kept if start < m.end and end > m.start]
        if any(m.matcher == "gazetteer" for m in overlapping):
            continue
        if lang != "zh" and any(
            m.end - m.start > end - start
            and m.start <= start
            and m.end >= end
            and not _RUN_ON.search(text[m.start : m.end])
            for m in overlapping
        ):
            continue  # an English rule span that contains the tagger's span is the fuller name, unless it runs on
        kept = [m for m in kept if m not in overlapping]
        surface = text[start:end]
        key = orgrules.normalise_key(surface)
        if not key or key in orgrules.GENERIC_KEYS:
            continue
        kept.append(
            OrgMatch(start, end, f"org:auto:{key}", " ".join(surface.split()), orgrules.type_of(surface, lang), label)
        )
    return kept


CHUNK = 100_000  # characters per spaCy call: spaCy refuses texts over max_length (1,000,000)


def chunks(text: str, size: int = CHUNK) -> list[tuple[int, str]]:
    """``(offset, piece)`` pieces of at most ``size`` characters, cut after a line break where one exists."""
    out: list[tuple[int, str]] = []
    pos = 0
    while pos < len(text):
        end = min(len(text), pos + size)
        if end < len(text):
            nl = text.rfind("\n", pos + size // 2, end)
            end = nl + 1 if nl >= 0 else end
        out.append((pos, text[pos:end]))
        pos = end
    return out


# An English seat written after the name is part of it as the text gives it ("US Embassy in Sri
# Lanka", "Base Hospital in Panadura" when the place is known): the guide labels the fullest form.
_EN_SEAT_HEAD = re.compile(r"(?:Embassy|Consulate(?: General)?|Office|Hospital|Cent(?:er|re)|Delegation|Mission)$")
_EN_SEAT = re.compile(r" in ([A-Z][\w'’-]+(?: [A-Z][\w'’-]+){0,2})(?=[\s,.;:)]|$)")


def _with_en_seat(text: str, matches: list[OrgMatch]) -> list[OrgMatch]:
    """Extend a non-gazetteer English name ending in a seat head by "in <known country or place>"."""
    from nlp import countries, places

    out: list[OrgMatch] = []
    starts = {m.start for m in matches}
    for m in matches:
        surface = text[m.start : m.end]
        seat = _EN_SEAT.match(text, m.end) if m.matcher != "gazetteer" and _EN_SEAT_HEAD.search(surface) else None
        if seat is not None and not any(m.end < s < seat.end() for s in starts):
            place = seat.group(1)
            if countries.detect_countries(place, "en") or places.place_countries(place, "en"):
                full = text[m.start : seat.end()]
                key = orgrules.normalise_key(full)
                if key:
                    m = OrgMatch(m.start, seat.end(), f"org:auto:{key}", " ".join(full.split()), m.type, m.matcher)
        out.append(m)
    return out


def _find_orgs_piece(text: str, lang: str, settings: Any) -> list[OrgMatch]:
    doc = get_pipeline(lang)(text)
    matches = [
        m for m in doc._.coop_orgs or [] if m.matcher == "gazetteer" or ner.keep_rule(text[m.start : m.end], lang)
    ]
    merged = _merge_trained(text, lang, settings, matches)
    return _with_en_seat(text, merged) if lang == "en" else merged


def find_orgs(text: str, lang: str, settings: Any = None) -> list[OrgMatch]:
    """All organization matches in ``text``, in text order (long texts in chunks)."""
    if not text or not text.strip():
        return []
    if len(text) <= CHUNK:
        matches = _find_orgs_piece(text, lang, settings)
    else:
        matches = []
        for offset, piece in chunks(text):
            for m in _find_orgs_piece(piece, lang, settings):
                matches.append(OrgMatch(m.start + offset, m.end + offset, m.entity_id, m.name, m.type, m.matcher))
    return sorted(matches, key=lambda m: (m.start, m.end))


def extract_entities(text: str, lang: str, field: str = "text", settings: Any = None) -> list[EntityMention]:
    """Organization mentions in ``text`` as records for ``field`` (title, text, title_en, text_en)."""
    return [
        EntityMention(
            entity_id=m.entity_id,
            name=m.name,
            type=m.type,
            surface=text[m.start : m.end],
            start=m.start,
            end=m.end,
            field=field,
            matcher=m.matcher,
        )
        for m in find_orgs(text, lang, settings)
    ]


_LINK_WORDS = {"der", "des", "of", "for", "fur", "cua", "tai", "and", "und", "va"}


def merge_short_forms(mentions: list[EntityMention], texts: dict[str, str] | None = None) -> list[EntityMention]:
    """Within one article, a found name that begins a longer found name is that organization
    ("Caritas-Krankenhaus" → "Caritas-Krankenhaus St. Josef", "Medizinischen Fakultät" →
    "Medizinischen Fakultät der Universität Ulm"): both mentions take the longer one's id.
    Gazetteer ids are canonical and never merged."""
    auto = {m.entity_id: m for m in mentions if m.entity_id.startswith("org:auto:")}
    keys = sorted(auto, key=len, reverse=True)
    target: dict[str, str] = {}
    for short in keys:
        k = short.removeprefix("org:auto:")
        for long_ in keys:
            lk = long_.removeprefix("org:auto:")
            if len(lk) > len(k) and lk.startswith(k) and (lk[len(k)] == "-" or not k.isascii()):
                target[short] = target.get(long_, long_)
                break
            # "Đại học Y Hà Nội" inside "Trường Đại học Y Hà Nội", "Third Hospital" in "Peking University Third
            # Hospital": a suffix of three or more words after at most two leading words, none a genitive link
            if not k.isascii() and lk.endswith(k) and k[0] in "省市区县州":
                target[short] = target.get(long_, long_)  # 省卫生厅 → 云南省卫生厅
                break
            head = lk[: len(lk) - len(k)]
            if (
                lk.endswith("-" + k)
                and k.count("-") >= 2
                and head.count("-") <= 2
                and not set(head.strip("-").split("-")) & _LINK_WORDS
            ):
                target[short] = target.get(long_, long_)
                break
    for field, text in (texts or {}).items():  # "Korean International Cooperation Agency (KOICA)"
        spans = sorted((m for m in mentions if m.field == field), key=lambda m: m.start)
        for a, b in itertools.pairwise(spans):
            if text[a.end : b.start] == " (" and text[b.end : b.end + 1] == ")" and b.entity_id.startswith("org:auto:"):
                target.setdefault(b.entity_id, target.get(a.entity_id, a.entity_id))
    target = {k: v for k, v in target.items() if k != v}
    if not target:
        return mentions
    every = {m.entity_id: m for m in mentions}
    out = []
    for m in mentions:
        if m.entity_id in target:
            longer = every[target[m.entity_id]]
            m = replace(m, entity_id=longer.entity_id, name=longer.name, type=longer.type)
        out.append(m)
    return out
