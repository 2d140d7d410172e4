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
from functools import lru_cache

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


@lru_cache(maxsize=4)
def _month_names(lang: str) -> dict[str, int]:
    """Month names (wide and abbreviated, lower case) → number, from CLDR via ``babel``."""
    from babel import Locale

    months = Locale(lang).months
    table: dict[str, int] = {}
    for width in ("wide", "abbreviated"):
        for number, name in months["format"][width].items():
            table[name.lower().rstrip(".")] = number
    if lang == "en":
        table["sept"] = 9
    if lang == "de":
        table.update({"jänner": 1, "maerz": 3, "mär": 3, "sept": 9})
    return table


def month_number(name: str, lang: str) -> int | None:
    return _month_names(lang).get(name.lower().rstrip(".").strip())


def _first_of_range(m: re.Match[str], base: datetime | None, lang: str, year_hint: int | None = None) -> date | None:
    """ "14. bis 15. Oktober 2022", "October 14-15, 2022": the first day of the range."""
    month = month_number(m.group("mon"), lang)
    return _mk(int(m.group("y")), month, int(m.group("d"))) if month else None


def _month_only(m: re.Match[str], base: datetime | None, lang: str, year_hint: int | None = None) -> date | None:
    """ "im Juli", "in July", "tháng 7", "7月": that month near the publication date (or of ``year_hint``)."""
    raw = m.group("mon")
    month = int(raw) if raw.isdigit() else month_number(raw, lang)
    if not month:
        return None
    if base is not None:
        return _near(_mk(base.year, month), base) if 1 <= month <= 12 else None
    return _mk(year_hint, month) if year_hint is not None and 1 <= month <= 12 else None


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
# before a year that starts a span or dates a founding (any language): no clue to the story's own year
_SINCE_BEFORE = re.compile(
    r"(?i)(?:\bsince|\bseit|(?<!\w)từ|自从?|从|\bfounded in|\bestablished in|thành lập|成立于|建于)\s*(?:những\s+)?(?:năm\s+)?$"
)


def guess_year(text: str, fetched_at: datetime | None) -> int | None:
    """The year a page without a publication date most likely speaks from: the latest year it
    names up to the year it was fetched (not a "since 2005" or a founding year), else the fetch year."""
    limit = fetched_at.year if fetched_at is not None else None
    years = [
        int(m.group(0))
        for m in _YEAR.finditer(text)
        if (limit is None or int(m.group(0)) <= limit) and not _SINCE_BEFORE.search(text[max(0, m.start() - 24) : m.start()])
    ]
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
        (re.compile(r"(?<!\d)(?<!\d年)(?P<mon>\d{1,2})\s*月(?!\s*\d)(?!份?\s*\d)"), "month", _month_only),
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
        (
            re.compile(
                rf"\b(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\s*(?:-|–|to|and)\s*\d{{1,2}}(?:st|nd|rd|th)?\s+(?P<mon>{_EN_MONTHS}),?\s+(?P<y>\d{{4}})\b"
            ),
            "day",
            _first_of_range,
        ),
        (
            re.compile(
                rf"\b(?P<mon>{_EN_MONTHS})\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\s*(?:-|–|to|and)\s*\d{{1,2}}(?:st|nd|rd|th)?,?\s+(?P<y>\d{{4}})\b"
            ),
            "day",
            _first_of_range,
        ),
        (
            re.compile(r"\b(?:in|early|mid|late|since)[\s-]+(?P<mon>January|February|March|April|May|June|July|August|September|October|November|December)\b(?!\s*\d)"),
            "month",
            _month_only,
        ),
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
        (
            re.compile(rf"\b(?P<d>\d{{1,2}})\.\s*(?:bis|und|-|–)\s*\d{{1,2}}\.\s*(?P<mon>{_DE_MONTHS})\s+(?P<y>\d{{4}})\b"),
            "day",
            _first_of_range,
        ),
        (re.compile(rf"\b(?:im|Anfang|Mitte|Ende)\s+(?P<mon>{_DE_MONTHS})(?!\s*\d)"), "month", _month_only),
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
        (re.compile(r"(?<!\w)(?i:tháng)\s+(?P<mon>\d{1,2})(?!\s*(?:năm|/|-)\s*\d)(?![\d/])"), "month", _month_only),
        (
            re.compile(r"(?i:ngày)\s+(?P<d>\d{1,2})\s*(?:tháng\s*|/)\s*(?P<m>\d{1,2})(?!\s*(?:năm|/|-)\s*\d)(?!\d)"),
            "day",
            _numeric("dm", "day", year_from_base=True),
        ),
        # "Chiều 23/12", "sáng ngày 5/3": a time of day makes a bare d/m a date (a bare "1/3" may be a third)
        (
            re.compile(r"(?<!\w)(?i:sáng|chiều|tối|trưa|đêm)\s+(?:(?i:ngày)\s+)?(?P<d>\d{1,2})/(?P<m>\d{1,2})(?![\d/])"),
            "day",
            _numeric("dm", "day", year_from_base=True),
        ),
        # a range of days: "từ ngày 25 - 29/3(/2024)" starts on the 25th
        (
            re.compile(
                r"(?i:ngày)\s+(?P<d>\d{1,2})\s*[-–]\s*\d{1,2}\s*(?:tháng\s*|/)\s*(?P<m>\d{1,2})\s*(?:năm\s*|/)\s*(?P<y>\d{4})"
            ),
            "day",
            _numeric("dmy", "day"),
        ),
        (
            re.compile(r"(?i:ngày)\s+(?P<d>\d{1,2})\s*[-–]\s*\d{1,2}\s*(?:tháng\s*|/)\s*(?P<m>\d{1,2})(?![\d/])"),
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


# Years that tell the background, not the date of what the sentence reports: an institution's age
# ("founded in 1903", "成立于2016年", "thành lập năm 1903") and the start of a span up to now ("since 2005",
# "seit 2005", "自2005年以来", "Từ năm 1991 đến nay"). Matched on the text before the year plus the year's match.
_BACKGROUND = {
    "zh": re.compile(r"(?:(?:成立|始建|创建|创办|建)于|自从?|从)\s*(?:19|20)\d{2}\s*年$"),
    "en": re.compile(r"(?i)(?:\b(?:founded|established)\s+(?:in\s+)?|\bsince\s+)(?:19|20)\d{2}$"),
    "de": re.compile(r"(?i)(?:\b(?:gegründet|errichtet)\s+(?:im\s+Jahr\s+)?|\bseit\s+(?:dem\s+Jahr\s+)?)(?:19|20)\d{2}$"),
    "vi": re.compile(r"(?i)(?<!\w)(?:thành lập|từ|kể từ)\s+(?:vào\s+)?(?:những\s+)?năm\s+(?:19|20)\d{2}$"),
}


def _is_background(sentence: str, found: Found, lang: str) -> bool:
    start, end, _when, precision = found
    pattern = _BACKGROUND.get(lang)
    return precision == "year" and pattern is not None and pattern.search(sentence[max(0, start - 24) : end]) is not None


def first_date(
    sentence: str, lang: str, published_at: datetime | None = None, year_hint: int | None = None
) -> tuple[date, str] | None:
    """The first date in ``sentence`` with its precision, or None; background years are skipped."""
    for found in find_dates(sentence, lang, published_at, year_hint):
        if not _is_background(sentence, found, lang):
            return found[2], found[3]
    return None


def background_only(sentence: str, lang: str) -> bool:
    """True when every date in ``sentence`` is a background year (founding, "since …")."""
    found = find_dates(sentence, lang)
    return bool(found) and all(_is_background(sentence, f, lang) for f in found)
