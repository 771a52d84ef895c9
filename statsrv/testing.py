"""pytest plugin for integration tests against a real statsrv: server, fake dialer, client.

Fixtures (trio fixtures; the tests run under pytest-trio):

- `statsrv_settings`: the server's `Settings`: the bundled configuration on 127.0.0.1 with free
  ports, changed by the `statsrv_config` marker (or override the fixture itself);
- `statsrv_server`: a real server in the test's own process (`StatServer`: host, client_port,
  ingest_port, hub, settings);
- `fake_dialer`: a dialer connected to it (`FakeDialer`: `send`, `play`, `sync`);
- `statsrv_client`: a registered `statsrv.client.StatClient`.

    async def test_answers_count(fake_dialer, statsrv_client):
        await fake_dialer.send("GroupLoaded", "Spring2027", Group="Sales")
        await fake_dialer.send("DialResult", "Spring2027", Group="Sales",
                               CallingList="LeadsEast", RecordId=1, ChainId=1, CallResult=33)
        await fake_dialer.sync()
        assert await statsrv_client.get("Campaign:Spring2027", "Answers") == 1

The marker: `@pytest.mark.statsrv_config("my/statsrv.toml", validity={"grace_seconds": 1.0})`
loads that file (default: the bundled one) and replaces keys of its sections. Tests without an
event loop use `ServerThread` instead.
"""

from __future__ import annotations

import dataclasses
import threading
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from contextlib import asynccontextmanager
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import pytest
import trio

from statsrv.client import StatClient, connect
from statsrv.dialer import Scenario, bundled_scenarios, load_scenario
from statsrv.dialer.link import DialerLink
from statsrv.server.app import RunningServer, serve
from statsrv.settings import Settings, load_settings

if TYPE_CHECKING:
    from protocol import EventError
    from statsrv.server.hub import Hub

T = TypeVar("T")

MARKER = "statsrv_config"
DEFAULT_TENANT = "Environment"
TEST_DRAIN_SECONDS = 1.0
"""How long a test server waits for clients' output at shutdown."""

__all__ = [
    "EventsRefused",
    "FakeDialer",
    "ServerThread",
    "StatServer",
    "fake_dialer",
    "open_fake_dialer",
    "pytest_configure",
    "running_server",
    "server_settings",
    "statsrv_client",
    "statsrv_server",
    "statsrv_settings",
]


def pytest_configure(config: pytest.Config) -> None:
    """Register the `statsrv_config` marker."""
    config.addinivalue_line(
        "markers",
        f"{MARKER}(config_path=None, **sections): the statsrv.toml and the section keys "
        "(e.g. validity={'grace_seconds': 1.0}) of the test's statsrv_server",
    )


# --- settings --------------------------------------------------------------------------------


def server_settings(
    config_path: str | Path | None = None, **sections: Mapping[str, Any]
) -> Settings:
    """Settings for a test server: the file (or the bundled one), 127.0.0.1, free ports.

    Each keyword names a section (`server`, `limits`, `validity`, `ingest`, `auth`, `files`)
    and maps keys to new values; an unknown section or key raises ValueError naming it.
    """
    base = load_settings(Path(config_path) if config_path is not None else None)
    server = dataclasses.replace(
        base.server,
        host="127.0.0.1",
        client_port=0,
        ingest_port=0,
        shutdown_drain_seconds=TEST_DRAIN_SECONDS,
    )
    base = dataclasses.replace(base, server=server)
    for name, values in sections.items():
        section = getattr(base, name, None)
        if not dataclasses.is_dataclass(section):
            raise ValueError(f"{MARKER}: unknown settings section {name!r}")
        known = {field.name for field in dataclasses.fields(section)}
        for key in values:
            if key not in known:
                raise ValueError(f"{MARKER}: {name}.{key}: unknown key; known: {sorted(known)}")
        base = dataclasses.replace(base, **{name: dataclasses.replace(section, **values)})
    return base


@pytest.fixture
def statsrv_settings(request: pytest.FixtureRequest) -> Settings:
    """The test server's settings; see the `statsrv_config` marker."""
    marker = request.node.get_closest_marker(MARKER)
    if marker is None:
        return server_settings()
    return server_settings(*marker.args, **marker.kwargs)


# --- the server ------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True, slots=True)
class StatServer:
    """A running test server: where it listens and its hub (for assertions on server state)."""

    host: str
    client_port: int
    ingest_port: int
    hub: Hub
    settings: Settings
    running: RunningServer

    def now(self) -> float:
        """The server's clock, Unix seconds."""
        return self.hub.clock.now()


@asynccontextmanager
async def running_server(settings: Settings) -> AsyncIterator[StatServer]:
    """Run a server until the block ends, then shut it down gracefully."""
    async with trio.open_nursery() as nursery:
        running: RunningServer = await nursery.start(serve, settings)
        try:
            yield StatServer(
                settings.server.host,
                running.client_port,
                running.ingest_port,
                running.hub,
                settings,
                running,
            )
        finally:
            running.shutdown()


@pytest.fixture
async def statsrv_server(statsrv_settings: Settings) -> AsyncIterator[StatServer]:
    """A real statsrv server on free ports, in the test's process."""
    async with running_server(statsrv_settings) as server:
        yield server


# --- the dialer ------------------------------------------------------------------------------


class EventsRefused(AssertionError):
    """The server refused dialer events (`InvalidEvent`); `errors` are its EventErrors."""

    def __init__(self, errors: list[EventError]) -> None:
        lines = "; ".join(f"Seq {error.seq}: {error.description}" for error in errors)
        super().__init__(f"the server refused {len(errors)} dialer event(s): {lines}")
        self.errors = errors


class FakeDialer:
    """Sends campaign events to the ingest port and waits for the server to apply them."""

    def __init__(self, link: DialerLink, clock: Callable[[], float] = time.time) -> None:
        self.link = link
        self.clock = clock
        self._checked_errors = 0

    @property
    def refused(self) -> list[EventError]:
        """Every refusal (`EventError` InvalidEvent) received so far."""
        return list(self.link.counters.errors)

    async def send(
        self, event: str, campaign: str, *, at: float | None = None, **fields: Any
    ) -> None:
        """Send one event (`Time` is now unless `at` is given) with its own wire fields."""
        body = {"Event": event, "Time": self.clock() if at is None else at, "Campaign": campaign}
        await self.send_body({**body, **fields})

    async def send_body(self, body: Mapping[str, Any]) -> None:
        """Send one event given as its wire fields (without Message and Seq)."""
        await self.link.send(dict(body))

    async def play(
        self, scenario: str | Path | Scenario, *, start_time: float | None = None
    ) -> int:
        """Send a scenario's events at once (a bundled name, a file, or a loaded `Scenario`).

        Times start at `start_time`; by default the scenario ends one second ago, so no event is
        ahead of the server's clock. Returns how many events were sent.
        """
        loaded = _scenario(scenario)
        if start_time is None:
            start_time = self.clock() - loaded.duration - 1.0
        events = loaded.events(start_time)
        for _, body in events:
            await self.link.send(body)
        return len(events)

    async def sync(self, *, check: bool = True) -> int:
        """Wait until the server has applied every event sent; returns how many it has.

        With `check`, raises `EventsRefused` if any event since the previous sync was refused.
        """
        await self.link.wait_acked()
        errors = self.link.counters.errors
        new, self._checked_errors = errors[self._checked_errors :], len(errors)
        if check and new:
            raise EventsRefused(list(new))
        return self.link.counters.acked


def _scenario(scenario: str | Path | Scenario) -> Scenario:
    if isinstance(scenario, Scenario):
        return scenario
    bundled = bundled_scenarios()
    if isinstance(scenario, str) and scenario in bundled:
        return load_scenario(bundled[scenario])
    path = Path(scenario)
    if not path.exists():
        raise ValueError(
            f"scenario {scenario!r}: no such file and no bundled scenario of that name; "
            f"bundled: {', '.join(bundled)}"
        )
    return load_scenario(path)


@asynccontextmanager
async def open_fake_dialer(
    host: str,
    port: int,
    *,
    dialer_name: str = "fake-dialer",
    tenant: str = DEFAULT_TENANT,
    token: str | None = None,
    clock: Callable[[], float] = time.time,
) -> AsyncIterator[FakeDialer]:
    """A `FakeDialer` connected to `host:port` until the block ends."""
    link = DialerLink(host, port, dialer_name, tenant, token)
    async with trio.open_nursery() as nursery:
        await nursery.start(link.run)
        try:
            yield FakeDialer(link, clock)
        finally:
            link.close()
            nursery.cancel_scope.cancel()


@pytest.fixture
async def fake_dialer(statsrv_server: StatServer) -> AsyncIterator[FakeDialer]:
    """A dialer connected to `statsrv_server`, serving the default tenant."""
    async with open_fake_dialer(
        statsrv_server.host, statsrv_server.ingest_port, clock=statsrv_server.now
    ) as dialer:
        yield dialer


# --- the client ------------------------------------------------------------------------------


@pytest.fixture
async def statsrv_client(statsrv_server: StatServer) -> AsyncIterator[StatClient]:
    """A client registered with `statsrv_server`."""
    async with connect(
        statsrv_server.host, statsrv_server.client_port, client_name="pytest"
    ) as client:
        yield client


# --- tests without an event loop -------------------------------------------------------------


class ServerThread:
    """A real server on a background thread with its own trio loop, for synchronous tests.

    with ServerThread() as server:
        dialer = server.dialer()
        server.call(dialer.send, "GroupLoaded", "Spring2027", Group="Sales")
        server.call(dialer.sync)
    """

    def __init__(self, settings: Settings | None = None) -> None:
        self.settings = settings or server_settings()
        self.server: StatServer | None = None
        self._token: trio.lowlevel.TrioToken | None = None
        self._nursery: trio.Nursery | None = None
        self._stop: trio.Event | None = None
        self._started = threading.Event()
        self._failure: BaseException | None = None
        self._thread = threading.Thread(target=trio.run, args=(self._main,), daemon=True)

    @property
    def host(self) -> str:
        """The listening address."""
        return self._server().host

    @property
    def client_port(self) -> int:
        """The client port."""
        return self._server().client_port

    @property
    def ingest_port(self) -> int:
        """The ingest port."""
        return self._server().ingest_port

    def __enter__(self) -> ServerThread:
        self._thread.start()
        self._started.wait()
        if self._failure is not None:
            self._thread.join()
            raise self._failure
        return self

    def __exit__(self, *exc_info: object) -> None:
        if self._stop is not None and self._thread.is_alive():
            trio.from_thread.run_sync(self._stop.set, trio_token=self._token)
        self._thread.join()

    def call(self, async_fn: Callable[..., Awaitable[T]], *args: Any, **kwargs: Any) -> T:
        """Run `await async_fn(*args, **kwargs)` on the server's thread."""
        return trio.from_thread.run(partial(async_fn, *args, **kwargs), trio_token=self._token)

    def dialer(self, dialer_name: str = "fake-dialer", tenant: str = DEFAULT_TENANT) -> FakeDialer:
        """A `FakeDialer` running on the server's thread; use it through `call`."""
        return self.call(self._start_dialer, dialer_name, tenant)

    async def _start_dialer(self, dialer_name: str, tenant: str) -> FakeDialer:
        server = self._server()
        opened: trio.Event = trio.Event()
        holder: list[FakeDialer] = []

        async def keep_open() -> None:
            async with open_fake_dialer(
                server.host,
                server.ingest_port,
                dialer_name=dialer_name,
                tenant=tenant,
                clock=server.now,
            ) as dialer:
                holder.append(dialer)
                opened.set()
                await trio.sleep_forever()

        assert self._nursery is not None
        self._nursery.start_soon(keep_open)
        await opened.wait()
        return holder[0]

    def _server(self) -> StatServer:
        if self.server is None:
            raise RuntimeError("the server is not running; use `with ServerThread() as server:`")
        return self.server

    async def _main(self) -> None:
        self._stop = trio.Event()
        try:
            async with running_server(self.settings) as server, trio.open_nursery() as nursery:
                self.server, self._nursery = server, nursery
                self._token = trio.lowlevel.current_trio_token()
                self._started.set()
                await self._stop.wait()
                nursery.cancel_scope.cancel()
        except BaseException as exc:
            if self._started.is_set():
                raise
            self._failure = exc
            self._started.set()
