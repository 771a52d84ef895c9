"""A dialer's connection to the ingest port: Seq numbering, resend after reconnect, acks.

Events are numbered and kept until the server acknowledges them. After a reconnect the link
says hello again, drops what `DialerWelcome.LastSeq` says was used up, and resends the rest, so
the server counts every event exactly once. While the server is down it retries with backoff.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import structlog
import trio

from protocol import (
    PROTOCOL_VERSION,
    CampaignEvent,
    DialerAck,
    DialerHello,
    DialerSync,
    DialerWelcome,
    EventError,
    FrameDecoder,
    decode,
    encode,
)

log = structlog.get_logger("statsrv.dialer")

_FROM_SERVER = frozenset({DialerWelcome, DialerAck, EventError})


class DialerRefused(Exception):
    """The server refused the hello (version or token): retrying would not help."""


@dataclass(slots=True)
class LinkCounters:
    """What the link has done, for progress lines and tests."""

    sent: int = 0
    acked: int = 0
    refused: int = 0
    connects: int = 0
    errors: list[EventError] = field(default_factory=list)


class DialerLink:
    """Numbered, resendable event stream to one server, under one DialerName."""

    def __init__(
        self,
        host: str,
        port: int,
        dialer_name: str,
        tenant: str = "Environment",
        token: str | None = None,
        *,
        window: int = 50_000,
        backoff_initial_seconds: float = 0.1,
        backoff_max_seconds: float = 5.0,
        keep_errors: int = 1000,
    ) -> None:
        self.host, self.port = host, port
        self.dialer_name, self.tenant, self.token = dialer_name, tenant, token
        self.window = window
        self.backoff_initial_seconds = backoff_initial_seconds
        self.backoff_max_seconds = backoff_max_seconds
        self.keep_errors = keep_errors
        self.counters = LinkCounters()
        self._unacked: dict[int, bytes] = {}
        self._last_seq = 0
        self._acked_seq = 0
        self._written_seq = 0
        self._sync_wanted = False
        self._connected = False
        self._changed = trio.Event()
        self._closed = False

    @property
    def last_seq(self) -> int:
        """The Seq of the newest event handed to `send`."""
        return self._last_seq

    @property
    def acked_seq(self) -> int:
        """The highest Seq the server has acknowledged."""
        return self._acked_seq

    async def send(self, body: Mapping[str, Any]) -> int:
        """Number and queue one event body; waits while the unacknowledged window is full."""
        while len(self._unacked) >= self.window:
            await self._wait_change()
        self._last_seq += 1
        self._unacked[self._last_seq] = encode(CampaignEvent(seq=self._last_seq, body=dict(body)))
        self.counters.sent += 1
        self._notify()
        return self._last_seq

    async def wait_acked(self, seq: int | None = None) -> None:
        """Until the server has acknowledged `seq` (default: everything sent so far)."""
        target = self._last_seq if seq is None else seq
        while self._acked_seq < target:
            self._sync_wanted = True
            self._notify()
            await self._wait_change()

    def close(self) -> None:
        """Stop the link's `run` after the current connection ends."""
        self._closed = True
        self._notify()

    async def run(self, *, task_status: trio.TaskStatus[None] = trio.TASK_STATUS_IGNORED) -> None:
        """Connect, stream, reconnect with backoff; forever (until `close` or cancellation)."""
        delay = self.backoff_initial_seconds
        started = False
        while not self._closed:
            try:
                stream = await trio.open_tcp_stream(self.host, self.port)
            except OSError as exc:
                log.info("dialer_connect_failed", error=str(exc), retry_in=round(delay, 2))
                await trio.sleep(delay)
                delay = min(delay * 2, self.backoff_max_seconds)
                continue
            delay = self.backoff_initial_seconds
            if not started:
                task_status.started()
                started = True
            await self._serve_connection(stream)

    async def _serve_connection(self, stream: trio.SocketStream) -> None:
        self.counters.connects += 1
        try:
            async with stream, trio.open_nursery() as nursery:
                nursery.start_soon(self._write_loop, stream, nursery.cancel_scope)
                await self._read_loop(stream)
                nursery.cancel_scope.cancel()
        finally:
            self._connected = False

    async def _read_loop(self, stream: trio.SocketStream) -> None:
        decoder = FrameDecoder()
        while True:
            try:
                data = await stream.receive_some(65536)
            except (trio.BrokenResourceError, trio.ClosedResourceError) as exc:
                log.info("dialer_connection_lost", error=str(exc))
                return
            if not data:
                log.info("dialer_connection_lost", error="closed by the server")
                return
            decoder.feed(data)
            while (body := decoder.next_frame()) is not None:
                self._on_message(decode(body, _FROM_SERVER))

    def _on_message(self, message: Any) -> None:
        match message:
            case DialerWelcome(last_seq=last_seq):
                self._acknowledge(last_seq)
                self._written_seq = max(self._acked_seq, last_seq)
                self._last_seq = max(self._last_seq, last_seq)
                self._connected = True
            case DialerAck(seq=seq):
                self._acknowledge(seq)
            case EventError() if message.error_name in (
                "UnsupportedProtocolVersion",
                "AuthenticationFailed",
            ):
                raise DialerRefused(message.description)
            case EventError():
                self.counters.refused += 1
                if len(self.counters.errors) < self.keep_errors:
                    self.counters.errors.append(message)
                log.warning(
                    "dialer_event_refused",
                    seq=message.seq,
                    error=message.error_name,
                    description=message.description,
                )
        self._notify()

    def _acknowledge(self, seq: int) -> None:
        for done in range(self._acked_seq + 1, seq + 1):
            self._unacked.pop(done, None)
        if seq > self._acked_seq:
            self.counters.acked += seq - self._acked_seq
            self._acked_seq = seq

    async def _write_loop(self, stream: trio.SocketStream, scope: trio.CancelScope) -> None:
        hello = DialerHello(
            dialer_name=self.dialer_name,
            protocol_version=PROTOCOL_VERSION,
            tenant=self.tenant,
            token=self.token,
        )
        chunk = encode(hello)
        try:
            while True:
                if chunk:
                    await stream.send_all(chunk)
                elif self._closed and self._acked_seq >= self._last_seq:
                    scope.cancel()
                    return
                else:
                    await self._wait_change()
                chunk = self._next_chunk()
        except (trio.BrokenResourceError, trio.ClosedResourceError):
            scope.cancel()

    def _next_chunk(self) -> bytes:
        if not self._connected:
            return b""
        chunk = self._pending_frames()
        if self._sync_wanted:
            chunk += encode(DialerSync(seq=self._last_seq))
            self._sync_wanted = False
        return chunk

    def _pending_frames(self, limit: int = 2000) -> bytes:
        start = self._written_seq + 1
        end = min(self._last_seq, start + limit - 1)
        frames = [self._unacked[seq] for seq in range(start, end + 1) if seq in self._unacked]
        self._written_seq = max(self._written_seq, end)
        return b"".join(frames)

    def _notify(self) -> None:
        self._changed.set()
        self._changed = trio.Event()

    async def _wait_change(self) -> None:
        await self._changed.wait()
