"""Fonts for every chart coopwatch draws: the default font, then Noto Sans CJK.

matplotlib's default font (DejaVu Sans) has no Chinese glyphs, so a Chinese
organization name or title comes out as boxes. Debian's ``fonts-noto-cjk``
(installed by ``scripts/setup-system.sh``) is registered here by file path —
matplotlib's font cache may predate the package — and put in the font family
list after the default, so Latin text keeps its font and each glyph the
default lacks falls back to Noto CJK. Without the font, charts still render
and one warning says how to fix it.

Chart code draws inside :func:`chart_fonts`; it is the one place that sets fonts.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

log = logging.getLogger(__name__)

# Where Debian's fonts-noto-cjk puts the Sans collection (``dpkg -L fonts-noto-cjk``);
# the older "-ttc" layout second.
CJK_FONT_FILES: tuple[Path, ...] = (
    Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"),
    Path("/usr/share/fonts/truetype/noto/NotoSansCJK-Regular.ttc"),
)
CJK_FAMILY = "Noto Sans CJK SC"  # one face of the collection; Simplified Chinese glyph shapes
CJK_FIX = "make setup, or as root: apt-get install fonts-noto-cjk"
MISSING_MESSAGE = f"Noto Sans CJK font not found; Chinese text in charts will show as boxes ({CJK_FIX})"

# matplotlib is not thread-safe and the family list is set through rcParams for
# the length of one drawing, so drawings (web requests run in threads) take turns.
_draw_lock = threading.Lock()
_registered: dict[Path, bool] = {}
_warned = False


def find_cjk_font(candidates: Sequence[Path] | None = None) -> Path | None:
    """The installed Noto Sans CJK file, or None."""
    for path in CJK_FONT_FILES if candidates is None else candidates:
        if path.is_file():
            return path
    return None


def cjk_families(candidates: Sequence[Path] | None = None) -> list[str]:
    """Register the Noto CJK file with matplotlib (once) and return the CJK families to append.

    An empty list when the font is missing, with one warning per process.
    """
    global _warned
    from matplotlib import font_manager

    path = find_cjk_font(candidates)
    if path is None:
        if not _warned:
            log.warning("%s", MISSING_MESSAGE)
            _warned = True
        return []
    if path not in _registered:
        font_manager.fontManager.addfont(str(path))
        _registered[path] = True
    return [CJK_FAMILY]


def font_family(candidates: Sequence[Path] | None = None) -> list[str]:
    """The family fallback list: matplotlib's default font first, then Noto Sans CJK."""
    import matplotlib

    default = [f for f in matplotlib.rcParams["font.family"] if f != CJK_FAMILY]
    return default + cjk_families(candidates)


@contextmanager
def chart_fonts(candidates: Sequence[Path] | None = None) -> Iterator[list[str]]:
    """Draw and save a figure inside this: its text uses :func:`font_family`."""
    import matplotlib

    with _draw_lock:
        family = font_family(candidates)
        with matplotlib.rc_context({"font.family": family}):
            yield family
