"""The NLP stage: Article → Analysis.

``Analyzer(settings).analyze(article)`` runs, in order:

1. language id per paragraph, the page taking the language of most of its
   text (the source's ``lang_hint`` only breaks ties or rescues very short
   texts);
2. translation to English when a model is installed (otherwise the status
   says which model is missing); English paragraphs of a mixed page are
   kept as they are;
3. (Chinese in Traditional script is read in Simplified, :mod:`nlp.script`)
   organizations in title and text, and in the translations (fields
   ``title_en``/``text_en``, English rules + gazetteer);
4. countries (union over title and text);
5. events in text and title (an event type the text lacks is taken from the
   title), each evidence sentence translated when a model exists;
6. topics and the relevance score.

Everything is deterministic for a given input, settings and installed
models. Bump :data:`NLP_VERSION` on any behaviour change: the store keys
reprocessing on it.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from coopwatch.records import LANGS, Analysis, Article, EntityMention, Event
from nlp import countries, entities, events, langid, relevance, script, translate
from nlp.vocab import load_vocab

NLP_VERSION = "nlp-6"


def detect_topics(title: str, text: str, lang: str, mentions: list[EntityMention], evs: list[Event]) -> list[str]:
    """Keyword topics plus the topics implied by event types, sorted."""
    vocab = load_vocab()
    body = f"{title}\n{text}"
    found = {topic for topic, by_lang in vocab.topics.items() if (ts := by_lang.get(lang)) and ts.count(body)}
    found |= {vocab.event_topics[e.type] for e in evs if e.type in vocab.event_topics}
    if any(m.type == "ALLIANCE" and "hospital" in m.name.lower() for m in mentions):
        found.add("hospital_alliance")
    return sorted(found)


def _cut_from(m: EntityMention, originals: dict[str, str]) -> EntityMention:
    source = originals.get(m.field)
    return replace(m, surface=source[m.start : m.end]) if source is not None else m


def _original_sentence(sentence: str, text: str, source_text: str, title: str, source_title: str) -> str:
    """The original-script form of an evidence sentence found in the converted text or title."""
    for converted, source in ((text, source_text), (title, source_title)):
        at = converted.find(sentence)
        if at >= 0:
            return source[at : at + len(sentence)]
    return sentence


class Analyzer:
    """Runs every NLP step for articles; build once, reuse (pipelines are cached)."""

    def __init__(self, settings: Any) -> None:
        self.settings = settings

    def analyze(self, article: Article) -> Analysis:
        title, text = article.title or "", article.text or ""
        lang, conf, paragraphs = langid.detect_document(title, text, hint=article.lang_hint)
        work_lang = lang if lang in LANGS else (article.lang_hint if article.lang_hint in LANGS else "en")
        keep = [(s, e) for s, e, plang, _ in paragraphs if plang == "en"] if lang != "en" else []

        title_en, text_en, status = translate.translate(title, text, lang, self.settings, keep_spans=keep)

        # Traditional Chinese is read in Simplified (same offsets); what is shown is cut from the original
        source_title, source_text = title, text
        if work_lang == "zh":
            title = script.simplified_same_length(title) or title
            text = script.simplified_same_length(text) or text

        mentions = entities.extract_entities(title, work_lang, "title", self.settings)
        mentions += entities.extract_entities(text, work_lang, "text", self.settings)
        if title_en:
            mentions += entities.extract_entities(title_en, "en", "title_en", self.settings)
        if text_en:
            mentions += entities.extract_entities(text_en, "en", "text_en", self.settings)

        mentions = entities.merge_short_forms(mentions, {"title": title, "text": text})
        text_mentions = [m for m in mentions if m.field == "text"]
        title_mentions = [m for m in mentions if m.field == "title"]
        evs = events.extract_events(
            text, work_lang, article.published_at, text_mentions, countries.detect_countries, article.fetched_at
        )
        if not evs:  # the title summarises the story; it adds an event only when the text states none
            evs = events.extract_events(
                title, work_lang, article.published_at, title_mentions, countries.detect_countries, article.fetched_at
            )[:1]

        original = [m for m in mentions if m.field in ("title", "text")]
        rel, reasons = relevance.score(title, text, work_lang, original, evs)
        relevant = rel >= getattr(self.settings, "relevance_threshold", 0.5)
        if not relevant:
            # outside health cooperation a trigger word ("agreed a fee") is no cooperation event,
            # unless an organization takes part in it
            evs = [e for e in evs if e.participants]
        found_countries = countries.article_countries(title, text, work_lang, original, relevant, evs)
        if text is not source_text or title is not source_title:
            mentions = [_cut_from(m, {"title": source_title, "text": source_text}) for m in mentions]
            evs = [
                replace(e, evidence=_original_sentence(e.evidence, text, source_text, title, source_title)) for e in evs
            ]
        if status == "done":
            evs = [replace(e, evidence_en=translate.translate_sentence(e.evidence, lang, self.settings)) for e in evs]
        return Analysis(
            article_id=article.id,
            lang=lang,
            lang_confidence=conf,
            title_en=title_en,
            text_en=text_en,
            translation=status,
            entities=mentions,
            events=evs,
            countries=found_countries,
            topics=detect_topics(title, text, work_lang, original, evs),
            relevance=rel,
            relevance_reasons=reasons,
            nlp_version=NLP_VERSION,
        )

    def analyze_many(self, articles: list[Article]) -> list[Analysis]:
        """Analyses in input order (one failure raises; callers record it per article)."""
        return [self.analyze(a) for a in articles]
