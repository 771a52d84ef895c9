"""The dialer's pace: a constant offered rate on a fixed schedule, or as fast as acknowledged.

At a constant rate, event n (1-based) is due at `go + (n - 1) / rate` whatever happens: a server
that stalls the socket delays the sending, not the schedule, so the latency measured from the
intended time includes the queueing (the wrk2 model). Each event's intended time is written to
the shared table before the event is sent.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Protocol

import trio

from statsrv.load.shared import Times, Window, sleep_until
from statsrv.load.spec import LoadSpec

MAX_BATCH_EVENTS = 1000
MAX_MODE_BATCH_EVENTS = 500


class EventSink(Protocol):
    """Where the driven events go: the ingest port, or the Redis baseline."""

    async def send(self, first: int, stamps: list[float]) -> None: ...

    def acked(self) -> int: ...

    async def acked_changed(self) -> None: ...


@dataclass(slots=True)
class DialerCounters:
    """What the dialer did; snapshots are taken at the window's edges."""

    sent: int = 0
    max_lag_s: float = 0.0
    snapshots: dict[str, dict[str, float]] = field(default_factory=dict)

    def snapshot(self, name: str, acked: int) -> None:
        """Remember the counts at this moment."""
        self.snapshots[name] = {"time": time.time(), "sent": self.sent, "acked": acked}


async def drive_and_measure(
    spec: LoadSpec, window: Window, times: Times, sink: EventSink, counters: DialerCounters
) -> None:
    """`drive`, with snapshots of the counts when the window opens and when it closes."""

    async def snapshot_start() -> None:
        await sleep_until(window.start)
        counters.snapshot("start", sink.acked())

    async with trio.open_nursery() as nursery:
        nursery.start_soon(snapshot_start)
        await drive(spec, window, times, sink, counters)
    await sleep_until(window.end)
    counters.snapshot("end", sink.acked())


async def drive(
    spec: LoadSpec, window: Window, times: Times, sink: EventSink, counters: DialerCounters
) -> None:
    """Send events from `window.go` until `window.end`, at the spec's pace."""
    if spec.rate_mode == "constant":
        await _constant(spec, window, times, sink, counters)
    elif spec.rate_mode == "max":
        await _as_fast_as_acked(spec, window, times, sink, counters)


async def _constant(
    spec: LoadSpec, window: Window, times: Times, sink: EventSink, counters: DialerCounters
) -> None:
    rate = spec.rate
    total = min(int((window.end - window.go) * rate), len(times) - 1)
    go = window.go
    await sleep_until(go)
    while counters.sent < total:
        now = time.time()
        due = min(total, int((now - go) * rate) + 1)
        if due <= counters.sent:
            await sleep_until(go + counters.sent / rate)
            continue
        first = counters.sent + 1
        last = min(due, counters.sent + MAX_BATCH_EVENTS)
        stamps = [go + (n - 1) / rate for n in range(first, last + 1)]
        for n, stamp in enumerate(stamps, first):
            times[n] = stamp
        counters.max_lag_s = max(counters.max_lag_s, now - stamps[0])
        counters.sent = last
        await sink.send(first, stamps)


async def _as_fast_as_acked(
    spec: LoadSpec, window: Window, times: Times, sink: EventSink, counters: DialerCounters
) -> None:
    capacity = len(times) - 1
    await sleep_until(window.go)
    while time.time() < window.end and counters.sent < capacity:
        room = spec.max_outstanding_events - (counters.sent - sink.acked())
        if room <= 0:
            with trio.move_on_at(trio.current_time() + max(0.0, window.end - time.time())):
                await sink.acked_changed()
            continue
        count = min(room, MAX_MODE_BATCH_EVENTS, capacity - counters.sent)
        now = time.time()
        first = counters.sent + 1
        stamps = [now] * count
        for n in range(first, first + count):
            times[n] = now
        counters.sent += count
        await sink.send(first, stamps)
