"""Running aggregates per (object, action) and time profile; their size never grows with events.

Instant actions keep a weighted count per interval. An instant occurrence only adds to its
state's `pending` count; the engine flushes pending counts at each profile boundary (before any
span changes): into the Sliding rings, and into `carry`, which belongs to the current spans of
every Growing and EverGrowing profile and moves into their counts only at a Growing reset, so
a Sliding step touches only the Sliding aggregates of the states counted in it.

Durable actions keep a `Tally` per interval:
starts, overlap of the ended ones with the interval, and the count/sum/max/min of the full
durations of those that ended in it; the starts of those in progress are kept apart.
Growing and EverGrowing profiles keep one interval and roll over lazily when a new one begins;
Sliding profiles keep one small bucket per step of the window.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from typing import TYPE_CHECKING

from statsrv.domain.actions import Kind
from statsrv.engine.profiles import ProfileType, Span, TimeProfile

if TYPE_CHECKING:
    from statsrv.engine.cells import Cell


class Tally:
    """Durable-action figures of one interval (or one step)."""

    __slots__ = ("count", "ended", "key", "longest", "overlap", "shortest", "total")

    def __init__(self, key: float | None = None) -> None:
        self.key = key
        self.count = 0
        self.overlap = 0.0
        self.ended = 0
        self.total = 0.0
        self.longest = 0.0
        self.shortest = math.inf

    def add_ended(self, duration: float) -> None:
        """Count one durable action that ended with this full duration."""
        self.ended += 1
        self.total += duration
        self.longest = max(self.longest, duration)
        self.shortest = min(self.shortest, duration)

    def merge(self, other: Tally) -> None:
        """Add another tally's figures to this one."""
        self.count += other.count
        self.overlap += other.overlap
        self.ended += other.ended
        self.total += other.total
        self.longest = max(self.longest, other.longest)
        self.shortest = min(self.shortest, other.shortest)


EMPTY_TALLY = Tally()


class GrowingCount:
    """Weighted count of an instant action in the current Growing or EverGrowing interval."""

    __slots__ = ("count", "key")

    def __init__(self) -> None:
        self.key: float | None = None
        self.count = 0

    def number(self, span: Span) -> int:
        """The count in `span`."""
        return self.count if self.key == span.key else 0


class SlidingCount(list[int]):
    """Weighted counts of an instant action in a ring of steps (the list itself, one slot per
    step of the window), with the current step and their running total.

    Being the list, not holding one, saves an object to reach on every flush.
    """

    __slots__ = ("step", "total")

    def __init__(self, steps: int) -> None:
        super().__init__(itertools.repeat(0, steps))
        self.step = -1
        self.total = 0

    def number(self, span: Span) -> int:
        """The count over the window of `span`."""
        if span.key != self.step:
            self.advance(span.key)
        return self.total

    def advance(self, step: int) -> None:
        """Move the window so that `step` is its current step, dropping the steps it leaves."""
        size = len(self)
        if step <= self.step:
            return
        if step - self.step >= size:
            self[:] = itertools.repeat(0, size)
            self.total = 0
        else:
            for passed in range(self.step + 1, step + 1):
                slot = passed % size
                self.total -= self[slot]
                self[slot] = 0
        self.step = step


class GrowingTally(Tally):
    """A durable action's figures in the current Growing or EverGrowing interval."""

    __slots__ = ()

    def start(self, span: Span) -> None:
        """A start in `span`."""
        self._roll(span)
        self.count += 1

    def end(self, span: Span, began: float, ended: float) -> None:
        """An end at `ended` (in `span`) of an action that began at `began`."""
        self._roll(span)
        self.overlap += ended - max(began, span.start)
        self.add_ended(ended - began)

    def number(self, span: Span) -> int:
        """Starts in `span`."""
        return self.count if self.key == span.key else 0

    def view(self, span: Span) -> Tally:
        """The figures of `span` (empty if nothing happened in it)."""
        return self if self.key == span.key else EMPTY_TALLY

    def _roll(self, span: Span) -> None:
        if self.key != span.key:
            Tally.__init__(self, span.key)


class SlidingTally:
    """A durable action's figures per step of a Sliding window; at most window/step buckets."""

    __slots__ = ("buckets", "seconds", "steps", "summary")

    def __init__(self, steps: int, step_seconds: int) -> None:
        self.steps = steps
        self.seconds = step_seconds
        self.buckets: dict[int, Tally] = {}
        self.summary: Tally | None = None

    def start(self, span: Span) -> None:
        """A start in the current step."""
        self._bucket(span.key, span.key).count += 1
        self.summary = None

    def end(self, span: Span, began: float, ended: float) -> None:
        """An end at `ended`; its overlap is spread over the steps of the window it covered."""
        current = span.key
        self._bucket(current, current).add_ended(ended - began)
        first = max(math.floor(began / self.seconds), current - self.steps + 1)
        for step in range(first, current + 1):
            piece = min(ended, (step + 1) * self.seconds) - max(began, step * self.seconds)
            if piece > 0:
                self._bucket(step, current).overlap += piece
        self.summary = None

    def number(self, span: Span) -> int:
        """Starts in the window of `span`."""
        return self.view(span).count

    def view(self, span: Span) -> Tally:
        """The figures summed over the window of `span`."""
        summary = self.summary
        if summary is not None and summary.key == span.key:
            return summary
        summary = Tally(span.key)
        oldest = span.key - self.steps
        for step, bucket in self.buckets.items():
            if oldest < step <= span.key:
                summary.merge(bucket)
        self.summary = summary
        return summary

    def _bucket(self, step: int, current: int) -> Tally:
        bucket = self.buckets.get(step)
        if bucket is None:
            oldest = current - self.steps
            for stale in [s for s in self.buckets if s <= oldest]:
                del self.buckets[stale]
            bucket = self.buckets[step] = Tally(step)
        return bucket


Aggregate = GrowingCount | SlidingCount | GrowingTally | SlidingTally


class Watched:
    """The cells that read an action state, kept by the engine as cells open and close.

    `main_counters` and `rel_counters` are the counting cells (TotalNumber and
    RelativeNumberPercentage) whose main or relative mask holds the action: an instant
    occurrence adds its weight to their cached counts in place.
    """

    __slots__ = ()

    action: str
    counted: bool
    cells: tuple[Cell, ...]
    main_counters: tuple[Cell, ...]
    rel_counters: tuple[Cell, ...]

    def watch(self, cells: tuple[Cell, ...]) -> None:
        """Be read by `cells` from now on."""
        self.cells = cells
        if self.counted:
            action = self.action
            main = tuple(c for c in cells if c.counts and action in c.main_actions)
            self.main_counters = cells if main == cells else main  # one tuple less to read
            self.rel_counters = tuple(c for c in cells if c.counts and action in c.rel_actions)


class InstantState(Watched):
    """An instant action on one object: a count per profile.

    Occurrences are first summed in `pending`, which belongs to the current spans of every
    profile, and `carry`, which belongs to the current spans of the Growing and EverGrowing
    profiles; the engine moves them into the per-profile counts (`flush_pending`) before the
    spans they belong to change.
    """

    __slots__ = (
        "action",
        "aggregates",
        "carry",
        "cells",
        "main_counters",
        "pending",
        "rel_counters",
    )

    running: tuple[float, ...] = ()
    counted = True

    def __init__(self, action: str, profiles: list[TimeProfile]) -> None:
        self.action = action
        self.pending = 0
        self.carry = 0
        self.cells = self.main_counters = self.rel_counters = ()
        self.aggregates: tuple[Aggregate, ...] = tuple(
            SlidingCount(p.steps) if p.type is ProfileType.SLIDING else GrowingCount()
            for p in profiles
        )

    def number(self, index: int, span: Span) -> int:
        """The weighted count in `span` of the profile at `index` (a current span, or one that
        has just ended and been flushed)."""
        aggregate = self.aggregates[index]
        if isinstance(aggregate, SlidingCount):
            return aggregate.number(span) + self.pending
        return aggregate.number(span) + self.carry + self.pending

    def current(self) -> int:
        """Instant actions are never in progress."""
        return 0


def flush_pending(
    states: Sequence[InstantState], spans: Sequence[Span], *, growing: bool
) -> list[InstantState]:
    """Move the pending counts of `states` (each listed once) into the Sliding rings of the
    current `spans`, and into the Growing counts too when `growing` (a Growing span is about to
    end), else into `carry`. Returns the states whose carry became non-zero.

    Before a Growing span ends, every state with a non-zero carry must be flushed with
    `growing` (its pending count may be zero).
    """
    carried: list[InstantState] = []
    if not states:
        return carried
    first = states[0].aggregates
    totals = [(i, s.key) for i, s in enumerate(spans) if isinstance(first[i], GrowingCount)]
    rings = [
        (i, s.key, s.key % len(first[i]))  # type: ignore[arg-type]
        for i, s in enumerate(spans)
        if isinstance(first[i], SlidingCount)
    ]
    for state in states:
        pending = state.pending
        state.pending = 0
        aggregates = state.aggregates
        for index, step, slot in rings:
            ring: SlidingCount = aggregates[index]  # type: ignore[assignment]
            if ring.step == step - 1:  # the usual case: the slot of the step that leaves
                ring.total += pending - ring[slot]
                ring[slot] = pending
                ring.step = step
                continue
            if ring.step != step:
                ring.advance(step)  # type: ignore[arg-type]
            ring[slot] += pending
            ring.total += pending
        if not growing:
            if pending and not state.carry:
                carried.append(state)
            state.carry += pending
            continue
        pending += state.carry
        state.carry = 0
        for index, key in totals:
            count: GrowingCount = aggregates[index]  # type: ignore[assignment]
            if count.key == key:
                count.count += pending
            else:
                count.key = key
                count.count = pending
    return carried


class LatestCountState(Watched):
    """RecordsScheduled on a Campaign: only the latest Count matters (CurrentNumber)."""

    __slots__ = ("action", "cells", "latest")

    running: tuple[float, ...] = ()
    counted = False

    def __init__(self, action: str) -> None:
        self.action = action
        self.latest = 0
        self.cells = ()

    def record(self, kind: Kind, _at: float, weight: int, _spans: list[Span]) -> None:
        """Replace the latest Count."""
        if kind != Kind.INSTANT:
            raise ValueError(f"instant action {self.action} cannot {kind.name}")
        self.latest = weight

    def number(self, _index: int, _span: Span) -> int:
        """RecordsScheduled is never counted, only its latest Count (`current`)."""
        return 0

    def current(self) -> int:
        """The latest Count."""
        return self.latest


class DurableState(Watched):
    """A durable action on one object: the starts in progress and a tally per profile.

    The same durable action may be in progress several times; an end closes the oldest start.
    An end with nothing in progress changes nothing.
    """

    __slots__ = ("action", "aggregates", "cells", "running")

    counted = False

    def __init__(self, action: str, profiles: list[TimeProfile]) -> None:
        self.action = action
        self.cells = ()
        self.running: list[float] = []
        self.aggregates: tuple[GrowingTally | SlidingTally, ...] = tuple(
            SlidingTally(p.steps, p.step_seconds)
            if p.type is ProfileType.SLIDING
            else GrowingTally()
            for p in profiles
        )

    def record(self, kind: Kind, at: float, _weight: int, spans: list[Span]) -> None:
        """Start or end one instance of the action at `at` (durable actions carry no weight)."""
        if kind == Kind.START:
            self.running.append(at)
            for aggregate, span in zip(self.aggregates, spans, strict=True):
                aggregate.start(span)
        elif kind == Kind.END:
            if not self.running:
                return
            began = self.running.pop(0)
            for aggregate, span in zip(self.aggregates, spans, strict=True):
                aggregate.end(span, began, at)
        else:
            raise ValueError(f"durable action {self.action} cannot be INSTANT")

    def number(self, index: int, span: Span) -> int:
        """Starts in `span` of the profile at `index`."""
        return self.aggregates[index].number(span)

    def current(self) -> int:
        """How many instances are in progress."""
        return len(self.running)


ActionState = InstantState | LatestCountState | DurableState
