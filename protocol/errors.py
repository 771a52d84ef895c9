"""The 24 error codes of the wire contract and the protocol's own error type."""

from __future__ import annotations

from enum import IntEnum

from protocol.messages import EventError


class ErrorCode(IntEnum):
    """`ErrorCode` values; the member name is the `ErrorName` sent beside it."""

    InvalidFrame = 1
    FrameTooLarge = 2
    UnknownMessage = 3
    InvalidRequest = 4
    NotRegistered = 5
    AlreadyRegistered = 6
    AuthenticationFailed = 7
    TenantAccessDenied = 8
    UnknownObject = 9
    UnknownObjectType = 10
    UnknownStatisticType = 11
    UnknownTimeProfile = 12
    UnknownCategory = 13
    InvalidMask = 14
    NotApplicable = 15
    DuplicateReferenceId = 16
    UnknownStatistic = 17
    TooManyStatistics = 18
    SlowConsumer = 19
    ServerShuttingDown = 20
    UnsupportedProtocolVersion = 21
    InvalidNotification = 22
    InternalError = 23
    InvalidEvent = 24


_CLOSING_CODES = frozenset({ErrorCode.InvalidFrame, ErrorCode.FrameTooLarge})


class ProtocolError(Exception):
    """The peer broke the wire contract; carries what the `EventError` reply must say.

    `closes_connection` defaults to true for the frame-level faults (InvalidFrame,
    FrameTooLarge) and false otherwise. `reference_id` echoes the offending request's
    ReferenceId and `seq` the offending event's Seq, when the map carried them as ints.
    """

    def __init__(
        self,
        code: ErrorCode,
        description: str,
        *,
        reference_id: int | None = None,
        seq: int | None = None,
        closes_connection: bool | None = None,
    ) -> None:
        super().__init__(f"{code.name}: {description}")
        self.code = code
        self.description = description
        self.reference_id = reference_id
        self.seq = seq
        self.closes_connection = (
            code in _CLOSING_CODES if closes_connection is None else closes_connection
        )

    def to_event(self) -> EventError:
        """The `EventError` that tells the peer about this fault."""
        return EventError(
            error_code=int(self.code),
            error_name=self.code.name,
            description=self.description,
            reference_id=self.reference_id,
            seq=self.seq,
        )

    def _key(self) -> tuple[object, ...]:
        return (self.code, self.description, self.reference_id, self.seq, self.closes_connection)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, ProtocolError):
            return NotImplemented
        return self._key() == other._key()

    def __hash__(self) -> int:
        return hash(self._key())

    def __repr__(self) -> str:
        return (
            f"ProtocolError({self.code.name}, {self.description!r}, reference_id="
            f"{self.reference_id!r}, seq={self.seq!r}, closes_connection={self.closes_connection})"
        )


class LocalProtocolError(Exception):
    """Our own side misused the protocol (sent a message this side never sends, or one the
    wire cannot carry). It is a bug in the caller, never the peer's fault."""
