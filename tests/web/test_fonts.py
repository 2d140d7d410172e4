"""Chinese in the workbench is drawn with a CJK font in real headless Chromium, not as boxes (tofu).

``document.fonts.check`` answers true even for a font that does not exist, so
this asks Chromium itself (DevTools ``CSS.getPlatformFontsForNode``) which
installed font drew the glyphs of a Chinese search hit's title.
"""

from __future__ import annotations

import re
import urllib.parse

import pytest

pytestmark = pytest.mark.slow

CJK = re.compile(r"[\u4e00-\u9fff]")


def _platform_fonts(page, selector: str) -> list[dict]:
    cdp = page.context.new_cdp_session(page)
    cdp.send("DOM.enable")
    cdp.send("CSS.enable")
    root = cdp.send("DOM.getDocument")["root"]["nodeId"]
    node = cdp.send("DOM.querySelector", {"nodeId": root, "selector": selector})["nodeId"]
    return cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]


def test_chinese_hit_is_drawn_with_noto_sans_cjk(page, live_server):
    page.goto(live_server + "/?lang=zh&q=" + urllib.parse.quote("医疗"))
    # the first hit whose own text is Chinese, marked so DevTools can find it
    text = page.evaluate(
        """() => {
          const el = [...document.querySelectorAll('li.hit h2 a')]
            .find(e => /[\\u4e00-\\u9fff]/.test(e.textContent));
          if (!el) return null;
          el.id = 'zh-probe';
          return el.textContent;
        }"""
    )
    assert text, "no Chinese hit on the page"
    family = page.evaluate("getComputedStyle(document.getElementById('zh-probe')).fontFamily")
    assert '"Noto Sans CJK SC"' in family  # the stylesheet names it
    fonts = _platform_fonts(page, "#zh-probe")
    cjk_glyphs = sum(f["glyphCount"] for f in fonts if f["familyName"].startswith("Noto Sans CJK"))
    assert cjk_glyphs >= len(CJK.findall(text)), fonts  # every Chinese character came from Noto Sans CJK
    assert not page.js_errors
