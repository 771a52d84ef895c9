"""The catalogue's field orders, the frame encoding and the record shapes of the vectors.

Only msgpack and the standard library: the vectors state the contract independently of the
server's code.
"""

from __future__ import annotations

import struct
from collections.abc import Iterator
from typing import Any

import msgpack

MAX_FRAME_BYTES = 1_048_576
DEFAULT_TAG = -1
DEFAULT_TENANT = "Environment"
DEFAULT_MODE = "Immediate"

ERROR_CODES: dict[str, int] = {
    "InvalidFrame": 1,
    "FrameTooLarge": 2,
    "UnknownMessage": 3,
    "InvalidRequest": 4,
    "NotRegistered": 5,
    "AlreadyRegistered": 6,
    "AuthenticationFailed": 7,
    "TenantAccessDenied": 8,
    "UnknownObject": 9,
    "UnknownObjectType": 10,
    "UnknownStatisticType": 11,
    "UnknownTimeProfile": 12,
    "UnknownCategory": 13,
    "InvalidMask": 14,
    "NotApplicable": 15,
    "DuplicateReferenceId": 16,
    "UnknownStatistic": 17,
    "TooManyStatistics": 18,
    "SlowConsumer": 19,
    "ServerShuttingDown": 20,
    "UnsupportedProtocolVersion": 21,
    "InvalidNotification": 22,
    "InternalError": 23,
    "InvalidEvent": 24,
}

# Field order of every message after `Message` (the catalogue's order is the encoding order).
MESSAGE_FIELDS: dict[str, tuple[str, ...]] = {
    "RequestRegisterClient": ("ReferenceId", "ClientName", "ProtocolVersion", "Token"),
    "RequestOpenStatistic": (
        "ReferenceId",
        "StatisticObject",
        "StatisticMetric",
        "Tag",
        "Notification",
    ),
    "RequestOpenStatisticEx": (
        "ReferenceId",
        "StatisticObject",
        "StatisticMetricEx",
        "Tag",
        "Notification",
    ),
    "RequestGetStatistic": ("ReferenceId", "StatisticObject", "StatisticMetric", "Tag"),
    "RequestGetStatisticEx": ("ReferenceId", "StatisticObject", "StatisticMetricEx", "Tag"),
    "RequestPeekStatistic": ("ReferenceId", "StatisticId"),
    "RequestCloseStatistic": ("ReferenceId", "StatisticId"),
    "RequestSuspendNotification": ("ReferenceId", "StatisticId"),
    "RequestResumeNotification": ("ReferenceId", "StatisticId"),
    "RequestGetStatisticProfile": ("ReferenceId",),
    "RequestPing": ("ReferenceId",),
    "EventClientRegistered": (
        "ReferenceId",
        "ServerName",
        "ProtocolVersion",
        "ServerTime",
        "ServerMode",
    ),
    "EventStatisticOpened": ("ReferenceId", "StatisticId", "Tag"),
    "EventInfo": ("StatisticId", "Tag", "Value", "ServerTime", "ReferenceId"),
    "EventStatisticClosed": ("ReferenceId", "StatisticId", "Tag"),
    "EventNotificationSuspended": ("ReferenceId", "StatisticId"),
    "EventNotificationResumed": ("ReferenceId", "StatisticId"),
    "EventStatisticProfile": (
        "ReferenceId",
        "StatisticTypes",
        "TimeProfiles",
        "ObjectTypes",
        "Categories",
        "Actions",
    ),
    "EventPong": ("ReferenceId", "ServerTime"),
    "EventStatisticInvalid": ("StatisticId", "Tag", "Reason"),
    "EventStatisticValid": ("StatisticId", "Tag"),
    "EventError": ("ErrorCode", "ErrorName", "Description", "ReferenceId", "Seq"),
    "EventServerClosing": ("Reason",),
    "DialerHello": ("DialerName", "ProtocolVersion", "Tenant", "Token"),
    "EventBatch": ("Events",),
    "DialerSync": ("Seq",),
    "DialerWelcome": ("LastSeq",),
    "DialerAck": ("Seq",),
}

STRUCTURE_FIELDS: dict[str, tuple[str, ...]] = {
    "StatisticObject": ("ObjectId", "ObjectType", "TenantName", "TenantPassword"),
    "StatisticMetric": ("StatisticType", "TimeProfile"),
    "StatisticMetricEx": ("Category", "Subject", "MainMask", "RelMask", "TimeProfile"),
    "Notification": ("Mode", "Frequency", "Insensitivity"),
}

EVENT_COMMON_FIELDS: tuple[str, ...] = ("Seq", "Event", "Time", "Campaign", "Tenant")
EVENT_FIELDS: dict[str, tuple[str, ...]] = {
    "GroupLoaded": ("Group",),
    "DialingStarted": ("Group", "DialMode"),
    "DialingStopped": ("Group",),
    "GroupUnloaded": ("Group",),
    "DialModeChanged": ("Group", "DialMode"),
    "GroupCondition": ("Group", "Condition", "Active"),
    "DialResult": ("Group", "CallingList", "RecordId", "ChainId", "CallResult"),
    "ChainProcessed": ("Group", "CallingList", "ChainId", "CallResult"),
    "Callback": ("Group", "CallingList", "RecordId", "Kind", "Personal"),
    "AgentError": ("Group", "CallingList", "RecordId"),
    "RecordsScheduled": ("Count",),
    "ProcessingCompleted": ("CallingList", "RecordsNotProcessed"),
}

# Example times: 2026-03-02 09:30:00 UTC and moments after it (binary-exact fractions).
T0 = 1772443800.0
FUTURE_TIME = 4102444800.0  # 2100-01-01 00:00:00 UTC, always more than 60 s ahead
DIAL_MODES_TEXT = (
    "NoDial, Predict, PredictAndSeize, PredictGVP, Preview, Power, PowerAndSeize, "
    "PowerGVP, Progress, ProgressAndSeize, ProgressGVP, PushPreview"
)


# --- encoding ----------------------------------------------------------------------------------


def ordered(order: tuple[str, ...], fields: dict[str, Any], where: str) -> dict[str, Any]:
    """`fields` in `order`, None values left out, structures ordered too; unknown names refused."""
    unknown = set(fields) - set(order)
    if unknown:
        raise ValueError(f"{where}: fields not in the catalogue: {sorted(unknown)}")
    out: dict[str, Any] = {}
    for name in order:
        value = fields.get(name)
        if value is None:
            continue
        if name in STRUCTURE_FIELDS and isinstance(value, dict):
            value = ordered(STRUCTURE_FIELDS[name], value, f"{where}.{name}")
        out[name] = value
    return out


def event_item(**fields: Any) -> dict[str, Any]:
    """One campaign event's fields (a CampaignEvent without `Message`, as in an EventBatch)."""
    order = EVENT_COMMON_FIELDS + EVENT_FIELDS[fields["Event"]]
    return ordered(order, fields, fields["Event"])


def message(name: str, **fields: Any) -> dict[str, Any]:
    """The map of message `name`: `Message` first, then its fields in catalogue order."""
    if name == "CampaignEvent":
        return {"Message": name, **event_item(**fields)}
    return {"Message": name, **ordered(MESSAGE_FIELDS[name], fields, name)}


def pack(value: Any) -> bytes:
    """msgpack bytes: str as str, bytes as bin, floats as float64."""
    return msgpack.packb(value, use_bin_type=True)


def frame(body: bytes) -> bytes:
    """A frame: the body's length as 4-byte unsigned big-endian, then the body."""
    return struct.pack(">I", len(body)) + body


def float_paths(value: Any, path: str = "") -> Iterator[str]:
    """Dotted paths of the floats in `value` (list items by index: `Events.0.Time`)."""
    if isinstance(value, float):
        yield path
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from float_paths(item, f"{path}.{key}" if path else key)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from float_paths(item, f"{path}.{index}" if path else str(index))


def is_plain_json(value: Any) -> bool:
    """Whether JSON can hold `value` as it is (str keys, no bytes)."""
    if isinstance(value, dict):
        return all(isinstance(k, str) and is_plain_json(v) for k, v in value.items())
    if isinstance(value, list):
        return all(is_plain_json(v) for v in value)
    return value is None or isinstance(value, str | int | float | bool)


# --- vector records ----------------------------------------------------------------------------

C2S, S2C, D2S, S2D = "client->server", "server->client", "dialer->server", "server->dialer"


def valid(name: str, direction: str, msg: dict[str, Any], note: str = "") -> dict[str, Any]:
    """A canonical vector: `hex` decodes to `message`, and `message` encodes to `hex`."""
    record: dict[str, Any] = {
        "name": name,
        "direction": direction,
        "canonical": True,
        "message": msg,
        "floats": list(float_paths(msg)),
        "hex": frame(pack(msg)).hex(),
    }
    filled = with_defaults(msg)
    if filled != msg:
        record["filled"] = filled
        record["filled_hex"] = frame(pack(filled)).hex()
    if note:
        record["note"] = note
    return record


def with_defaults(msg: dict[str, Any]) -> dict[str, Any]:
    """`msg` with the catalogue's defaults written out (Tag, TenantName, Notification.Mode)."""
    if msg["Message"] not in MESSAGE_FIELDS:
        return msg  # CampaignEvent: its body has no defaults at the protocol level
    fields = {key: value for key, value in msg.items() if key != "Message"}
    if "Tag" in MESSAGE_FIELDS[msg["Message"]] and msg["Message"].startswith("Request"):
        fields.setdefault("Tag", DEFAULT_TAG)
    if "StatisticObject" in fields:
        fields["StatisticObject"] = {"TenantName": DEFAULT_TENANT, **fields["StatisticObject"]}
    if "Notification" in fields:
        fields["Notification"] = {"Mode": DEFAULT_MODE, **fields["Notification"]}
    return message(msg["Message"], **fields)


def lenient(
    name: str, direction: str, sent: dict[str, Any] | bytes, msg: dict[str, Any], note: str
) -> dict[str, Any]:
    """An accepted, non-canonical frame: `hex` (`sent`, or its encoding) decodes to `message`."""
    record = valid(name, direction, msg, note)
    record["canonical"] = False
    record["hex"] = frame(sent if isinstance(sent, bytes) else pack(sent)).hex()
    return record


def refused(
    name: str,
    error: str,
    *,
    data: bytes,
    layer: str,
    state: str,
    closes: bool,
    direction: str = C2S,
    sent: Any = None,
    expect: dict[str, Any] | None = None,
    note: str = "",
) -> dict[str, Any]:
    """A frame that must be refused with `error` (an ErrorName)."""
    record: dict[str, Any] = {
        "name": name,
        "direction": direction,
        "port": "ingest" if direction == D2S else "client",
        "layer": layer,
        "state": state,
        "hex": data.hex(),
    }
    if isinstance(sent, dict) and is_plain_json(sent):
        record["message"] = sent
    record["ErrorCode"] = ERROR_CODES[error]
    record["ErrorName"] = error
    record.update(expect or {})
    record["closes"] = closes
    if note:
        record["note"] = note
    return record


def refused_map(name: str, error: str, sent: dict[str, Any], **kw: Any) -> dict[str, Any]:
    """`refused` for a frame whose body is the msgpack encoding of the map `sent`."""
    return refused(name, error, data=frame(pack(sent)), sent=sent, **kw)


# --- example objects ---------------------------------------------------------------------------

CAMPAIGN = {"ObjectId": "Spring2027", "ObjectType": "Campaign"}
GROUP = {"ObjectId": "Spring2027@SalesTeam", "ObjectType": "CampaignGroup"}
GROUP_IN_TENANT = {**GROUP, "TenantName": "Acme", "TenantPassword": "acme-pw"}
LIST_IN_CAMPAIGN = {"ObjectId": "Spring2027@LeadsEast", "ObjectType": "CampaignCallingList"}
STATE_METRIC = {"Category": "CurrentState", "Subject": "CampaignAction"}
DIALS_METRIC = {"Category": "TotalNumber", "Subject": "CampaignAction", "MainMask": ["DialMade"]}
ANSWER_RATE_METRIC = {
    "Category": "RelativeNumberPercentage",
    "Subject": "CampaignAction",
    "MainMask": ["DialAnswer"],
    "RelMask": ["DialMade"],
    "TimeProfile": "Default",
}
RUNNING_STATE = {
    "Status": "StatusRunning",
    "DialMode": "Predict",
    "DialModes": ["Predict"],
    "Conditions": [],
    "Since": T0 - 3600.0,
}
MIXED_STATE = {
    "Status": "StatusRunning",
    "DialMode": None,
    "DialModes": ["Power", "Predict"],
    "Conditions": ["StatusWaitingAgents"],
    "Since": T0 - 5400.5,
}
