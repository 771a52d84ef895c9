"""The Python client of statsrv: async (trio) and blocking, with typed errors and reconnect.

    async with statsrv.client.connect("127.0.0.1", 7070, client_name="wallboard") as client:
        dials = await client.open_statistic("Campaign:Spring2027", "DialsMade")
        async for value in dials:
            print(value)

See docs/client.md.
"""

from statsrv.client.blocking import BlockingClient, BlockingStatistic, ValueUpdate
from statsrv.client.client import Listener, StatClient, connect
from statsrv.client.errors import (
    ERROR_CLASSES,
    AlreadyRegistered,
    AuthenticationFailed,
    ConnectionClosed,
    DuplicateReferenceId,
    FrameTooLarge,
    InternalError,
    InvalidEvent,
    InvalidFrame,
    InvalidMask,
    InvalidNotification,
    InvalidRequest,
    NotApplicable,
    NotRegistered,
    ServerClosing,
    ServerShuttingDown,
    SlowConsumer,
    StatClientError,
    StatServerError,
    TenantAccessDenied,
    TooManyStatistics,
    UnknownCategory,
    UnknownMessage,
    UnknownObject,
    UnknownObjectType,
    UnknownStatistic,
    UnknownStatisticType,
    UnknownTimeProfile,
    UnsupportedProtocolVersion,
    error_from_event,
)
from statsrv.client.formatting import format_value
from statsrv.client.objects import make_metric, make_notification, object_label, parse_object
from statsrv.client.statistic import Invalid, Statistic

__all__ = [
    "ERROR_CLASSES",
    "AlreadyRegistered",
    "AuthenticationFailed",
    "BlockingClient",
    "BlockingStatistic",
    "ConnectionClosed",
    "DuplicateReferenceId",
    "FrameTooLarge",
    "InternalError",
    "Invalid",
    "InvalidEvent",
    "InvalidFrame",
    "InvalidMask",
    "InvalidNotification",
    "InvalidRequest",
    "Listener",
    "NotApplicable",
    "NotRegistered",
    "ServerClosing",
    "ServerShuttingDown",
    "SlowConsumer",
    "StatClient",
    "StatClientError",
    "StatServerError",
    "Statistic",
    "TenantAccessDenied",
    "TooManyStatistics",
    "UnknownCategory",
    "UnknownMessage",
    "UnknownObject",
    "UnknownObjectType",
    "UnknownStatistic",
    "UnknownStatisticType",
    "UnknownTimeProfile",
    "UnsupportedProtocolVersion",
    "ValueUpdate",
    "connect",
    "error_from_event",
    "format_value",
    "make_metric",
    "make_notification",
    "object_label",
    "parse_object",
]
