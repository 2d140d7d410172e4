"""NLP stage of coopwatch: Article → Analysis, offline, deterministic.

Stages, one module each, run by :class:`nlp.pipeline.Analyzer`:

- :mod:`nlp.langid` — zh/en/de/vi (or "und") with confidence;
- :mod:`nlp.sentences` — rule-based sentence splitting with offsets;
- :mod:`nlp.translate` — original → English with installed CTranslate2 /
  Argos models, or a status naming the missing model;
- :mod:`nlp.entities` — organizations: spaCy pipelines with the gazetteer
  (:mod:`nlp.gazetteer`) and suffix/prefix rules (:mod:`nlp.orgrules`);
- :mod:`nlp.countries` — ISO country codes from names, demonyms and pairs;
- :mod:`nlp.events` — dated cooperation events (:mod:`nlp.dates`);
- :mod:`nlp.relevance` — health-cooperation score with reasons.

Data files live in ``nlp/data/`` (gazetteer, countries and places, vocabulary).
"""

from __future__ import annotations
