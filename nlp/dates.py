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
from datetime import date, datetime, timedelta

Found = tuple[int, int, date, str]  # start, end, date, precision

_EN_MONTHS = (
    r"(?i:January|February|March|April|May|June|July|August|September|October|November|December|"
    r"Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\.?"
)
_DE_MONTHS = (
    r"(?i:Januar|Jänner|Februar|März|Maerz|April|Mai|Juni|Juli|August|September|Oktober|November|"
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


_WEEKDAYS = {
    # en
    "monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4, "saturday": 5, "sunday": 6,
    # de
    "montag": 0, "dienstag": 1, "mittwoch": 2, "donnerstag": 3, "freitag": 4, "samstag": 5, "sonnabend": 5, "sonntag": 6,
    # zh (周一 … 周日/天)
    "一": 0, "二": 1, "三": 2, "四": 3, "五": 4, "六": 5, "日": 6, "天": 6,
    # vi (thứ Hai … Chủ nhật)
    "hai": 0, "ba": 1, "tư": 2, "năm": 3, "sáu": 4, "bảy": 5, "chủ nhật": 6,
}
_DAYS_BACK = {
    "yesterday": 1, "gestern": 1, "vorgestern": 2, "昨天": 1, "昨日": 1, "前天": 2, "hôm qua": 1,
    "today": 0, "heute": 0, "今天": 0, "今日": 0, "hôm nay": 0,
}


def _relative(m: re.Match[str], base: datetime | None, lang: str) -> date | None:
    """"yesterday", "on Friday", 昨天, 周五, thứ Sáu: the day counted back from the publication date
    (a weekday is its latest occurrence on or before that date)."""
    if base is None:
        return None
    groups = m.groupdict()
    word = (groups.get("wd") or groups.get("sun") or m.group(0)).strip().lower()
    if word in _DAYS_BACK:
        return base.date() - timedelta(days=_DAYS_BACK[word])
    weekday = _WEEKDAYS.get(word)
    if weekday is None:
        return None
    return base.date() - timedelta(days=(base.weekday() - weekday) % 7)


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
        (re.compile(r"昨天|昨日|前天|今天|今日"), "day", _relative),
        (re.compile(r"(?:周|星期|礼拜)(?P<wd>[一二三四五六日天])"), "day", _relative),
    ],
    "en": [
        (re.compile(rf"\b\d{{1,2}}(?:st|nd|rd|th)?\s+{_EN_MONTHS},?\s+\d{{4}}\b"), "day", _named),
        (re.compile(rf"\b{_EN_MONTHS}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}\b"), "day", _named),
        (re.compile(rf"\b{_EN_MONTHS}\s+\d{{4}}\b"), "month", _named),
        (re.compile(rf"\b{_EN_MONTHS}\s+\d{{1,2}}(?:st|nd|rd|th)?\b(?!,?\s*\d)"), "day", _named),
        (re.compile(rf"\b\d{{1,2}}(?:st|nd|rd|th)?\s+{_EN_MONTHS}(?!,?\s*\d)"), "day", _named),
        (re.compile(r"\b(?:in|since|during|by)\s+(?P<y>(?:19|20)\d{2})\b"), "year", _numeric("y", "year")),
        (re.compile(r"(?i)\b(?:yesterday|today)\b"), "day", _relative),
        (re.compile(r"\b(?:on|last|this past)\s+(?P<wd>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b"), "day", _relative),
    ],
    "de": [
        (re.compile(rf"\b\d{{1,2}}\.\s*{_DE_MONTHS}\s+\d{{4}}\b"), "day", _named),
        (re.compile(r"(?<![\d.])(?P<d>\d{1,2})\.(?P<m>\d{1,2})\.(?P<y>\d{4})(?!\d)"), "day", _numeric("dmy", "day")),
        (re.compile(rf"\b{_DE_MONTHS}\s+\d{{4}}\b"), "month", _named),
        (re.compile(rf"\b\d{{1,2}}\.\s*{_DE_MONTHS}(?!\s*\d)"), "day", _named),
        (re.compile(r"\b(?:im Jahr|seit|bis)\s+(?P<y>(?:19|20)\d{2})\b"), "year", _numeric("y", "year")),
        (re.compile(r"(?i)\b(?:(?:vor)?gestern|heute)\b"), "day", _relative),
        (re.compile(r"\b(?:am|vergangenen|letzten)\s+(?P<wd>Montag|Dienstag|Mittwoch|Donnerstag|Freitag|Samstag|Sonnabend|Sonntag)\b"), "day", _relative),
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
        (re.compile(r"(?i:hôm qua|hôm nay)"), "day", _relative),
        # capitalised weekday only: "thứ Năm" is Thursday, "thứ năm" is "the fifth"
        (re.compile(r"(?<!\w)(?:[Tt]hứ\s+(?P<wd>Hai|Ba|Tư|Năm|Sáu|Bảy)|(?P<sun>Chủ nhật))(?!\w)"), "day", _relative),
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
