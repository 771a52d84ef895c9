"""Real servers on 127.0.0.1 port 0, in process, and a small client to read their statistics."""

from __future__ import annotations

import dataclasses
import itertools
import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import trio

from protocol import (
    EventError,
    EventInfo,
    FrameDecoder,
    RequestGetStatistic,
    RequestRegisterClient,
    StatisticMetric,
    StatisticObject,
    decode,
    encode,
)
from statsrv.server.app import RunningServer, serve
from statsrv.settings import Settings, load_settings

START = 1_700_000_000.0
"""Simulator start time in these tests: in the past, so unpaced events are never refused."""


def server_settings(**sections: dict[str, Any]) -> Settings:
    """The bundled settings in UTC on free ports, with some sections' keys replaced."""
    base = load_settings()
    base = dataclasses.replace(
        base,
        server=dataclasses.replace(base.server, time_zone="UTC", client_port=0, ingest_port=0),
    )
    for name, values in sections.items():
        base = dataclasses.replace(
            base, **{name: dataclasses.replace(getattr(base, name), **values)}
        )
    return base


@asynccontextmanager
async def running_server(
    config: Settings | None = None, record: Path | None = None, port: int | None = None
) -> AsyncIterator[RunningServer]:
    """A real server in this process; shut down (and its recording closed) on exit."""
    config = config or server_settings()
    if port is not None:
        config = dataclasses.replace(
            config, server=dataclasses.replace(config.server, ingest_port=port)
        )
    async with trio.open_nursery() as nursery:
        running: RunningServer = await nursery.start(
            lambda task_status: serve(config, record=record, task_status=task_status)
        )
        yield running
        running.shutdown()


class StatClient:
    """A registered client that asks one-shot values (RequestGetStatistic)."""

    def __init__(self, stream: trio.SocketStream) -> None:
        self.stream = stream
        self.decoder = FrameDecoder(max_frame_bytes=64 * 1024 * 1024)
        self.refs = itertools.count(1)

    @classmethod
    async def connect(cls, running: RunningServer) -> StatClient:
        client = cls(await trio.open_tcp_stream("127.0.0.1", running.client_port))
        await client.stream.send_all(
            encode(RequestRegisterClient(reference_id=0, client_name="test", protocol_version=1))
        )
        await client.receive()
        return client

    async def receive(self) -> Any:
        while (body := self.decoder.next_frame()) is None:
            data = await self.stream.receive_some(65536)
            if not data:
                raise EOFError("the server closed the connection")
            self.decoder.feed(data)
        return decode(body)

    async def get(
        self, object_type: str, object_id: str, statistic: str, profile: str | None = None
    ) -> Any:
        ref = next(self.refs)
        request = RequestGetStatistic(
            reference_id=ref,
            statistic_object=StatisticObject(object_id=object_id, object_type=object_type),
            statistic_metric=StatisticMetric(statistic_type=statistic, time_profile=profile),
        )
        await self.stream.send_all(encode(request))
        while True:
            message = await self.receive()
            if isinstance(message, EventError) and message.reference_id == ref:
                raise AssertionError(f"{statistic} on {object_id}: {message.description}")
            if isinstance(message, EventInfo) and message.reference_id == ref:
                return message.value

    async def aclose(self) -> None:
        await self.stream.aclose()


def recorded(path: Path) -> list[dict[str, Any]]:
    """Every line of a recording."""
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
