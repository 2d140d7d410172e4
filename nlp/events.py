"""Cooperation events: one per sentence at most, from trigger words.

For each sentence (split by :mod:`nlp.sentences`) we look for trigger
words of every event type (``nlp/data/vocab.yaml``); when several types
fire, the type listed first there wins (agreement_signing before visit
before conference_meeting …). The event gets:

- the first date in the sentence with its precision (:mod:`nlp.dates`);
  without one, the *narrative date* — the date of the closest dated event
  before it in the text (news elaborates its lead event in later
  sentences) or else the publication date (precision "day"); without
  either, ``None`` with precision "none";
- participants: entity ids of the mentions lying inside the sentence;
- countries: from the sentence (``countries_fn``) plus the home countries
  of gazetteer participants (国家卫健委 → CN);
- location: the first known city/province named in the sentence outside
  organization names (广西卫健委 is not a location).

An undated sentence that speaks of the future (将, will, sollen, sẽ …)
states a plan, not an event, and is skipped; a dated one is kept (a
scheduled conference is an event with its date). An event with the same
type and date as an earlier one is the same event told again: its
participants and countries are merged into the first; so is a visit,
meeting, mission or course dated one or two days after one of its type
(the second day of a three-day visit). A side remark of a
weak type (training, launch, other) that has neither its own date nor an
organization adds no event to a story that already has one, and once a
story has a dated event its undated retellings are dropped. A sentence dated
only by the publication date (often the headline repeated in the text) gives
way to an event of the same type the text dates itself within the month before. A training,
launch or other sentence without a date of its own, dated like an earlier signing, visit,
meeting, mission or donation and naming no organization that event lacks, is part of it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime, timedelta

from coopwatch.records import EntityMention, Event
from nlp.countries import find_place
from nlp.dates import background_only, first_date, guess_year
from nlp.gazetteer import load_gazetteer
from nlp.sentences import split_sentences
from nlp.vocab import load_vocab

CountriesFn = Callable[[str, str], list[str]]
MAX_EVIDENCE = 600  # characters kept from a run-on "sentence"

_FUTURE = {
    "zh": re.compile(r"将|计划|拟|有望|预计"),
    "en": re.compile(r"(?i)\b(?:will|would|plans? to|is to|are to|intends? to|expected to)\b"),
    "de": re.compile(r"(?i)\b(?:werden|wird|sollen|soll|plant|planen|künftig)\b"),
    "vi": re.compile(r"(?i)(?<!\w)(?:sẽ|dự kiến|kế hoạch|dự định)(?!\w)"),
}


_RETELLING_WINDOW = timedelta(days=31)
_HAS_DIGIT = re.compile(r"\d|yesterday|today|gestern|heute|昨天|今天|hôm qua|hôm nay", re.IGNORECASE)
_WEAK_TYPES = {"training_exchange", "launch", "other"}


def find_trigger(sentence: str, lang: str) -> tuple[str, str] | None:
    """``(event_type, trigger)`` for the strongest trigger in ``sentence``."""
    for event_type, terms in load_vocab().triggers.get(lang, {}).items():
        hits = terms.find(sentence)
        if hits:
            return event_type, hits[0].group(0)
    return None


# a visit, forum, mission or course runs over days: its second day is the same event, not another one
MULTI_DAY = timedelta(days=2)
MULTI_DAY_TYPES = {"visit", "conference_meeting", "aid_mission", "training_exchange"}


def _same_event(e: Event, event_type: str, when: object, precision: str) -> bool:
    if (e.type, e.date, e.precision) == (event_type, when, precision):
        return True
    return (
        e.type == event_type
        and event_type in MULTI_DAY_TYPES
        and precision == "day" == e.precision
        and e.date is not None
        and when is not None
        and timedelta(0) < when - e.date <= MULTI_DAY  # the second day of a visit or forum
    )


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
    fetched_at: datetime | None = None,
) -> list[Event]:
    """Events in ``text``; ``mentions`` carry offsets into this same text. Without a publication
    date, a day and month without a year ("8/4", "March 14") take the year :func:`guess_year`
    infers from the text, else from ``fetched_at``."""
    events: list[Event] = []
    guessed = None if published_at is not None else guess_year(text, fetched_at)
    narrative = (published_at.date(), "day") if published_at is not None else None
    published = narrative
    by_publication: list[Event] = []  # dated only by the publication-date fallback
    borrowed: list[Event] = []  # dated by the story so far, not by their own sentence
    future = _FUTURE.get(lang)
    for start, end, sentence in split_sentences(text, lang):
        # a date without a year continues the year of the story told so far
        hint = None if guessed is None else (narrative[0].year if narrative is not None else guessed)
        hit = find_trigger(sentence, lang)
        if hit is None:
            if _HAS_DIGIT.search(sentence) and (lead := first_date(sentence, lang, published_at, hint)) is not None:
                narrative = lead  # "Ngày 23/9/2023, tại …": a dated lead sets the story's date for what follows
            continue
        dated = first_date(sentence, lang, published_at, hint)
        if dated is None and future is not None and future.search(sentence):
            continue  # a plan, not an event
        if dated is None and background_only(sentence, lang):
            continue  # "Since 1991, 72 doctors have trained in …": background, not an event of this story
        own = dated is not None
        if dated is not None:
            (when, precision), narrative = dated, dated
        elif narrative is not None:
            when, precision = narrative
        else:
            when, precision = None, "none"
        participants: list[str] = []
        for m in mentions:
            if m.start >= start and m.end <= end and m.entity_id not in participants:
                participants.append(m.entity_id)
        found_countries = set(countries_fn(sentence, lang)) | _participant_countries(participants)
        from_publication = not own and published is not None and narrative == published
        event_type, trigger = hit
        same = next((e for e in events if _same_event(e, event_type, when, precision)), None)
        if same is not None:
            same.participants += [p for p in participants if p not in same.participants]
            same.countries = sorted(set(same.countries) | found_countries)
            continue
        if not own and not participants and event_type in _WEAK_TYPES and events:
            continue  # a side remark ("training", "launch") with no date and no organization of its own
        events.append(
            Event(
                type=event_type,
                date=when,
                precision=precision,
                participants=list(participants),
                countries=sorted(found_countries),
                location=find_place(_mask_mentions(sentence, start, mentions)),
                evidence=sentence[:MAX_EVIDENCE],
                trigger=trigger,
            )
        )
        if from_publication:
            by_publication.append(events[-1])
        if not own:
            borrowed.append(events[-1])
    # a headline-like sentence dated only by the publication date retells an event the text dates
    # itself ("…签约仪式" then "12月6日，…签约仪式在里斯本举行"): it gives way to that dated event
    dated_types = {
        e.type
        for e in events
        if e.date is not None
        and not any(e is b for b in by_publication)
        and published is not None
        and timedelta(0) <= published[0] - e.date <= _RETELLING_WINDOW  # the same recent event, not one years ago
    }
    events = [e for e in events if not (any(e is b for b in by_publication) and e.type in dated_types)]
    if any(e.date is not None for e in events):
        events = [e for e in events if e.date is not None]  # an undated retelling of a dated story adds nothing
    return _without_asides(events, borrowed)


def _without_asides(events: list[Event], borrowed: list[Event]) -> list[Event]:
    """A training, launch or other event whose sentence gives no date of its own, dated like an
    earlier event of a stronger type and naming no organization that event lacks, is part of
    that event ("… signed. Both sides will also train nurses"), not a second event."""
    out: list[Event] = []
    for e in events:
        if e.type in _WEAK_TYPES and any(e is b for b in borrowed) and any(
            f.type not in _WEAK_TYPES
            and (f.date, f.precision) == (e.date, e.precision)
            and set(e.participants) <= set(f.participants)
            for f in out
        ):
            continue
        out.append(e)
    return out
