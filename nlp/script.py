"""Traditional → Simplified Chinese, so one set of rules and models reads both scripts.

Hong Kong, Taiwan and overseas outlets write Traditional Chinese (醫院, 衛生部, 盧旺達);
the vocabularies, gazetteer aliases, LAC and the place names are Simplified. The
conversion uses OpenCC's character and phrase tables (``opencc-python-reimplemented``,
Apache-2.0, tables included). The analysis reads the converted text only when it has the
same length as the original, so every offset found in it is an offset into the original:
mentions and evidence are then cut from the original text.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any


@lru_cache(maxsize=1)
def _t2s() -> Any:
    from opencc import OpenCC

    return OpenCC("t2s")


def simplified_same_length(text: str) -> str | None:
    """The Simplified form of ``text`` when it differs and keeps every offset, else None."""
    if not text:
        return None
    converted = _t2s().convert(text)
    return converted if converted != text and len(converted) == len(text) else None
