"""Rule-based organization finder: suffix/prefix patterns per language.

Pure functions over a text: each returns ``(start, end, type)`` candidates
that :mod:`nlp.entities` turns into spans (gazetteer matches win over them).

- zh: a run of Han characters ending in 医院, 卫生健康委员会, 卫健委, 疾控中心,
  大学 …; the left edge is found with jieba's part-of-speech tags, starting
  at the first place name when there is one ("代表团参观南宁市第一人民医院"
  → 南宁市第一人民医院);
- de: compounds on -krankenhaus/-klinikum/-ministerium (with their
  adjective or "für …" complement), Universitätsklinikum X, Universität X;
- vi: heads Bệnh viện, Sở Y tế, Bộ Y tế, Trung tâm, Viện, Đại học … followed
  by the name's syllables (capitalised, or lower-case inside the name, until
  a function word);
- en: capitalised names ending in Hospital, University, Health Commission …,
  and "Ministry/University/Department of …".
"""

from __future__ import annotations

import functools
import re
import threading
import unicodedata
from pathlib import Path

import yaml

Candidate = tuple[int, int, str]  # start, end, type

LATIN = "A-Za-z\u00c0-\u024f\u1e00-\u1eff"

# ---------------------------------------------------------------- zh
_ZH_SUFFIX_TYPES = [
    ("疾病预防控制中心", "AGENCY"),
    ("卫生健康委员会", "GOV"),
    ("卫生健康局", "GOV"),
    ("疾控中心", "AGENCY"),
    ("卫健委", "GOV"),
    ("卫生厅", "GOV"),
    ("卫生局", "GOV"),
    ("卫生部", "GOV"),
    ("医科大学", "ORG"),
    ("医学院", "ORG"),
    ("研究院", "AGENCY"),
    ("研究所", "AGENCY"),
    ("医院", "HOSPITAL"),
    ("大学", "ORG"),
]
_ZH_SUFFIX = re.compile("|".join(s for s, _ in _ZH_SUFFIX_TYPES))
_ZH_TYPE = dict(_ZH_SUFFIX_TYPES)
_HAN_RUN = re.compile(r"[\u4e00-\u9fff]+$")
_ZH_KEEP_FLAGS = {"ns", "nr", "nrt", "nt", "nz", "n", "m", "b", "j", "an", "s", "x", "eng", "nrfg", "f", "a"}
_ZH_PLACE_FLAGS = {"ns", "nr", "nrt", "nt", "nz", "j", "s", "nrfg"}
_ZH_STOP = {
    "代表团",
    "参观",
    "访问",
    "考察",
    "签署",
    "来到",
    "前往",
    "会见",
    "双方",
    "专家",
    "医生",
    "院长",
    "主任",
    "副院长",
    "与",
    "和",
    "及",
    "同",
    "在",
    "由",
    "向",
    "对",
    "为",
    "是",
    "将",
    "把",
    "被",
    "从",
    "到",
    "了",
    "的",
    "其中",
    "合作",
    "举行",
    "举办",
    "召开",
    "出席",
    "派出",
    "援助",
    "支持",
    "联合",
    "携手",
    "率团",
    "率",
    "走进",
    "走访",
    "赴",
    "来自",
    "位于",
    "包括",
    "等",
    "该",
    "这",
    "这家",
    "一家",
    "多家",
    "各",
    "我",
    "我院",
    "本次",
    "此次",
    "帮助",
    "捐赠",
    "举",
    "成立",
    "加入",
    "牵头",
    "组织",
    "邀请",
    "培训",
    "进修",
    "交流",
    "援建",
    "建设",
}
_ZH_MIN_LEN = 2
_posseg_lock = threading.Lock()
_posseg: object | None = None


def set_zh_tokenizer(tokenizer: object) -> None:
    """Use this jieba.Tokenizer (the entities pipeline's private one) for POS tags."""
    global _posseg
    import jieba.posseg

    with _posseg_lock:
        _posseg = jieba.posseg.POSTokenizer(tokenizer)


def _zh_pos(text: str) -> list[tuple[str, str]]:
    global _posseg
    with _posseg_lock:
        if _posseg is None:
            import jieba
            import jieba.posseg

            _posseg = jieba.posseg.POSTokenizer(jieba.Tokenizer())
        return [(w.word, w.flag) for w in _posseg.cut(text)]  # type: ignore[attr-defined,union-attr]


def zh_candidates(text: str) -> list[Candidate]:
    out: list[Candidate] = []
    for m in _ZH_SUFFIX.finditer(text):
        run = _HAN_RUN.search(text, max(0, m.start() - 16), m.start())
        if not run:
            continue
        window = run.group(0)
        tokens = _zh_pos(window)
        kept: list[tuple[str, str]] = []
        for word, flag in reversed(tokens):
            inner = _ZH_SUFFIX.fullmatch(word) and _ZH_TYPE.get(word) != "ORG"
            if word in _ZH_STOP or flag not in _ZH_KEEP_FLAGS or inner:
                break
            kept.insert(0, (word, flag))
        places = [i for i, (_, flag) in enumerate(kept) if flag in _ZH_PLACE_FLAGS]
        if places:
            kept = kept[places[0] :]
        else:
            kept = kept[-3:]
        prefix = "".join(w for w, _ in kept)
        if len(prefix) < _ZH_MIN_LEN:
            continue
        out.append((m.start() - len(prefix), m.end(), _ZH_TYPE[m.group(0)]))
    return out


# ---------------------------------------------------------------- de
_DE_CAP = r"[A-ZÄÖÜ][\wäöüß'’-]*"
_DE_ADJ = r"(?:[A-ZÄÖÜa-zäöü][\wäöüß-]*(?:isch|ische|ischen|isches|ischer|liche|lichen|liches|licher)\s+)?"
_DE_COMPOUND = re.compile(
    rf"\b{_DE_ADJ}(?:[A-ZÄÖÜ][\wäöüß]*-)*[A-ZÄÖÜ][\wäöüß]*?(?:krankenhaus|Krankenhaus|klinikum|Klinikum|klinik|Klinik|"
    rf"ministerium|Ministerium)(?:e?s)?\b"
    rf"(?:\s+für\s+{_DE_CAP}(?:(?:,\s+|\s+und\s+){_DE_CAP}){{0,3}})?"
)
_DE_HEAD = re.compile(
    rf"\b(?:Universitätsklinikums?|Universitätsklinik|Uniklinik|Klinikums?|Universität|Hochschule|Krankenhaus(?:es)?|"
    rf"Klinik)"
    rf"\s+(?:(?:rechts|links)\s+der\s+|der\s+|des\s+|für\s+)?{_DE_CAP}(?:\s+{_DE_CAP})?"
)
_DE_ADJ_PREFIX = (
    r"(?:(?:[A-ZÄÖÜ][a-zäöüß]*(?:isch|lich|ral|nal|tal|ssisch)(?:e|en|er|es)|Deutsche[nrs]?|Technische[nr]?|Freie[nr]?|"
    r"Staatliche[nr]?|Medizinische[nr]?|Eidgenössische[nrs]?|Evangelische[nrs]?|Katholische[nrs]?)\s+)"
)
# A brand or abbreviation in front of an institution word: HanseMerkur Zentrum, BG Klinikum, Viet Duc
# Universitätsklinik (German compounds common nouns, so two capitalised words side by side are a name).
_DE_BRAND = r"(?:[A-ZÄÖÜ][a-zäöüß]+[A-ZÄÖÜ][\wäöüß]*|[A-ZÄÖÜ]{2,5}|[A-Z][a-z]+\s+[A-Z][a-z]+(?=\s+Universitätsklinik))"
_DE_LOWER_ADJ = r"(?:[a-zäöü][a-zäöüß]+(?:e|en|er|es)\s+)"
_DE_NAMED = re.compile(
    rf"(?<![\wÄÖÜäöüß-]){_DE_ADJ_PREFIX}?(?:{_DE_BRAND}\s+)?(?:[A-ZÄÖÜ][\wäöüß]*-)?"
    r"(?:Gesellschaft|Zentrums?|Instituts?|Stiftung|Verwaltung|Departement|Fakultät|Kliniken|Klinikums?|"
    r"Universitätsklinikums?|Universitätsklinik|Universität|Hochschule|Bundesministeriums?|Ministeriums?|Gesundheitsamt(?:e?s)?|Behörde|Verband(?:e?s)?|"
    r"Akademie|Kammer|Universitätsklinikums?|Universitätsklinik|Krankenhaus(?:es)?|Klinik)"
    rf"(?:\s+(?:für|der|des)\s+{_DE_LOWER_ADJ}?{_DE_ADJ_PREFIX}?{_DE_CAP}(?:\s+(?:und\s+)?{_DE_CAP}){{0,3}})?"
    rf"(?:\s+(?:St\.\s+)?{_DE_CAP}(?:\s+{_DE_CAP})?)?"
)
# A genitive chain that belongs to the name: "… der Bundesrepublik Deutschland", "… der Universität Ulm".
_DE_GENITIVE = re.compile(
    r"\s+(?:der|des)\s+(?:Republik|Bundesrepublik|Volksrepublik|Universität|Provinz|Stadt|Hansestadt|Freien|"
    r"Sozialistischen|Technischen|Charité)(?:\s+[A-ZÄÖÜ][\wäöüß-]*){0,3}"
)
# Words that start a sentence or a clause, never a name.
_DE_NOT_NAME = re.compile(
    r"^(?:Die|Der|Das|Den|Dem|Des|Ein|Eine|Einer|Eines|Im|Am|Zum|Zur|Beim|Vom|Mit|Von|Für|Auf|In|An)\s+"
)

_DE_TYPE = [
    ("ministerium", "GOV"),
    ("kranken", "HOSPITAL"),
    ("klinik", "HOSPITAL"),
    ("universität", "ORG"),
    ("hochschule", "ORG"),
]


def _de_type(s: str) -> str:
    low = s.lower()
    for key, typ in _DE_TYPE:
        if key in low:
            return typ
    return "ORG"


def _de_trim(text: str, start: int, end: int) -> tuple[int, int]:
    surface = text[start:end]
    lead = _DE_NOT_NAME.match(surface)
    if lead:
        start += lead.end()
    g = _DE_GENITIVE.match(text, end)
    if g:
        end = g.end()
    surface = text[start:end]
    person = re.search(r"\s+und\s+[A-ZÄÖÜ][a-zäöüß]+\s+[A-ZÄÖÜ][a-zäöüß]+$", surface)
    if person:  # "Klinik für Anästhesiologie und Jörg Seifert": a first and last name is no complement
        surface = surface[: person.start()]
    stripped = surface.rstrip(".,;:").removesuffix(" St")
    return start, start + len(stripped)


# Public bodies that act as parties: "Land Schleswig-Holstein", "Freistaat Bayern", "Landkreis Bautzen".
_DE_LAENDER = (
    r"Baden-Württemberg|Bayern|Berlin|Brandenburg|Bremen|Hamburg|Hessen|Mecklenburg-Vorpommern|Niedersachsen|"
    r"Nordrhein-Westfalen|Rheinland-Pfalz|Saarland|Sachsen-Anhalt|Sachsen|Schleswig-Holstein|Thüringen"
)
_DE_PUBLIC = re.compile(
    rf"\b(?:(?:Land|Bundesland)\s+(?:{_DE_LAENDER})\b|Freistaat(?:\s+(?:Bayern|Sachsen|Thüringen))?\b|"
    rf"(?:Landkreis|Kanton)\s+[A-ZÄÖÜ][\wäöüß-]+)"
)
# A name after a generic head is the organization itself: "der Hilfsorganisation Interplast" → Interplast,
# "des Konzerns Helios" → Helios; legal forms close a name ("Oberlausitz-Kliniken gGmbH", "KfW AG").
_DE_APPOSITION = re.compile(
    r"\b(?:Hilfsorganisation|Organisation|Verein|Hilfswerk|Konzern|Unternehmen|Krankenhauskonzern|Klinikkonzern|"
    r"Nichtregierungsorganisation|NGO)s?\s+[„\"]?(?P<name>(?:[A-ZÄÖÜ][\wäöüß&+-]*)(?:\s+[A-ZÄÖÜ][\wäöüß&+-]*){0,2})"
)
_DE_LEGAL = re.compile(
    r"\b(?:[A-ZÄÖÜ][\wäöüß&+-]*\s+){0,3}[A-ZÄÖÜ][\wäöüß&+-]*\s+(?:gGmbH|GmbH|AG|e\.\s?V\.|mbH|SE)(?![\w])"
)
# A brand in front of Kliniken/Klinikum ("Helios Kliniken", "Asklepios Klinikum"): a capitalised word that is no
# determiner, adjective or plain noun phrase opener ("Zertifizierte Kliniken", "Flensburger Kliniken").
_DE_BRAND_KLINIK = re.compile(
    r"(?<![\wÄÖÜäöüß-])(?!(?:Die|Der|Das|Den|Dem|Des|Alle|Beide|Beiden|Viele|Diese|Dieser|Mehrere|Einige|Andere|Weitere|"
    r"Unsere|Ihre|Seine|Deutsche|Deutschen|Private|Kommunale|Städtische|Kirchliche)\b)"
    r"[A-ZÄÖÜ][a-zäöüß]{1,}(?<!e)(?<!en)(?<!er)(?<!es)\s+(?:Kliniken|Klinikum|Klinikgruppe)\b(?:\s+(?!Die\b|Der\b|Das\b)(?P<tail>[A-ZÄÖÜ][\wäöüß-]+))?"
)
# Abbreviated universities: "TU München", "LMU", "RWTH Aachen"
_DE_UNI_ABBR = re.compile(r"\b(?:TU|FU|HU|LMU|RWTH|KIT|MHH|UKE|UKSH)\b(?:\s+(?!Die\b|Der\b|Das\b)[A-ZÄÖÜ][\wäöüß-]+)?")
# "Herzzentrum Dresden", "Flensburger Krankenhausverbund": compounds on -zentrum/-verbund
_DE_CENTRE = re.compile(
    r"(?<![\wÄÖÜäöüß-])(?:[A-ZÄÖÜ][a-zäöüß]+er\s+)?[A-ZÄÖÜ][a-zäöüß]+(?:zentrum|verbund)(?:s)?\b"
    r"(?:\s+(?!Die\b|Der\b|Das\b|Und\b)(?P<tail>[A-ZÄÖÜ][a-zäöüß]+(?:-[A-ZÄÖÜ][a-zäöüß]+)?)\b)?"
)


_NAME_PARTS = {"International", "Pro", "Deutschland", "Germany", "Stiftung", "Hilfe"}
_COMMON_ZIPF = 3.5  # German capitalises every noun: a word this frequent (Unternehmen 5.4, Expertise 3.6) is no name


@functools.lru_cache(maxsize=4096)
def _de_proper(word: str) -> bool:
    """A proper name rather than a capitalised German noun: an abbreviation (CARE, KfW) or a rare word
    by wordfreq's German frequencies (Interplast 1.4, Helios 3.1, Asklepios 2.9)."""
    from wordfreq import zipf_frequency

    core = word.strip("„\"-&+")
    if len(core) >= 2 and sum(c.isupper() for c in core) >= 2 or core in _NAME_PARTS:
        return True
    return zipf_frequency(core, "de") < _COMMON_ZIPF or _is_place(core)


@functools.lru_cache(maxsize=4096)
def _is_place(word: str) -> bool:
    from nlp.places import place_countries

    return bool(place_countries(word, "de"))


def _de_extra(text: str) -> list[Candidate]:
    out: list[Candidate] = []
    for m in _DE_PUBLIC.finditer(text):
        out.append((m.start(), m.end(), "GOV"))
    for m in _DE_APPOSITION.finditer(text):
        # the name ends before the first ordinary noun ("Organisation Interplast Ärzte" → Interplast)
        start, end = m.start("name"), m.start("name")
        for w in re.finditer(r"\S+", m.group("name")):
            if not _de_proper(w.group(0)):
                break
            end = m.start("name") + w.end()
        if end > start:
            out.append((start, end, "ORG"))
    for m in _DE_LEGAL.finditer(text):
        # leading ordinary nouns are no part of the name ("Firma Müller GmbH" → Müller GmbH)
        words = list(re.finditer(r"\S+", m.group(0)))
        start = m.start()
        for w in words[:-2]:
            if _de_proper(w.group(0)):
                break
            start = m.start() + words[words.index(w) + 1].start()
        out.append((start, m.end(), _de_type(m.group(0))))
    for pat in (_DE_BRAND_KLINIK, _DE_UNI_ABBR, _DE_CENTRE):
        for m in pat.finditer(text):
            if pat is _DE_BRAND_KLINIK and not _de_proper(m.group(0).split()[0]):
                continue  # "Expertise Kliniken": a plain noun in front
            tail = m.groupdict().get("tail")
            stop = m.end() if tail is None or _is_place(tail) else m.start("tail")
            start, end = _de_trim(text, m.start(), stop)  # a trailing word belongs only when it is a place (Dresden)
            if end > start:
                out.append((start, end, _de_type(text[start:end])))
    return out


def de_candidates(text: str) -> list[Candidate]:
    out: list[Candidate] = _de_extra(text)
    for pat in (_DE_COMPOUND, _DE_HEAD, _DE_NAMED):
        for m in pat.finditer(text):
            start, end = _de_trim(text, m.start(), m.end())
            if end > start:
                out.append((start, end, _de_type(text[start:end])))
    # names in English inside German text (Beijing University of Chinese Medicine, Sonja Kill Memorial Hospital)
    out += en_candidates(text)
    return out


# ---------------------------------------------------------------- en
_EN_WORD = r"[A-Z][\w'’&-]*"
_EN_LINK = r"(?:\s+(?:of|for|and|&|de|the)\s+|\s+)"
_EN_OF_LINK = r"(?:\s+(?:of|for|de|the)\s+|\s+)"
_EN_SUFFIX = re.compile(
    rf"\b{_EN_WORD}(?:{_EN_LINK}{_EN_WORD}){{0,5}}?\s+"
    r"(?:Hospital|Medical Center|Medical Centre|Medical University|University|Health Commission|Institute|Clinic|"
    r"Department of Health|Health Department|Health Bureau|CDC)\b"
    rf"(?:\s+of\s+(?:the\s+)?{_EN_WORD}(?:\s+{_EN_WORD}){{0,4}})?"
)
_EN_OF = re.compile(
    rf"\b(?:Ministry|Department|Bureau|Commission|Institute|University|Hospital|Academy)\s+of\s+{_EN_WORD}"
    rf"(?:{_EN_OF_LINK}{_EN_WORD}){{0,4}}"
)
_EN_LEADING = re.compile(r"^(?:The|A|An|In|On|At|By|For|And|With|From|Both|Officials|Doctors)\s+")
# Chinese English-language news writes provincial bodies in lower case: "the health commission of Guangdong
# province", "the health commission of Xinjiang Uygur Autonomous Region".
_EN_LOWER_BODY = re.compile(
    rf"\b(?:health commission|health bureau|health department|department of health|foreign affairs office)\s+of\s+"
    rf"(?:the\s+)?{_EN_WORD}(?:\s+{_EN_WORD}){{0,3}}(?:\s+(?:province|municipality|city|Province|Municipality|City))?"
)
_EN_TYPE = [
    ("hospital", "HOSPITAL"),
    ("medical center", "HOSPITAL"),
    ("medical centre", "HOSPITAL"),
    ("clinic", "HOSPITAL"),
    ("ministry", "GOV"),
    ("department", "GOV"),
    ("commission", "GOV"),
    ("bureau", "GOV"),
    ("institute", "AGENCY"),
    ("cdc", "AGENCY"),
    ("university", "ORG"),
    ("academy", "ORG"),
]


_EN_HEAD_WORD = re.compile(r"\b(?:Hospital|University|Ministry|Institute|Clinic|Commission|Department|Academy)\b")
_EN_TRAILING_TITLE = re.compile(r"\s+(?:Dr|Mr|Mrs|Ms|Prof|Minister|President|Director|Deputy|Chairman|Secretary)\.?$")


def clean_en_span(surface: str, start: int) -> tuple[int, str]:
    """The name inside an English span, for rules and the tagger alike: what precedes a closing
    parenthesis or dash ("EU)—The European Union"), a leading article, a one-word possessive owner
    ("Hanoi’s Vietnam-Korea Friendship Clinic", not "Pyongyang Okryu Children's Hospital") and a
    trailing title ("Ministry of Health Dr.") are dropped."""
    cut = re.search(r"\)|—|–", surface)
    if cut:
        rest = surface[cut.end() :]
        start += cut.end()
        surface = rest
    lead = re.match(r"\s*(?:[Tt]he\s+)?", surface)
    if lead and lead.end():
        start += lead.end()
        surface = surface[lead.end() :]
    owner = re.match(r"^[A-Z][\w-]*['’]s\s+(?=\S+\s+\S)", surface)
    if owner and not _EN_HEAD_WORD.search(owner.group(0)):
        start += owner.end()
        surface = surface[owner.end() :]
    surface = _EN_TRAILING_TITLE.sub("", surface.rstrip(",;: "))
    return start, surface


def en_candidates(text: str) -> list[Candidate]:
    out: list[Candidate] = []
    for pat in (_EN_SUFFIX, _EN_OF, _EN_LOWER_BODY):
        for m in pat.finditer(text):
            start = m.start()
            surface = m.group(0)
            lead = _EN_LEADING.match(surface)
            while lead:
                start += lead.end()
                surface = surface[lead.end() :]
                lead = _EN_LEADING.match(surface)
            start, surface = clean_en_span(surface, start)
            surface = surface.rstrip(".,;:'’")
            if surface.endswith(("'s", "’s")):
                surface = surface[:-2]
            low = surface.lower()
            typ = next((t for k, t in _EN_TYPE if k in low), "ORG")
            out.append((start, start + len(surface), typ))
    return out


# ---------------------------------------------------------------- vi
_VI_HEADS = [
    ("Bệnh viện", "HOSPITAL"),
    ("BV", "HOSPITAL"),
    ("Sở Y tế", "GOV"),
    ("Bộ Y tế", "GOV"),
    ("Trung tâm", "AGENCY"),
    ("Viện", "AGENCY"),
    ("Trường Đại học", "ORG"),
    ("Đại học", "ORG"),
    ("Học viện", "ORG"),
    ("Cục", "GOV"),
    ("Đại sứ quán", "GOV"),
    ("Tổng lãnh sự quán", "GOV"),
    ("Lãnh sự quán", "GOV"),
    ("Tổng lãnh sự", "GOV"),
    ("Văn phòng", "AGENCY"),
    ("Cơ quan", "AGENCY"),
    ("Tổ chức", "NGO"),
    ("Hội", "NGO"),
    ("Tổng Hội", "NGO"),
    ("Hiệp hội", "NGO"),
    ("Quỹ", "NGO"),
    ("Hải quan", "GOV"),
    ("Ủy ban nhân dân", "GOV"),
    ("UBND", "GOV"),
    ("Tập đoàn", "ORG"),
    ("Công ty", "ORG"),
]
_VI_HEAD = re.compile(r"(?<![\w])(?:" + "|".join(re.escape(h) for h, _ in _VI_HEADS) + r")(?!\w)")
_VI_TYPE = dict(_VI_HEADS)
_VI_SYLLABLE = re.compile(r"(\s+[-–]\s+|\s+|-)([\w.]+)")  # Y-Dược joins like a space; "Phong – Da liễu" too
_WORDS = yaml.safe_load((Path(__file__).parent / "data" / "orgwords.yaml").read_text(encoding="utf-8"))["vi"]
# Lower-case words that end a name only when they belong to it (y tế, cổ truyền), not geography that needs a name after it.
_VI_TRAILING_OK = set(_WORDS["trailing_ok"])
# Administrative words that may open the name after a head: "Sở Y tế tỉnh Điện Biên".
_VI_GEO = set(_WORDS["geo_openers"])
# Lower-case words after a number that make it a count ("Sở Y tế 3 tỉnh"), not part of a name ("Quân y 175").
_VI_COUNTED = set(_WORDS["counted"])
# heads whose name goes on with the place it sits in: "Tổng lãnh sự Ấn Độ tại TPHCM", "Hội Khmer-Việt Nam tại Campuchia"
_VI_EMBASSY = ("Đại sứ quán", "Tổng lãnh sự quán", "Lãnh sự quán", "Tổng lãnh sự", "Văn phòng", "Hội", "Hiệp hội", "Cục")
_VI_STOP = {
    "đã",
    "sẽ",
    "đang",
    "vừa",
    "và",
    "với",
    "cùng",
    "của",
    "tại",
    "ở",
    "là",
    "có",
    "được",
    "cho",
    "trong",
    "về",
    "để",
    "từ",
    "đến",
    "năm",
    "ngày",
    "tháng",
    "này",
    "đó",
    "nhằm",
    "nhận",
    "tiếp",
    "tổ",
    "ký",
    "trao",
    "hỗ",
    "phối",
    "triển",
    "cử",
    "gửi",
    "đón",
    "thăm",
    "làm",
    "các",
    "những",
    "một",
    "hai",
    "ba",
    "khi",
    "sau",
    "trước",
    "theo",
    "thực",
    "chuyển",
    "đào",
    "tập",
    "hợp",
    "bàn",
    "giao",
    "tiến",
    "khám",
    "điều",
    "cũng",
    "không",
    "đều",
    "như",
    "thì",
    "mà",
    "nên",
    "vì",
    "do",
    "bởi",
    "lúc",
    "rồi",
    "hơn",
    "nhất",
    "rất",
    "phát",
    "biểu",
    "cấp",
    "ra",
    "vào",
    "lên",
    "xuống",
    "qua",
    "đoàn",
    "ông",
    "bà",
    "anh",
    "chị",
    "đại",
    "diện",
    "lãnh",
    "đạo",
    "bác",
    "sĩ",
    "chuyên",
    "gia",
    "nhiều",
    "mới",
    "vẫn",
    "đây",
    "kia",
    "thuộc",
    "chủ",
    "trì",
    "họp",
    "hội",
    "nghị",
    "ghi",
    "nhớ",
    "thỏa",
    "thuận",
    "tặng",
    "khai",
    "mạc",
}
_VI_ALLOWED_LOWER = {
    "tỉnh",
    "thành",
    "phố",
    "quận",
    "huyện",
    "số",
    "khoa",
    "trung",
    "ương",
    "quốc",
    "gia",
    "nhân",
    "dân",
    "y",
    "tế",
    "dược",
    "bệnh",
    "tật",
    "hữu",
    "nghị",
    "kiểm",
    "soát",
    "vệ",
    "sinh",
    "dịch",
    "tễ",
    "học",
    "nhi",
    "sản",
    "ung",
    "bướu",
    "phổi",
    "mắt",
    "da",
    "liễu",
    "tim",
    "truyền",
    "nhiễm",
    "cổ",
    "đa",
    "xã",
    "thị",
}


def _vi_name_end(text: str, pos: int) -> int:
    """End offset of the name that follows a head ending at ``pos`` (pos if none).

    Syllables run on while capitalised (or numbers, or lower-case words that
    belong to names: tỉnh, y tế …) up to a function word; the name then ends
    at its last capitalised syllable or a lower-case word that can end a name
    (Bệnh viện Y học cổ truyền), never at "nói riêng", "đối", "nhấn mạnh".
    """
    end = pos
    good_end = None
    after_cap = 0
    first = True
    prev = ""
    prev_good = False
    for _ in range(12):
        m = _VI_SYLLABLE.match(text, end)
        if not m:
            break
        raw = m.group(2)
        syl = raw.rstrip(".")
        if not syl or not re.fullmatch(r"\w+", syl):
            if syl in ("TP", "Tp") or re.fullmatch(r"TP\.\w+", raw):
                pass
            else:
                break
        cap = syl[:1].isupper()
        low = syl.lower()
        if syl[:1].isdigit():  # "Quân y 175" names, "Sở Y tế 3 tỉnh" counts, "trị giá 45" is no name
            after = _VI_SYLLABLE.match(text, m.start(2) + len(syl))
            counted = after is not None and after.group(2).lower() in _VI_COUNTED
            cap = prev == "số" or ((first or prev_good) and not counted)  # "Bệnh viện Đa khoa số 1 tỉnh Lào Cai"
            if not cap:
                break
        if first and not cap and low not in _VI_GEO:
            break
        if m.group(1).strip() and not cap:
            break  # a spaced dash joins two capitalised parts only
        joined = low == "hợp" and prev == "tổng"  # Đại học Tổng hợp
        if not cap and not joined and low in _VI_STOP and low not in _VI_ALLOWED_LOWER:
            break
        if cap or joined or low in _VI_ALLOWED_LOWER:
            after_cap = 0
        else:
            after_cap += 1
            if after_cap > 3:
                break
        end = m.start(2) + len(syl)
        if cap or joined or (low in _VI_TRAILING_OK and good_end is not None and prev_good):
            good_end = end
            prev_good = True
        else:
            prev_good = False
        first = False
        prev = low
        if re.fullmatch(r"[A-ZĐ]\.", raw):  # an initial does not end the name ("Quỹ Lawrence S. Ting")
            end += 1
            good_end = end
        elif raw.endswith(".") and not raw.startswith("TP"):
            break  # a full stop ends it
    return good_end if good_end is not None else pos


def _vi_embassy_tail(text: str, end: int) -> int:
    """``Đại sứ quán Việt Nam tại Vương quốc Campuchia``: the host country after "tại"."""
    m = re.match(r"\s+tại\s+", text[end:])
    if not m:
        return end
    tail = _vi_name_end(text, end + m.end() - 1)
    return tail if tail > end + m.end() - 1 else end


# One department named for several provinces: "Sở Y tế 3 tỉnh: Phông-Sa-Lỳ, U-Đôm-Xay, Luông-Pha-Bang",
# "Sở Y tế các tỉnh Quảng Ninh, Lạng Sơn, Cao Bằng", "Sở Y tế hai tỉnh Long An và Trà Vinh"
_VI_PROVINCES = re.compile(r"(?<!\w)Sở Y tế\s+(?:của\s+)?(?:các|hai|ba|bốn|năm|\d+)\s+tỉnh(?:\s+(?:bạn\s+)?Lào)?:?")
_VI_LIST_PART = re.compile(r"(\s*,\s*(?:và\s+)?|\s+và\s+|\s+|-)(\w+)")


def _vi_province_lists(text: str) -> list[Candidate]:
    out: list[Candidate] = []
    for m in _VI_PROVINCES.finditer(text):
        end, names = m.end(), 0
        while (p := _VI_LIST_PART.match(text, end)) and p.group(2)[:1].isupper() and not _VI_HEAD.match(text, p.start(2)):
            if p.group(1).strip() or p.group(1) == "-" or names == 0:
                names += 1  # a comma, "và" or the first word opens a place name; a space continues one
            end = p.end()
        if names >= 2:
            out.append((m.start(), end, "GOV"))
    return out


def vi_candidates(text: str) -> list[Candidate]:
    out: list[Candidate] = _vi_province_lists(text)
    for m in _VI_HEAD.finditer(text):
        end = _vi_name_end(text, m.end())
        if end > m.end() and m.group(0) in _VI_EMBASSY:
            end = _vi_embassy_tail(text, end)
        if end > m.end():
            out.append((m.start(), end, _VI_TYPE[m.group(0)]))
    return out


def vi_all_candidates(text: str) -> list[Candidate]:
    """Vietnamese names plus names written in English inside the text."""
    return vi_candidates(text) + en_candidates(text)


RULES = {"zh": zh_candidates, "de": de_candidates, "en": en_candidates, "vi": vi_all_candidates}

# Generic heads that name no particular organization.
GENERIC_KEYS = {
    "ministerium",
    "krankenhaus",
    "klinikum",
    "klinik",
    "universitatsklinikum",
    "aussenministerium",
    "ministry-of-foreign-affairs",
    "university-hospital",
    "hospital",
    "hospitals",
    "university",
    "ministry",
    "government",
    "clinic",
    "universitatsklinik",
    "uniklinik",
    "gesellschaft",
    "zentrum",
    "institut",
    "fakultat",
    "kliniken",
    "hochschule",
    "universitat",
    "behorde",
    "bundesministerium",
    "stiftung",
    "医院",
    "大学",
    "卫健委",
    "省卫健委",
    "市卫健委",
    "省疾控中心",
    "市疾控中心",
    "卫生部",
    "人民医院",
    "中医院",
    "附属医院",
}


# Abbreviations Vietnamese names use interchangeably with the full words (TW = Trung ương).
_ABBREVIATIONS = {"tw": "trung-uong", "tp": "thanh-pho", "dh": "dai-hoc", "bv": "benh-vien", "ubnd": "uy-ban-nhan-dan"}


def normalise_key(surface: str) -> str:
    """Key under which spelling variants of one name collapse (``org:auto:<key>``)."""
    listed = _VI_PROVINCES.match(surface)
    if listed:  # "Sở Y tế các tỉnh A, B, C" = "Sở Y tế của ba tỉnh A, B và C": one key from the provinces
        return "so-y-te-" + normalise_key(re.sub(r"\s*(?:,|\bvà\b)\s*", " ", surface[listed.end() :]))
    s = unicodedata.normalize("NFKC", surface).replace("đ", "d").replace("Đ", "D")
    s = "".join(c for c in unicodedata.normalize("NFKD", s) if not unicodedata.combining(c)).casefold()
    s = re.sub(r"^(?:the|die|der|das|den|dem|des)\s+", "", s)
    s = re.sub(r"[’']s\b", "", s)
    s = re.sub(r"(klinikum|ministerium|krankenhaus|institut|zentrum|amt|verband)e?s\b", r"\1", s)  # German genitive
    # "Sở Y tế tỉnh Hà Tĩnh" and "Sở Y tế Hà Tĩnh" are one department: the word for province is dropped
    words = [_ABBREVIATIONS.get(w, w) for w in re.findall(r"\w+", s) if w != "tinh"]
    key = "-".join(words)
    return re.sub(r"(?<=[\u4e00-\u9fff])-(?=[\u4e00-\u9fff])", "", key)


def type_of(surface: str, lang: str) -> str:
    """Organization type from a name's head (医院 → HOSPITAL, Ministry → GOV)."""
    if lang == "zh":
        return next((typ for suffix, typ in _ZH_SUFFIX_TYPES if surface.endswith(suffix)), "ORG")
    low = surface.lower()
    return next((t for k, t in _EN_TYPE if k in low), "ORG")


def find_rule_orgs(text: str, lang: str) -> list[Candidate]:
    """Rule candidates for ``lang`` (generic heads dropped), in text order."""
    fn = RULES.get(lang)
    if fn is None:
        return []
    found = [c for c in fn(text) if c[1] > c[0] and normalise_key(text[c[0] : c[1]]) not in GENERIC_KEYS]
    return resolve_overlaps(found)


def resolve_overlaps(cands: list[Candidate]) -> list[Candidate]:
    """Keep the longest of overlapping candidates (earliest on ties), in text order."""
    return sorted(keep_longest(sorted(set(cands), key=lambda c: (-(c[1] - c[0]), c[0], c[2])), lambda c: (c[0], c[1])))


def keep_longest(ordered: list, span: object) -> list:
    """Items of ``ordered`` (best first) whose span overlaps no item kept before; linear in
    the covered length (an occupancy map), so a long text with thousands of names stays fast."""
    kept = []
    occupied = bytearray()
    for item in ordered:
        start, end = span(item)  # type: ignore[operator]
        if end > len(occupied):
            occupied.extend(b"\0" * (end - len(occupied)))
        if occupied.find(1, start, end) == -1:
            kept.append(item)
            occupied[start:end] = b"\1" * (end - start)
    return kept
