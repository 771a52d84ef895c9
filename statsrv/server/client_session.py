"""One client connection: registration, requests answered in order, values pushed as they change."""

from __future__ import annotations

from typing import Any

import structlog
import trio

from protocol import (
    PROTOCOL_VERSION,
    ClientConnection,
    ErrorCode,
    EventClientRegistered,
    EventError,
    EventInfo,
    EventNotificationResumed,
    EventNotificationSuspended,
    EventPong,
    EventServerClosing,
    EventStatisticClosed,
    EventStatisticInvalid,
    EventStatisticOpened,
    ProtocolError,
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
)
from statsrv.engine import StatisticRefused
from statsrv.server.connection_io import Conduit
from statsrv.server.hub import Hub, OpenStatistic
from statsrv.server.requests import profile_event, resolve_request
from statsrv.server.value_frames import ValueFrames
from statsrv.settings import token_accepted

log = structlog.get_logger("statsrv")

OpenRequest = RequestOpenStatistic | RequestOpenStatisticEx
GetRequest = RequestGetStatistic | RequestGetStatisticEx


class RequestFailed(Exception):
    """A request is refused: the EventError to answer with."""

    def __init__(self, code: ErrorCode, description: str) -> None:
        super().__init__(description)
        self.code = code
        self.description = description


class ClientSession:
    """Serves one client; the hub pushes values through `push_value`."""

    def __init__(self, hub: Hub, stream: trio.abc.Stream, conn_id: int) -> None:
        self.hub = hub
        self.conn_id = conn_id
        self.io = Conduit.with_limits(stream, hub.clock, hub.settings.limits)
        self.conn = ClientConnection(max_frame_bytes=hub.settings.server.max_frame_bytes)
        self.open: dict[int, OpenStatistic] = {}
        self.client_name: str | None = None
        self.opened_total = 0

    # --- lifecycle ---------------------------------------------------------------------------

    async def run(self) -> None:
        """Serve until the peer leaves, errs fatally, falls behind, or the server closes."""
        self.hub.clients.add(self)
        try:
            with self.io.cancel_scope:
                async with trio.open_nursery() as nursery:
                    nursery.start_soon(self.io.run_writer)
                    await self._read_with_registration_deadline()
                    self.io.close(self.io.stats.close_reason)
        finally:
            self.hub.clients.discard(self)
            self._release_all()
            await self.io.aclose()
            self.hub.counters.values_written += self.io.outbox.values_out
            log.info(
                "client_closed",
                client=self.client_name,
                statistics_opened=self.opened_total,
                values_out=self.io.outbox.values_out,
                **self.io.summary(),
            )

    def server_closing(self, reason: str) -> None:
        """Tell the client the server is going away, then close once drained."""
        self._send(EventServerClosing(reason=reason))
        self.io.close("server shutting down")

    async def _read_with_registration_deadline(self) -> None:
        timeout = self.hub.settings.server.registration_timeout_seconds
        with trio.move_on_after(timeout):
            while self.client_name is None:
                if not await self._read_once():
                    return
        if self.client_name is None:
            self._send(EventServerClosing(reason=f"no registration within {timeout:g} s"))
            self.io.stats.close_reason = "registration timeout"
            return
        while await self._read_once():
            pass

    async def _read_once(self) -> bool:
        return await self.io.read_messages(self.conn, self._handle)

    # --- requests ----------------------------------------------------------------------------

    def _handle(self, event: Any) -> bool:
        """Answer one decoded message; False when the connection must close."""
        if isinstance(event, ProtocolError):
            self._send(event.to_event())
            if event.closes_connection:
                self.io.stats.close_reason = event.code.name
            return not event.closes_connection
        if isinstance(event, RequestRegisterClient):
            return self._register(event)
        try:
            self._dispatch(event)
        except RequestFailed as failure:
            self._send_error(event.reference_id, failure.code, failure.description)
        except Exception:  # one bad request must not take the server down
            log.exception("request_failed_internally", request=type(event).__name__)
            self._send_error(
                event.reference_id,
                ErrorCode.InternalError,
                "the server failed to handle this request; it has been logged",
            )
        return True

    def _dispatch(self, request: Any) -> None:
        if self.hub.closing:
            raise RequestFailed(ErrorCode.ServerShuttingDown, "the server is shutting down")
        match request:
            case RequestOpenStatistic() | RequestOpenStatisticEx():
                self._open(request)
            case RequestGetStatistic() | RequestGetStatisticEx():
                self._get(request)
            case RequestPeekStatistic():
                self._peek(request)
            case RequestCloseStatistic():
                self._close(request)
            case RequestSuspendNotification():
                self._suspend(request)
            case RequestResumeNotification():
                self._resume(request)
            case RequestGetStatisticProfile():
                described = self.hub.core.statistics.describe()
                self._send(profile_event(request.reference_id, described))
            case RequestPing():
                self._send(EventPong(reference_id=request.reference_id, server_time=self._now()))
            case _:
                raise RequestFailed(ErrorCode.InvalidRequest, f"unexpected message {request!r}")

    def _register(self, request: RequestRegisterClient) -> bool:
        settings = self.hub.settings
        if request.protocol_version != PROTOCOL_VERSION:
            self._send_error(
                request.reference_id,
                ErrorCode.UnsupportedProtocolVersion,
                f"ProtocolVersion: {request.protocol_version} is not supported; "
                f"this server speaks {PROTOCOL_VERSION}",
            )
            self.io.stats.close_reason = "unsupported protocol version"
            return False
        if not token_accepted(request.token, settings.auth.client_token_sha256):
            self._send_error(
                request.reference_id,
                ErrorCode.AuthenticationFailed,
                "Token: missing or not accepted",
            )
            self.io.stats.close_reason = "authentication failed"
            return False
        self.client_name = request.client_name
        structlog.contextvars.bind_contextvars(client=request.client_name)
        self._send(
            EventClientRegistered(
                reference_id=request.reference_id,
                server_name=settings.server.name,
                protocol_version=PROTOCOL_VERSION,
                server_time=self._now(),
                server_mode=settings.server.mode,
            )
        )
        log.info("client_registered")
        return True

    def _open(self, request: OpenRequest) -> None:
        statistic_id = request.reference_id
        if statistic_id in self.open:
            raise RequestFailed(
                ErrorCode.DuplicateReferenceId,
                f"ReferenceId: {statistic_id} is already an open statistic's id",
            )
        resolved = self._resolve(request)
        limit = self.hub.settings.limits.max_statistics_per_client
        if len(self.open) >= limit:
            raise RequestFailed(
                ErrorCode.TooManyStatistics,
                f"this client already holds {limit} open statistics (the limit)",
            )
        tag = request.tag
        owner = OpenStatistic(self, statistic_id, tag, request.statistic_object.tenant_name)
        subscription = self.hub.core.statistics.subscribe(resolved, owner, self._engine_now())
        owner.subscription = subscription
        self.open[statistic_id] = owner
        self.opened_total += 1
        self.io.outbox.seal(statistic_id)
        self._send(
            EventStatisticOpened(reference_id=statistic_id, statistic_id=statistic_id, tag=tag)
        )
        validity = self.hub.validity
        if validity is not None and not validity.is_valid(owner.tenant):
            self._send(
                EventStatisticInvalid(
                    statistic_id=statistic_id, tag=tag, reason=validity.reason(owner.tenant)
                )
            )
        if subscription.sends_initial_value:
            self.push_value(statistic_id, tag, subscription.value(self._engine_now()))
        self.hub.poke_timer()

    def _get(self, request: GetRequest) -> None:
        resolved = self._resolve(request, for_get=True)
        value = self.hub.core.statistics.value_of(resolved, self._engine_now())
        self._send(
            EventInfo(
                reference_id=request.reference_id,
                tag=request.tag,
                value=value,
                server_time=self._now(),
            )
        )

    def _peek(self, request: RequestPeekStatistic) -> None:
        owner = self._open_statistic(request.statistic_id)
        value = self.hub.core.statistics.peek(owner.subscription, self._engine_now())
        self._send(
            EventInfo(
                reference_id=request.reference_id,
                statistic_id=owner.statistic_id,
                tag=owner.tag,
                value=value,
                server_time=self._now(),
            )
        )

    def _close(self, request: RequestCloseStatistic) -> None:
        owner = self._open_statistic(request.statistic_id)
        self._release(owner)
        self._send(
            EventStatisticClosed(
                reference_id=request.reference_id, statistic_id=owner.statistic_id, tag=owner.tag
            )
        )

    def _suspend(self, request: RequestSuspendNotification) -> None:
        for owner in self._targets(request.statistic_id):
            self.hub.core.statistics.suspend(owner.subscription)
        self._send(
            EventNotificationSuspended(
                reference_id=request.reference_id, statistic_id=request.statistic_id
            )
        )

    def _resume(self, request: RequestResumeNotification) -> None:
        targets = self._targets(request.statistic_id)
        self._send(
            EventNotificationResumed(
                reference_id=request.reference_id, statistic_id=request.statistic_id
            )
        )
        now = self._engine_now()
        for owner in targets:
            value = self.hub.core.statistics.resume(owner.subscription, now)
            self.io.outbox.seal(owner.statistic_id)
            if value is not None:
                self.push_value(owner.statistic_id, owner.tag, value)
        self.hub.poke_timer()

    # --- helpers -----------------------------------------------------------------------------

    def _resolve(self, request: OpenRequest | GetRequest, *, for_get: bool = False) -> Any:
        try:
            return resolve_request(self.hub.core.statistics, request, for_get=for_get)
        except StatisticRefused as refusal:
            raise RequestFailed(refusal.code, refusal.description) from refusal

    def _targets(self, statistic_id: int | None) -> list[OpenStatistic]:
        if statistic_id is None:
            return list(self.open.values())
        return [self._open_statistic(statistic_id)]

    def _open_statistic(self, statistic_id: int) -> OpenStatistic:
        owner = self.open.get(statistic_id)
        if owner is None:
            raise RequestFailed(
                ErrorCode.UnknownStatistic,
                f"StatisticId: {statistic_id} is not an open statistic of this client",
            )
        return owner

    def _release(self, owner: OpenStatistic) -> None:
        del self.open[owner.statistic_id]
        self.hub.core.statistics.unsubscribe(owner.subscription)
        self.io.outbox.seal(owner.statistic_id)

    def _release_all(self) -> None:
        for owner in list(self.open.values()):
            self._release(owner)

    def push_value(self, statistic_id: int, tag: int, value: Any) -> None:
        """Queue a statistic's value (conflated with an older pending one)."""
        now = self._now()
        frame = ValueFrames(now).frame(statistic_id, tag, value)
        self.io.outbox.put_value(statistic_id, frame, now)

    def push_frame(self, statistic_id: int, frame: bytes, now: float) -> None:
        """Queue a statistic's value already encoded as a pushed `EventInfo` frame."""
        self.io.outbox.put_value(statistic_id, frame, now)

    def push_event(self, message: Any) -> None:
        """Queue an unsolicited event about a statistic (validity changes), after its values."""
        self.io.outbox.seal(message.statistic_id)
        self._send(message)

    def _send(self, message: Any) -> None:
        self.io.outbox.put(self.conn.send(message), self._now())

    def _send_error(self, reference_id: int | None, code: ErrorCode, description: str) -> None:
        self._send(
            EventError(
                error_code=int(code),
                error_name=code.name,
                description=description,
                reference_id=reference_id,
            )
        )

    def _now(self) -> float:
        return self.hub.clock.now()

    def _engine_now(self) -> float:
        return self.hub.core.now(self.hub.clock.now())
