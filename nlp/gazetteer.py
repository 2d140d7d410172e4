"""The multilingual organization gazetteer (``nlp/data/gazetteer.yaml``).

Each entry has a canonical id (``org:who``), an English name, a type
(IGO | GOV | HOSPITAL | ALLIANCE | NGO | AGENCY), a country and aliases per
language. The loader validates the file and refuses an alias that points at
two organizations, because a match could then not be attributed.
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


@lru_cache(maxsize=4)
def load_gazetteer(path: str | None = None) -> Gazetteer:
    """Load and validate the gazetteer (cached; pass a path for another file)."""
    file = Path(path) if path else DATA_FILE
    try:
        raw = yaml.safe_load(file.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise ConfigError(f"gazetteer {file} cannot be read ({exc}); fix the YAML or restore it from git") from exc
    return _parse(raw, file)
