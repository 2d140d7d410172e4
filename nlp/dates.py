"""Dates inside a sentence, with their precision (day | month | year).

Regex first, per language, so we never run dateparser's slow
``search_dates`` over whole texts: each candidate the regexes find is then
parsed on its own. Purely numeric forms (2023年11月6日, ngày 7 tháng 9 năm
2022, 2023-11-06, 30.07.2020) are built directly; forms with month names
(6 November 2023, 30. Juli 2020) go through ``dateparser.parse`` with the
article's publication date as ``RELATIVE_BASE``. A form without a year
(11月6日, November 6) takes the publication year; when the article has no
publication date it takes ``year_hint`` (the caller's best guess: the latest
year the text names, else the year the page was fetched), and is skipped
without one. Relative forms (yesterday, on Friday) need the publication date.
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


_AHEAD = timedelta(days=90)  # news names coming days ("on 14 September" in an August preview) …
_BEHIND = timedelta(days=275)  # … and the past year; a day and month without a year lie in that window


def _near(d: date | None, base: datetime) -> date | None:
    """``d`` (built in the publication year) moved to the year that puts it near the publication date."""
    if d is None:
        return None
    pub = base.date()
    for shift in (0, -1, 1):
        moved = _mk(d.year + shift, d.month, d.day)
        if moved is not None and pub - _BEHIND <= moved <= pub + _AHEAD:
            return moved
    return d


def _numeric(groups: str, precision: str, year_from_base: bool = False) -> Callable[..., date | None]:
    """Build a date from named numeric groups ``y``, ``m``, ``d``."""

    def build(m: re.Match[str], base: datetime | None, lang: str, year_hint: int | None = None) -> date | None:
        g = m.groupdict()
        if year_from_base:
            if base is None and year_hint is None:
                return None
            y = base.year if base is not None else int(year_hint or 0)
        else:
            y = int(g["y"])
        built = _mk(y, int(g.get("m") or 1), int(g.get("d") or 1))
        return _near(built, base) if year_from_base and base is not None else built

    return build


def _named(m: re.Match[str], base: datetime | None, lang: str, year_hint: int | None = None) -> date | None:
    import dateparser

    settings: dict[str, object] = {"PREFER_DAY_OF_MONTH": "first", "PREFER_DATES_FROM": "past"}
    text = m.group(0).strip()
    has_year = re.search(r"\d{4}", text) is not None
    published = base
    if base is None and year_hint is not None and not has_year:
        base = datetime(year_hint, 12, 31)  # "March 14" in a page of that year
    if base is not None:
        settings["RELATIVE_BASE"] = base.replace(tzinfo=None)
    if base is None and not has_year:
        return None
    parsed = dateparser.parse(text, languages=[lang], settings=settings)  # type: ignore[arg-type]
    if parsed is None:
        return None
    if published is not None and not has_year:
        return _near(_mk(published.year, parsed.month, parsed.day), published)
    return parsed.date()


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


def _relative(m: re.Match[str], base: datetime | None, lang: str, year_hint: int | None = None) -> date | None:
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
_YEAR = re.compile(r"(?<!\d)(?:19|20)\d{2}(?!\d)")


def guess_year(text: str, fetched_at: datetime | None) -> int | None:
    """The year a page without a publication date most likely speaks from: the latest year it
    names up to the year it was fetched, else the fetch year."""
    limit = fetched_at.year if fetched_at is not None else None
    years = [int(y) for y in _YEAR.findall(text) if limit is None or int(y) <= limit]
    if years:
        return max(years)
    return limit

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
        # news style: "departed Wednesday", "said Tuesday" (not "next Monday", "every Friday")
        (re.compile(r"(?<!next )(?<!every )(?<!coming )\b(?P<wd>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b"), "day", _relative),
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


def find_dates(
    sentence: str, lang: str, published_at: datetime | None = None, year_hint: int | None = None
) -> list[Found]:
    """All dates in ``sentence``, in text order, overlaps resolved to the longest."""
    found: list[Found] = []
    for pattern, precision, build in _RULES.get(lang, []) + _ISO:
        for m in pattern.finditer(sentence):
            d = build(m, published_at, lang, year_hint)
            if d is not None:
                found.append((m.start(), m.end(), d, precision))
    kept: list[Found] = []
    for f in sorted(found, key=lambda f: (-(f[1] - f[0]), f[0])):
        if all(f[1] <= k[0] or f[0] >= k[1] for k in kept):
            kept.append(f)
    return sorted(kept)


# "founded in 1903", "成立于2016年": the age of an institution, not the date of what the sentence reports
_FOUNDED = {
    "zh": re.compile(r"(?:成立|始建|创建|创办|建)于\s*$"),
    "en": re.compile(r"(?i)\b(?:founded|established)\s+(?:in\s+)?$"),
    "de": re.compile(r"(?i)\b(?:gegründet|errichtet)\s+(?:im\s+Jahr\s+)?$"),
    "vi": re.compile(r"(?i)(?<!\w)thành lập\s+(?:vào\s+)?(?:năm\s+)?$"),
}


def first_date(
    sentence: str, lang: str, published_at: datetime | None = None, year_hint: int | None = None
) -> tuple[date, str] | None:
    """The first date in ``sentence`` with its precision, or None; a founding year is skipped."""
    founded = _FOUNDED.get(lang)
    for start, _end, when, precision in find_dates(sentence, lang, published_at, year_hint):
        head = sentence[max(0, start - 24) : start]
        if precision == "year" and founded is not None and founded.search(head):
            continue
        return when, precision
    return None
