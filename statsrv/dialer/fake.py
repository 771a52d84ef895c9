"""The fake dialer: a simulator, a scenario or any timed event stream, driven over a DialerLink.

Paced (`speed` above 0): each event is sent when its time comes (its offset from the first event,
divided by `speed`) and stamped with that moment, so the server sees a live feed. Unpaced (`speed`
0): events go as fast as the server acknowledges them, with the times they carry.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any, NamedTuple

import trio

from statsrv.dialer.link import Body, DialerLink, DialerRefused
from statsrv.dialer.scenario import Scenario
from statsrv.dialer.simulator import DialerSimulator, TimedEvent

CHECKPOINT_EVERY = 256
"""Unpaced, the producer yields to the link's writer after this many events."""


class Progress(NamedTuple):
    """A fake dialer's counters at one moment."""

    queued: int
    acked: int
    refused: int
    connects: int
    connected: bool


@dataclass(frozen=True, slots=True)
class Outstanding:
    """What a stopped fake dialer had not yet delivered: a successor resumes from it."""

    events: Mapping[int, Body]
    """Numbered events the server has not acknowledged."""
    drawn: TimedEvent | None
    """An event taken from the source but not yet numbered."""


class FakeDialer:
    """Drives `source` into the ingest port at `host:port` as the dialer `dialer_name`.

    `source` is a DialerSimulator (endless), a Scenario (its events start so that, unpaced, the
    last one is one second ago) or any iterable of `(time, body)`. `events` and `duration`
    (seconds of event time from the first event) bound the run; a bounded run returns from
    `run` once every event is acknowledged, an endless one runs until cancelled.
    `origin_time` is the event time that is sent at the start of a run (default: the run's first
    event's); `duration` counts from it too.
    """

    def __init__(
        self,
        host: str,
        port: int,
        source: DialerSimulator | Scenario | Iterable[TimedEvent],
        *,
        dialer_name: str = "fake-dialer",
        tenant: str = "Environment",
        token: str | None = None,
        speed: float = 0.0,
        events: int | None = None,
        duration: float | None = None,
        resume: Outstanding | None = None,
        origin_time: float | None = None,
        link_options: Mapping[str, Any] | None = None,
    ) -> None:
        if speed < 0:
            raise ValueError(f"speed: must be 0 (unpaced) or above, got {speed}")
        if events is not None and events < 0:
            raise ValueError(f"events: must not be negative, got {events}")
        if duration is not None and duration < 0:
            raise ValueError(f"duration: must not be negative, got {duration}")
        self.speed = speed
        self.events = events
        self.duration = duration
        self.link = DialerLink(
            host,
            port,
            dialer_name,
            tenant,
            token,
            outstanding=resume.events if resume else None,
            **dict(link_options or {}),
        )
        self._source = _timed_events(source, speed)
        self._drawn = resume.drawn if resume else None
        self._origin_time = origin_time
        self._produced = 0

    def progress(self) -> Progress:
        """Events queued, acknowledged and refused so far; connections made; connected now."""
        c = self.link.counters
        return Progress(c.queued, c.acked, c.refused, c.connects, self.link.connected)

    def outstanding(self) -> Outstanding:
        """What a successor with the same DialerName must send (after this one is stopped)."""
        return Outstanding(self.link.outstanding(), self._drawn)

    async def wait_acked(self) -> None:
        """Until the server has acknowledged every event queued so far."""
        await self.link.wait_acked()

    async def run(self, *, task_status: trio.TaskStatus[None] = trio.TASK_STATUS_IGNORED) -> None:
        """Connect and send; returns when a bounded run is all acknowledged.

        Reports started at once (the link keeps retrying while the server is down). Raises
        DialerRefused when the server refuses the hello.
        """
        refusal: list[DialerRefused] = []
        async with trio.open_nursery() as nursery:
            nursery.start_soon(_link_task, self.link, refusal, nursery.cancel_scope)
            task_status.started()
            await self._produce()
            await self.link.wait_acked()
            self.link.close()
        if refusal:
            raise refusal[0]

    async def _produce(self) -> None:
        origin_trio = trio.current_time()
        origin_unix = time.time()
        first_time = self._origin_time  # each run paces from its own first event by default
        while self.events is None or self._produced < self.events:
            await self.link.wait_room()
            item = self._drawn or next(self._source, None)
            if item is None:
                return
            self._drawn = item
            at, body = item
            if first_time is None:
                first_time = at
            offset = at - first_time
            if self.duration is not None and offset > self.duration:
                return
            if self.speed > 0:
                await trio.sleep_until(origin_trio + offset / self.speed)
                body = {**body, "Time": round(origin_unix + offset / self.speed, 6)}
            elif self._produced % CHECKPOINT_EVERY == 0:
                await trio.lowlevel.checkpoint()
            self._drawn = None
            self.link.queue(body)
            self._produced += 1


async def _link_task(
    link: DialerLink, refusal: list[DialerRefused], scope: trio.CancelScope
) -> None:
    try:
        await link.run()
    except DialerRefused as exc:
        refusal.append(exc)
        scope.cancel()


def _timed_events(
    source: DialerSimulator | Scenario | Iterable[TimedEvent], speed: float
) -> Iterator[TimedEvent]:
    if isinstance(source, Scenario):
        start = time.time() - source.duration - 1.0 if speed == 0 else 0.0
        return iter(source.events(start))
    return iter(source)
