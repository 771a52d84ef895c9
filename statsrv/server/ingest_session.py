"""One dialer connection: hello, events in Seq order, refusals that keep the stream, acks."""

from __future__ import annotations

from collections.abc import Mapping
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
    ErrorCode,
    EventBatch,
    EventError,
    IngestConnection,
    ProtocolError,
)
from statsrv.domain import InvalidEvent
from statsrv.server.connection_io import Conduit
from statsrv.server.hub import DialerRecord, Hub
from statsrv.settings import token_accepted

log = structlog.get_logger("statsrv")


class IngestSession:
    """Serves one dialer; events go to the hub in arrival order."""

    def __init__(self, hub: Hub, stream: trio.abc.Stream, conn_id: int) -> None:
        self.hub = hub
        self.conn_id = conn_id
        self.io = Conduit.with_limits(stream, hub.clock, hub.settings.limits)
        self.conn = IngestConnection(max_frame_bytes=hub.settings.server.max_frame_bytes)
        self.name: str | None = None
        self.tenant: str | None = None
        self.record: DialerRecord | None = None
        self.events_applied = 0
        self.events_refused = 0
        self._acked = 0
        self._ack_due = trio.Event()

    async def run(self) -> None:
        """Serve until the dialer leaves, errs fatally, or a newer connection replaces it."""
        try:
            with self.io.cancel_scope:
                async with trio.open_nursery() as nursery:
                    nursery.start_soon(self.io.run_writer)
                    nursery.start_soon(self._run_acks)
                    while await self._read_once():
                        pass
                    self._ack_now()
                    self.io.close(self.io.stats.close_reason)
        finally:
            if self.name is not None:
                self.hub.detach_dialer(self.name, self)
                if self.hub.validity is not None and self.tenant is not None:
                    self.hub.validity.feed_lost(self.tenant)
            await self.io.aclose()
            log.info(
                "dialer_closed",
                dialer=self.name,
                events_applied=self.events_applied,
                events_refused=self.events_refused,
                **self.io.summary(),
            )

    def replace(self, reason: str) -> None:
        """A newer connection of the same DialerName took over: stop at once."""
        self.io.abort(reason)

    def server_closing(self, reason: str) -> None:
        """The server is going away: acknowledge what was applied and close."""
        self._ack_now()
        self.io.close(reason)

    async def _read_once(self) -> bool:
        return await self.io.read_messages(self.conn, self._handle)

    def _handle(self, message: Any) -> bool:
        match message:
            case ProtocolError():
                self._send(message.to_event())
                if message.closes_connection:
                    self.io.stats.close_reason = message.code.name
                    return False
                if message.seq is not None:
                    self._use_up(message.seq)
            case DialerHello():
                return self._hello(message)
            case CampaignEvent(seq=seq, body=body):
                self._event(seq, body)
            case EventBatch(events=items):
                for item in items:
                    self._handle(item)
            case DialerSync(seq=seq):
                self._send(DialerAck(seq=min(seq, self._last_seq())))
        return True

    def _hello(self, hello: DialerHello) -> bool:
        accepted = self.hub.settings.auth.dialer_token_sha256
        if hello.protocol_version != PROTOCOL_VERSION:
            self._error(
                ErrorCode.UnsupportedProtocolVersion,
                f"ProtocolVersion: {hello.protocol_version} is not supported; "
                f"this server speaks {PROTOCOL_VERSION}",
            )
            return False
        if not token_accepted(hello.token, accepted):
            self._error(ErrorCode.AuthenticationFailed, "Token: missing or not accepted")
            return False
        self.name, self.tenant = hello.dialer_name, hello.tenant
        structlog.contextvars.bind_contextvars(dialer=self.name)
        last_seq = self.hub.attach_dialer(self.name, self)
        self.record = self.hub.dialer(self.name)
        self._acked = last_seq
        self._send(DialerWelcome(last_seq=last_seq))
        if self.hub.validity is not None:
            self.hub.validity.feed_up(self.tenant)
        log.info("dialer_connected", tenant=self.tenant, last_seq=last_seq)
        return True

    def _event(self, seq: int, body: Mapping[str, Any]) -> None:
        assert self.record is not None and self.tenant is not None  # the state table ensures it
        expected = self.record.last_seq + 1
        if seq < expected:
            return  # already used up: a resend after reconnect, ignored
        if seq > expected:
            self._error(
                ErrorCode.InvalidEvent, f"Seq: {seq} leaves a gap; expected {expected}", seq=seq
            )
            return
        try:
            self.hub.apply_event(body, self.tenant)
        except InvalidEvent as refusal:
            self.events_refused += 1
            self._error(ErrorCode.InvalidEvent, str(refusal), seq=seq)
        else:
            self.events_applied += 1
        self.record.last_seq = seq
        self._ack_due.set()

    def _use_up(self, seq: int) -> None:
        """A malformed event still uses up its Seq when it is the expected one."""
        if self.record is not None and seq == self.record.last_seq + 1:
            self.record.last_seq = seq
            self.events_refused += 1
            self._ack_due.set()

    async def _run_acks(self) -> None:
        interval = self.hub.settings.ingest.ack_interval_seconds
        while True:
            await self._ack_due.wait()
            await trio.sleep(interval)
            self._ack_now()

    def _ack_now(self) -> None:
        self._ack_due = trio.Event()
        last = self._last_seq()
        if self.record is not None and last > self._acked:
            self._acked = last
            self._send(DialerAck(seq=last))

    def _last_seq(self) -> int:
        return 0 if self.record is None else self.record.last_seq

    def _error(self, code: ErrorCode, description: str, seq: int | None = None) -> None:
        self._send(
            EventError(error_code=int(code), error_name=code.name, description=description, seq=seq)
        )

    def _send(self, message: Any) -> None:
        self.io.outbox.put(self.conn.send(message), self.hub.clock.now())
