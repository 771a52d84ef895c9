"""The statsrv wire protocol, sans I/O: messages, framing, codec and connection states.

Importable on its own (it needs only msgpack), so any client can use it:

    conn = ClientConnection()
    conn.receive_data(chunk)
    while (event := conn.next_event()) is not None:
        ...                       # a message, or the ProtocolError to answer with
    frame = conn.send(EventPong(reference_id=1, server_time=now))

`SPEC.md` beside this package is the contract for those who write clients without it.
"""

from protocol.codec import decode, encode
from protocol.connection import ClientConnection, ConnectionStatistics, IngestConnection
from protocol.constants import (
    DEFAULT_MAX_FRAME_BYTES,
    DEFAULT_NOTIFICATION_MODE,
    DEFAULT_TAG,
    DEFAULT_TENANT,
    PROTOCOL_VERSION,
)
from protocol.errors import ErrorCode, LocalProtocolError, ProtocolError
from protocol.framing import FrameDecoder, encode_frame
from protocol.messages import (
    CLIENT_EVENTS,
    CLIENT_REQUESTS,
    DIALER_MESSAGES,
    DIALER_REPLIES,
    MESSAGE_TYPES,
    CampaignEvent,
    DialerAck,
    DialerHello,
    DialerSync,
    DialerWelcome,
    EventBatch,
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
)
from protocol.states import ClientState, IngestState
from protocol.structures import (
    Notification,
    StatisticMetric,
    StatisticMetricEx,
    StatisticObject,
)

__all__ = [
    "CLIENT_EVENTS",
    "CLIENT_REQUESTS",
    "DEFAULT_MAX_FRAME_BYTES",
    "DEFAULT_NOTIFICATION_MODE",
    "DEFAULT_TAG",
    "DEFAULT_TENANT",
    "DIALER_MESSAGES",
    "DIALER_REPLIES",
    "MESSAGE_TYPES",
    "PROTOCOL_VERSION",
    "CampaignEvent",
    "ClientConnection",
    "ClientState",
    "ConnectionStatistics",
    "DialerAck",
    "DialerHello",
    "DialerSync",
    "DialerWelcome",
    "ErrorCode",
    "EventBatch",
    "EventClientRegistered",
    "EventError",
    "EventInfo",
    "EventNotificationResumed",
    "EventNotificationSuspended",
    "EventPong",
    "EventServerClosing",
    "EventStatisticClosed",
    "EventStatisticInvalid",
    "EventStatisticOpened",
    "EventStatisticProfile",
    "EventStatisticValid",
    "FrameDecoder",
    "IngestConnection",
    "IngestState",
    "LocalProtocolError",
    "Message",
    "Notification",
    "ProtocolError",
    "RequestCloseStatistic",
    "RequestGetStatistic",
    "RequestGetStatisticEx",
    "RequestGetStatisticProfile",
    "RequestOpenStatistic",
    "RequestOpenStatisticEx",
    "RequestPeekStatistic",
    "RequestPing",
    "RequestRegisterClient",
    "RequestResumeNotification",
    "RequestSuspendNotification",
    "StatisticMetric",
    "StatisticMetricEx",
    "StatisticObject",
    "decode",
    "encode",
    "encode_frame",
]
