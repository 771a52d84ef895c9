"""Time profiles: Growing resets at local wall times across DST, Sliding steps, EverGrowing."""

from __future__ import annotations

import math
from datetime import UTC, date, datetime, time

import pytest
from engine_support import BERLIN, berlin

from statsrv.engine.profiles import (
    EverGrowingProfile,
    GrowingProfile,
    SlidingProfile,
    reset_instant,
)

MIDNIGHT = (time(0, 0),)


def test_daily_reset_at_local_midnight() -> None:
    profile = GrowingProfile("Default", MIDNIGHT, BERLIN)
    now = berlin("2027-01-15 15:00")
    assert profile.interval_start(now) == berlin("2027-01-15 00:00")
    assert profile.next_boundary(now) == berlin("2027-01-16 00:00")


def test_spring_change_day_is_23_hours_long() -> None:
    profile = GrowingProfile("Default", MIDNIGHT, BERLIN)
    now = berlin("2027-03-28 12:00")
    start, end = profile.interval_start(now), profile.next_boundary(now)
    assert start == berlin("2027-03-28 00:00")
    assert end is not None
    assert end - start == 23 * 3600


def test_autumn_change_day_is_25_hours_long() -> None:
    profile = GrowingProfile("Default", MIDNIGHT, BERLIN)
    now = berlin("2027-10-31 12:00")
    end = profile.next_boundary(now)
    assert end is not None
    assert end - profile.interval_start(now) == 25 * 3600


def test_skipped_reset_time_happens_at_the_end_of_the_gap() -> None:
    # 2027-03-28 02:30 does not exist in Berlin: clocks go from 02:00 CET to 03:00 CEST.
    instant = reset_instant(date(2027, 3, 28), time(2, 30), BERLIN)
    assert instant == berlin("2027-03-28 03:00")
    assert instant - berlin("2027-03-28 01:59") == 60


def test_repeated_reset_time_happens_at_its_first_occurrence() -> None:
    # 2027-10-31 02:30 happens twice in Berlin; the first is 00:30 UTC.
    profile = GrowingProfile("Night", (time(2, 30),), BERLIN)
    first = datetime(2027, 10, 31, 0, 30, tzinfo=UTC).timestamp()
    assert profile.interval_start(first + 1) == first
    second_pass = first + 3600 + 1  # 02:30:01 again, on winter time
    assert profile.interval_start(second_pass) == first
    assert profile.next_boundary(second_pass) == berlin("2027-11-01 02:30")


def test_several_resets_a_day() -> None:
    profile = GrowingProfile("Shift", (time(6), time(14), time(22)), BERLIN)
    assert profile.interval_start(berlin("2027-01-15 05:59")) == berlin("2027-01-14 22:00")
    assert profile.interval_start(berlin("2027-01-15 06:00")) == berlin("2027-01-15 06:00")
    assert profile.next_boundary(berlin("2027-01-15 13:00")) == berlin("2027-01-15 14:00")
    assert profile.next_boundary(berlin("2027-01-15 23:00")) == berlin("2027-01-16 06:00")


def test_reset_instant_is_the_interval_start_itself() -> None:
    profile = GrowingProfile("Default", MIDNIGHT, BERLIN)
    midnight = berlin("2027-06-01 00:00")
    assert profile.interval_start(midnight) == midnight
    assert profile.interval_start(midnight - 0.001) == berlin("2027-05-31 00:00")


@pytest.mark.parametrize(
    ("now", "start", "boundary"),
    [(3600.0, 60.0, 3660.0), (3659.5, 60.0, 3660.0), (3660.0, 120.0, 3720.0)],
)
def test_sliding_window_is_current_step_and_the_steps_before(
    now: float, start: float, boundary: float
) -> None:
    profile = SlidingProfile("LastHour", 3600, 60)
    assert profile.interval_start(now) == start
    assert profile.next_boundary(now) == boundary


def test_ever_growing_never_resets() -> None:
    profile = EverGrowingProfile("SinceStart")
    assert profile.interval_start(1e9) == -math.inf
    assert profile.next_boundary(1e9) is None
