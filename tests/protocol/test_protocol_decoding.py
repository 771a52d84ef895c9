"""Decoding frame bodies: every refusal the contract names, with code, flags and description."""

from __future__ import annotations

from typing import Any

import msgpack
import pytest

from protocol import (
    CLIENT_REQUESTS,
    DIALER_MESSAGES,
    CampaignEvent,
    ErrorCode,
    EventBatch,
    EventInfo,
    EventPong,
    ProtocolError,
    RequestOpenStatistic,
    decode,
)


def body(data: Any) -> bytes:
    return msgpack.packb(data, use_bin_type=True)


OBJECT = {"ObjectId": "C1", "ObjectType": "Campaign"}
METRIC = {"StatisticType": "Calls"}


def open_statistic(**changes: Any) -> bytes:
    fields = {
        "Message": "RequestOpenStatistic",
        "ReferenceId": 7,
        "StatisticObject": OBJECT,
        "StatisticMetric": METRIC,
    }
    fields.update(changes)
    return body(fields)


def open_ex(**metric_changes: Any) -> bytes:
    metric = {"Category": "TotalNumber", "Subject": "CampaignAction", **metric_changes}
    return body(
        {
            "Message": "RequestOpenStatisticEx",
            "ReferenceId": 8,
            "StatisticObject": OBJECT,
            "StatisticMetricEx": metric,
        }
    )


PING = {"Message": "RequestPing", "ReferenceId": 1}
FRAME, TOO_LARGE, UM, IR, IE = (
    ErrorCode.InvalidFrame,
    ErrorCode.FrameTooLarge,
    ErrorCode.UnknownMessage,
    ErrorCode.InvalidRequest,
    ErrorCode.InvalidEvent,
)

# (id, body, accepted, code, reference_id, seq, description)
REFUSALS: list[
    tuple[str, bytes, frozenset[type] | None, ErrorCode, int | None, int | None, str]
] = [
    ("not msgpack", b"\xc1", None, FRAME, None, None, "frame body is not valid msgpack"),
    ("empty body", b"", None, FRAME, None, None, "frame body is not valid msgpack"),
    ("truncated map", body(PING)[:-1], None, FRAME, None, None, "frame body is not valid msgpack"),
    ("trailing bytes", body(PING) + b"\x00", None, FRAME, None, None, "frame body has bytes after"),
    ("invalid utf-8", b"\x81\xa7Message\xa2\xff\xfe", None, FRAME, None, None, "not valid UTF-8"),
    ("not a map", body([1, 2]), None, FRAME, None, None, "frame body must be a map, got list"),
    ("str body", body("RequestPing"), None, FRAME, None, None, "frame body must be a map, got str"),
    ("int key", b"\x81\x01\x02", None, FRAME, None, None, "frame body is not valid msgpack"),
    ("bin key", body({b"Message": "RequestPing"}), None, FRAME, None, None, "map key b'Message'"),
    ("bin key beside fields", body({**PING, b"x": 1}), None, FRAME, None, None, "map key b'x'"),
    ("ext value", body({**PING, "X": msgpack.ExtType(5, b"ab")}), None, FRAME, None, None, "ext"),
    ("empty ext", body({**PING, "X": msgpack.ExtType(5, b"")}), None, FRAME, None, None, "ext"),
    ("timestamp", body({**PING, "X": msgpack.Timestamp(1, 0)}), None, FRAME, None, None, "ext"),
    ("no Message", body({"ReferenceId": 5}), None, UM, 5, None, "Message: missing required field"),
    (
        "nil Message",
        body({"Message": None}),
        None,
        UM,
        None,
        None,
        "Message: missing required field",
    ),
    (
        "int Message",
        body({"Message": 3, "ReferenceId": 5}),
        None,
        UM,
        5,
        None,
        "Message: expected str, got int",
    ),
    (
        "unknown Message",
        body({"Message": "RequestTeleport", "ReferenceId": 5}),
        None,
        UM,
        5,
        None,
        "Message: unknown message 'RequestTeleport'",
    ),
    (
        "message of the other port",
        body({"Message": "DialerHello", "DialerName": "d", "ProtocolVersion": 1, "Tenant": "t"}),
        CLIENT_REQUESTS,
        UM,
        None,
        None,
        "Message: 'DialerHello' is not a message this side accepts",
    ),
    (
        "server message sent by a client",
        body({"Message": "EventPong", "ReferenceId": 3, "ServerTime": 1.0}),
        CLIENT_REQUESTS,
        UM,
        3,
        None,
        "Message: 'EventPong' is not a message this side accepts",
    ),
    ("unknown field", body({**PING, "Colour": "red"}), None, IR, 1, None, "Colour: unknown field"),
    ("wrong type", open_statistic(Tag="x"), None, IR, 7, None, "Tag: expected int, got str"),
    ("float for int", open_statistic(Tag=1.0), None, IR, 7, None, "Tag: expected int, got float"),
    (
        "bool is not int",
        body({**PING, "ReferenceId": True}),
        None,
        IR,
        None,
        None,
        "ReferenceId: expected int, got bool",
    ),
    (
        "missing field",
        body({"Message": "RequestPing"}),
        None,
        IR,
        None,
        None,
        "ReferenceId: missing required field",
    ),
    (
        "nil required",
        body({**PING, "ReferenceId": None}),
        None,
        IR,
        None,
        None,
        "ReferenceId: missing required field",
    ),
    (
        "nil any is a value but absent is missing",
        body({"Message": "EventInfo", "Tag": 1, "ServerTime": 1.0}),
        None,
        IR,
        None,
        None,
        "Value: missing required field",
    ),
    (
        "nested missing",
        open_statistic(StatisticObject={"ObjectType": "Campaign"}),
        None,
        IR,
        7,
        None,
        "StatisticObject.ObjectId: missing required field",
    ),
    (
        "nested wrong type",
        open_statistic(StatisticObject={"ObjectId": "C1", "ObjectType": 5}),
        None,
        IR,
        7,
        None,
        "StatisticObject.ObjectType: expected str, got int",
    ),
    (
        "nested unknown field",
        open_statistic(StatisticMetric={"StatisticType": "Calls", "Colour": 1}),
        None,
        IR,
        7,
        None,
        "StatisticMetric.Colour: unknown field",
    ),
    (
        "nested bin key",
        open_statistic(StatisticMetric={"StatisticType": "Calls", b"k": 1}),
        None,
        IR,
        7,
        None,
        "StatisticMetric: map key b'k' is not a str",
    ),
    (
        "structure not a map",
        open_statistic(StatisticObject="C1"),
        None,
        IR,
        7,
        None,
        "StatisticObject: expected map, got str",
    ),
    (
        "list item",
        open_ex(MainMask=["A", 3]),
        None,
        IR,
        8,
        None,
        "StatisticMetricEx.MainMask[1]: expected str, got int",
    ),
    (
        "not a list",
        open_ex(RelMask="A"),
        None,
        IR,
        8,
        None,
        "StatisticMetricEx.RelMask: expected list[str], got str",
    ),
    (
        "float field",
        open_statistic(Notification={"Frequency": "5"}),
        None,
        IR,
        7,
        None,
        "Notification.Frequency: expected float, got str",
    ),
    (
        "map field with a bin key",
        body(
            {
                "Message": "EventStatisticProfile",
                "ReferenceId": 2,
                "StatisticTypes": {b"x": 1},
                "TimeProfiles": {},
                "ObjectTypes": [],
                "Categories": [],
                "Actions": [],
            }
        ),
        None,
        IR,
        2,
        None,
        "StatisticTypes: map key b'x' is not a str",
    ),
    (
        "event without Seq",
        body({"Message": "CampaignEvent", "Event": "E"}),
        None,
        IE,
        None,
        None,
        "Seq: missing required field",
    ),
    (
        "event with str Seq",
        body({"Message": "CampaignEvent", "Seq": "1"}),
        None,
        IE,
        None,
        None,
        "Seq: expected int, got str",
    ),
    (
        "sync with str Seq",
        body({"Message": "DialerSync", "Seq": "1"}),
        DIALER_MESSAGES,
        IR,
        None,
        None,
        "Seq: expected int, got str",
    ),
    (
        "hello with unknown field",
        body(
            {
                "Message": "DialerHello",
                "DialerName": "d",
                "ProtocolVersion": 1,
                "Tenant": "t",
                "Tnant": "x",
            }
        ),
        DIALER_MESSAGES,
        IR,
        None,
        None,
        "Tnant: unknown field",
    ),
    (
        "batch without Events",
        body({"Message": "EventBatch"}),
        None,
        IE,
        None,
        None,
        "Events: missing required field",
    ),
    (
        "batch with a map",
        body({"Message": "EventBatch", "Events": {}}),
        None,
        IE,
        None,
        None,
        "Events: expected list, got map",
    ),
    (
        "batch with extra field",
        body({"Message": "EventBatch", "Events": [], "Colour": 1}),
        None,
        IE,
        None,
        None,
        "Colour: unknown field",
    ),
]


@pytest.mark.parametrize(
    ("data", "accepted", "code", "reference_id", "seq", "description"),
    [case[1:] for case in REFUSALS],
    ids=[case[0] for case in REFUSALS],
)
def test_refusal(
    data: bytes,
    accepted: frozenset[type] | None,
    code: ErrorCode,
    reference_id: int | None,
    seq: int | None,
    description: str,
) -> None:
    with pytest.raises(ProtocolError) as caught:
        decode(data, accepted)
    error = caught.value
    assert error.code is code
    assert error.closes_connection is (code in (FRAME, TOO_LARGE))
    assert error.reference_id == reference_id
    assert error.seq == seq
    if code is FRAME:
        assert error.description.startswith(description) or description in error.description
    else:
        assert error.description == description


def test_refusals_other_than_invalid_event_carry_no_seq() -> None:
    with pytest.raises(ProtocolError) as caught:
        decode(body({"Message": "DialerSync", "Seq": 12, "Colour": 1}), DIALER_MESSAGES)
    assert caught.value.code is ErrorCode.InvalidRequest
    assert caught.value.seq is None
    with pytest.raises(ProtocolError) as caught:
        decode(body({"Message": "DialerSync", "Seq": 12}), CLIENT_REQUESTS)
    assert caught.value.seq is None


def test_float_fields_accept_ints() -> None:
    pong = decode(body({"Message": "EventPong", "ReferenceId": 1, "ServerTime": 5}))
    assert pong == EventPong(reference_id=1, server_time=5.0)
    assert type(pong.server_time) is float  # type: ignore[union-attr]


def test_nil_optionals_mean_absent_and_take_their_defaults() -> None:
    message = decode(open_statistic(Tag=None, Notification=None))
    assert isinstance(message, RequestOpenStatistic)
    assert message.tag == -1
    assert message.notification is None
    assert message.statistic_object.tenant_name == "Environment"


def test_a_nil_value_is_a_value() -> None:
    data = body({"Message": "EventInfo", "Tag": 1, "Value": None, "ServerTime": 1.0})
    assert decode(data) == EventInfo(tag=1, value=None, server_time=1.0)


def test_msgpack_integer_extremes_are_ints() -> None:
    for number in (-(2**63), 2**64 - 1):
        assert decode(body({**PING, "ReferenceId": number})).reference_id == number  # type: ignore[union-attr]


def test_campaign_event_keeps_its_fields_and_drops_nil_ones() -> None:
    data = body({"Message": "CampaignEvent", "Seq": 3, "Event": "E", "Tenant": None, "N": [1]})
    assert decode(data, DIALER_MESSAGES) == CampaignEvent(seq=3, body={"Event": "E", "N": [1]})


def test_one_bad_batch_item_does_not_spoil_the_others() -> None:
    items = [
        {"Seq": 1, "Event": "A"},
        {"Event": "B"},
        "not a map",
        {"Seq": "3"},
        {"Message": "Other", "Seq": 4},
        {"Message": "CampaignEvent", "Seq": 5, "Event": "F"},
        {"Seq": 6, b"k": 1},
    ]
    batch = decode(body({"Message": "EventBatch", "Events": items}), DIALER_MESSAGES)
    assert isinstance(batch, EventBatch)

    def invalid(description: str, seq: int | None = None) -> ProtocolError:
        return ProtocolError(ErrorCode.InvalidEvent, description, seq=seq)

    assert batch.events == (
        CampaignEvent(seq=1, body={"Event": "A"}),
        invalid("Events[1].Seq: missing required field"),
        invalid("Events[2]: expected map, got str"),
        invalid("Events[3].Seq: expected int, got str"),
        invalid("Events[4].Message: expected 'CampaignEvent', got 'Other'", seq=4),
        CampaignEvent(seq=5, body={"Event": "F"}),
        invalid("Events[6]: map key b'k' is not a str", seq=6),
    )
    assert not any(
        item.closes_connection for item in batch.events if isinstance(item, ProtocolError)
    )
