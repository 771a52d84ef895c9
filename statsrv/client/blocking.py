"""A blocking client for GUI and script code without an event loop.

`BlockingClient` runs the async client on a background thread with its own `trio.run`. Its
methods block the calling thread until the answer comes; values arrive on a thread-safe queue
(`updates`) and, if given, through an `on_update` callback called on the background thread
(a GUI should only queue there and let its own loop pick the update up).

    with BlockingClient("127.0.0.1", 7070, client_name="board") as client:
        dials = client.open_statistic("Campaign:Spring2027", "DialsMade")
        update = client.updates.get(timeout=5)     # ValueUpdate(statistic, value, valid, ...)
"""

from __future__ import annotations

import contextlib
import queue
import threading
from collections.abc import Awaitable, Callable
from functools import partial
from typing import Any, NamedTuple, TypeVar

import trio

from protocol import EventPong, EventStatisticProfile
from statsrv.client.client import StatClient, connect
from statsrv.client.errors import ConnectionClosed
from statsrv.client.objects import NotificationLike, ObjectLike, StatisticLike
from statsrv.client.statistic import Statistic

T = TypeVar("T")

DEFAULT_QUEUE_UPDATES = 10_000
"""Updates kept for a reader that falls behind; the oldest are dropped past it."""


class ValueUpdate(NamedTuple):
    """One value (or `Invalid` marker) of one statistic."""

    statistic: BlockingStatistic
    value: Any
    valid: bool
    server_time: float | None


class BlockingStatistic:
    """The blocking face of an open `Statistic`."""

    def __init__(self, client: BlockingClient, statistic: Statistic) -> None:
        self._client = client
        self._statistic = statistic

    def __repr__(self) -> str:
        return repr(self._statistic).replace("<Statistic", "<BlockingStatistic", 1)

    @property
    def statistic_id(self) -> int:
        """The StatisticId (the ReferenceId of the open)."""
        return self._statistic.statistic_id

    @property
    def tag(self) -> int:
        """The Tag given at open."""
        return self._statistic.tag

    @property
    def value(self) -> Any:
        """The latest value received; None before the first."""
        return self._statistic.value

    @property
    def valid(self) -> bool:
        """False while the statistic's feed (or the connection) is lost."""
        return self._statistic.valid

    @property
    def closed(self) -> bool:
        """True once closed."""
        return self._statistic.closed

    @property
    def statistic(self) -> Statistic:
        """The underlying async handle (use it only on the client's thread)."""
        return self._statistic

    def peek(self) -> Any:
        """The current value, asked of the server."""
        return self._client.call(self._statistic.peek)

    def close(self) -> None:
        """Close the statistic."""
        self._client.call(self._statistic.close)

    def suspend(self) -> None:
        """Stop pushed values."""
        self._client.call(self._statistic.suspend)

    def resume(self) -> None:
        """Resume pushed values."""
        self._client.call(self._statistic.resume)


class BlockingClient:
    """A `StatClient` on a background thread; every method blocks until answered."""

    def __init__(
        self,
        host: str = "127.0.0.1",
        port: int = 7070,
        *,
        client_name: str = "statsrv-client",
        token: str | None = None,
        reconnect: bool = False,
        on_update: Callable[[ValueUpdate], None] | None = None,
        queue_updates: int = DEFAULT_QUEUE_UPDATES,
        **options: Any,
    ) -> None:
        """Connect and register now; raises what `connect` raises (OSError, refusals)."""
        self.updates: queue.Queue[ValueUpdate] = queue.Queue(maxsize=queue_updates)
        self._on_update = on_update
        self._wrappers: dict[int, BlockingStatistic] = {}
        self._client: StatClient | None = None
        self._token: trio.lowlevel.TrioToken | None = None
        self._stop: trio.Event | None = None
        self._started = threading.Event()
        self._failure: BaseException | None = None
        options = dict(client_name=client_name, token=token, reconnect=reconnect, **options)
        self._thread = threading.Thread(
            target=trio.run, args=(self._main, host, port, options), daemon=True, name="statsrv"
        )
        self._thread.start()
        self._started.wait()
        if self._failure is not None:
            self._thread.join()
            raise self._failure

    # --- lifecycle ---------------------------------------------------------------------------

    def __enter__(self) -> BlockingClient:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self, timeout_seconds: float = 5.0) -> None:
        """Close the connection and stop the background thread."""
        if self._thread.is_alive() and self._token is not None and self._stop is not None:
            with contextlib.suppress(trio.RunFinishedError):
                trio.from_thread.run_sync(self._stop.set, trio_token=self._token)
        self._thread.join(timeout_seconds)

    @property
    def connected(self) -> bool:
        """Registered and ready now."""
        return self._client is not None and self._client.connected

    @property
    def client(self) -> StatClient:
        """The async client (use it only on the background thread, e.g. through `call`)."""
        assert self._client is not None
        return self._client

    def call(self, async_fn: Callable[..., Awaitable[T]], *args: Any, **kwargs: Any) -> T:
        """Run `await async_fn(*args, **kwargs)` on the client's thread; return its result."""
        if self._token is None:
            raise ConnectionClosed("the client is not running")
        try:
            return trio.from_thread.run(partial(async_fn, *args, **kwargs), trio_token=self._token)
        except trio.RunFinishedError:
            raise ConnectionClosed("the client is closed") from None

    # --- requests ----------------------------------------------------------------------------

    def open_statistic(
        self,
        statistic_object: ObjectLike,
        statistic: StatisticLike,
        profile: str | None = None,
        notification: NotificationLike = None,
        tag: int | None = None,
        *,
        reference_id: int | None = None,
    ) -> BlockingStatistic:
        """Open a statistic (arguments as `StatClient.open_statistic`)."""

        async def open_it() -> BlockingStatistic:
            stat = await self.client.open_statistic(
                statistic_object, statistic, profile, notification, tag, reference_id=reference_id
            )
            return self._wrap(stat)

        return self.call(open_it)

    def get(
        self,
        statistic_object: ObjectLike,
        statistic: StatisticLike,
        profile: str | None = None,
        tag: int | None = None,
    ) -> Any:
        """A statistic's current value, computed once."""
        return self.call(self.client.get, statistic_object, statistic, profile, tag)

    def suspend(self, statistic: BlockingStatistic | None = None) -> None:
        """Suspend one statistic, or all."""
        self.call(self.client.suspend, _unwrap(statistic))

    def resume(self, statistic: BlockingStatistic | None = None) -> None:
        """Resume one statistic, or all."""
        self.call(self.client.resume, _unwrap(statistic))

    def profile(self) -> EventStatisticProfile:
        """The server's statistic types, time profiles and names."""
        return self.call(self.client.profile)

    def ping(self) -> EventPong:
        """A round trip to the server."""
        return self.call(self.client.ping)

    # --- the background thread ---------------------------------------------------------------

    async def _main(self, host: str, port: int, options: dict[str, Any]) -> None:
        self._stop = trio.Event()
        try:
            async with connect(host, port, **options) as client:
                self._client = client
                self._token = trio.lowlevel.current_trio_token()
                client.add_listener(self._on_value)
                self._started.set()
                await self._stop.wait()
        except BaseException as exc:
            if self._started.is_set():
                raise
            self._failure = exc
            self._started.set()

    def _wrap(self, stat: Statistic) -> BlockingStatistic:
        for sid in [sid for sid, known in self._wrappers.items() if known.closed]:
            del self._wrappers[sid]
        wrapper = self._wrappers.get(stat.statistic_id)
        if wrapper is None or wrapper.statistic is not stat:
            wrapper = self._wrappers[stat.statistic_id] = BlockingStatistic(self, stat)
        return wrapper

    def _on_value(self, stat: Statistic, value: Any) -> None:
        update = ValueUpdate(self._wrap(stat), value, stat.valid, stat.server_time)
        try:
            self.updates.put_nowait(update)
        except queue.Full:
            self._drop_oldest_and_put(update)
        if self._on_update is not None:
            self._on_update(update)

    def _drop_oldest_and_put(self, update: ValueUpdate) -> None:
        with contextlib.suppress(queue.Empty):
            self.updates.get_nowait()
        with contextlib.suppress(queue.Full):
            self.updates.put_nowait(update)


def _unwrap(statistic: BlockingStatistic | None) -> Statistic | None:
    return None if statistic is None else statistic.statistic
