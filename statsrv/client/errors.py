"""What the client raises: server refusals as one class per ErrorName, and connection ends.

Every refusal the server sends (`EventError`) becomes a `StatServerError` subclass named as the
wire's `ErrorName` (`UnknownObject`, `NotApplicable`, …), so callers catch exactly what they
expect. A connection that ends raises `ConnectionClosed` (or `ServerClosing` when the server
said it was going away) from every request in flight and every value iterator.
"""

from __future__ import annotations

from typing import ClassVar

from protocol import ErrorCode, EventError


class StatClientError(Exception):
    """Base of everything the client raises on purpose."""


class ConnectionClosed(StatClientError):
    """The connection to the server ended; `reason` says why."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class ServerClosing(ConnectionClosed):
    """The server sent `EventServerClosing` (shutdown, or it dropped this client)."""


class StatServerError(StatClientError):
    """The server refused a request (or the connection) with an `EventError`."""

    wire_error: ClassVar[ErrorCode | None] = None
    """The code a subclass stands for."""

    def __init__(
        self,
        error_code: int,
        error_name: str,
        description: str,
        reference_id: int | None = None,
    ) -> None:
        super().__init__(f"{error_name} ({error_code}): {description}")
        self.error_code = error_code
        self.error_name = error_name
        self.description = description
        self.reference_id = reference_id


class InvalidFrame(StatServerError):
    """A frame was not one msgpack map with str keys."""

    wire_error = ErrorCode.InvalidFrame


class FrameTooLarge(StatServerError):
    """A frame's length prefix was above the server's limit."""

    wire_error = ErrorCode.FrameTooLarge


class UnknownMessage(StatServerError):
    """`Message` was missing, not a str, or not accepted on this port."""

    wire_error = ErrorCode.UnknownMessage


class InvalidRequest(StatServerError):
    """A field was missing, wrongly typed or unknown."""

    wire_error = ErrorCode.InvalidRequest


class NotRegistered(StatServerError):
    """A request came before registration."""

    wire_error = ErrorCode.NotRegistered


class AlreadyRegistered(StatServerError):
    """A second registration on the connection."""

    wire_error = ErrorCode.AlreadyRegistered


class AuthenticationFailed(StatServerError):
    """A wrong or missing token."""

    wire_error = ErrorCode.AuthenticationFailed


class TenantAccessDenied(StatServerError):
    """A missing or wrong tenant password."""

    wire_error = ErrorCode.TenantAccessDenied


class UnknownObject(StatServerError):
    """The object (or its tenant) is not known."""

    wire_error = ErrorCode.UnknownObject


class UnknownObjectType(StatServerError):
    """The ObjectType does not exist."""

    wire_error = ErrorCode.UnknownObjectType


class UnknownStatisticType(StatServerError):
    """The statistic type is not configured."""

    wire_error = ErrorCode.UnknownStatisticType


class UnknownTimeProfile(StatServerError):
    """The time profile is not configured."""

    wire_error = ErrorCode.UnknownTimeProfile


class UnknownCategory(StatServerError):
    """The category does not exist."""

    wire_error = ErrorCode.UnknownCategory


class InvalidMask(StatServerError):
    """A mask item matches no action, or a mask is empty, missing or misplaced."""

    wire_error = ErrorCode.InvalidMask


class NotApplicable(StatServerError):
    """The statistic cannot exist on this object type."""

    wire_error = ErrorCode.NotApplicable


class DuplicateReferenceId(StatServerError):
    """An open reused the StatisticId of a statistic still open."""

    wire_error = ErrorCode.DuplicateReferenceId


class UnknownStatistic(StatServerError):
    """No open statistic has this StatisticId."""

    wire_error = ErrorCode.UnknownStatistic


class TooManyStatistics(StatServerError):
    """The client's limit of open statistics is reached."""

    wire_error = ErrorCode.TooManyStatistics


class SlowConsumer(StatServerError):
    """The client read too slowly and was cut off."""

    wire_error = ErrorCode.SlowConsumer


class ServerShuttingDown(StatServerError):
    """The request arrived while the server was shutting down."""

    wire_error = ErrorCode.ServerShuttingDown


class UnsupportedProtocolVersion(StatServerError):
    """The server does not speak this protocol version."""

    wire_error = ErrorCode.UnsupportedProtocolVersion


class InvalidNotification(StatServerError):
    """A bad notification mode or parameter."""

    wire_error = ErrorCode.InvalidNotification


class InternalError(StatServerError):
    """The server failed on a fault of its own (it logged it)."""

    wire_error = ErrorCode.InternalError


class InvalidEvent(StatServerError):
    """A dialer event was refused (ingest port only)."""

    wire_error = ErrorCode.InvalidEvent


ERROR_CLASSES: dict[int, type[StatServerError]] = {
    int(cls.wire_error): cls
    for cls in StatServerError.__subclasses__()
    if cls.wire_error is not None
}
"""The exception class of each wire `ErrorCode`."""


def error_from_event(event: EventError) -> StatServerError:
    """The typed exception for an `EventError` (the base class for a code this client lacks)."""
    cls = ERROR_CLASSES.get(event.error_code, StatServerError)
    return cls(event.error_code, event.error_name, event.description, event.reference_id)
