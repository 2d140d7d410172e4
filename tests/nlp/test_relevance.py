from __future__ import annotations

from datetime import datetime

import pytest

from nlp.countries import detect_countries
from nlp.entities import extract_entities
from nlp.events import extract_events
from nlp.relevance import score


def _score(title: str, text: str, lang: str) -> tuple[float, list[str]]:
    ms = extract_entities(title, lang, "title") + extract_entities(text, lang, "text")
    evs = extract_events(text, lang, datetime(2023, 11, 20), [m for m in ms if m.field == "text"], detect_countries)
    return score(title, text, lang, ms, evs)


@pytest.mark.parametrize(
    ("title", "text", "lang"),
    [
        (
            "Bayern signs striker",
            (
                "Bayern Munich signed the striker on Monday after he passed a medical. "
                "The agreement runs until 2028 and both clubs praised the cooperation."
            ),
            "en",
        ),
        ("Gold prices rise", "Gold prices rose 2% on Tuesday as the dollar weakened in international markets.", "en"),
        ("国际金价上涨", "周二国际金价上涨2%，两国贸易合作协议提振市场。", "zh"),
        (
            "Bundesliga: Dortmund verpflichtet Stürmer",
            (
                "Der Verein unterzeichnete am Montag einen Vertrag; "
                "die Zusammenarbeit mit dem Partnerverein wird ausgebaut."
            ),
            "de",
        ),
        ("Giá vàng tăng mạnh", "Giá vàng trong nước hôm nay tăng mạnh, hai bên mua bán sôi động.", "vi"),
    ],
)
def test_unrelated_articles_score_low(title: str, text: str, lang: str) -> None:
    value, _ = _score(title, text, lang)
    assert value < 0.5


@pytest.mark.parametrize(
    ("title", "text", "lang"),
    [
        (
            "中越签署卫生合作备忘录",
            "国家卫健委与越南卫生部在南宁签署卫生合作备忘录，双方将加强传染病防控和医疗人员交流。",
            "zh",
        ),
        (
            "WHO and Lao Ministry of Health sign malaria agreement",
            (
                "The World Health Organization and the Ministry of Health of Lao PDR signed an agreement on malaria "
                "control and training for hospital doctors."
            ),
            "en",
        ),
        (
            "Charité und Bach-Mai-Krankenhaus kooperieren",
            "Die Charité und das Bach-Mai-Krankenhaus unterzeichneten ein Abkommen zur Ausbildung von Ärzten.",
            "de",
        ),
        (
            "Bộ Y tế Việt Nam và Bộ Y tế Lào hợp tác",
            "Bộ Y tế Việt Nam và Bộ Y tế Lào đã ký kết biên bản ghi nhớ hợp tác trong lĩnh vực y tế.",
            "vi",
        ),
    ],
)
def test_health_cooperation_scores_high(title: str, text: str, lang: str) -> None:
    value, reasons = _score(title, text, lang)
    assert value > 0.5
    assert any(r.startswith("health-terms:") and r != "health-terms:0" for r in reasons)


def test_reasons_and_bounds() -> None:
    value, reasons = _score("", "", "en")
    assert value == 0.0
    assert reasons[:3] == ["health-terms:0", "coop-terms:0", "orgs:0"]
    value, _ = _score("WHO WHO WHO", "health " * 200 + "cooperation " * 200, "en")
    assert 0.0 <= value <= 1.0


def test_a_government_is_no_health_evidence_but_malaria_is() -> None:
    # agriculture between provinces: governments and a people's committee take part, no health at all
    farm = _score(
        "Lễ ký kết biên bản ghi nhớ hợp tác nông nghiệp",
        "Chiều ngày 19/10/2018, UBND tỉnh Hậu Giang và Chính phủ Lào đã ký biên bản ghi nhớ hợp tác "
        "phát triển nông nghiệp công nghệ cao cho ngành rau quả, hai bên cam kết hỗ trợ lẫn nhau.",
        "vi",
    )
    assert farm[0] < 0.5, farm
    malaria = _score(
        "Khánh thành Trung tâm điều trị sốt rét",
        "Chiều 23/12, tỉnh Phú Thọ bàn giao Trung tâm Phòng, chống và điều trị sốt rét, quà tặng dành tặng "
        "tỉnh Luang Namtha của Lào, thể hiện tình hữu nghị và hợp tác giữa hai tỉnh.",
        "vi",
    )
    assert malaria[0] >= 0.5, malaria
