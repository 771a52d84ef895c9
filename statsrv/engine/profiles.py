"""Time profiles: Growing (resets at local times of day), Sliding (window of steps), EverGrowing.

A profile maps a time `now` to a `Span`: the interval a statistic covers at `now`
(`start` .. `now`, start included) and the next boundary (`end`) where the interval changes.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from typing import NamedTuple
from zoneinfo import ZoneInfo


class ProfileType(StrEnum):
    """The kinds of time profile."""

    GROWING = "Growing"
    SLIDING = "Sliding"
    EVER_GROWING = "EverGrowing"


class Span(NamedTuple):
    """One interval of a profile: `key` identifies it, it covers [start, end)."""

    key: float
    start: float
    end: float


@dataclass(frozen=True, slots=True)
class GrowingSpec:
    """A Growing profile as configured: reset times of day, in `time_zone` or the server's zone."""

    name: str
    resets: tuple[time, ...]
    time_zone: str | None = None
    description: str = ""


@dataclass(frozen=True, slots=True)
class SlidingSpec:
    """A Sliding profile as configured: a window of whole steps aligned to the Unix epoch."""

    name: str
    window_seconds: int
    step_seconds: int
    description: str = ""


@dataclass(frozen=True, slots=True)
class EverGrowingSpec:
    """An EverGrowing profile: everything since the object was first known; never resets."""

    name: str
    description: str = ""


ProfileSpec = GrowingSpec | SlidingSpec | EverGrowingSpec


class GrowingProfile:
    """Intervals from the latest reset to now; resets at local wall times of day.

    A reset time that does not exist on a day (skipped by a DST change) happens at the first
    instant after it; one that exists twice happens at its first occurrence.
    """

    type = ProfileType.GROWING

    def __init__(self, name: str, resets: tuple[time, ...], zone: ZoneInfo) -> None:
        self.name = name
        self.resets = tuple(sorted(resets))
        self.zone = zone
        self._cached = Span(0.0, math.inf, -math.inf)

    def span(self, now: float) -> Span:
        """The interval in force at `now`."""
        cached = self._cached
        if cached.start <= now < cached.end:
            return cached
        today = datetime.fromtimestamp(now, self.zone).date()
        instants = sorted(
            reset_instant(today + timedelta(days=offset), reset, self.zone)
            for offset in (-1, 0, 1, 2)
            for reset in self.resets
        )
        start = max(r for r in instants if r <= now)
        end = min(r for r in instants if r > now)
        self._cached = Span(start, start, end)
        return self._cached

    def interval_start(self, now: float) -> float:
        """The latest reset at or before `now`."""
        return self.span(now).start

    def next_boundary(self, now: float) -> float | None:
        """The first reset after `now`."""
        return self.span(now).end


class SlidingProfile:
    """The current step plus the window/step − 1 steps before it, steps aligned to the epoch."""

    type = ProfileType.SLIDING

    def __init__(self, name: str, window_seconds: int, step_seconds: int) -> None:
        self.name = name
        self.step_seconds = step_seconds
        self.steps = window_seconds // step_seconds

    def span(self, now: float) -> Span:
        """The window in force at `now`; its key is the index of the current step."""
        step = math.floor(now / self.step_seconds)
        return Span(
            step,
            (step - self.steps + 1) * self.step_seconds,
            (step + 1) * self.step_seconds,
        )

    def interval_start(self, now: float) -> float:
        """The start of the oldest step in the window."""
        return self.span(now).start

    def next_boundary(self, now: float) -> float | None:
        """The start of the next step."""
        return self.span(now).end


class EverGrowingProfile:
    """One interval since the object was first known."""

    type = ProfileType.EVER_GROWING
    _SPAN = Span(0, -math.inf, math.inf)

    def __init__(self, name: str) -> None:
        self.name = name

    def span(self, now: float) -> Span:  # noqa: ARG002
        """The only interval."""
        return self._SPAN

    def interval_start(self, now: float) -> float:  # noqa: ARG002
        """Minus infinity: every occurrence counts."""
        return -math.inf

    def next_boundary(self, now: float) -> float | None:  # noqa: ARG002
        """None: the interval never ends."""
        return None


TimeProfile = GrowingProfile | SlidingProfile | EverGrowingProfile


def build_profile(spec: ProfileSpec, zone: ZoneInfo) -> TimeProfile:
    """The runtime profile of a configured one; `zone` is used unless the spec names its own."""
    if isinstance(spec, GrowingSpec):
        own_zone = ZoneInfo(spec.time_zone) if spec.time_zone else zone
        return GrowingProfile(spec.name, spec.resets, own_zone)
    if isinstance(spec, SlidingSpec):
        return SlidingProfile(spec.name, spec.window_seconds, spec.step_seconds)
    return EverGrowingProfile(spec.name)


def reset_instant(day: date, at: time, zone: ZoneInfo) -> float:
    """The first instant (Unix seconds) at which the wall clock in `zone` reads `day` `at`."""
    wall = datetime.combine(day, at)
    first = wall.replace(tzinfo=zone, fold=0).timestamp()
    if _wall(first, zone) == wall:
        return first
    # Skipped by a DST change: find the end of the gap, where the wall clock passes `at`.
    second = wall.replace(tzinfo=zone, fold=1).timestamp()
    low, high = int(min(first, second)), int(max(first, second))
    while high - low > 1:
        middle = (low + high) // 2
        if _wall(middle, zone) >= wall:
            high = middle
        else:
            low = middle
    return float(high)


def _wall(instant: float, zone: ZoneInfo) -> datetime:
    return datetime.fromtimestamp(instant, zone).replace(tzinfo=None)
