"""A dialer's connection to the ingest port: Seq numbering, resend after reconnect, acks.

Events are numbered and kept until the server acknowledges them. On its first `DialerWelcome` a
link numbers its events after the welcome's `LastSeq` (a new run continues the DialerName's
stream). After a reconnect it drops what `LastSeq` says was used up and resends the rest, so the
server counts every event exactly once. While the server is down it retries with backoff. A
server that forgot the stream (`LastSeq` below what it had acknowledged: it restarted) gets the
outstanding events renumbered after its `LastSeq`.
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
_FATAL = frozenset({"UnsupportedProtocolVersion", "AuthenticationFailed"})

Body = Mapping[str, Any]


class DialerRefused(Exception):
    """The server refused the hello (version or token): retrying would not help."""


@dataclass(slots=True)
class LinkCounters:
    """What the link has done, for progress lines and tests."""

    queued: int = 0
    acked: int = 0
    refused: int = 0
    connects: int = 0
    connect_failures: int = 0
    errors: list[EventError] = field(default_factory=list)


class DialerLink:
    """Numbered, resendable event stream to one server, under one DialerName.

    `outstanding` restores the numbered events a predecessor (a crashed run of the same dialer)
    never saw acknowledged: the link then resumes that stream instead of starting a new one.
    """

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
        outstanding: Mapping[int, Body] | None = None,
    ) -> None:
        self.host, self.port = host, port
        self.dialer_name, self.tenant, self.token = dialer_name, tenant, token
        self.window = window
        self.backoff_initial_seconds = backoff_initial_seconds
        self.backoff_max_seconds = backoff_max_seconds
        self.keep_errors = keep_errors
        self.counters = LinkCounters()
        self._unacked: dict[int, Body] = dict(sorted((outstanding or {}).items()))
        self._anchored = bool(self._unacked)
        self._acked_seq = min(self._unacked, default=1) - 1
        self._last_seq = max(self._unacked, default=0)
        self._written_seq = self._acked_seq
        self.counters.queued = len(self._unacked)
        self._sync_wanted = False
        self._connected = False
        self._changed = trio.Event()
        self._closed = False

    # --- the sending side --------------------------------------------------------------------

    @property
    def pending(self) -> int:
        """Events queued and not yet acknowledged."""
        return len(self._unacked)

    @property
    def connected(self) -> bool:
        """True between a `DialerWelcome` and the end of that connection."""
        return self._connected

    def outstanding(self) -> dict[int, Body]:
        """The numbered events not yet acknowledged (what a successor link must resend)."""
        return dict(self._unacked)

    def queue(self, body: Body) -> None:
        """Number and queue one event body now, whatever the window (see `wait_room`)."""
        self._last_seq += 1
        self._unacked[self._last_seq] = body
        self.counters.queued += 1
        self._notify()

    async def wait_room(self) -> None:
        """Until fewer than `window` events wait for their acknowledgement."""
        while len(self._unacked) >= self.window:
            self._sync_wanted = True  # ask for an acknowledgement now rather than within 1 s
            self._notify()
            await self.wait_change()

    async def send(self, body: Body) -> None:
        """Wait for room in the window, then queue one event body."""
        await self.wait_room()
        self.queue(body)

    async def wait_acked(self) -> None:
        """Until the server has acknowledged every event queued before this call."""
        target = self.counters.queued
        while self.counters.acked < target:
            self._sync_wanted = True
            self._notify()
            await self.wait_change()

    def close(self) -> None:
        """Let `run` return once everything queued is acknowledged."""
        self._closed = True
        self._notify()

    # --- the connection ----------------------------------------------------------------------

    async def run(self, *, task_status: trio.TaskStatus[None] = trio.TASK_STATUS_IGNORED) -> None:
        """Connect, stream, reconnect with backoff; until `close` and all acked (or cancelled).

        `close` counts from this call on, so a link may run again after it returned. Reports
        started once the first connection is open. Raises DialerRefused when the server refuses
        the hello.
        """
        self._closed = False
        delay = self.backoff_initial_seconds
        started = False
        while not (self._closed and not self._unacked):
            try:
                stream = await trio.open_tcp_stream(self.host, self.port)
            except OSError as exc:
                self.counters.connect_failures += 1
                self._notify()
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
        refused: DialerRefused | None = None
        try:
            async with stream, trio.open_nursery() as nursery:
                nursery.start_soon(self._write_loop, stream, nursery.cancel_scope)
                refused = await self._read_loop(stream)
                nursery.cancel_scope.cancel()
        finally:
            self._connected = False
            self._notify()
        if refused is not None:
            raise refused

    async def _read_loop(self, stream: trio.SocketStream) -> DialerRefused | None:
        decoder = FrameDecoder()
        while True:
            try:
                data = await stream.receive_some(65536)
            except (trio.BrokenResourceError, trio.ClosedResourceError) as exc:
                log.info("dialer_connection_lost", error=str(exc))
                return None
            if not data:
                log.info("dialer_connection_lost", error="closed by the server")
                return None
            decoder.feed(data)
            while (body := decoder.next_frame()) is not None:
                message = decode(body, _FROM_SERVER)
                if isinstance(message, EventError) and message.error_name in _FATAL:
                    return DialerRefused(f"{message.error_name}: {message.description}")
                self._on_message(message)

    def _on_message(self, message: Any) -> None:
        match message:
            case DialerWelcome(last_seq=last_seq):
                self._welcome(last_seq)
            case DialerAck(seq=seq):
                self._acknowledge(seq)
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

    def _welcome(self, last_seq: int) -> None:
        if not self._anchored or last_seq < self._acked_seq:
            self._renumber_after(last_seq)
        else:
            self._acknowledge(last_seq)
            self._last_seq = max(self._last_seq, last_seq)
        self._written_seq = max(self._acked_seq, last_seq)
        self._connected = True
        log.info("dialer_welcomed", last_seq=last_seq, resending=len(self._unacked))

    def _renumber_after(self, last_seq: int) -> None:
        """Continue the server's numbering of this DialerName with our outstanding events."""
        bodies = [self._unacked[seq] for seq in sorted(self._unacked)]
        self._unacked = {last_seq + n: body for n, body in enumerate(bodies, 1)}
        self._acked_seq = last_seq
        self._last_seq = last_seq + len(bodies)
        self._anchored = True

    def _acknowledge(self, seq: int) -> None:
        if seq <= self._acked_seq:
            return
        for done in range(self._acked_seq + 1, min(seq, self._last_seq) + 1):
            if self._unacked.pop(done, None) is not None:
                self.counters.acked += 1
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
                elif self._closed and not self._unacked:
                    scope.cancel()
                    return
                else:
                    await self.wait_change()
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
        start = max(self._written_seq, self._acked_seq) + 1
        end = min(self._last_seq, start + limit - 1)
        frames = [
            encode(CampaignEvent(seq=seq, body=dict(self._unacked[seq])))
            for seq in range(start, end + 1)
            if seq in self._unacked
        ]
        self._written_seq = max(self._written_seq, end)
        return b"".join(frames)

    def _notify(self) -> None:
        self._changed.set()
        self._changed = trio.Event()

    async def wait_change(self) -> None:
        """Until the link's state changes: an event queued, acknowledged or refused, a
        connection welcomed, lost or failed."""
        await self._changed.wait()
