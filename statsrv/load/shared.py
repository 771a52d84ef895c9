"""What the load processes share: the send-time table, the measurement window, the control pipe."""

from __future__ import annotations

import time
from dataclasses import dataclass
from multiprocessing.connection import Connection
from multiprocessing.sharedctypes import RawArray
from typing import Any

import trio

Times = Any
"""A shared array of float64: entry n holds the intended send time (Unix s) of driven event n."""


def new_times(capacity: int) -> Times:
    """A zeroed table for `capacity` events (index 0 unused)."""
    return RawArray("d", max(capacity, 1) + 1)


@dataclass(frozen=True, slots=True)
class Window:
    """The measurement window: after the warm-up, for the duration (Unix seconds)."""

    go: float
    start: float
    end: float

    @classmethod
    def after(cls, go: float, warmup_s: float, duration_s: float) -> Window:
        """The window of a run that starts sending at `go`."""
        return cls(go, go + warmup_s, go + warmup_s + duration_s)

    def holds(self, moment: float) -> bool:
        """True when `moment` falls inside the window."""
        return self.start <= moment < self.end


async def sleep_until(moment: float) -> None:
    """Sleep until the wall clock reads `moment`."""
    delay = moment - time.time()
    if delay > 0:
        await trio.sleep(delay)


class ControlPipe:
    """A child's end of its pipe to the harness, usable from trio."""

    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    def send(self, kind: str, payload: dict[str, Any] | None = None) -> None:
        """Tell the harness something (small messages: the pipe never fills)."""
        self.connection.send((kind, payload or {}))

    async def receive(self) -> tuple[str, dict[str, Any]]:
        """The harness's next command."""
        return await trio.to_thread.run_sync(self.connection.recv, abandon_on_cancel=True)

    async def expect(self, kind: str) -> dict[str, Any]:
        """Wait for a command of this kind; ("stop", …) ends the child early."""
        got, payload = await self.receive()
        if got == "stop":
            raise StopRequested
        if got != kind:
            raise RuntimeError(f"expected command {kind!r}, got {got!r}")
        return payload


class StopRequested(Exception):
    """The harness asked a child to end now."""
