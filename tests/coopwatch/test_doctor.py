"""``coopwatch doctor`` checks that need no store: the CJK font for charts and the web UI."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest

from coopwatch.doctor import run_checks
from coopwatch.settings import Settings
from indexer import chart_fonts


def _cjk(ctx: object) -> dict[str, str]:
    (check,) = [c for c in run_checks(ctx) if c["check"] == "CJK font"]
    return check


def test_cjk_font_ok_names_the_file(tmp_path: Path) -> None:
    check = _cjk(SimpleNamespace(settings=Settings(data_dir=tmp_path)))
    assert check["status"] == "ok", check
    assert "Noto Sans CJK SC" in check["detail"] and str(chart_fonts.find_cjk_font()) in check["detail"]


def test_cjk_font_missing_warns_with_the_fix(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(chart_fonts, "CJK_FONT_FILES", (tmp_path / "NoSuchCJK.ttc",))
    check = _cjk(SimpleNamespace(settings=Settings(data_dir=tmp_path)))
    assert check["status"] == "warn", check
    assert "boxes" in check["detail"] and "apt-get install fonts-noto-cjk" in check["detail"]
