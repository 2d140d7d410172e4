from __future__ import annotations

import pytest

from nlp import langid
from nlp.langid import detect


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("国家卫生健康委员会与越南卫生部在南宁签署了卫生合作谅解备忘录。", "zh"),
        ("The World Health Organization and the Lao Ministry of Health signed a memorandum on malaria control.", "en"),
        (
            "Das Bundesministerium für Gesundheit unterzeichnete ein Abkommen über die Ausbildung von Pflegekräften.",
            "de",
        ),
        ("Bộ Y tế Việt Nam và Bộ Y tế Lào đã ký kết biên bản ghi nhớ về hợp tác trong lĩnh vực y tế.", "vi"),
        # Vietnamese without many stacked marks still has ơ/ư/đ
        ("Đoàn công tác của Sở Y tế Lạng Sơn đến thăm Quảng Tây", "vi"),
        # Chinese with embedded Latin abbreviations
        ("世卫组织(WHO)与东盟(ASEAN)举行视频会议，讨论疫苗合作。", "zh"),
    ],
)
def test_detects_our_languages(text: str, lang: str) -> None:
    got, conf = detect(text)
    assert got == lang
    assert 0.5 <= conf <= 1.0


def test_empty_and_short_text_is_undetermined() -> None:
    assert detect("") == ("und", 0.0)
    assert detect("  12 ") == ("und", 0.0)
    assert detect("ok") == ("und", 0.0)


def test_hint_rescues_short_text_but_does_not_override_script() -> None:
    assert detect("ok", hint="de")[0] == "de"
    assert detect("世界卫生组织宣布", hint="en")[0] == "zh"


def test_only_our_languages_are_returned() -> None:
    # French: langdetect would say "fr"; we restrict to zh/en/de/vi (or und)
    got, _ = detect("Le ministère de la Santé a signé un accord de coopération avec le Laos.")
    assert got in ("zh", "en", "de", "vi", "und")


def test_deterministic() -> None:
    text = "Kooperation im Gesundheitswesen zwischen Deutschland und Vietnam"
    assert len({detect(text) for _ in range(5)}) == 1


MIXED_TITLE = "中越签署卫生合作备忘录"
MIXED_TEXT = (
    "2023年11月6日，国家卫健委与越南卫生部在南宁签署卫生合作备忘录。\n"
    "The memorandum covers telemedicine and the training of doctors in both countries.\n"
    "双方将在远程医疗和中医药领域加强交流。"
)


def test_mixed_page_per_paragraph() -> None:
    lang, conf, paras = langid.detect_document(MIXED_TITLE, MIXED_TEXT)
    assert lang == "zh"
    assert [p[2] for p in paras] == ["zh", "en", "zh"]
    pure_lang, pure_conf, _ = langid.detect_document(MIXED_TITLE, MIXED_TEXT.replace(MIXED_TEXT.split("\n")[1], ""))
    assert pure_lang == "zh" and conf < pure_conf  # the English paragraph lowers the confidence


def test_short_paragraph_follows_the_page() -> None:
    text = "Das Bundesministerium für Gesundheit hat eine Vereinbarung mit Vietnam unterzeichnet.\nFoto: WHO\n"
    _, _, paras = langid.detect_document("", text)
    assert [p[2] for p in paras] == ["de", "de"]


def test_english_paragraphs_of_a_mixed_page_are_not_translated(tmp_path) -> None:
    from coopwatch.records import Article
    from coopwatch.settings import Settings
    from nlp import translate
    from nlp.pipeline import Analyzer

    class Tagger:
        def translate_sentences(self, sentences: list[str]) -> list[str]:
            return [f"<{len(s)}>" for s in sentences]

    folder = tmp_path / "models" / "tag"
    folder.mkdir(parents=True)
    translate.register_kind(
        "tag",
        translate.TranslatorKind(
            lambda p: [translate.ModelRef("tag", "zh", "en", folder, folder, folder)] if (p / "tag").is_dir() else [],
            lambda ref: Tagger(),
        ),
    )
    try:
        s = Settings(data_dir=tmp_path, models_dir=tmp_path / "models")
        an = Analyzer(s).analyze(Article.build(url="https://x.example/m", source="t", title=MIXED_TITLE, text=MIXED_TEXT))
        assert an.translation == "done"
        lines = (an.text_en or "").split("\n")
        assert lines[1] == MIXED_TEXT.split("\n")[1] and lines[0].startswith("<") and lines[2].startswith("<")
    finally:
        del translate.TRANSLATOR_KINDS["tag"]


def test_clear_english_and_german_are_settled_by_function_words_without_langdetect(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_langdetect(*_: object, **__: object) -> dict[str, float]:
        raise AssertionError("langdetect was asked")

    monkeypatch.setattr(langid, "_langdetect_probs", no_langdetect)
    assert detect("The delegation of the hospital signed an agreement with the ministry on training for nurses.") == ("en", 0.99)
    assert detect("Die Klinik hat mit dem Ministerium eine Vereinbarung über die Ausbildung von Pflegekräften unterzeichnet.") == (
        "de",
        0.99,
    )


def test_other_languages_and_mixed_lines_still_go_to_langdetect() -> None:
    assert langid._function_word_verdict("Dark Side of the Moon (180 gr) Registrazione originale rimasterizzata (Vinile)") is None
    assert langid._function_word_verdict("Le ministère de la Santé a signé un accord avec les hôpitaux de la région.") is None
    assert langid._function_word_verdict("the of and") is None  # too few words to settle anything


def test_function_word_verdicts_agree_with_langdetect_on_every_realgold_paragraph() -> None:
    """Where the shortcut decides, langdetect (what it replaces) says the same, on every
    paragraph of the real labelled pages (shared set when present, and ours)."""
    import re
    from pathlib import Path

    from nlp import realgold

    items = realgold.load_realgold(Path(__file__).parents[1] / "realgold", extra=True)
    shared = realgold.find_shared_realgold()
    if shared is not None:
        items += realgold.load_realgold(shared)
    decided = 0
    for item in items:
        for para in re.findall(r"[^\n]+", f"{item['page_title']}\n{item['page_text']}"):
            sample = para[: langid.SAMPLE_CHARS]
            fast = langid._function_word_verdict(sample)
            if fast is None or sum(c.isalpha() for c in para) < langid.MIN_PARAGRAPH_LETTERS:
                continue
            probs = langid._langdetect_probs(sample, langid.PARAGRAPH_TRIALS)
            assert max(probs, key=probs.get) == fast, para[:120]
            decided += 1
    assert decided >= 200
