"""A client worker process: its share of the run's clients, in one trio loop."""

from __future__ import annotations

import time
from multiprocessing.connection import Connection
from typing import Literal, Protocol

import trio

from statsrv.load.clients import LoadClient, WorkerCounters
from statsrv.load.redis_baseline import RedisSubscriber
from statsrv.load.shared import ControlPipe, StopRequested, Times, Window, sleep_until
from statsrv.load.spec import LoadSpec

Backend = Literal["statsrv", "redis"]


class Client(Protocol):
    """What the worker needs of a client of either backend."""

    window: Window | None
    counters: WorkerCounters

    async def connect(self, host: str, port: int) -> None: ...

    async def open_all(self) -> None: ...

    async def wait_answers(self, target: int) -> None: ...

    async def storm(self, window: Window) -> None: ...

    async def read(self) -> None: ...

    async def drain(self) -> bool: ...

    async def close(self) -> None: ...

    def marker_counts(self) -> list[tuple[int, int]]: ...


def worker_main(
    spec: LoadSpec,
    backend: Backend,
    client_numbers: range,
    host: str,
    port: int,
    times: Times,
    connection: Connection,
) -> None:
    """Entry point of a client worker process."""
    control = ControlPipe(connection)
    client_type = LoadClient if backend == "statsrv" else RedisSubscriber
    clients: list[Client] = [client_type(spec, n, WORKER_COUNTERS, times) for n in client_numbers]
    try:
        trio.run(_worker, spec, clients, host, port, control)
    except* StopRequested:
        pass  # the harness ended the run early


WORKER_COUNTERS = WorkerCounters()
"""The one set of counters of this process (each worker is its own process)."""


async def _worker(
    spec: LoadSpec, clients: list[Client], host: str, port: int, control: ControlPipe
) -> None:
    counters = WORKER_COUNTERS
    limiter = trio.CapacityLimiter(spec.connect_concurrency)
    async with trio.open_nursery() as nursery:
        started = time.time()
        async with trio.open_nursery() as opening:
            for client in clients:
                opening.start_soon(_connect_and_open, client, host, port, nursery, limiter, spec)
        opened = counters.progress() | {"open_seconds": time.time() - started}
        control.send("ready", opened | {"open_errors": counters.open_errors})
        go = await control.expect("go")
        window = Window.after(go["go"], spec.warmup_s, spec.duration_s)
        for client in clients:
            client.window = window
        nursery.start_soon(_snapshots, window, counters)
        nursery.start_soon(_progress, control, counters)
        if spec.run_mode == "open-storm":
            async with trio.open_nursery() as storming:
                for client in clients:
                    storming.start_soon(client.storm, window)
        await control.expect("drain")
        await sleep_until(window.end)
        if "end" not in counters.snapshots:  # the drain came before the timer fired
            counters.snapshot("end")
        await _drain(clients, counters, spec.drain_timeout_s)
        control.send("final", counters.final() | {"marker_finals": _marker_finals(clients)})
        nursery.cancel_scope.cancel()


async def _connect_and_open(
    client: Client,
    host: str,
    port: int,
    nursery: trio.Nursery,
    limiter: trio.CapacityLimiter,
    spec: LoadSpec,
) -> None:
    async with limiter:
        try:
            await client.connect(host, port)
        except OSError:
            client.counters.disconnects += 1
            return
        nursery.start_soon(client.read)
        if spec.run_mode == "push":
            await client.open_all()
        else:
            await client.wait_answers(1)


def _marker_finals(clients: list[Client]) -> dict[int, int]:
    """Per campaign, the lowest final count any of its markers reached."""
    finals: dict[int, int] = {}
    for client in clients:
        for campaign, count in client.marker_counts():
            finals[campaign] = min(finals.get(campaign, count), count)
    return finals


async def _snapshots(window: Window, counters: WorkerCounters) -> None:
    await sleep_until(window.start)
    counters.snapshot("start")
    await sleep_until(window.end)
    if "end" not in counters.snapshots:
        counters.snapshot("end")


async def _progress(control: ControlPipe, counters: WorkerCounters) -> None:
    while True:
        await trio.sleep(1.0)
        control.send("progress", counters.progress())


async def _drain(clients: list[Client], counters: WorkerCounters, timeout_s: float) -> None:
    async def drain_one(client: Client) -> None:
        if await client.drain():
            counters.drained += 1
        await client.close()

    with trio.move_on_after(timeout_s):
        async with trio.open_nursery() as draining:
            for client in clients:
                draining.start_soon(drain_one, client)
