"""In-process rigs for server tests: the real hub and sessions over trio memory streams."""

from __future__ import annotations

import dataclasses
import itertools
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import trio
import trio.testing

from protocol import CampaignEvent as WireCampaignEvent
from protocol import (
    DialerHello,
    DialerSync,
    FrameDecoder,
    RequestRegisterClient,
    decode,
    encode,
)
from statsrv.server.app import build_hub
from statsrv.server.client_session import ClientSession
from statsrv.server.clock import ServerClock
from statsrv.server.hub import Hub
from statsrv.server.ingest_session import IngestSession
from statsrv.settings import Settings, load_settings

T0 = 1_805_112_000.0  # 2027-03-15 12:00 UTC: far from midnight
"""Unix time at trio time zero in every rig."""


def settings(**sections: dict[str, Any]) -> Settings:
    """The bundled settings in UTC, with some sections' keys replaced."""
    base = load_settings()
    base = dataclasses.replace(base, server=dataclasses.replace(base.server, time_zone="UTC"))
    for name, values in sections.items():
        base = dataclasses.replace(
            base, **{name: dataclasses.replace(getattr(base, name), **values)}
        )
    return base


class Peer:
    """The far end of a session's stream, speaking the protocol with our own codec."""

    def __init__(self, stream: trio.abc.Stream) -> None:
        self.stream = stream
        self.decoder = FrameDecoder(max_frame_bytes=64 * 1024 * 1024)
        self.backlog: list[Any] = []
        self.refs = itertools.count(1)
        self.closed = False

    async def send(self, message: Any) -> None:
        await self.stream.send_all(encode(message))

    async def send_raw(self, data: bytes) -> None:
        await self.stream.send_all(data)

    async def receive(self) -> Any:
        """The next message (backlog first); raises EOFError when the server closed."""
        if self.backlog:
            return self.backlog.pop(0)
        while (body := self.decoder.next_frame()) is None:
            data = await self.stream.receive_some(65536)
            if not data:
                self.closed = True
                raise EOFError("the server closed the connection")
            self.decoder.feed(data)
        return decode(body)

    async def expect(self, kind: type, **fields: Any) -> Any:
        """The next message of `kind` with `fields`; others met on the way are kept for later."""
        skipped: list[Any] = []
        try:
            while True:
                message = await self.receive()
                if isinstance(message, kind) and all(
                    getattr(message, k) == v for k, v in fields.items()
                ):
                    return message
                skipped.append(message)
        finally:
            self.backlog = skipped + self.backlog

    async def all_until_closed(self) -> list[Any]:
        """Every message until the server closes the connection."""
        out = list(self.backlog)
        self.backlog = []
        while True:
            try:
                out.append(await self.receive())
            except EOFError:
                return out

    async def nothing_pending(self) -> list[Any]:
        """Whatever arrived once every task is blocked (nothing more to come for now)."""
        await trio.testing.wait_all_tasks_blocked()
        out = list(self.backlog)
        self.backlog = []
        while True:
            with trio.move_on_after(0) as scope:
                data = await self.stream.receive_some(65536)
            if scope.cancelled_caught:
                break
            if not data:
                self.closed = True
                break
            self.decoder.feed(data)
            while (body := self.decoder.next_frame()) is not None:
                out.append(decode(body))
        return out

    def ref(self) -> int:
        return next(self.refs)


class Dialer(Peer):
    """A test dialer: hello, events with consecutive Seq, sync."""

    def __init__(self, stream: trio.abc.Stream, name: str, tenant: str) -> None:
        super().__init__(stream)
        self.name = name
        self.tenant = tenant
        self.seq = 0

    async def hello(self) -> Any:
        await self.send(DialerHello(dialer_name=self.name, protocol_version=1, tenant=self.tenant))
        welcome = await self.receive()
        self.seq = welcome.last_seq
        return welcome

    async def event(self, event: str, campaign: str, time: float, **fields: Any) -> int:
        self.seq += 1
        body = {"Event": event, "Time": time, "Campaign": campaign, **fields}
        await self.send(WireCampaignEvent(seq=self.seq, body=body))
        return self.seq

    async def sync(self) -> Any:
        from protocol import DialerAck

        await self.send(DialerSync(seq=self.seq))
        return await self.expect(DialerAck, seq=self.seq)


@dataclasses.dataclass
class Rig:
    """A hub with its background tasks, and helpers to connect peers to it."""

    hub: Hub
    nursery: trio.Nursery
    ids: itertools.count = dataclasses.field(default_factory=lambda: itertools.count(1))

    def now(self) -> float:
        return self.hub.clock.now()

    def _pair(self, lockstep: bool) -> tuple[trio.abc.Stream, trio.abc.Stream]:
        if lockstep:
            return trio.testing.lockstep_stream_pair()
        return trio.testing.memory_stream_pair()

    async def client(
        self, *, register: bool = True, lockstep: bool = False, name: str = "test-client"
    ) -> Peer:
        ours, theirs = self._pair(lockstep)
        self.nursery.start_soon(ClientSession(self.hub, theirs, next(self.ids)).run)
        peer = Peer(ours)
        if register:
            await peer.send(
                RequestRegisterClient(reference_id=0, client_name=name, protocol_version=1)
            )
            await peer.receive()
        return peer

    async def dialer(
        self, name: str = "dialer-1", tenant: str = "Environment", hello: bool = True
    ) -> Dialer:
        ours, theirs = trio.testing.memory_stream_pair()
        self.nursery.start_soon(IngestSession(self.hub, theirs, next(self.ids)).run)
        dialer = Dialer(ours, name, tenant)
        if hello:
            await dialer.hello()
        return dialer


@asynccontextmanager
async def rig(config: Settings | None = None) -> AsyncIterator[Rig]:
    """A running hub (timers and validity) on a clock that reads T0 at trio time zero."""
    config = config or settings()
    clock = ServerClock(unix_at_trio_zero=T0 - trio.current_time())
    hub = build_hub(config, clock)
    async with trio.open_nursery() as nursery:
        nursery.start_soon(hub.run_timers)
        if hub.validity is not None:
            nursery.start_soon(hub.validity.run)
        yield Rig(hub, nursery)
        nursery.cancel_scope.cancel()
