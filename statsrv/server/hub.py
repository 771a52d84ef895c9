"""The hub: the one place that owns the core, the connected clients and the dialer streams.

Everything here is synchronous and runs on trio's single thread, so a dialer event is applied
and its updates are queued on every affected client's outbox before anything else runs.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

import trio

from statsrv.core import Applied, StatCore
from statsrv.engine import Update
from statsrv.server.clock import ServerClock
from statsrv.server.value_frames import ValueFrames, pushed_head
from statsrv.settings import Settings

if TYPE_CHECKING:
    from statsrv.server.validity import Validity


class ValueSink(Protocol):
    """What a client session offers the hub: a place to queue a statistic's value."""

    def push_value(self, statistic_id: int, tag: int, value: Any) -> None: ...

    def push_frame(self, statistic_id: int, frame: bytes, now: float) -> None: ...


@dataclass(slots=True)
class OpenStatistic:
    """A client's open statistic: the owner the engine hands back with each update."""

    sink: ValueSink
    statistic_id: int
    tag: int
    tenant: str
    subscription: Any = None
    info_head: bytes = b""  # its pushed EventInfo's fixed part, encoded on first use


class DialerStream(Protocol):
    """What an ingest session offers the hub."""

    def replace(self, reason: str) -> None: ...

    def server_closing(self, reason: str) -> None: ...


@dataclass(slots=True)
class DialerRecord:
    """Per DialerName: the highest Seq used up, and the connection streaming now (if any)."""

    last_seq: int = 0
    stream: DialerStream | None = None


@dataclass(slots=True)
class HubCounters:
    """Totals for logs and `statistics()`."""

    updates_delivered: int = 0
    values_written: int = 0
    clients_connected: int = 0
    slow_consumers: int = 0
    extra: dict[str, int] = field(default_factory=dict)


class Hub:
    """Routes dialer events into the core and the core's updates to client outboxes."""

    def __init__(self, settings: Settings, core: StatCore, clock: ServerClock) -> None:
        self.settings = settings
        self.core = core
        self.clock = clock
        self.dialers: dict[str, DialerRecord] = {}
        self.clients: set[Any] = set()
        self.counters = HubCounters()
        self.validity: Validity | None = None
        self.recorder: Any = None
        self._timer_changed = trio.Event()
        self._armed_deadline: float | None = None
        self.closing = False

    # --- dialer side -------------------------------------------------------------------------

    def dialer(self, name: str) -> DialerRecord:
        """The record of `name`, created on first use."""
        record = self.dialers.get(name)
        if record is None:
            record = self.dialers[name] = DialerRecord()
        return record

    def attach_dialer(self, name: str, stream: DialerStream) -> int:
        """Make `stream` the connection of `name` (closing an older one); returns LastSeq."""
        record = self.dialer(name)
        if record.stream is not None and record.stream is not stream:
            record.stream.replace("a newer connection of the same DialerName said hello")
        record.stream = stream
        return record.last_seq

    def detach_dialer(self, name: str, stream: DialerStream) -> None:
        """Forget `stream` as the connection of `name`, if it still is."""
        record = self.dialers.get(name)
        if record is not None and record.stream is stream:
            record.stream = None

    def apply_event(self, body: Mapping[str, Any], default_tenant: str) -> Applied:
        """Apply one dialer event and deliver its updates; raises InvalidEvent if refused."""
        applied = self.core.apply_event(body, default_tenant, self.clock.now())
        if self.recorder is not None:
            self.recorder.record(body, default_tenant, applied)
        self.deliver(applied.updates)
        self.poke_timer()
        return applied

    # --- delivery and timers -----------------------------------------------------------------

    def deliver(self, updates: Iterable[Update]) -> None:
        """Queue each update on its client's outbox (all stamped with one server time)."""
        now = self.clock.now()
        frames = ValueFrames(now)
        count = 0
        for subscription, value in updates:
            owner: OpenStatistic = subscription.owner
            head = owner.info_head
            if not head:
                head = owner.info_head = pushed_head(owner.statistic_id, owner.tag)
            owner.sink.push_frame(owner.statistic_id, frames.frame_with_head(head, value), now)
            count += 1
        self.counters.updates_delivered += count

    def poke_timer(self) -> None:
        """Wake the timer task if the engine's next deadline moved earlier."""
        deadline = self.core.next_deadline()
        if deadline is not None and (
            self._armed_deadline is None or deadline < self._armed_deadline
        ):
            self._timer_changed.set()

    async def run_timers(self) -> None:
        """Sleep until the engine's next deadline, fire it, repeat; forever."""
        while True:
            self._armed_deadline = self.core.next_deadline()
            self._timer_changed = trio.Event()
            with trio.move_on_at(self.clock.trio_deadline(self._armed_deadline)):
                await self._timer_changed.wait()
                continue
            self.deliver(self.core.on_timer(self.clock.now()))

    def statistics(self) -> dict[str, Any]:
        """Counters for logs and tests."""
        return {
            "clients": len(self.clients),
            "dialers_streaming": sum(1 for r in self.dialers.values() if r.stream is not None),
            "updates_delivered": self.counters.updates_delivered,
            "values_written": self.counters.values_written
            + sum(session.io.outbox.values_out for session in self.clients),
            "slow_consumers": self.counters.slow_consumers,
            "events_applied": self.core.events_applied,
            "events_refused": self.core.events_refused,
        }
