from __future__ import annotations

from datetime import date, datetime

from nlp.countries import detect_countries
from nlp.entities import extract_entities
from nlp.events import extract_events

PUB = datetime(2023, 11, 20, 9, 30)


def _events(text: str, lang: str, published: datetime | None = PUB):
    return extract_events(text, lang, published, extract_entities(text, lang), detect_countries)


def test_zh_agreement_with_full_date_participants_location() -> None:
    (ev,) = _events("2023年11月6日，国家卫健委与越南卫生部在南宁签署卫生合作备忘录。", "zh")
    assert ev.type == "agreement_signing"
    assert (ev.date, ev.precision) == (date(2023, 11, 6), "day")
    assert ev.participants == ["org:nhc-cn", "org:moh-vn"]
    assert ev.countries == ["CN", "VN"]
    assert ev.location == "Nanning"
    assert ev.trigger == "签署"


def test_zh_month_day_takes_publication_year() -> None:
    (ev,) = _events("11月8日，广西卫健委医疗队抵达万象。", "zh")
    assert ev.type == "aid_mission"
    assert (ev.date, ev.precision, ev.location) == (date(2023, 11, 8), "day", "Vientiane")


def test_en_month_precision_and_strongest_trigger() -> None:
    # conference + signing in one sentence: one event, the signing
    evs = _events("At a forum in Kunming in November 2023, the WHO and ASEAN signed an MoU on malaria.", "en")
    assert len(evs) == 1
    assert evs[0].type == "agreement_signing"
    assert (evs[0].date, evs[0].precision) == (date(2023, 11, 1), "month")
    assert set(evs[0].participants) == {"org:who", "org:asean"}


def test_de_dates_and_triggers() -> None:
    evs = _events(
        "Am 30. Juli 2020 besuchte eine Delegation die Charité in Berlin. "
        "Im Juli 2021 startete ein Fortbildungsprogramm für Pflegekräfte.",
        "de",
    )
    assert [(e.type, e.date, e.precision) for e in evs] == [
        ("visit", date(2020, 7, 30), "day"),
        ("launch", date(2021, 7, 1), "month"),
    ]
    assert evs[0].participants == ["org:charite"]


def test_vi_dates() -> None:
    evs = _events(
        "Ngày 7 tháng 9 năm 2022, tại Hà Nội, Bộ Y tế Việt Nam và Bộ Y tế Lào đã ký kết biên bản ghi nhớ. "
        "Tháng 10 năm 2022, Bệnh viện Bạch Mai tổ chức tập huấn cho bác sĩ Lào.",
        "vi",
    )
    assert [(e.type, e.date, e.precision) for e in evs] == [
        ("agreement_signing", date(2022, 9, 7), "day"),
        ("training_exchange", date(2022, 10, 1), "month"),
    ]
    assert evs[0].location == "Hanoi"
    assert evs[0].countries == ["LA", "VN"]


def test_fallback_dates() -> None:
    (ev,) = _events("The hospitals signed an agreement.", "en")
    assert (ev.date, ev.precision) == (date(2023, 11, 20), "day")
    (ev,) = _events("The hospitals signed an agreement.", "en", published=None)
    assert (ev.date, ev.precision) == (None, "none")


def test_no_trigger_no_event() -> None:
    assert _events("Gold prices rose on Tuesday.", "en") == []
    assert _events("Sở Y tế tổ chức đăng ký khám sức khỏe.", "vi") == []  # đăng ký is registration, not signing


def test_an_undated_training_aside_of_a_signing_is_part_of_it_not_a_second_event() -> None:
    from datetime import datetime

    from nlp.countries import detect_countries
    from nlp.events import extract_events

    from nlp.entities import extract_entities

    text = (
        "On 12 May 2024 Bach Mai Hospital and Charité signed a memorandum of understanding on telemedicine.\n"
        "Doctors of Bach Mai Hospital then began a training course in cardiology."
    )
    mentions = extract_entities(text, "en")
    assert mentions  # the training sentence names an organization of the signing
    evs = extract_events(text, "en", datetime(2024, 5, 13), mentions, detect_countries)
    assert [(e.type, str(e.date)) for e in evs] == [("agreement_signing", "2024-05-12")]


def test_a_launch_with_its_own_date_stays_an_event_beside_the_signing() -> None:
    from datetime import datetime

    from nlp.countries import detect_countries
    from nlp.events import extract_events

    text = (
        "On 12 May 2024 the two hospitals signed a memorandum of understanding on telemedicine.\n"
        "The telemedicine centre was launched on 12 May 2024 as well."
    )
    evs = extract_events(text, "en", datetime(2024, 5, 13), [], detect_countries)
    assert {e.type for e in evs} == {"agreement_signing", "launch"}
