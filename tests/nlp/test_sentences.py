from __future__ import annotations

from nlp.sentences import split_sentences


def _texts(text: str, lang: str) -> list[str]:
    return [s for _, _, s in split_sentences(text, lang)]


def test_offsets_point_into_source() -> None:
    text = "  国家卫健委与越南卫生部签署备忘录。双方表示将加强合作！  "
    for start, end, sent in split_sentences(text, "zh"):
        assert text[start:end] == sent
    assert _texts(text, "zh") == ["国家卫健委与越南卫生部签署备忘录。", "双方表示将加强合作！"]


def test_german_abbreviations_and_ordinal_dates_do_not_split() -> None:
    text = (
        "Dr. Müller kam am 30. Juli 2020 nach Berlin. Dort traf er z. B. Vertreter der Station Nr. 4. "
        "Die Ärzte flogen im Jahr 2023. Danach begann die Ausbildung."
    )
    assert _texts(text, "de") == [
        "Dr. Müller kam am 30. Juli 2020 nach Berlin.",
        "Dort traf er z. B. Vertreter der Station Nr. 4.",
        "Die Ärzte flogen im Jahr 2023.",
        "Danach begann die Ausbildung.",
    ]


def test_english_and_vietnamese_abbreviations() -> None:
    assert len(_texts("Mr. Smith visited the U.S. embassy. He left.", "en")) == 2
    assert _texts("Đoàn đến TP. Hồ Chí Minh ngày 7/9/2022. PGS. TS. Nguyễn Văn A phát biểu.", "vi") == [
        "Đoàn đến TP. Hồ Chí Minh ngày 7/9/2022.",
        "PGS. TS. Nguyễn Văn A phát biểu.",
    ]


def test_newlines_end_sentences() -> None:
    assert _texts("Headline without stop\nBody text here.", "en") == ["Headline without stop", "Body text here."]
