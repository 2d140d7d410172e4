"""Dates inside a sentence, with their precision (day | month | year).

Regex first, per language, so we never run dateparser's slow
``search_dates`` over whole texts: each candidate the regexes find is then
parsed on its own. Purely numeric forms (2023年11月6日, ngày 7 tháng 9 năm
2022, 2023-11-06, 30.07.2020) are built directly; forms with month names
(6 November 2023, 30. Juli 2020) go through ``dateparser.parse`` with the
article's publication date as ``RELATIVE_BASE``. A form without a year
(11月6日, November 6) takes the publication year, and is skipped when the
article has no publication date.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, datetime

Found = tuple[int, int, date, str]  # start, end, date, precision

_EN_MONTHS = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November|December|"
    r"Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\.?"
)
_DE_MONTHS = (
    r"(?:Januar|Jänner|Februar|März|Maerz|April|Mai|Juni|Juli|August|September|Oktober|November|"
    r"Dezember|Jan|Feb|Mär|Apr|Jun|Jul|Aug|Sept|Sep|Okt|Nov|Dez)\.?"
)


def _mk(y: int, m: int, d: int = 1) -> date | None:
    try:
        return date(y, m, d) if 1900 <= y <= 2100 else None
    except ValueError:
        return None


def _numeric(groups: str, precision: str, year_from_base: bool = False) -> Callable[..., date | None]:
    """Build a date from named numeric groups ``y``, ``m``, ``d``."""

    def build(m: re.Match[str], base: datetime | None, lang: str) -> date | None:
        g = m.groupdict()
        if year_from_base:
            if base is None:
                return None
            y = base.year
        else:
            y = int(g["y"])
        return _mk(y, int(g.get("m") or 1), int(g.get("d") or 1))

    return build


def _named(m: re.Match[str], base: datetime | None, lang: str) -> date | None:
    import dateparser

    settings: dict[str, object] = {"PREFER_DAY_OF_MONTH": "first", "PREFER_DATES_FROM": "past"}
    if base is not None:
        settings["RELATIVE_BASE"] = base.replace(tzinfo=None)
    text = m.group(0).strip()
    if base is None and not re.search(r"\d{4}", text):
        return None
    parsed = dateparser.parse(text, languages=[lang], settings=settings)  # type: ignore[arg-type]
    return parsed.date() if parsed else None


Rule = tuple[re.Pattern[str], str, Callable[..., date | None]]

_ISO: list[Rule] = [
    (re.compile(r"(?<!\d)(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})(?!\d)"), "day", _numeric("ymd", "day")),
]
_RULES: dict[str, list[Rule]] = {
    "zh": [
        (
            re.compile(r"(?P<y>\d{4})\s*年\s*(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})\s*[日号]"),
            "day",
            _numeric("ymd", "day"),
        ),
        (re.compile(r"(?P<y>\d{4})\s*年\s*(?P<m>\d{1,2})\s*月"), "month", _numeric("ym", "month")),
        (
            re.compile(r"(?<![\d年])(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})\s*[日号]"),
            "day",
            _numeric("md", "day", year_from_base=True),
        ),
        (re.compile(r"(?<!\d)(?P<y>(?:19|20)\d{2})\s*年(?!\s*\d{1,2}\s*月)"), "year", _numeric("y", "year")),
    ],
    "en": [
        (re.compile(rf"\b\d{{1,2}}(?:st|nd|rd|th)?\s+{_EN_MONTHS},?\s+\d{{4}}\b"), "day", _named),
        (re.compile(rf"\b{_EN_MONTHS}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}\b"), "day", _named),
        (re.compile(rf"\b{_EN_MONTHS}\s+\d{{4}}\b"), "month", _named),
        (re.compile(rf"\b{_EN_MONTHS}\s+\d{{1,2}}(?:st|nd|rd|th)?\b(?!,?\s*\d)"), "day", _named),
        (re.compile(rf"\b\d{{1,2}}(?:st|nd|rd|th)?\s+{_EN_MONTHS}(?!,?\s*\d)"), "day", _named),
        (re.compile(r"\b(?:in|since|during|by)\s+(?P<y>(?:19|20)\d{2})\b"), "year", _numeric("y", "year")),
    ],
    "de": [
        (re.compile(rf"\b\d{{1,2}}\.\s*{_DE_MONTHS}\s+\d{{4}}\b"), "day", _named),
        (re.compile(r"(?<![\d.])(?P<d>\d{1,2})\.(?P<m>\d{1,2})\.(?P<y>\d{4})(?!\d)"), "day", _numeric("dmy", "day")),
        (re.compile(rf"\b{_DE_MONTHS}\s+\d{{4}}\b"), "month", _named),
        (re.compile(rf"\b\d{{1,2}}\.\s*{_DE_MONTHS}(?!\s*\d)"), "day", _named),
        (re.compile(r"\b(?:im Jahr|seit|bis)\s+(?P<y>(?:19|20)\d{2})\b"), "year", _numeric("y", "year")),
    ],
    "vi": [
        (
            re.compile(
                r"(?i:ngày)\s+(?P<d>\d{1,2})\s*(?:tháng\s*|/|-)\s*(?P<m>\d{1,2})\s*(?:năm\s*|/|-)\s*(?P<y>\d{4})"
            ),
            "day",
            _numeric("dmy", "day"),
        ),
        (re.compile(r"(?<![\d/])(?P<d>\d{1,2})/(?P<m>\d{1,2})/(?P<y>\d{4})(?!\d)"), "day", _numeric("dmy", "day")),
        (re.compile(r"(?i:tháng)\s+(?P<m>\d{1,2})\s*(?:năm\s*|/)\s*(?P<y>\d{4})"), "month", _numeric("my", "month")),
        (
            re.compile(r"(?i:ngày)\s+(?P<d>\d{1,2})\s*(?:tháng\s*|/)\s*(?P<m>\d{1,2})(?!\s*(?:năm|/|-)\s*\d)(?!\d)"),
            "day",
            _numeric("dm", "day", year_from_base=True),
        ),
        (re.compile(r"(?i:năm)\s+(?P<y>(?:19|20)\d{2})(?!\d)"), "year", _numeric("y", "year")),
    ],
}


def find_dates(sentence: str, lang: str, published_at: datetime | None = None) -> list[Found]:
    """All dates in ``sentence``, in text order, overlaps resolved to the longest."""
    found: list[Found] = []
    for pattern, precision, build in _RULES.get(lang, []) + _ISO:
        for m in pattern.finditer(sentence):
            d = build(m, published_at, lang)
            if d is not None:
                found.append((m.start(), m.end(), d, precision))
    kept: list[Found] = []
    for f in sorted(found, key=lambda f: (-(f[1] - f[0]), f[0])):
        if all(f[1] <= k[0] or f[0] >= k[1] for k in kept):
            kept.append(f)
    return sorted(kept)


def first_date(sentence: str, lang: str, published_at: datetime | None = None) -> tuple[date, str] | None:
    """The first date in ``sentence`` with its precision, or None."""
    found = find_dates(sentence, lang, published_at)
    return (found[0][2], found[0][3]) if found else None
