from __future__ import annotations

import pytest

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
