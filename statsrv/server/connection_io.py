"""What both kinds of session share: the writer task, slow-consumer cut-off, close summary."""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

import structlog
import trio

from protocol import ErrorCode, EventError
from protocol import encode as encode_message
from statsrv.server.clock import ServerClock
from statsrv.server.outbox import Outbox
from statsrv.settings import LimitsSection

log = structlog.get_logger("statsrv")

RECEIVE_BYTES = 65536
FINAL_WORDS_SECONDS = 0.5


class SansIOConnection(Protocol):
    """The part of protocol's ClientConnection / IngestConnection that reading needs."""

    def receive_data(self, data: bytes) -> None: ...

    def next_event(self) -> Any: ...


class PeerGone(Exception):
    """The peer's socket failed or closed under us."""


@dataclass(slots=True)
class ConnectionStats:
    """What the close summary line reports."""

    started: float = field(default_factory=time.monotonic)
    frames_in: int = 0
    bytes_in: int = 0
    close_reason: str = "peer closed"


class Conduit:
    """One stream, one outbox, one writer task, and a cancel scope to cut the peer off."""

    def __init__(
        self,
        stream: trio.abc.Stream,
        clock: ServerClock,
        max_pending_bytes: int,
        grace_seconds: float,
    ) -> None:
        self.stream = stream
        self.clock = clock
        self.grace_seconds = grace_seconds
        self.outbox = Outbox(max_pending_bytes, self._overflowed)
        self.stats = ConnectionStats()
        self.cancel_scope = trio.CancelScope()
        self.slow = False
        self._finishing = False

    @classmethod
    def with_limits(
        cls, stream: trio.abc.Stream, clock: ServerClock, limits: LimitsSection
    ) -> Conduit:
        """A conduit bounded by the [limits] of statsrv.toml."""
        return cls(
            stream, clock, limits.max_pending_output_bytes, limits.slow_consumer_grace_seconds
        )

    def close(self, reason: str) -> None:
        """End the connection once what is pending has been written."""
        if self.stats.close_reason == "peer closed":
            self.stats.close_reason = reason
        self._finishing = True
        self.outbox.wake()

    def abort(self, reason: str) -> None:
        """End the connection now, without draining."""
        if self.stats.close_reason == "peer closed":
            self.stats.close_reason = reason
        self.cancel_scope.cancel()

    async def run_writer(self) -> None:
        """Send all that is pending in one `send_all`, repeatedly; cut off a stuck peer."""
        while True:
            await self.outbox.wait_ready()
            data = self.outbox.take()
            if data:
                limit = FINAL_WORDS_SECONDS if self.slow else self.grace_seconds
                with trio.move_on_after(limit) as scope:
                    await self._send(data)
                if scope.cancelled_caught:
                    self._cut_off("the socket accepted nothing for the grace period")
                    return
            if self._finishing and self.outbox.pending_frames == 0:
                self.cancel_scope.cancel()
                return

    async def read_messages(self, conn: SansIOConnection, handle: Callable[[Any], bool]) -> bool:
        """Read one chunk and handle every complete message in it, in order.

        False when the peer is done: it closed, a handler said to stop, or it fell behind.
        """
        try:
            data = await self.receive()
        except PeerGone:
            return False
        if not data:
            return False
        conn.receive_data(data)
        while (message := conn.next_event()) is not None:
            self.stats.frames_in += 1
            if not handle(message):
                return False
        return not self.slow

    async def receive(self) -> bytes:
        """The next chunk from the peer (b"" when it closed)."""
        try:
            data = await self.stream.receive_some(RECEIVE_BYTES)
        except (trio.BrokenResourceError, trio.ClosedResourceError) as exc:
            raise PeerGone(str(exc)) from exc
        self.stats.bytes_in += len(data)
        return data

    async def _send(self, data: bytes) -> None:
        try:
            await self.stream.send_all(data)
        except (trio.BrokenResourceError, trio.ClosedResourceError):
            self.abort("peer reset the connection")

    def _overflowed(self) -> None:
        """Past the byte bound: keep only the SlowConsumer error, then close."""
        self._log_slow("pending output passed its byte bound")
        farewell = encode_message(
            EventError(
                error_code=ErrorCode.SlowConsumer,
                error_name=ErrorCode.SlowConsumer.name,
                description="the client fell too far behind and is disconnected",
            )
        )
        self.outbox.replace_all(farewell)
        self._finishing = True

    def _cut_off(self, why: str) -> None:
        self._log_slow(why)
        self.abort("slow consumer")

    def _log_slow(self, why: str) -> None:
        if self.slow:
            return
        self.slow = True
        self.stats.close_reason = "slow consumer"
        log.warning(
            "slow_consumer",
            reason=why,
            pending_bytes=self.outbox.pending_bytes,
            pending_frames=self.outbox.pending_frames,
            behind_seconds=round(self.outbox.behind_seconds(self.clock.now()), 3),
            conflated=self.outbox.conflated,
        )

    async def aclose(self) -> None:
        """Close the stream, ignoring a peer that is already gone."""
        with (
            trio.CancelScope(shield=True),
            trio.move_on_after(1),
            contextlib.suppress(trio.BrokenResourceError, trio.ClosedResourceError),
        ):
            await self.stream.aclose()

    def summary(self) -> dict[str, object]:
        """The fields of the one log line per connection close."""
        return {
            "duration_seconds": round(time.monotonic() - self.stats.started, 3),
            "frames_in": self.stats.frames_in,
            "bytes_in": self.stats.bytes_in,
            "frames_out": self.outbox.frames_out,
            "bytes_out": self.outbox.bytes_out,
            "close_reason": self.stats.close_reason,
        }
