"""Per-connection pending output: ordered frames, with values conflated per statistic.

The engine never waits for a client: it only appends here. A writer task takes everything
pending at once and sends it with one `send_all`. When a client falls behind, a statistic's newer
value replaces its older pending one, in place; past the byte bound the outbox overflows and the
owner cuts the client off.
"""

from __future__ import annotations

from collections.abc import Callable

import trio


class Outbox:
    """Bounded, conflating queue of encoded frames for one peer."""

    def __init__(self, max_bytes: int, on_overflow: Callable[[], None]) -> None:
        self.max_bytes = max_bytes
        self._on_overflow = on_overflow
        self._frames: dict[int, bytes] = {}
        self._latest: dict[int, int] = {}  # statistic id -> key of its pending value frame
        self._next_key = 0
        self._pending_bytes = 0
        self._behind_since: float | None = None
        self._ready = trio.Event()
        self.overflowed = False
        self._pending_values = 0
        self.frames_out = 0
        self.bytes_out = 0
        self.values_out = 0
        self.conflated = 0

    @property
    def pending_bytes(self) -> int:
        """Bytes queued and not yet handed to the socket."""
        return self._pending_bytes

    @property
    def pending_frames(self) -> int:
        """Frames queued and not yet handed to the socket."""
        return len(self._frames)

    def behind_seconds(self, now: float) -> float:
        """How long the oldest pending frame has waited."""
        return 0.0 if self._behind_since is None else now - self._behind_since

    def put(self, frame: bytes, now: float = 0.0) -> None:
        """Queue a frame that must be delivered as it is (a response, an error, an event)."""
        if self._admit(len(frame), now):
            self._frames[self._new_key()] = frame

    def put_value(self, statistic_id: int, frame: bytes, now: float = 0.0) -> None:
        """Queue a statistic's value; an older pending value of the same statistic is replaced."""
        key = self._latest.get(statistic_id)
        if key is None:
            if self._admit(len(frame), now):
                self._next_key = key = self._next_key + 1
                self._frames[key] = frame
                self._latest[statistic_id] = key
                self._pending_values += 1
            return
        old = self._frames[key]
        if self._admit(len(frame) - len(old), now):
            self._frames[key] = frame
            self.conflated += 1

    def seal(self, statistic_id: int) -> None:
        """Later values of this statistic queue after everything pending now (close, resume)."""
        self._latest.pop(statistic_id, None)

    def take(self) -> bytes:
        """Everything pending, as one buffer; the outbox is empty afterwards."""
        data = b"".join(self._frames.values())
        self.frames_out += len(self._frames)
        self.bytes_out += len(data)
        self.values_out += self._pending_values
        self._pending_values = 0
        self._frames.clear()
        self._latest.clear()
        self._pending_bytes = 0
        self._behind_since = None
        self._ready = trio.Event()
        return data

    def replace_all(self, frame: bytes) -> None:
        """Drop everything pending and queue only `frame` (a farewell), ignoring the bound."""
        self._frames = {self._new_key(): frame}
        self._latest.clear()
        self._pending_values = 0
        self._pending_bytes = len(frame)
        self._ready.set()

    def wake(self) -> None:
        """Wake the writer even though nothing new is pending (to notice a close)."""
        self._ready.set()

    async def wait_ready(self) -> None:
        """Until something is pending."""
        if not self._frames:
            await self._ready.wait()

    def _new_key(self) -> int:
        self._next_key += 1
        return self._next_key

    def _admit(self, extra_bytes: int, now: float) -> bool:
        if self.overflowed:
            return False
        pending = self._pending_bytes + extra_bytes
        if pending > self.max_bytes:
            self.overflowed = True
            self._on_overflow()
            return False
        self._pending_bytes = pending
        if self._behind_since is None:
            self._behind_since = now
            self._ready.set()
        return True
