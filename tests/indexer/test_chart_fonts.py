"""Chinese in timeline PNGs: drawn with Noto Sans CJK, not as boxes; a missing font warns, never breaks."""

from __future__ import annotations

import logging
import warnings
from pathlib import Path

import pytest

from indexer import chart_fonts
from indexer.timeline import write_png

ZH_ORG = "国家卫生健康委员会"
DATA = {
    "entity": ZH_ORG,
    "interval": "month",
    "buckets": [
        {"period": "2023-11", "counts": {"mentions": 2, "agreement_signing": 1}},
        {"period": "2024-01", "counts": {"mentions": 1, "training": 1}},
    ],
    "events": [],
}


def _glyph_warnings(tmp_path: Path, name: str) -> list[str]:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        path = write_png(DATA, tmp_path / name, title=f"合作事件: {ZH_ORG}")
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    return [str(w.message) for w in caught if "missing from font" in str(w.message)]


def test_noto_cjk_is_installed() -> None:
    assert chart_fonts.find_cjk_font() is not None, chart_fonts.MISSING_MESSAGE


def test_family_list_is_default_then_cjk() -> None:
    import matplotlib

    family = chart_fonts.font_family()
    assert family == [*matplotlib.rcParams["font.family"], chart_fonts.CJK_FAMILY]


def test_chinese_label_resolves_to_the_noto_cjk_file() -> None:
    from matplotlib import font_manager

    with chart_fonts.chart_fonts() as family:
        prop = font_manager.FontProperties(family=family)
        # the font for each family in the list, as matplotlib's per-glyph fallback picks it
        files = [Path(font_manager.findfont(font_manager.FontProperties(family=[f]), fallback_to_default=False))
                 for f in prop.get_family()]
    assert files[-1] == chart_fonts.find_cjk_font()
    assert files[0].name.startswith("DejaVuSans")  # Latin text keeps matplotlib's default font


def test_png_with_chinese_has_no_missing_glyphs(tmp_path: Path) -> None:
    assert _glyph_warnings(tmp_path, "zh.png") == []


def test_without_the_font_charts_render_and_warn_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                      caplog: pytest.LogCaptureFixture) -> None:
    monkeypatch.setattr(chart_fonts, "CJK_FONT_FILES", (tmp_path / "NoSuchCJK.ttc",))
    monkeypatch.setattr(chart_fonts, "_warned", False)
    with caplog.at_level(logging.WARNING, logger="indexer.chart_fonts"):
        missing = _glyph_warnings(tmp_path, "boxes.png")
        _glyph_warnings(tmp_path, "boxes2.png")
    assert missing, "without Noto CJK matplotlib should report missing Chinese glyphs (the check above can fail)"
    msgs = [r.getMessage() for r in caplog.records if r.name == "indexer.chart_fonts"]
    assert len(msgs) == 1 and "boxes" in msgs[0] and "apt-get install fonts-noto-cjk" in msgs[0]
