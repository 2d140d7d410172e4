"""A Chinese page whose text sits in a layout table: precision mode found nothing, the fallback does."""

from __future__ import annotations

import trafilatura

from crawlers.extract import extract

PARA = "广西壮族自治区卫生健康委员会与越南卫生部签署卫生合作协议，双方将在边境传染病联防联控和远程医疗领域深化合作。"
HTML = (
    "<html><head><title>卫生合作</title></head><body><table><tr><td><a href='/'>首页</a></td></tr>"
    f"<tr><td>{PARA}<br><br>{PARA * 2}<br><br>根据协议，广西将为越南北部边境省份培训医务人员。</td></tr></table></body></html>"
)


def test_layout_table_page_yields_its_text():
    precise = trafilatura.extract(HTML, favor_precision=True, include_tables=False) or ""
    assert "越南卫生部" not in precise  # what coopwatch called before: no main text
    ex = extract(HTML, "http://example.invalid/a.html")
    assert "越南卫生部" in ex.text and "培训医务人员" in ex.text
