"""The 24 error codes of the wire contract and the protocol's own error type."""

from __future__ import annotations

from enum import IntEnum


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
