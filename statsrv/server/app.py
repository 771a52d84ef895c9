"""The server: both listeners, the timer and validity tasks, and graceful shutdown."""

from __future__ import annotations

import itertools
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

import structlog
import trio

from statsrv.core import CoreConfig, StatCore
from statsrv.server.client_session import ClientSession
from statsrv.server.clock import ServerClock
from statsrv.server.hub import Hub
from statsrv.server.ingest_session import IngestSession
from statsrv.server.recorder import EventRecorder
from statsrv.server.validity import Validity
from statsrv.settings import Settings

log = structlog.get_logger("statsrv")


@dataclass
class RunningServer:
    """What `serve` hands back once both ports listen."""

    hub: Hub
    client_port: int
    ingest_port: int
    _stop: trio.Event = field(default_factory=trio.Event)

    def shutdown(self) -> None:
        """Begin a graceful shutdown (what SIGTERM does)."""
        self._stop.set()


def load_core_config(settings: Settings) -> CoreConfig:
    """The statistics and objects files named by `settings`; raises ConfigError."""
    return CoreConfig.load(settings.statistics_path, settings.objects_path, settings.zone())


def build_hub(settings: Settings, clock: ServerClock, config: CoreConfig | None = None) -> Hub:
    """Wire the core, the hub and validity together (loading the files unless given)."""
    started = clock.now()
    config = config or load_core_config(settings)
    core = StatCore.build(config, started, settings.ingest.max_event_lead_seconds)
    hub = Hub(settings, core, clock)
    hub.validity = Validity(hub, settings.validity.grace_seconds, started)
    return hub


async def serve(
    settings: Settings,
    *,
    clock: ServerClock | None = None,
    hub: Hub | None = None,
    config: CoreConfig | None = None,
    record: Path | None = None,
    task_status: trio.TaskStatus[RunningServer] = trio.TASK_STATUS_IGNORED,
) -> None:
    """Run the server until `RunningServer.shutdown()`; reports the ports through task_status.

    `record`: a JSON Lines file that receives every accepted dialer event (`statsrv replay`).
    """
    clock = clock or ServerClock()
    hub = hub or build_hub(settings, clock, config)
    if record is None:
        await _serve_hub(settings, hub, task_status)
        return
    hub.recorder = EventRecorder.open(record, hub.core)
    try:
        await _serve_hub(settings, hub, task_status)
    finally:
        hub.recorder.close()


async def _serve_hub(
    settings: Settings, hub: Hub, task_status: trio.TaskStatus[RunningServer]
) -> None:
    host = settings.server.host
    client_listeners = await trio.open_tcp_listeners(settings.server.client_port, host=host)
    ingest_listeners = await trio.open_tcp_listeners(settings.server.ingest_port, host=host)
    running = RunningServer(hub, _port(client_listeners), _port(ingest_listeners))
    ids = itertools.count(1)
    accepting = [trio.CancelScope(), trio.CancelScope()]
    async with trio.open_nursery() as background:
        background.start_soon(hub.run_timers)
        if hub.validity is not None:
            background.start_soon(hub.validity.run)
        with trio.CancelScope() as draining:
            async with trio.open_nursery() as connections:
                for scope, listeners, session_type in (
                    (accepting[0], client_listeners, ClientSession),
                    (accepting[1], ingest_listeners, IngestSession),
                ):
                    handler = partial(_handle_connection, hub, session_type, ids)
                    background.start_soon(_accept, scope, handler, listeners, connections)
                log.info(
                    "server_listening",
                    host=host,
                    client_port=running.client_port,
                    ingest_port=running.ingest_port,
                )
                task_status.started(running)
                await running._stop.wait()
                _begin_shutdown(hub, accepting)
                draining.deadline = trio.current_time() + settings.server.shutdown_drain_seconds
        background.cancel_scope.cancel()
    log.info("server_stopped", **hub.statistics())


async def _accept(
    scope: trio.CancelScope,
    handler: Callable[[trio.SocketStream], Awaitable[None]],
    listeners: list[trio.SocketListener],
    connections: trio.Nursery,
) -> None:
    with scope:
        await trio.serve_listeners(handler, listeners, handler_nursery=connections)


def _begin_shutdown(hub: Hub, accepting: list[trio.CancelScope]) -> None:
    """Stop accepting and tell every client and dialer; their sessions then drain and end."""
    log.info("server_shutting_down", clients=len(hub.clients))
    hub.closing = True
    for scope in accepting:
        scope.cancel()
    for session in list(hub.clients):
        session.server_closing("the server is shutting down")
    for record in hub.dialers.values():
        if record.stream is not None:
            record.stream.server_closing("the server is shutting down")


async def _handle_connection(
    hub: Hub, session_type: Any, ids: itertools.count, stream: trio.SocketStream
) -> None:
    conn_id = next(ids)
    peer = _peer_name(stream)
    structlog.contextvars.bind_contextvars(conn_id=conn_id, peer=peer)
    if hub.closing:
        await stream.aclose()
        return
    try:
        await session_type(hub, stream, conn_id).run()
    except Exception:  # a bug in one connection's handling must not stop the others
        log.exception("connection_failed")


def _peer_name(stream: trio.SocketStream) -> str:
    try:
        host, port = stream.socket.getpeername()[:2]
    except OSError:
        return "?"
    return f"{host}:{port}"


def _port(listeners: list[trio.SocketListener]) -> int:
    return listeners[0].socket.getsockname()[1]
