"""Term lists for events, relevance and topics (``nlp/data/vocab.yaml``).

One place decides how a term matches in each language, so every stage
counts the same way: Chinese terms as substrings; German terms as
case-insensitive substrings (compounds such as ``Kooperationsabkommen``);
English and Vietnamese terms on word/syllable boundaries, case-insensitive.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from coopwatch.errors import ConfigError
from coopwatch.records import EVENT_TYPES

DATA_FILE = Path(__file__).parent / "data" / "vocab.yaml"


@dataclass(frozen=True)
class TermSet:
    """A compiled alternation of terms for one language."""

    pattern: re.Pattern[str] | None

    def find(self, text: str) -> list[re.Match[str]]:
        return list(self.pattern.finditer(text)) if self.pattern and text else []

    def count(self, text: str) -> int:
        return len(self.find(text))

    def distinct(self, text: str) -> set[str]:
        return {m.group(0).lower() for m in self.find(text)}


def compile_terms(terms: list[str], lang: str) -> TermSet:
    terms = sorted({str(t) for t in terms if str(t).strip()}, key=lambda t: (-len(t), t))
    if not terms:
        return TermSet(None)
    alts = "|".join(re.escape(t) for t in terms)
    if lang in ("zh", "de"):
        return TermSet(re.compile(f"(?:{alts})", re.IGNORECASE))
    return TermSet(re.compile(rf"(?<!\w)(?:{alts})(?!\w)", re.IGNORECASE))


@dataclass(frozen=True)
class Vocab:
    triggers: dict[str, dict[str, TermSet]]  # lang → type → terms (priority order)
    health: dict[str, TermSet]
    coop: dict[str, TermSet]
    topics: dict[str, dict[str, TermSet]]  # topic → lang → terms
    event_topics: dict[str, str]


@lru_cache(maxsize=2)
def load_vocab(path: str | None = None) -> Vocab:
    file = Path(path) if path else DATA_FILE
    try:
        raw = yaml.safe_load(file.read_text(encoding="utf-8"))
        trig_raw = raw["event_triggers"]
    except (OSError, yaml.YAMLError, KeyError, TypeError) as exc:
        raise ConfigError(f"vocabulary {file} cannot be read ({exc}); restore it from git") from exc
    unknown = set(trig_raw) - set(EVENT_TYPES)
    if unknown:
        raise ConfigError(f"vocabulary {file}: unknown event types {sorted(unknown)}; use {EVENT_TYPES}")
    langs = ("zh", "en", "de", "vi")
    triggers = {lang: {t: compile_terms(v.get(lang) or [], lang) for t, v in trig_raw.items()} for lang in langs}
    health = {lang: compile_terms(raw["health_terms"].get(lang) or [], lang) for lang in langs}
    coop = {lang: compile_terms(raw["cooperation_terms"].get(lang) or [], lang) for lang in langs}
    topics = {
        topic: {lang: compile_terms((v or {}).get(lang) or [], lang) for lang in langs}
        for topic, v in (raw.get("topics") or {}).items()
    }
    return Vocab(triggers, health, coop, topics, dict(raw.get("event_topics") or {}))
