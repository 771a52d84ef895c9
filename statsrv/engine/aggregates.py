"""Running aggregates per (object, action) and time profile; their size never grows with events.

Instant actions keep a weighted count per interval. Durable actions keep a `Tally` per interval:
starts, overlap of the ended ones with the interval, and the count/sum/max/min of the full
durations of those that ended in it; the starts of those in progress are kept apart.
Growing and EverGrowing profiles keep one interval and roll over lazily when a new one begins;
Sliding profiles keep one small bucket per step of the window.
"""

from __future__ import annotations

import math

from statsrv.domain.actions import Kind
from statsrv.engine.profiles import ProfileType, Span, TimeProfile


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

    def add(self, span: Span, weight: int) -> None:
        """Count `weight` occurrences in `span`."""
        if self.key == span.key:
            self.count += weight
        else:
            self.key = span.key
            self.count = weight

    def number(self, span: Span) -> int:
        """The count in `span`."""
        return self.count if self.key == span.key else 0


class SlidingCount:
    """Weighted counts of an instant action in a ring of steps, with their running total."""

    __slots__ = ("ring", "step", "total")

    def __init__(self, steps: int) -> None:
        self.ring = [0] * steps
        self.step = -1
        self.total = 0

    def add(self, span: Span, weight: int) -> None:
        """Count `weight` occurrences in the current step of `span`."""
        if span.key != self.step:
            self._advance(span.key)
        self.ring[span.key % len(self.ring)] += weight
        self.total += weight

    def number(self, span: Span) -> int:
        """The count over the window of `span`."""
        if span.key != self.step:
            self._advance(span.key)
        return self.total

    def _advance(self, step: int) -> None:
        ring = self.ring
        size = len(ring)
        if step <= self.step:
            return
        if step - self.step >= size:
            ring[:] = [0] * size
            self.total = 0
        else:
            for passed in range(self.step + 1, step + 1):
                slot = passed % size
                self.total -= ring[slot]
                ring[slot] = 0
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


class InstantState:
    """An instant action on one object: a count per profile.

    Occurrences are first summed in `pending`, which belongs to the current spans of every
    profile; the engine flushes it into the per-profile counts before any span changes.
    """

    __slots__ = ("action", "aggregates", "pending")

    running: tuple[float, ...] = ()
    counted = True

    def __init__(self, action: str, profiles: list[TimeProfile]) -> None:
        self.action = action
        self.pending = 0
        self.aggregates: list[Aggregate] = [
            SlidingCount(p.steps) if p.type is ProfileType.SLIDING else GrowingCount()
            for p in profiles
        ]

    def flush(self, spans: list[Span]) -> None:
        """Move the pending count into each profile's count for its span."""
        pending = self.pending
        self.pending = 0
        for aggregate, span in zip(self.aggregates, spans, strict=True):
            aggregate.add(span, pending)

    def current(self) -> int:
        """Instant actions are never in progress."""
        return 0


class LatestCountState:
    """RecordsScheduled on a Campaign: only the latest Count matters (CurrentNumber)."""

    __slots__ = ("action", "latest")

    running: tuple[float, ...] = ()
    counted = False
    pending = 0

    def __init__(self, action: str) -> None:
        self.action = action
        self.latest = 0

    def record(self, kind: Kind, _at: float, weight: int, _spans: list[Span]) -> None:
        """Replace the latest Count."""
        if kind != Kind.INSTANT:
            raise ValueError(f"instant action {self.action} cannot {kind.name}")
        self.latest = weight

    def current(self) -> int:
        """The latest Count."""
        return self.latest


class DurableState:
    """A durable action on one object: the starts in progress and a tally per profile.

    The same durable action may be in progress several times; an end closes the oldest start.
    An end with nothing in progress changes nothing.
    """

    __slots__ = ("action", "aggregates", "running")

    counted = False
    pending = 0

    def __init__(self, action: str, profiles: list[TimeProfile]) -> None:
        self.action = action
        self.running: list[float] = []
        self.aggregates: list[GrowingTally | SlidingTally] = [
            SlidingTally(p.steps, p.step_seconds)
            if p.type is ProfileType.SLIDING
            else GrowingTally()
            for p in profiles
        ]

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

    def current(self) -> int:
        """How many instances are in progress."""
        return len(self.running)


ActionState = InstantState | LatestCountState | DurableState
