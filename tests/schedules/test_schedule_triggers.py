"""Cron triggers across DST changes, in Europe/Berlin, with a fake clock (explicit ``now``)."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from coopwatch.errors import ConfigError
from coopwatch.settings import load_settings
from coopwatch.store import Store
from schedules.service import Paused, describe_jobs
from schedules.triggers import cron_trigger, is_second_occurrence, upcoming

BERLIN = ZoneInfo("Europe/Berlin")


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def test_spring_forward_nonexistent_0200_fires_once_at_0300_cest():
    trig = cron_trigger("0 2 * * *", BERLIN)
    fires = upcoming(trig, datetime(2024, 3, 29, 12, tzinfo=BERLIN), 4)
    assert [f.astimezone(UTC) for f in fires] == [
        utc(2024, 3, 30, 1),  # 02:00 CET
        utc(2024, 3, 31, 1),  # 02:00 does not exist on the 31st: fires at 03:00 CEST, right after the jump
        utc(2024, 4, 1, 0),  # 02:00 CEST
        utc(2024, 4, 2, 0),
    ]
    assert [f.strftime("%d %H:%M %Z") for f in fires] == ["30 02:00 CET", "31 03:00 CEST", "01 02:00 CEST", "02 02:00 CEST"]


def test_fall_back_repeated_0200_fires_once_not_twice():
    trig = cron_trigger("0 2 * * *", BERLIN)
    fires = upcoming(trig, datetime(2024, 10, 25, 12, tzinfo=BERLIN), 4)
    assert [f.astimezone(UTC) for f in fires] == [
        utc(2024, 10, 26, 0),  # 02:00 CEST
        utc(2024, 10, 27, 0),  # 02:00 CEST, the first pass; the second 02:00 (CET, 01:00 UTC) is skipped
        utc(2024, 10, 28, 1),  # 02:00 CET
        utc(2024, 10, 29, 1),
    ]
    assert all(f.astimezone(BERLIN).hour == 2 for f in fires)


def test_fall_back_every_wall_time_of_the_repeated_hour_fires_once():
    trig = cron_trigger("*/30 * * * *", BERLIN)
    fires = upcoming(trig, datetime(2024, 10, 27, 1, 10, tzinfo=BERLIN), 5)
    assert [f.strftime("%H:%M%z") for f in fires] == ["01:30+0200", "02:00+0200", "02:30+0200", "03:00+0100", "03:30+0100"]


def test_times_outside_the_change_keep_their_wall_clock_time():
    trig = cron_trigger("0 3 * * *", BERLIN)
    fires = upcoming(trig, datetime(2024, 10, 26, 12, tzinfo=BERLIN), 3)
    assert [f.strftime("%d %H:%M%z") for f in fires] == ["27 03:00+0100", "28 03:00+0100", "29 03:00+0100"]


def test_second_occurrence_detection():
    assert is_second_occurrence(datetime(2024, 10, 27, 2, 30, tzinfo=BERLIN, fold=1))
    assert not is_second_occurrence(datetime(2024, 10, 27, 2, 30, tzinfo=BERLIN, fold=0))
    assert not is_second_occurrence(datetime(2024, 3, 31, 2, 30, tzinfo=BERLIN, fold=1))  # a gap, not a repeat
    assert not is_second_occurrence(datetime(2024, 7, 1, 2, 30, tzinfo=BERLIN, fold=1))


def test_crontab_weekdays_count_sunday_as_zero():
    """APScheduler 3 reads day_of_week 0 as Monday; our crontab parser keeps cron's 0 = Sunday."""
    for expr in ("0 3 * * 0", "0 3 * * 7", "0 3 * * sun"):
        fires = upcoming(cron_trigger(expr, BERLIN), datetime(2024, 5, 1, tzinfo=BERLIN), 2)
        assert [f.strftime("%a %d") for f in fires] == ["Sun 05", "Sun 12"]
    fires = upcoming(cron_trigger("0 3 * * 1-5", BERLIN), datetime(2024, 5, 3, 12, tzinfo=BERLIN), 2)
    assert [f.strftime("%a %d") for f in fires] == ["Mon 06", "Tue 07"]


@pytest.mark.parametrize("bad", ["0 2 * *", "x 2 * * *", "0 25 * * *", "0 2 * * 9"])
def test_bad_cron_is_a_config_error(bad):
    with pytest.raises(ConfigError, match="not a valid cron expression"):
        cron_trigger(bad, BERLIN)


def test_persisted_jobs_keep_timezone_and_dst_behaviour(tmp_path):
    """Jobs written to the SQL job store come back (pickled) with the same trigger and fire times."""
    settings = load_settings(data_dir=tmp_path / "d", env={}, timezone="Europe/Berlin", schedule_jitter_seconds=0)
    store = Store.open(settings)
    with Paused(settings, store) as sched:
        from schedules.service import sync_jobs

        sync_jobs(sched, settings)
    with Paused(settings, store) as sched:  # a new scheduler: jobs read back from the database
        jobs = {j["id"]: j for j in describe_jobs(sched, settings, now=datetime(2024, 10, 25, 12, tzinfo=BERLIN), n=4)}
    assert {"group:global", "group:asia", "group:europe", "catchup"} <= set(jobs)
    assert jobs["group:asia"]["timezone"] == "Europe/Berlin" and jobs["group:asia"]["cron"] == "0 2 * * *"
    assert jobs["group:asia"]["upcoming"] == [
        "2024-10-26T02:00:00+02:00", "2024-10-27T02:00:00+02:00", "2024-10-28T02:00:00+01:00", "2024-10-29T02:00:00+01:00"
    ]
