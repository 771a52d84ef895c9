"""Every message of the wire contract, as a frozen typed value.

The class name is the wire `Message` name; attributes are the snake_case of the wire
field names, in encoding order (`ReferenceId` -> `reference_id`). Optional fields default
to None, which means absent on the wire, unless the contract names another default.
Construct messages with keywords; the codec turns them into frames and back.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, TypeAlias, get_args

from protocol.constants import DEFAULT_TAG
from protocol.structures import (
    Notification,
    StatisticMetric,
    StatisticMetricEx,
    StatisticObject,
)

if TYPE_CHECKING:
    from protocol.errors import ProtocolError

_value = dataclass(frozen=True, slots=True, kw_only=True)

# --- client -> server (client port) ---------------------------------------------------------


@_value
class RequestRegisterClient:
    """Identify the client; must be the first request on a connection."""

    reference_id: int
    client_name: str
    protocol_version: int
    token: str | None = None


@_value
class RequestOpenStatistic:
    """Open a configured statistic on an object and receive its values as they change."""

    reference_id: int
    statistic_object: StatisticObject
    statistic_metric: StatisticMetric
    tag: int = DEFAULT_TAG
    notification: Notification | None = None


@_value
class RequestOpenStatisticEx:
    """Open a statistic defined inline by category, subject and masks."""

    reference_id: int
    statistic_object: StatisticObject
    statistic_metric_ex: StatisticMetricEx
    tag: int = DEFAULT_TAG
    notification: Notification | None = None


@_value
class RequestGetStatistic:
    """Read a configured statistic's current value once; nothing stays open."""

    reference_id: int
    statistic_object: StatisticObject
    statistic_metric: StatisticMetric
    tag: int = DEFAULT_TAG


@_value
class RequestGetStatisticEx:
    """Read an inline-defined statistic's current value once; nothing stays open."""

    reference_id: int
    statistic_object: StatisticObject
    statistic_metric_ex: StatisticMetricEx
    tag: int = DEFAULT_TAG


@_value
class RequestPeekStatistic:
    """Read the current value of an open statistic."""

    reference_id: int
    statistic_id: int


@_value
class RequestCloseStatistic:
    """Close an open statistic."""

    reference_id: int
    statistic_id: int


@_value
class RequestSuspendNotification:
    """Stop pushing values of one open statistic, or of all of them when none is named."""

    reference_id: int
    statistic_id: int | None = None


@_value
class RequestResumeNotification:
    """Resume pushing values of one open statistic, or of all of them when none is named."""

    reference_id: int
    statistic_id: int | None = None


@_value
class RequestGetStatisticProfile:
    """Ask for the configured statistic types, time profiles and vocabularies."""

    reference_id: int


@_value
class RequestPing:
    """Ask the server for a `EventPong`."""

    reference_id: int


# --- server -> client ------------------------------------------------------------------------


@_value
class EventClientRegistered:
    """The server accepted the client's registration."""

    reference_id: int
    server_name: str
    protocol_version: int
    server_time: float
    server_mode: str


@_value
class EventStatisticOpened:
    """A statistic is open; later messages name it by `statistic_id`."""

    reference_id: int
    statistic_id: int
    tag: int


@_value
class EventInfo:
    """A statistic's value: pushed (statistic_id), a peek answer (both ids) or a get answer
    (reference_id only)."""

    statistic_id: int | None = None
    tag: int
    value: Any
    server_time: float
    reference_id: int | None = None


@_value
class EventStatisticClosed:
    """A statistic was closed at the client's request."""

    reference_id: int
    statistic_id: int
    tag: int


@_value
class EventNotificationSuspended:
    """Notification of one statistic, or of all the client's, is suspended."""

    reference_id: int
    statistic_id: int | None = None


@_value
class EventNotificationResumed:
    """Notification of one statistic, or of all the client's, is resumed."""

    reference_id: int
    statistic_id: int | None = None


@_value
class EventStatisticProfile:
    """The configured statistic types, time profiles and the names a client may use."""

    reference_id: int
    statistic_types: Mapping[str, Any]
    time_profiles: Mapping[str, Any]
    object_types: tuple[str, ...]
    categories: tuple[str, ...]
    actions: tuple[str, ...]


@_value
class EventPong:
    """The answer to `RequestPing`."""

    reference_id: int
    server_time: float


@_value
class EventStatisticInvalid:
    """An open statistic's feed is lost; its value is not to be trusted."""

    statistic_id: int
    tag: int
    reason: str


@_value
class EventStatisticValid:
    """An open statistic's feed is back; an `EventInfo` follows."""

    statistic_id: int
    tag: int


@_value
class EventError:
    """A request, event or frame was refused; sent on both ports."""

    error_code: int
    error_name: str
    description: str
    reference_id: int | None = None
    seq: int | None = None


@_value
class EventServerClosing:
    """The server is shutting down or dropping this client."""

    reason: str


# --- dialer -> server (ingest port) ----------------------------------------------------------


@_value
class DialerHello:
    """Identify the dialer; must be the first message on an ingest connection."""

    dialer_name: str
    protocol_version: int
    tenant: str
    token: str | None = None


@_value
class CampaignEvent:
    """One dialer event: its `Seq` and every other wire field, unchecked, in `body`."""

    seq: int
    body: Mapping[str, Any]


@_value
class EventBatch:
    """Several dialer events in one frame; an item that broke the contract is its error."""

    events: tuple[CampaignEvent | ProtocolError, ...]


@_value
class DialerSync:
    """Ask which events up to `seq` have been applied."""

    seq: int


# --- server -> dialer ------------------------------------------------------------------------


@_value
class DialerWelcome:
    """The dialer is accepted; `last_seq` is the highest Seq already used up from it."""

    last_seq: int


@_value
class DialerAck:
    """Every event up to `seq` has been applied."""

    seq: int


Message: TypeAlias = (
    RequestRegisterClient
    | RequestOpenStatistic
    | RequestOpenStatisticEx
    | RequestGetStatistic
    | RequestGetStatisticEx
    | RequestPeekStatistic
    | RequestCloseStatistic
    | RequestSuspendNotification
    | RequestResumeNotification
    | RequestGetStatisticProfile
    | RequestPing
    | EventClientRegistered
    | EventStatisticOpened
    | EventInfo
    | EventStatisticClosed
    | EventNotificationSuspended
    | EventNotificationResumed
    | EventStatisticProfile
    | EventPong
    | EventStatisticInvalid
    | EventStatisticValid
    | EventError
    | EventServerClosing
    | DialerHello
    | CampaignEvent
    | EventBatch
    | DialerSync
    | DialerWelcome
    | DialerAck
)

CLIENT_REQUESTS: frozenset[type] = frozenset(
    {
        RequestRegisterClient,
        RequestOpenStatistic,
        RequestOpenStatisticEx,
        RequestGetStatistic,
        RequestGetStatisticEx,
        RequestPeekStatistic,
        RequestCloseStatistic,
        RequestSuspendNotification,
        RequestResumeNotification,
        RequestGetStatisticProfile,
        RequestPing,
    }
)
"""What a client sends on the client port."""

CLIENT_EVENTS: frozenset[type] = frozenset(
    {
        EventClientRegistered,
        EventStatisticOpened,
        EventInfo,
        EventStatisticClosed,
        EventNotificationSuspended,
        EventNotificationResumed,
        EventStatisticProfile,
        EventPong,
        EventStatisticInvalid,
        EventStatisticValid,
        EventError,
        EventServerClosing,
    }
)
"""What the server sends on the client port."""

DIALER_MESSAGES: frozenset[type] = frozenset({DialerHello, CampaignEvent, EventBatch, DialerSync})
"""What a dialer sends on the ingest port."""

DIALER_REPLIES: frozenset[type] = frozenset({DialerWelcome, DialerAck, EventError})
"""What the server sends on the ingest port."""

MESSAGE_TYPES: Mapping[str, type] = MappingProxyType(
    {cls.__name__: cls for cls in get_args(Message)}
)
"""Every message class by its wire `Message` name, in catalogue order."""
