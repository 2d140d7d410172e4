"""Cooperation events: one per sentence at most, from trigger words.

For each sentence (split by :mod:`nlp.sentences`) we look for trigger
words of every event type (``nlp/data/vocab.yaml``); when several types
fire, the type listed first there wins (agreement_signing before visit
before conference_meeting …). The event gets:

- the first date in the sentence with its precision (:mod:`nlp.dates`);
  without one, the publication date with precision "day"; without either,
  ``None`` with precision "none";
- participants: entity ids of the mentions lying inside the sentence;
- countries: from the sentence (``countries_fn``) plus the home countries
  of gazetteer participants (国家卫健委 → CN);
- location: the first known city/province named in the sentence outside
  organization names (广西卫健委 is not a location).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from coopwatch.records import EntityMention, Event
from nlp.countries import find_place
from nlp.dates import first_date
from nlp.gazetteer import load_gazetteer
from nlp.sentences import split_sentences
from nlp.vocab import load_vocab

CountriesFn = Callable[[str, str], list[str]]
MAX_EVIDENCE = 600  # characters kept from a run-on "sentence"


def find_trigger(sentence: str, lang: str) -> tuple[str, str] | None:
    """``(event_type, trigger)`` for the strongest trigger in ``sentence``."""
    for event_type, terms in load_vocab().triggers.get(lang, {}).items():
        hits = terms.find(sentence)
        if hits:
            return event_type, hits[0].group(0)
    return None


def _participant_countries(ids: list[str]) -> set[str]:
    gaz = load_gazetteer()
    return {org.country for i in ids if (org := gaz.get(i)) is not None and org.country}


def _mask_mentions(sentence: str, offset: int, mentions: list[EntityMention]) -> str:
    chars = list(sentence)
    for m in mentions:
        for i in range(max(m.start - offset, 0), min(m.end - offset, len(chars))):
            chars[i] = " "
    return "".join(chars)


def extract_events(
    text: str,
    lang: str,
    published_at: datetime | None,
    mentions: list[EntityMention],
    countries_fn: CountriesFn,
) -> list[Event]:
    """Events in ``text``; ``mentions`` carry offsets into this same text."""
    events: list[Event] = []
    for start, end, sentence in split_sentences(text, lang):
        hit = find_trigger(sentence, lang)
        if hit is None:
            continue
        event_type, trigger = hit
        dated = first_date(sentence, lang, published_at)
        if dated is not None:
            when, precision = dated
        elif published_at is not None:
            when, precision = published_at.date(), "day"
        else:
            when, precision = None, "none"
        participants: list[str] = []
        for m in mentions:
            if m.start >= start and m.end <= end and m.entity_id not in participants:
                participants.append(m.entity_id)
        events.append(
            Event(
                type=event_type,
                date=when,
                precision=precision,
                participants=participants,
                countries=sorted(set(countries_fn(sentence, lang)) | _participant_countries(participants)),
                location=find_place(_mask_mentions(sentence, start, mentions)),
                evidence=sentence[:MAX_EVIDENCE],
                trigger=trigger,
            )
        )
    return events
