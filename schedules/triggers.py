"""Cron triggers that fire once per wall-clock time, also on the two DST days.

APScheduler 3.x's ``CronTrigger`` computes fire times in the scheduler's
timezone. Around daylight-saving changes it does this (Europe/Berlin):

* **spring forward** (last Sunday of March, 02:00 → 03:00): a time inside the
  gap, e.g. ``0 2 * * *``, does not exist; the trigger fires at the first real
  instant after it, ``03:00`` CEST (= 01:00 UTC, one hour after the day before).
  We keep that: the nightly run still happens that night, shortly after the jump.
* **fall back** (last Sunday of October, 03:00 → 02:00): wall times between
  02:00 and 03:00 occur twice, and the stock trigger fires at *both* (02:00 CEST
  and 02:00 CET) — a nightly job would run twice. :class:`WallClockCronTrigger`
  skips the second occurrence, so every wall-clock time fires once, like Vixie
  cron does for fixed-time jobs.

The subclass is importable at top level, so it pickles into the persistent job store.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, tzinfo
from typing import Any

from apscheduler.triggers.cron import CronTrigger

from coopwatch.crontab import crontab_fields
from coopwatch.errors import ConfigError


def is_second_occurrence(dt: datetime) -> bool:
    """True when ``dt`` is the later of two instants sharing its wall-clock time (DST fall-back)."""
    tz = dt.tzinfo
    if tz is None:
        return False
    naive = dt.replace(tzinfo=None)
    first = naive.replace(tzinfo=tz, fold=0)
    second = naive.replace(tzinfo=tz, fold=1)
    if first.utcoffset() == second.utcoffset():
        return False
    # in a spring-forward gap both folds also differ, but the wall time does not round-trip
    if first.astimezone(UTC).astimezone(tz).replace(tzinfo=None) != naive:
        return False
    return dt.utcoffset() == second.utcoffset()


class WallClockCronTrigger(CronTrigger):
    """A ``CronTrigger`` that does not fire twice when the clock falls back."""

    def get_next_fire_time(self, previous_fire_time: datetime | None, now: datetime) -> datetime | None:
        nxt = super().get_next_fire_time(previous_fire_time, now)
        while nxt is not None and is_second_occurrence(nxt):
            # step past it in absolute time: aware arithmetic in one zone is wall-clock and would drop the fold
            after = (nxt.astimezone(UTC) + timedelta(microseconds=1)).astimezone(nxt.tzinfo)
            nxt = super().get_next_fire_time(None, after)
        return nxt


def cron_trigger(expr: str, timezone: tzinfo | str, *, jitter: int | None = None, what: str = "cron") -> WallClockCronTrigger:
    """A trigger from a five-field crontab expression; a bad expression is a :class:`ConfigError`."""
    try:
        fields = crontab_fields(expr)
        trig = WallClockCronTrigger(timezone=timezone, **fields)
    except (ValueError, TypeError, IndexError) as exc:
        raise ConfigError(
            f"{what} {expr!r} is not a valid cron expression (minute hour day month weekday, e.g. '0 2 * * *'): {exc}"
        ) from exc
    trig.jitter = jitter or None
    return trig


def upcoming(trigger: Any, now: datetime, n: int = 3) -> list[datetime]:
    """The next ``n`` fire times after ``now`` (without jitter)."""
    saved, trigger.jitter = getattr(trigger, "jitter", None), None
    try:
        out: list[datetime] = []
        prev: datetime | None = None
        for _ in range(n):
            after = now if prev is None else (prev.astimezone(UTC) + timedelta(microseconds=1)).astimezone(prev.tzinfo)
            nxt = trigger.get_next_fire_time(prev, after)
            if nxt is None:
                break
            out.append(nxt.astimezone(UTC).astimezone(nxt.tzinfo))  # a gap time shows as the real instant
            prev = nxt
        return out
    finally:
        trigger.jitter = saved


def describe(trigger: Any) -> str:
    """Crontab-like text for a trigger (``0 2 * * *``), or its str() when it is not a cron trigger."""
    if isinstance(trigger, CronTrigger):
        f = {fl.name: str(fl) for fl in trigger.fields}
        return f"{f['minute']} {f['hour']} {f['day']} {f['month']} {f['day_of_week']}"
    return str(trigger)
