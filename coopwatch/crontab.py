"""Five-field crontab expressions: parsing and validation, shared by every layer.

The scheduler (``schedules/triggers.py``) builds its triggers from these fields;
the source registry (``crawlers/sources.py``) checks a source's ``schedule:`` on
load, so a typo is refused when the file is read, not at the first night it
should have run. Weekday numbers follow crontab (0 or 7 = Sunday), not
APScheduler 3's own numbering (0 = Monday).
"""

from __future__ import annotations

from typing import Any

_WEEKDAYS = ["sun", "mon", "tue", "wed", "thu", "fri", "sat", "sun"]


def crontab_weekdays(field: str) -> str:
    """Standard cron weekday numbers (0 or 7 = Sunday) as names; APScheduler 3 counts 0 = Monday."""

    def name(tok: str) -> str:
        return _WEEKDAYS[int(tok)] if tok.isdigit() and int(tok) <= 7 else tok

    parts = []
    for part in field.split(","):
        rng, slash, step = part.partition("/")
        parts.append("-".join(name(t) for t in rng.split("-")) + slash + step)
    return ",".join(parts)


def crontab_fields(expr: str) -> dict[str, Any]:
    """The CronTrigger keyword fields of ``expr``; ``ValueError`` naming the problem when it is not valid."""
    from apscheduler.triggers.cron import CronTrigger

    fields = expr.split()
    if len(fields) != 5:
        raise ValueError(f"expected 5 fields (minute hour day month weekday), got {len(fields)}")
    minute, hour, day, month, dow = fields
    kw = {"minute": minute, "hour": hour, "day": day, "month": month, "day_of_week": crontab_weekdays(dow)}
    try:
        CronTrigger(timezone="UTC", **kw)  # APScheduler parses every field here
    except (ValueError, TypeError, IndexError) as exc:
        raise ValueError(str(exc)) from exc
    return kw
