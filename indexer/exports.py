"""One cell rule for every CSV coopwatch writes (search exports, timelines).

Lists are joined with ``;``. A text cell that a spreadsheet would run as a formula —
one starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return — gets a
leading single quote, as OWASP's CSV-injection guidance recommends, so a hostile
headline like ``=HYPERLINK("http://evil","click")`` is shown, never executed.
Numbers stay numbers.
"""

from __future__ import annotations

from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: Any) -> Any:
    """The value as a safe CSV cell."""
    if value is None:
        return ""
    if isinstance(value, (bool, int, float)):
        return value
    if isinstance(value, (list, tuple)):
        value = ";".join(str(v) for v in value)
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text
