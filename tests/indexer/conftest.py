"""Fixtures for the indexer tests: a small multilingual corpus of IndexDoc records."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest

from coopwatch.records import IndexDoc, article_id
from engines import elasticsearch_cluster, opensearch_cluster  # noqa: F401  (session fixtures: real nodes)


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "engine: needs a running search engine (Elasticsearch/OpenSearch)")


def make_doc(
    url: str,
    *,
    lang: str = "en",
    title: str = "",
    text: str = "",
    title_en: str | None = None,
    text_en: str | None = None,
    source: str = "test-source",
    published_at: str | None = "2023-11-06T09:00:00",
    countries: list[str] | None = None,
    entities: list[tuple[str, str]] | None = None,
    events: list[dict[str, Any]] | None = None,
    relevance: float = 0.9,
) -> IndexDoc:
    """An IndexDoc with defaults; ``entities`` as (id, name) pairs, ``events`` as dicts."""
    evs = []
    for ev in events or []:
        full = {
            "type": "other",
            "date": None,
            "precision": "day",
            "participants": [],
            "countries": [],
            "evidence": "",
            "evidence_en": None,
        }
        full.update(ev)
        evs.append(full)
    return IndexDoc(
        id=article_id(url),
        url=url,
        source=source,
        lang=lang,
        title=title,
        text=text,
        title_en=title_en if title_en is not None else (title if lang == "en" else None),
        text_en=text_en if text_en is not None else (text if lang == "en" else None),
        published_at=datetime.fromisoformat(published_at) if published_at else None,
        countries=list(countries or []),
        entities=[{"id": i, "name": n, "type": "ORG"} for i, n in entities or []],
        events=evs,
        relevance=relevance,
    )


@pytest.fixture
def corpus() -> dict[str, IndexDoc]:
    """Five articles in four languages, with entities, countries and dated events."""
    return {
        "zh": make_doc(
            "https://news.example.cn/a/1",
            lang="zh",
            source="xinhua",
            title="中越签署远程医疗合作协议",
            text="中国与越南卫生部在河内签署远程医疗合作协议，世界卫生组织WHO表示支持。",
            title_en="China and Vietnam sign telemedicine cooperation agreement",
            text_en="China and Vietnam's health ministries signed a telemedicine cooperation agreement in Hanoi; WHO voiced support.",
            published_at="2023-11-06T08:00:00",
            countries=["CN", "VN"],
            entities=[("org:who", "World Health Organization"), ("gov:vn-moh", "Ministry of Health of Vietnam")],
            events=[
                {
                    "type": "agreement_signing",
                    "date": "2023-11-06",
                    "precision": "day",
                    "participants": ["gov:vn-moh", "gov:cn-nhc"],
                    "countries": ["CN", "VN"],
                    "evidence": "中国与越南卫生部在河内签署远程医疗合作协议",
                }
            ],
        ),
        "de": make_doc(
            "https://aerzteblatt.example.de/news/2",
            lang="de",
            source="aerzteblatt",
            title="Deutsche Krankenhäuser helfen in Vietnam",
            text="Das Krankenhaus Charité schickt ein Ärzteteam nach Hanoi. Die Zusammenarbeit mit der WHO wird ausgebaut.",
            title_en="German hospitals help in Vietnam",
            text_en="The Charité hospital sends a team of doctors to Hanoi. Cooperation with WHO is expanding.",
            published_at="2023-12-01T10:00:00",
            countries=["DE", "VN"],
            entities=[("org:who", "World Health Organization"), ("hosp:charite", "Charité")],
            events=[
                {
                    "type": "aid_mission",
                    "date": "2023-12-01",
                    "precision": "day",
                    "participants": ["hosp:charite"],
                    "countries": ["DE", "VN"],
                    "evidence": "Das Krankenhaus Charité schickt ein Ärzteteam nach Hanoi.",
                }
            ],
        ),
        "vi": make_doc(
            "https://suckhoe.example.vn/tin/3",
            lang="vi",
            source="suckhoedoisong",
            title="Bệnh viện Bạch Mai hợp tác với Trung Quốc",
            text="Bệnh viện Bạch Mai ký kết hợp tác đào tạo với bệnh viện Trung Quốc về y học cổ truyền.",
            title_en="Bach Mai Hospital cooperates with China",
            text_en="Bach Mai Hospital signed a training cooperation with a Chinese hospital on traditional medicine.",
            published_at="2024-01-15T07:30:00",
            countries=["VN", "CN"],
            entities=[("hosp:bach-mai", "Bach Mai Hospital")],
            events=[
                {
                    "type": "training_exchange",
                    "date": "2024-01-15",
                    "precision": "day",
                    "participants": ["hosp:bach-mai"],
                    "countries": ["CN", "VN"],
                    "evidence": "Bệnh viện Bạch Mai ký kết hợp tác đào tạo",
                },
                {
                    "type": "visit",
                    "date": "2024-01-01",
                    "precision": "year",
                    "participants": ["hosp:bach-mai"],
                    "countries": ["CN", "VN"],
                    "evidence": "năm 2024",
                },
            ],
        ),
        "en": make_doc(
            "https://who.example.int/news/4",
            lang="en",
            source="who",
            title="WHO opens hospital partnership programme",
            text="The World Health Organization launched a hospital partnership programme <script>alert('x')</script> "
            "linking hospitals in Germany and Vietnam.",
            published_at="2023-11-20T12:00:00",
            countries=["DE", "VN"],
            entities=[("org:who", "World Health Organization")],
            events=[
                {
                    "type": "launch",
                    "date": "2023-11-20",
                    "precision": "day",
                    "participants": ["org:who"],
                    "countries": ["DE", "VN"],
                    "evidence": "The World Health Organization launched a hospital partnership programme",
                },
                {
                    "type": "conference_meeting",
                    "date": None,
                    "precision": "none",
                    "participants": ["org:who"],
                    "countries": [],
                    "evidence": "a meeting",
                },
            ],
        ),
        "undated": make_doc(
            "https://blog.example.org/5",
            lang="en",
            source="blog",
            title="Notes on medical aid",
            text="Medical aid teams and donations of equipment.",
            published_at=None,
            countries=["LA"],
        ),
    }


@pytest.fixture(name="make_doc")
def make_doc_fixture() -> Any:
    """The :func:`make_doc` helper, as a fixture (test dirs are not packages)."""
    return make_doc
