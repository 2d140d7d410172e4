from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path

from coopwatch.records import Article, to_jsonable
from nlp import translate
from nlp.pipeline import NLP_VERSION, Analyzer


def _article(title: str, text: str, **kw) -> Article:
    return Article.build(url=f"https://news.example/{abs(hash(title))}", source="test", title=title, text=text, **kw)


ZH = _article(
    "中越签署卫生合作备忘录",
    "2023年11月6日，国家卫健委与越南卫生部在南宁签署卫生合作备忘录。双方将在远程医疗和中医药领域加强交流。",
    published_at=datetime(2023, 11, 7),
)


def test_analyze_zh_without_models(analyzer: Analyzer) -> None:
    an = analyzer.analyze(ZH)
    assert an.article_id == ZH.id
    assert (an.lang, an.nlp_version) == ("zh", NLP_VERSION)
    assert an.translation == "missing-model:zh-en"
    assert an.title_en is None and an.text_en is None
    assert an.countries == ["CN", "VN"]
    assert {"org:nhc-cn", "org:moh-vn"} <= {m.entity_id for m in an.entities}
    assert {m.field for m in an.entities} == {"text"}
    ev = an.events[0]
    assert (ev.type, ev.date, ev.precision, ev.evidence_en) == ("agreement_signing", date(2023, 11, 6), "day", None)
    assert {"agreement", "telemedicine", "traditional_medicine"} <= set(an.topics)
    assert an.relevant


def test_english_is_same_language_and_title_entities(analyzer: Analyzer) -> None:
    an = analyzer.analyze(_article("WHO praises Bach Mai Hospital", "The hospital trained 200 nurses.", lang_hint="vi"))
    assert (an.lang, an.translation) == ("en", "same-language")
    assert [(m.entity_id, m.field) for m in an.entities] == [("org:who", "title"), ("org:bach-mai", "title")]


def test_deterministic_and_jsonable(analyzer: Analyzer) -> None:
    a = json.dumps(to_jsonable(analyzer.analyze(ZH)), ensure_ascii=False, sort_keys=True)
    b = json.dumps(to_jsonable(analyzer.analyze_many([ZH])[0]), ensure_ascii=False, sort_keys=True)
    assert a == b


def test_empty_article_is_undetermined(analyzer: Analyzer) -> None:
    an = analyzer.analyze(_article("", ""))
    assert an.lang == "und" and an.lang_confidence == 0.0
    assert an.translation.startswith("failed:")
    assert an.entities == [] and an.events == [] and an.relevance == 0.0


class _UpperTranslator:
    """Stands in for a model: 'translates' by tagging each sentence."""

    def translate_sentences(self, sentences: list[str]) -> list[str]:
        return [f"[en] WHO met Ministry of Health of Viet Nam ({len(s)})" for s in sentences]


def test_pluggable_translator_kind_fills_translations(settings, tmp_path: Path) -> None:
    from dataclasses import replace

    models = tmp_path / "models"
    (models / "fake").mkdir(parents=True)

    def discover(path: Path) -> list[translate.ModelRef]:
        folder = path / "fake"
        return [translate.ModelRef("fake", "vi", "en", folder, folder, folder)] if folder.is_dir() else []

    translate.register_kind("fake", translate.TranslatorKind(discover, lambda ref: _UpperTranslator()))
    try:
        s = replace(settings, models_dir=models)
        art = _article(
            "Bộ Y tế Việt Nam ký kết hợp tác với WHO",
            "Ngày 7 tháng 9 năm 2022, Bộ Y tế Việt Nam và WHO đã ký kết thỏa thuận hợp tác y tế.",
        )
        an = Analyzer(s).analyze(art)
        assert an.translation == "done"
        assert an.text_en and an.text_en.startswith("[en] WHO met")
        assert {"title_en", "text_en"} <= {m.field for m in an.entities}
        assert an.events[0].evidence_en and an.events[0].evidence_en.startswith("[en]")
    finally:
        del translate.TRANSLATOR_KINDS["fake"]


def test_translate_statuses(settings) -> None:
    assert translate.translate("t", "x", "en", settings) == (None, None, "same-language")
    assert translate.translate("标题", "正文。", "zh", settings) == (None, None, "missing-model:zh-en")
    assert translate.translate("Titel", "Text.", "de", settings)[2] == "missing-model:de-en"


def test_broken_model_dir_is_reported_not_raised(settings, tmp_path: Path) -> None:
    from dataclasses import replace

    bad = tmp_path / "m" / "ct2" / "de-en"
    bad.mkdir(parents=True)
    (bad / "model.bin").write_bytes(b"not a model")
    (bad / "sentencepiece.model").write_bytes(b"not a model")
    _, _, status = translate.translate("Titel", "Ein Satz.", "de", replace(settings, models_dir=tmp_path / "m"))
    assert status.startswith("failed:")


def test_install_argos_package_and_installed_pairs(settings, tmp_path: Path) -> None:
    import zipfile
    from dataclasses import replace

    import pytest

    from coopwatch.errors import InputError

    s = replace(settings, models_dir=tmp_path / "models")
    assert translate.installed_pairs(s) == set()
    pkg = tmp_path / "translate-vi_en.argosmodel"
    with zipfile.ZipFile(pkg, "w") as zf:
        zf.writestr("translate-vi_en/metadata.json", json.dumps({"from_code": "vi", "to_code": "en"}))
        zf.writestr("translate-vi_en/model/model.bin", b"x")
        zf.writestr("translate-vi_en/sentencepiece.model", b"x")
    ref = translate.install_argos_package(pkg, s)
    assert (ref.kind, ref.src, ref.tgt) == ("argos", "vi", "en")
    assert translate.installed_pairs(s) == {"vi-en"}
    bad = tmp_path / "bad.argosmodel"
    bad.write_bytes(b"not a zip")
    with pytest.raises(InputError, match="cannot install"):
        translate.install_argos_package(bad, s)
