from __future__ import annotations

import pytest

from nlp.countries import detect_countries, find_place


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        ("中国与越南在南宁举行卫生合作会议。", "zh", ["CN", "VN"]),
        ("中越两国卫生部门签署协议。", "zh", ["CN", "VN"]),
        ("中老边境地区开展联合疟疾防控。", "zh", ["CN", "LA"]),
        ("中德医疗合作不断深化，中以卫生合作也在推进，中柬友好医院开业。", "zh", ["CN", "DE", "IL", "KH"]),
        (
            "Die deutsch-chinesische Kooperation und die deutsch-vietnamesische Pflegeausbildung",
            "de",
            ["CN", "DE", "VN"],
        ),
        ("Hợp tác y tế Việt - Trung và Việt - Đức, Việt - Lào", "vi", ["CN", "DE", "LA", "VN"]),
        (
            "Germany and Viet Nam signed; Cambodian and Thai doctors joined, with the UK and the US.",
            "en",
            ["DE", "GB", "KH", "TH", "US", "VN"],
        ),
        ("Bộ Y tế Campuchia và Thái Lan, Myanmar", "vi", ["KH", "MM", "TH"]),
        ("印度尼西亚卫生部", "zh", ["ID"]),
    ],
)
def test_detects_countries(text: str, lang: str, expected: list[str]) -> None:
    assert detect_countries(text, lang) == expected


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("医疗中心的其中一项工作是集中培训。", "zh"),  # 中 inside ordinary words
        ("中医药服务中心", "zh"),
        ("Tell us about it; who knows.", "en"),  # 'us' is not the US
        ("Sở Y tế Lào Cai tổ chức tập huấn thẩm mỹ.", "vi"),  # Lào Cai is a Vietnamese province
    ],
)
def test_no_false_countries(text: str, lang: str) -> None:
    assert detect_countries(text, lang) == []


def test_output_is_sorted_and_unique() -> None:
    out = detect_countries("Vietnam, Vietnam and China, China.", "en")
    assert out == ["CN", "VN"]


def test_find_place() -> None:
    assert find_place("会议在南宁举行，随后代表团前往昆明。") == "Nanning"
    assert find_place("Hội nghị diễn ra tại Hà Nội.") == "Hanoi"
    assert find_place("Nothing here.") is None


def test_the_two_congos_and_jordan() -> None:
    from nlp.countries import detect_countries

    assert detect_countries("A medical team left for the Democratic Republic of Congo (DRC).", "en") == ["CD"]
    assert detect_countries("Ärzte reisen in die Demokratische Republik Kongo.", "de") == ["CD"]
    assert detect_countries("援助刚果（布）的医疗队", "zh") == ["CG"]
    assert detect_countries("WHO support for Jordan’s health sector", "en") == ["JO"]
    assert detect_countries("Michael Jordan played.", "en") == []


def test_a_country_named_once_in_passing_does_not_take_part(tmp_path) -> None:
    from nlp.pipeline import Analyzer
    from coopwatch.records import Article
    from coopwatch.settings import Settings

    text = (
        "On 5 March 2024 the Ministry of Health of Laos signed a memorandum on malaria control with Vietnam.\n"
        "The two ministries will train nurses in Vientiane.\n"
        "A similar programme ran years ago in Egypt, officials recalled."
    )
    art = Article.build(url="https://example.org/a", source="t", title="Laos and Vietnam sign malaria pact", text=text)
    an = Analyzer(Settings(data_dir=tmp_path)).analyze(art)
    assert {"LA", "VN"} <= set(an.countries)
    assert "EG" not in an.countries


def test_passing_mentions_keeps_lists_and_countries_beside_an_organization() -> None:
    from nlp.countries import passing_mentions

    text = "Doctors came from Nepal, Bhutan and Sri Lanka.\nThe clinic also works with groups in Kenya."
    assert passing_mentions("", text, "en", []) == {"KE"}
