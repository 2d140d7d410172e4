"""The multilingual organization gazetteer (``nlp/data/gazetteer.yaml``).

Each entry has a canonical id (``org:who``), an English name, a type
(IGO | GOV | HOSPITAL | ALLIANCE | NGO | AGENCY), a country and aliases per
language. The loader validates the file and refuses an alias that points at
two organizations, because a match could then not be attributed.

Beside the curated file, every country's ministry of health and government
are generated from data (:func:`national_bodies`): the country's names and
demonyms in the four languages (``nlp/data/countries.yaml`` plus CLDR names
from ``babel``) put into each language's usual forms ("Ministry of Health of
Guinea", "Lao Ministry of Health", 老挝卫生部, Bộ Y tế Lào,
Gesundheitsministerium Kroatiens; "Chinese government", 中国政府, Chính phủ
Nhật Bản, Regierung Chinas). A generated alias never takes one the curated
file owns; a curated ministry (org:moh-vn, org:bmg-de …) receives its
country's generated forms.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from coopwatch.errors import ConfigError
from coopwatch.records import LANGS

DATA_FILE = Path(__file__).parent / "data" / "gazetteer.yaml"
ORG_TYPES = ("IGO", "GOV", "HOSPITAL", "ALLIANCE", "NGO", "AGENCY")


@dataclass(frozen=True)
class Organization:
    id: str
    name: str
    type: str
    country: str | None
    aliases: dict[str, tuple[str, ...]]  # lang → aliases

    def all_aliases(self) -> list[str]:
        seen: dict[str, None] = {}
        for lang in LANGS:
            for alias in self.aliases.get(lang, ()):
                seen.setdefault(alias, None)
        return list(seen)


@dataclass(frozen=True)
class Gazetteer:
    orgs: dict[str, Organization]

    def get(self, org_id: str) -> Organization | None:
        return self.orgs.get(org_id)

    def alias_table(self) -> list[tuple[str, str]]:
        """Every (alias, org id) pair, longest alias first (deterministic)."""
        pairs = [(alias, org.id) for org in self.orgs.values() for alias in org.all_aliases()]
        return sorted(set(pairs), key=lambda p: (-len(p[0]), p[0], p[1]))


def alias_key(alias: str) -> str:
    """Case- and width-insensitive key used to detect clashing aliases."""
    return unicodedata.normalize("NFKC", alias).casefold().strip()


def is_case_sensitive(alias: str) -> bool:
    """Aliases without lower-case letters (WHO, BMG, BYT) match exactly."""
    return any(c.isalpha() and c.isascii() for c in alias) and not any(c.islower() for c in alias)


def _parse(raw: object, file: Path) -> Gazetteer:
    if not isinstance(raw, dict) or not isinstance(raw.get("organizations"), list):
        raise ConfigError(f"gazetteer {file} must hold a list under 'organizations'")
    orgs: dict[str, Organization] = {}
    owner: dict[str, str] = {}
    for i, item in enumerate(raw["organizations"]):
        where = f"gazetteer {file}, entry {i + 1}"
        if not isinstance(item, dict) or not str(item.get("id", "")).startswith("org:"):
            raise ConfigError(f"{where}: needs an id starting with 'org:'")
        org_id = str(item["id"])
        if org_id in orgs:
            raise ConfigError(f"{where}: id {org_id} is used twice; ids must be unique")
        typ = str(item.get("type", ""))
        if typ not in ORG_TYPES:
            raise ConfigError(f"{where} ({org_id}): type {typ!r} is not one of {', '.join(ORG_TYPES)}")
        raw_aliases = item.get("aliases") or {}
        aliases: dict[str, tuple[str, ...]] = {}
        for lang, values in raw_aliases.items():
            if lang not in LANGS:
                raise ConfigError(f"{where} ({org_id}): alias language {lang!r} is not one of {', '.join(LANGS)}")
            aliases[lang] = tuple(str(v).strip() for v in values or [] if str(v).strip())
        name = str(item.get("name") or "").strip()
        if not name:
            raise ConfigError(f"{where} ({org_id}): needs an English name")
        country = item.get("country")
        org = Organization(org_id, name, typ, str(country) if country else None, aliases)
        for alias in org.all_aliases():
            key = alias_key(alias)
            if owner.setdefault(key, org_id) != org_id:
                raise ConfigError(
                    f"{where}: alias {alias!r} of {org_id} already belongs to {owner[key]}; remove it from one of them"
                )
        orgs[org_id] = org
    return Gazetteer(orgs)


# curated entries that are a country's ministry of health under another id
_CURATED_MOH = {"CN": "org:nhc-cn", "DE": "org:bmg-de", "TH": "org:moph-th", "MM": "org:mohs-mm"}
_TEMPLATES = {
    "moh": {
        "en": ["Ministry of Health of {n}", "Ministry of Public Health of {n}", "{n} Ministry of Health",
               "{n}'s Ministry of Health", "{n} Health Ministry", "Health Ministry of {n}"],
        "zh": ["{n}卫生部", "{n}公共卫生部", "{n}卫生和公共卫生部"],
        "de": ["Gesundheitsministerium von {n}", "Gesundheitsministerium {n}"],
        "vi": ["Bộ Y tế {n}", "Bộ Y tế nước {n}"],
    },
    "gov": {
        "en": ["Government of {n}", "{n} Government", "{n}'s government"],
        # no "{n}政府": Chinese news writes 中国政府 in passing far more often than as a party
        "de": ["Regierung von {n}", "Regierung {n}"],
        "vi": ["Chính phủ {n}", "Chính phủ nước {n}"],
    },
}


def _usable_name(name: str, lang: str) -> bool:
    """A country name that reads as a name in a template: no stems (chines*), no 中方/我国/phía …"""
    if "*" in name or not name.strip():
        return False
    if lang == "zh":
        return not name.endswith("方") and name not in {"我国"}
    if lang == "de":
        return name[0].isupper()
    return not name.startswith("phía ")


def national_bodies(taken: set[str]) -> list[Organization]:
    """Each country's ministry of health and government, generated from its names (aliases in ``taken`` skipped)."""
    from nlp.countries import country_names

    names = {lang: country_names(lang) for lang in LANGS}
    english = names["en"]
    out: list[Organization] = []
    for iso in sorted(english):
        label = english[iso][0] if english[iso] else iso
        for kind, typ, title in (("moh", "GOV", "Ministry of Health of {n}"), ("gov", "GOV", "Government of {n}")):
            aliases: dict[str, tuple[str, ...]] = {}
            for lang in LANGS:
                forms: list[str] = []
                for n in names[lang].get(iso, []):
                    if not _usable_name(n, lang):
                        continue
                    for t in _TEMPLATES[kind].get(lang, []):
                        alias = t.format(n=n)
                        if "nước nước" in alias:
                            continue
                        key = alias_key(alias)
                        if key not in taken and alias not in forms:
                            forms.append(alias)
                            taken.add(key)
                if forms:
                    aliases[lang] = tuple(forms)
            if aliases:
                out.append(Organization(f"org:{kind}-{iso.lower()}", title.format(n=label), typ, iso, aliases))
    return out


def _with_national_bodies(gaz: Gazetteer) -> Gazetteer:
    orgs = dict(gaz.orgs)
    taken = {alias_key(a) for org in orgs.values() for a in org.all_aliases()}
    for org in national_bodies(taken):
        curated_id = _CURATED_MOH.get(org.country or "", org.id) if org.id.startswith("org:moh-") else org.id
        if curated_id in orgs:  # the curated entry keeps its id and name, and takes the generated forms
            cur = orgs[curated_id]
            merged = {lang: cur.aliases.get(lang, ()) + org.aliases.get(lang, ()) for lang in LANGS}
            orgs[curated_id] = Organization(cur.id, cur.name, cur.type, cur.country, merged)
        else:
            orgs[org.id] = org
    return Gazetteer(orgs)


@lru_cache(maxsize=4)
def load_gazetteer(path: str | None = None, generated: bool = True) -> Gazetteer:
    """Load and validate the gazetteer (cached; pass a path for another file), with every country's
    generated ministry of health and government unless ``generated`` is False."""
    file = Path(path) if path else DATA_FILE
    try:
        raw = yaml.safe_load(file.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise ConfigError(f"gazetteer {file} cannot be read ({exc}); fix the YAML or restore it from git") from exc
    gaz = _parse(raw, file)
    return _with_national_bodies(gaz) if generated else gaz
