"""Publication dates: metadata first, then the dateline (年月日 included); never a footer year."""

from __future__ import annotations

import pytest

from crawlers.extract import extract, find_dateline

BODY = (
    "<p>The provincial health commission and the Lao ministry of health agreed to widen cooperation on "
    "malaria surveillance, emergency care training and telemedicine consultations between border hospitals.</p>"
    "<p>Both sides will review the programme at a joint meeting next year in the provincial capital.</p>"
)


def page(head: str = "", top: str = "", footer: str = "") -> str:
    return (
        f"<html><head><meta charset='utf-8'><title>Border health cooperation</title>{head}</head><body>"
        f"<main><article><h1>Border health cooperation</h1>{top}{BODY}</article></main>"
        f"<footer>{footer}</footer></body></html>"
    )


def test_footer_copyright_year_is_never_a_publication_date():
    for footer in (
        "© 2008-2026 Example Health News",
        "Copyright 2019 Ministry of Health",
        "版权所有 2015年 广西卫健委",
    ):
        ex = extract(page(footer=footer), "http://127.0.0.1/x.html")
        assert ex.published_at is None and ex.date_method == "none", footer


def test_metadata_beats_dateline_and_feed():
    html = page(
        head='<meta property="article:published_time" content="2023-05-04T08:00:00+00:00">', top="<p>2022年1月2日</p>"
    )
    ex = extract(html, "http://127.0.0.1/x.html")
    assert ex.date_method == "metadata" and ex.published_at.date().isoformat() == "2023-05-04"


@pytest.mark.parametrize(
    ("top", "expected"),
    [
        ("<p>2023年11月06日 来源：广西卫健委</p>", "2023-11-06"),
        ("<p>Berlin, 14. November 2023 – </p>", "2023-11-14"),
        ("<p>Hà Nội, ngày 5 tháng 6 năm 2024</p>", "2024-06-05"),
        ("<p>Geneva, 7 September 2022 – </p>", "2022-09-07"),
    ],
)
def test_dateline_under_the_headline(top, expected):
    ex = extract(page(top=top, footer="© 2008-2026 Example"), "http://127.0.0.1/x.html")
    assert ex.date_method == "dateline" and ex.published_at.date().isoformat() == expected


def test_feed_hint_when_page_has_no_metadata():
    from datetime import datetime

    ex = extract(
        page(footer="© 2020 X"), "http://127.0.0.1/x.html", hint_date=datetime(2024, 2, 3, 4, 5), hint_method="sitemap"
    )
    assert ex.date_method == "sitemap" and ex.published_at == datetime(2024, 2, 3, 4, 5)


def test_dateline_window_ignores_dates_far_below_the_top():
    assert find_dateline("x" * 400 + " 2023年11月06日") is None
