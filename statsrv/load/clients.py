"""The client worker process: many client connections in one trio loop.

Each client registers, opens its statistics (pipelined), then counts every pushed `EventInfo`.
For marker statistics it also turns the value into the number of the event that caused it and
records the latency from that event's intended send time to the moment the value was received.
In the open-storm mode each client opens and closes its statistics in pipelined rounds instead.
"""

from __future__ import annotations

import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import trio

from statsrv.load.latency import LatencyRecorder
from statsrv.load.peer import LoadPeer
from statsrv.load.shared import Times, Window
from statsrv.load.spec import LoadSpec
from statsrv.load.wire import FrameReader, frame

RECEIVE_BYTES = 262_144
PING_REFERENCE = -1
REGISTER_REFERENCE = 0
KEEP_ERRORS = 5


@dataclass(slots=True)
class WorkerCounters:
    """Totals of one worker's clients."""

    connected: int = 0
    opened: int = 0
    open_errors: int = 0
    notifications: int = 0
    answers: int = 0
    gaps: int = 0
    errors: int = 0
    disconnects: int = 0
    slow_consumers: int = 0
    drained: int = 0
    error_names: Counter[str] = field(default_factory=Counter)
    error_samples: list[str] = field(default_factory=list)
    snapshots: dict[str, dict[str, float]] = field(default_factory=dict)
    latency: LatencyRecorder = field(default_factory=LatencyRecorder)

    def error(self, message: dict[str, Any]) -> None:
        """Count an EventError."""
        self.errors += 1
        name = str(message.get("ErrorName"))
        self.error_names[name] += 1
        if name == "SlowConsumer":
            self.slow_consumers += 1
        if len(self.error_samples) < KEEP_ERRORS:
            self.error_samples.append(f"{name}: {message.get('Description')}")

    def snapshot(self, name: str) -> None:
        """Remember the counts at this moment (the window's edges)."""
        self.snapshots[name] = {
            "time": time.time(),
            "notifications": self.notifications,
            "answers": self.answers,
        }

    def progress(self) -> dict[str, Any]:
        """A small progress report."""
        return {
            "connected": self.connected,
            "opened": self.opened,
            "notifications": self.notifications,
            "answers": self.answers,
            "errors": self.errors,
            "disconnects": self.disconnects,
        }

    def final(self) -> dict[str, Any]:
        """Everything, with the latency histogram encoded."""
        return self.progress() | {
            "open_errors": self.open_errors,
            "gaps": self.gaps,
            "slow_consumers": self.slow_consumers,
            "drained": self.drained,
            "error_names": dict(self.error_names),
            "error_samples": self.error_samples,
            "snapshots": self.snapshots,
            "latency": self.latency.encoded(),
        }


@dataclass(slots=True)
class Marker:
    """A marker statistic's campaign and the last value seen."""

    campaign: int
    base: int | None = None
    last: int = 0


class LoadClient(LoadPeer):
    """One client connection of the run."""

    def __init__(self, spec: LoadSpec, number: int, counters: WorkerCounters, times: Times) -> None:
        super().__init__(counters)
        self.spec = spec
        self.number = number
        self.times = times
        self.window: Window | None = None
        self.reader = FrameReader()
        self.markers: dict[int, Marker] = {}
        self.answered = 0
        self._answers_changed = trio.Event()
        self.open_requests = self._open_requests()

    def _open_requests(self) -> list[dict[str, Any]]:
        requests = []
        for slot in range(self.spec.statistics_per_client):
            campaign, kind_index = self.spec.cell(self.number, slot)
            kind = self.spec.mix[kind_index]
            reference = slot + 1
            if kind_index == 0:
                self.markers[reference] = Marker(campaign)
            fields = kind.open_fields(self.spec.campaign_name(campaign))
            requests.append({"Message": "RequestOpenStatistic", "ReferenceId": reference} | fields)
        return requests

    def marker_counts(self) -> list[tuple[int, int]]:
        """(campaign, dial results counted by its marker) for each marker that got a value."""
        return [(m.campaign, m.last - m.base) for m in self.markers.values() if m.base is not None]

    async def connect(self, host: str, port: int) -> None:
        """Connect and register."""
        self.stream = await trio.open_tcp_stream(host, port)
        register = {
            "Message": "RequestRegisterClient",
            "ReferenceId": REGISTER_REFERENCE,
            "ClientName": f"{self.spec.run_id}-client-{self.number}",
            "ProtocolVersion": 1,
        }
        await self.stream.send_all(frame(register))
        self.counters.connected += 1

    async def open_all(self) -> None:
        """Send every open request in one write; wait for all their answers."""
        target = 1 + len(self.open_requests)  # the registration's answer, then the opens'
        await self._send(b"".join(frame(r) for r in self.open_requests))
        await self.wait_answers(target)

    async def storm(self, window: Window) -> None:
        """Open and close every statistic, pipelined, round after round, until the window ends."""
        closes = b"".join(
            frame({"Message": "RequestCloseStatistic", "ReferenceId": r, "StatisticId": r})
            for r in range(1, len(self.open_requests) + 1)
        )
        opens = b"".join(frame(r) for r in self.open_requests)
        count = len(self.open_requests)
        while time.time() < window.end and self.stream is not None:
            for requests in (opens, closes):
                target = self.answered + count  # before sending: answers may come back at once
                await self._send(requests)
                await self.wait_answers(target)

    async def wait_answers(self, target: int) -> None:
        """Until `target` direct answers (opened, closed, error) have arrived."""
        while self.answered < target and self.stream is not None:
            await self._answers_changed.wait()

    async def drain(self) -> bool:
        """Ping and wait for the pong: everything pushed before it has then arrived."""
        return await self._ping_and_wait(
            frame({"Message": "RequestPing", "ReferenceId": PING_REFERENCE})
        )

    async def read(self) -> None:
        """Handle everything the server sends until it closes the connection."""
        assert self.stream is not None
        try:
            while data := await self.stream.receive_some(RECEIVE_BYTES):
                now = time.time()
                skipped, messages = self.reader.feed(data, self.markers)
                self.counters.notifications += skipped
                for message in messages:
                    self._on_message(message, now)
        except (trio.BrokenResourceError, trio.ClosedResourceError):
            pass
        self._lost()

    def _wake_waiters(self) -> None:
        self._answered()

    def _on_message(self, message: dict[str, Any], now: float) -> None:
        name = message.get("Message")
        if name == "EventInfo" and "ReferenceId" not in message:
            self.counters.notifications += 1
            marker = self.markers.get(message["StatisticId"])
            if marker is not None:
                self._marker_value(marker, message["Value"], now)
        elif name in ("EventStatisticOpened", "EventStatisticClosed", "EventClientRegistered"):
            if name == "EventStatisticOpened":
                self.counters.opened += 1
            self.counters.answers += 1
            self._answered()
        elif name == "EventPong":
            self.ponged.set()
        elif name == "EventError":
            self.counters.error(message)
            if "ReferenceId" in message:
                self.counters.open_errors += message["ReferenceId"] != REGISTER_REFERENCE
                self.counters.answers += 1
                self._answered()

    def _answered(self) -> None:
        self.answered += 1
        self._answers_changed.set()
        self._answers_changed = trio.Event()

    def _marker_value(self, marker: Marker, value: int, now: float) -> None:
        if marker.base is None:
            marker.base = marker.last = value
            return
        if value <= marker.last:
            return  # the same value again (a re-open's initial value): no new event
        if value > marker.last + 1:
            self.counters.gaps += value - marker.last - 1
        marker.last = value
        window = self.window
        number = self.spec.event_number(marker.campaign, value - marker.base)
        if window is None or number >= len(self.times):
            return
        intended = self.times[number]
        if window.start <= intended < window.end:
            self.counters.latency.add(now - intended)
