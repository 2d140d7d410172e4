"""Relevance: is this article about health cooperation? Score in [0, 1].

Evidence, each capped so one repeated word cannot carry an article:
health vocabulary, cooperation vocabulary (both per language, from
``nlp/data/vocab.yaml``), known organizations from the gazetteer and
extracted events. Health is necessary: without health terms or a health
organization the score is damped well below 0.5 (a football transfer
"agreement" is cooperation of another kind); cooperation is necessary too
(a hospital's own news is health, not cooperation). Reasons name each
piece of evidence (``health-terms:3``) so a score can be explained.
"""

from __future__ import annotations

from coopwatch.records import EntityMention, Event
from nlp.vocab import load_vocab

HEALTH_ORG_TYPES = {"HOSPITAL", "GOV", "AGENCY"}  # curated gazetteer GOV/AGENCY entries are health bodies


def _health_org(m: EntityMention, health_ts: object) -> bool:
    """A hospital, a curated health body, or a name with a health word (Sở Y tế, 卫健委); not any
    government: a provincial people's committee or a generated "Government of X" is no health evidence."""
    if m.type == "HOSPITAL":
        return True
    if m.matcher == "gazetteer" and m.type in HEALTH_ORG_TYPES and not m.entity_id.startswith("org:gov-"):
        return True
    return bool(health_ts is not None and health_ts.count(m.surface))  # type: ignore[attr-defined]


def score(
    title: str, text: str, lang: str, mentions: list[EntityMention], events: list[Event]
) -> tuple[float, list[str]]:
    """``(score, reasons)`` for an article; score >= 0.5 means relevant."""
    vocab = load_vocab()
    body = f"{title}\n{title}\n{text}"  # the title counts twice: it states the subject
    health_ts = vocab.health.get(lang)
    coop_ts = vocab.coop.get(lang)
    health = min(health_ts.count(body), 8) if health_ts else 0
    coop = min(coop_ts.count(body), 6) if coop_ts else 0
    gaz_ids = {m.entity_id for m in mentions if m.matcher == "gazetteer"}
    auto_ids = {m.entity_id for m in mentions if m.matcher != "gazetteer"}
    health_orgs = {m.entity_id for m in mentions if _health_org(m, health_ts)}
    n_events = len(events)
    raw = (
        0.07 * health
        + 0.08 * coop
        + 0.10 * min(len(gaz_ids), 4)
        + 0.04 * min(len(auto_ids), 3)
        + 0.08 * min(n_events, 3)
    )
    if health == 0 and not health_orgs:
        raw *= 0.3
    elif health <= 1 and not health_orgs:
        raw *= 0.6
    if coop == 0 and n_events == 0 and len(gaz_ids) < 2:
        raw *= 0.5
    value = round(min(1.0, raw), 3)
    reasons = [f"health-terms:{health}", f"coop-terms:{coop}", f"orgs:{len(gaz_ids)}"]
    if auto_ids:
        reasons.append(f"rule-orgs:{len(auto_ids)}")
    reasons.append(f"events:{n_events}")
    return value, reasons
