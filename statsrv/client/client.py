"""The async client: `connect()` yields a `StatClient` that opens statistics and sends requests.

Requests from many tasks may be in flight at once: each gets a ReferenceId (chosen
automatically unless given), its frame is queued for the connection's writer, and the reader
hands the direct answer (or the `EventError` about it) back to the waiting task by ReferenceId.
With `reconnect=True` a lost connection is retried with backoff; once back, the client registers
again and reopens every open statistic under the same StatisticId and Tag, so handles stay
good. While disconnected each statistic is invalid and its value stream gets an `Invalid`.
"""

from __future__ import annotations

import itertools
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any

import structlog
import trio

from protocol import (
    DEFAULT_TAG,
    PROTOCOL_VERSION,
    EventClientRegistered,
    EventError,
    EventInfo,
    EventPong,
    EventServerClosing,
    EventStatisticClosed,
    EventStatisticInvalid,
    EventStatisticOpened,
    EventStatisticProfile,
    EventStatisticValid,
    Message,
    RequestCloseStatistic,
    RequestGetStatistic,
    RequestGetStatisticEx,
    RequestGetStatisticProfile,
    RequestOpenStatistic,
    RequestOpenStatisticEx,
    RequestPeekStatistic,
    RequestPing,
    RequestRegisterClient,
    RequestResumeNotification,
    RequestSuspendNotification,
    StatisticMetric,
    encode,
)
from statsrv.client.errors import ConnectionClosed, StatClientError, error_from_event
from statsrv.client.link import DEFAULT_MAX_FRAME_BYTES, Link, Pending
from statsrv.client.objects import (
    NotificationLike,
    ObjectLike,
    StatisticLike,
    make_metric,
    make_notification,
    parse_object,
)
from statsrv.client.statistic import DEFAULT_BUFFER_VALUES, Statistic

log = structlog.get_logger("statsrv.client")

Listener = Callable[[Statistic, Any], None]
"""Called on the client's task with each value (or `Invalid`) any statistic receives."""


class StatClient:
    """A registered connection to the client port; see `connect`."""

    def __init__(
        self,
        host: str,
        port: int,
        *,
        client_name: str,
        token: str | None = None,
        reconnect: bool = False,
        backoff_initial_seconds: float = 0.1,
        backoff_max_seconds: float = 5.0,
        max_frame_bytes: int = DEFAULT_MAX_FRAME_BYTES,
        buffer_values: int = DEFAULT_BUFFER_VALUES,
    ) -> None:
        self.host, self.port = host, port
        self.client_name, self.token = client_name, token
        self.reconnect = reconnect
        self.backoff_initial_seconds = backoff_initial_seconds
        self.backoff_max_seconds = backoff_max_seconds
        self.max_frame_bytes = max_frame_bytes
        self.buffer_values = buffer_values
        self.registration: EventClientRegistered | None = None
        """The server's answer to the latest registration (server name, mode, time)."""
        self.connects = 0
        """How many times the client has registered (1 + successful reconnects)."""
        self._stats: dict[int, Statistic] = {}
        self._link: Link | None = None
        self._ended: ConnectionClosed | None = None
        self._listeners: list[Listener] = []
        self._ids = itertools.count(1)
        self._wake = trio.Event()
        self._nursery: trio.Nursery | None = None

    # --- state -------------------------------------------------------------------------------

    @property
    def connected(self) -> bool:
        """Registered and ready for requests now."""
        return self._link is not None and self._link.ready and self._ended is None

    @property
    def ended(self) -> ConnectionClosed | None:
        """Why the client stopped for good (None while it runs or reconnects)."""
        return self._ended

    @property
    def statistics(self) -> dict[int, Statistic]:
        """The open statistics by StatisticId (a copy)."""
        return dict(self._stats)

    async def wait_connected(self) -> None:
        """Until registered (again, after a reconnect); raises why the client ended instead."""
        await self._ready_link()

    def add_listener(self, listener: Listener) -> Callable[[], None]:
        """Call `listener(statistic, value_or_invalid)` for every value; returns its remover."""
        self._listeners.append(listener)
        return lambda: self._listeners.remove(listener)

    # --- requests ----------------------------------------------------------------------------

    async def open_statistic(
        self,
        statistic_object: ObjectLike,
        statistic: StatisticLike,
        profile: str | None = None,
        notification: NotificationLike = None,
        tag: int | None = None,
        *,
        reference_id: int | None = None,
    ) -> Statistic:
        """Open a statistic; its values then arrive as its notification mode says.

        `statistic_object` is a `StatisticObject` or `"[Tenant/]ObjectType:ObjectId"`;
        `statistic` a configured statistic type name, a `StatisticMetric` or an inline
        `StatisticMetricEx`; `notification` a `Notification` or a mode name.
        """
        obj = parse_object(statistic_object)
        metric = make_metric(statistic, profile)
        mode = make_notification(notification)
        link = await self._ready_link()
        ref = self._reference(link, reference_id)
        stat = Statistic(
            self, ref, DEFAULT_TAG if tag is None else tag, obj, metric, mode, self.buffer_values
        )
        pending = await self._begin(link, _open_request(stat), ref, stat)
        await pending.outcome()
        return stat

    async def get(
        self,
        statistic_object: ObjectLike,
        statistic: StatisticLike,
        profile: str | None = None,
        tag: int | None = None,
        *,
        reference_id: int | None = None,
    ) -> Any:
        """A statistic's current value, computed once; nothing stays open."""
        obj = parse_object(statistic_object)
        metric = make_metric(statistic, profile)
        tag = DEFAULT_TAG if tag is None else tag

        def build(ref: int) -> Message:
            if isinstance(metric, StatisticMetric):
                return RequestGetStatistic(
                    reference_id=ref, statistic_object=obj, statistic_metric=metric, tag=tag
                )
            return RequestGetStatisticEx(
                reference_id=ref, statistic_object=obj, statistic_metric_ex=metric, tag=tag
            )

        info: EventInfo = await self._call(build, reference_id)
        return info.value

    async def peek(self, statistic: Statistic | int, *, reference_id: int | None = None) -> Any:
        """The current value of an open statistic, whatever its notification mode."""
        sid = _statistic_id(statistic)
        info: EventInfo = await self._call(
            lambda ref: RequestPeekStatistic(reference_id=ref, statistic_id=sid), reference_id
        )
        stat = self._stats.get(sid)
        if stat is not None:
            stat._set_value(info.value, info.server_time, push=False)
        return info.value

    async def close(self, statistic: Statistic | int, *, reference_id: int | None = None) -> None:
        """Close an open statistic (while reconnecting, it is just forgotten)."""
        sid = _statistic_id(statistic)
        if not self.connected and self._reconnecting():
            self._forget(sid)
            return
        await self._call(
            lambda ref: RequestCloseStatistic(reference_id=ref, statistic_id=sid), reference_id
        )

    async def suspend(
        self, statistic: Statistic | int | None = None, *, reference_id: int | None = None
    ) -> None:
        """Stop pushed values of one statistic, or of all open ones when none is named."""
        await self._notification(statistic, reference_id, suspend=True)

    async def resume(
        self, statistic: Statistic | int | None = None, *, reference_id: int | None = None
    ) -> None:
        """Resume pushed values of one statistic, or of all suspended ones."""
        await self._notification(statistic, reference_id, suspend=False)

    async def profile(self, *, reference_id: int | None = None) -> EventStatisticProfile:
        """The server's statistic types, time profiles, object types, categories and actions."""
        return await self._call(
            lambda ref: RequestGetStatisticProfile(reference_id=ref), reference_id
        )

    async def ping(self, *, reference_id: int | None = None) -> EventPong:
        """Round trip to the server; every request sent before it has been answered."""
        return await self._call(lambda ref: RequestPing(reference_id=ref), reference_id)

    # --- request machinery -------------------------------------------------------------------

    async def _call(
        self, build: Callable[[int], Message], reference_id: int | None, link: Link | None = None
    ) -> Any:
        link = link or await self._ready_link()
        ref = self._reference(link, reference_id)
        pending = await self._begin(link, build(ref), ref)
        return await pending.outcome()

    async def _begin(
        self, link: Link, request: Message, ref: int, stat: Statistic | None = None
    ) -> Pending:
        pending = Pending(ref, stat)
        link.pending[ref] = pending
        try:
            await link.send(encode(request))
        except BaseException:
            link.pending.pop(ref, None)
            raise
        return pending

    def _reference(self, link: Link, given: int | None) -> int:
        if given is not None:
            if type(given) is not int:
                raise TypeError(f"reference_id: expected int, got {type(given).__name__}")
            if given in link.pending:
                raise ValueError(f"reference_id: {given} is already awaiting an answer")
            return given
        while True:
            ref = next(self._ids)
            if ref not in link.pending and ref not in self._stats:
                return ref

    async def _ready_link(self) -> Link:
        while True:
            if self._ended is not None:
                raise self._ended
            if self._link is not None and self._link.ready:
                return self._link
            await self._wake.wait()

    def _reconnecting(self) -> bool:
        return self.reconnect and self._ended is None

    async def _notification(
        self, statistic: Statistic | int | None, reference_id: int | None, *, suspend: bool
    ) -> None:
        sid = None if statistic is None else _statistic_id(statistic)
        if self.connected or not self._reconnecting():
            kind = RequestSuspendNotification if suspend else RequestResumeNotification
            await self._call(lambda ref: kind(reference_id=ref, statistic_id=sid), reference_id)
        targets = self._stats.values() if sid is None else [self._stats[sid]]
        for stat in targets:
            stat.suspended = suspend

    def _forget(self, sid: int) -> None:
        stat = self._stats.pop(sid, None)
        if stat is not None:
            stat._set_closed()

    def _deliver(self, stat: Statistic, item: Any) -> None:
        for listener in list(self._listeners):
            try:
                listener(stat, item)
            except Exception:  # a listener's bug must not stop the reader
                log.exception("client_listener_failed", statistic_id=stat.statistic_id)

    def _notify(self) -> None:
        self._wake.set()
        self._wake = trio.Event()

    # --- messages from the server (the reader task; never waits) -----------------------------

    def _dispatch(self, link: Link, message: Any) -> None:
        match message:
            case EventInfo(reference_id=None):
                if (stat := self._stats.get(message.statistic_id)) is not None:
                    stat._set_value(message.value, message.server_time)
            case EventStatisticInvalid():
                if (stat := self._stats.get(message.statistic_id)) is not None:
                    stat._set_invalid(message.reason)
            case EventStatisticValid():
                if (stat := self._stats.get(message.statistic_id)) is not None:
                    stat._set_valid()
            case EventError() | EventServerClosing():
                self._refusal(link, message)
            case EventStatisticOpened():
                self._opened(link, message)
            case EventStatisticClosed():
                self._forget(message.statistic_id)
                self._answer(link, message.reference_id, message)
            case _:
                self._answer(link, message.reference_id, message)

    def _refusal(self, link: Link, message: EventError | EventServerClosing) -> None:
        if isinstance(message, EventServerClosing):
            link.closing_reason = message.reason
        elif message.reference_id is None:
            link.connection_error = error_from_event(message)
            log.warning("client_connection_error", error=str(link.connection_error))
        elif (pending := link.pending.pop(message.reference_id, None)) is not None:
            pending.fail(error_from_event(message))

    def _answer(self, link: Link, reference_id: int, message: Any) -> None:
        pending = link.pending.pop(reference_id, None)
        if pending is not None:
            pending.resolve(message)

    def _opened(self, link: Link, message: EventStatisticOpened) -> None:
        pending = link.pending.pop(message.reference_id, None)
        stat = pending.statistic if pending is not None else None
        if stat is None:
            return
        if pending.abandoned or stat.closed:
            self._close_on_server(link, message.statistic_id)
        else:
            self._stats[stat.statistic_id] = stat
            stat._set_valid()
        pending.resolve(message)

    def _close_on_server(self, link: Link, sid: int) -> None:
        """Close a statistic the server opened for a caller that no longer wants it."""
        ref = self._reference(link, None)
        link.pending[ref] = Pending(ref)
        link.send_nowait(encode(RequestCloseStatistic(reference_id=ref, statistic_id=sid)))

    # --- connections -------------------------------------------------------------------------

    async def _establish(self) -> Link:
        """Connect, register and reopen every open statistic; the link is then ready."""
        stream = await trio.open_tcp_stream(self.host, self.port)
        link = Link(stream, self.max_frame_bytes)
        self._link = link
        assert self._nursery is not None
        self._nursery.start_soon(self._run_link, link)
        try:
            register = RequestRegisterClient(
                reference_id=0,
                client_name=self.client_name,
                protocol_version=PROTOCOL_VERSION,
                token=self.token,
            )
            self.registration = await (await self._begin(link, register, 0)).outcome()
            await self._reopen_all(link)
        except BaseException:
            link.abort()
            raise
        link.ready = True
        self.connects += 1
        log.info("client_registered", host=self.host, port=self.port, connects=self.connects)
        self._notify()
        return link

    async def _reopen_all(self, link: Link) -> None:
        reopening = [
            (stat, await self._begin(link, _open_request(stat), stat.statistic_id, stat))
            for stat in list(self._stats.values())
        ]
        for stat, pending in reopening:
            try:
                await pending.outcome()
            except StatClientError as exc:
                if isinstance(exc, ConnectionClosed):
                    raise
                stat._set_invalid(f"reopen refused: {exc}")
        for sid in [sid for sid, stat in self._stats.items() if stat.suspended]:
            await self._call(
                lambda ref, sid=sid: RequestSuspendNotification(reference_id=ref, statistic_id=sid),
                None,
                link,
            )

    async def _run_link(self, link: Link) -> None:
        ended = await link.run(self._dispatch)
        if self._link is link:
            self._link = None
        if link.ready:
            log.info("client_disconnected", reason=ended.reason)
        if self._reconnecting():
            for stat in self._stats.values():
                stat._set_invalid(f"disconnected: {ended.reason}")
        else:
            self._end(ended)
        self._notify()

    async def _keep_connected(self, link: Link) -> None:
        while True:
            await link.done.wait()
            if not self._reconnecting():
                return
            next_link = await self._reconnect_with_backoff()
            if next_link is None:
                return
            link = next_link

    async def _reconnect_with_backoff(self) -> Link | None:
        delay = self.backoff_initial_seconds
        while True:
            await trio.sleep(delay)
            try:
                return await self._establish()
            except (OSError, ConnectionClosed) as exc:
                log.info("client_reconnect_failed", error=str(exc), retry_in=delay)
                delay = min(delay * 2, self.backoff_max_seconds)
            except StatClientError as exc:
                self._end(ConnectionClosed(f"the server refused to register again: {exc}"))
                return None

    def _end(self, error: ConnectionClosed) -> None:
        if self._ended is not None:
            return
        self._ended = error
        for stat in self._stats.values():
            stat._set_invalid(error.reason)
            stat._set_ended(error)
        self._notify()


def _open_request(stat: Statistic) -> Message:
    common: dict[str, Any] = {
        "reference_id": stat.statistic_id,
        "statistic_object": stat.object,
        "tag": stat.tag,
        "notification": stat.notification,
    }
    if isinstance(stat.metric, StatisticMetric):
        return RequestOpenStatistic(statistic_metric=stat.metric, **common)
    return RequestOpenStatisticEx(statistic_metric_ex=stat.metric, **common)


def _statistic_id(statistic: Statistic | int) -> int:
    if isinstance(statistic, Statistic):
        return statistic.statistic_id
    if type(statistic) is int:
        return statistic
    raise TypeError(f"statistic: expected a Statistic or an int, got {type(statistic).__name__}")


@asynccontextmanager
async def connect(
    host: str = "127.0.0.1",
    port: int = 7070,
    *,
    client_name: str = "statsrv-client",
    token: str | None = None,
    reconnect: bool = False,
    backoff_initial_seconds: float = 0.1,
    backoff_max_seconds: float = 5.0,
    max_frame_bytes: int = DEFAULT_MAX_FRAME_BYTES,
    buffer_values: int = DEFAULT_BUFFER_VALUES,
    connect_timeout_seconds: float = 10.0,
) -> AsyncIterator[StatClient]:
    """Connect and register; yields the client, and closes the connection on exit.

    The first connection must succeed: `OSError` if the server cannot be reached
    (`TimeoutError` after `connect_timeout_seconds`), a `StatServerError`
    (`AuthenticationFailed`, …) if it refuses the registration. With `reconnect=True`, later
    losses are retried with exponential backoff.
    """
    client = StatClient(
        host,
        port,
        client_name=client_name,
        token=token,
        reconnect=reconnect,
        backoff_initial_seconds=backoff_initial_seconds,
        backoff_max_seconds=backoff_max_seconds,
        max_frame_bytes=max_frame_bytes,
        buffer_values=buffer_values,
    )
    try:
        async with trio.open_nursery() as nursery:
            client._nursery = nursery
            with trio.move_on_after(connect_timeout_seconds) as timeout:
                link = await client._establish()
            if timeout.cancelled_caught:
                raise TimeoutError(
                    f"no answer from {host}:{port} within {connect_timeout_seconds:g} s"
                )
            nursery.start_soon(client._keep_connected, link)
            try:
                yield client
            finally:
                client._end(ConnectionClosed("the client closed the connection"))
                nursery.cancel_scope.cancel()
    except BaseExceptionGroup as group:
        raise _single(group) from None


def _single(group: BaseExceptionGroup) -> BaseException:
    """The one exception of a group of one (the caller's or the connection's), else the group."""
    while isinstance(group, BaseExceptionGroup) and len(group.exceptions) == 1:
        group = group.exceptions[0]
    return group


__all__ = ["Listener", "StatClient", "connect"]
