"""The message catalogue: names, field order and types, round trips, and encoding rules."""

from __future__ import annotations

import dataclasses

import msgpack
import pytest
from protocol_samples import FULL, MINIMAL

import protocol
from protocol import (
    MESSAGE_TYPES,
    CampaignEvent,
    ErrorCode,
    EventBatch,
    EventError,
    EventInfo,
    EventPong,
    LocalProtocolError,
    Notification,
    ProtocolError,
    RequestPing,
    StatisticObject,
    decode,
    encode,
)
from protocol.specs import MESSAGE_SPECS, STRUCTURE_SPECS

# The catalogue, transcribed: wire name -> ((field, type, required, default), ...) in order.
REQ, OPT = True, False
CATALOGUE = {
    "StatisticObject": (
        ("ObjectId", "str", REQ, None),
        ("ObjectType", "str", REQ, None),
        ("TenantName", "str", OPT, "Environment"),
        ("TenantPassword", "str", OPT, None),
    ),
    "StatisticMetric": (("StatisticType", "str", REQ, None), ("TimeProfile", "str", OPT, None)),
    "StatisticMetricEx": (
        ("Category", "str", REQ, None),
        ("Subject", "str", REQ, None),
        ("MainMask", "list[str]", OPT, None),
        ("RelMask", "list[str]", OPT, None),
        ("TimeProfile", "str", OPT, None),
    ),
    "Notification": (
        ("Mode", "str", OPT, "Immediate"),
        ("Frequency", "float", OPT, None),
        ("Insensitivity", "float", OPT, None),
    ),
    "RequestRegisterClient": (
        ("ReferenceId", "int", REQ, None),
        ("ClientName", "str", REQ, None),
        ("ProtocolVersion", "int", REQ, None),
        ("Token", "str", OPT, None),
    ),
    "RequestOpenStatistic": (
        ("ReferenceId", "int", REQ, None),
        ("StatisticObject", "structure", REQ, None),
        ("StatisticMetric", "structure", REQ, None),
        ("Tag", "int", OPT, -1),
        ("Notification", "structure", OPT, None),
    ),
    "RequestOpenStatisticEx": (
        ("ReferenceId", "int", REQ, None),
        ("StatisticObject", "structure", REQ, None),
        ("StatisticMetricEx", "structure", REQ, None),
        ("Tag", "int", OPT, -1),
        ("Notification", "structure", OPT, None),
    ),
    "RequestGetStatistic": (
        ("ReferenceId", "int", REQ, None),
        ("StatisticObject", "structure", REQ, None),
        ("StatisticMetric", "structure", REQ, None),
        ("Tag", "int", OPT, -1),
    ),
    "RequestGetStatisticEx": (
        ("ReferenceId", "int", REQ, None),
        ("StatisticObject", "structure", REQ, None),
        ("StatisticMetricEx", "structure", REQ, None),
        ("Tag", "int", OPT, -1),
    ),
    "RequestPeekStatistic": (("ReferenceId", "int", REQ, None), ("StatisticId", "int", REQ, None)),
    "RequestCloseStatistic": (("ReferenceId", "int", REQ, None), ("StatisticId", "int", REQ, None)),
    "RequestSuspendNotification": (
        ("ReferenceId", "int", REQ, None),
        ("StatisticId", "int", OPT, None),
    ),
    "RequestResumeNotification": (
        ("ReferenceId", "int", REQ, None),
        ("StatisticId", "int", OPT, None),
    ),
    "RequestGetStatisticProfile": (("ReferenceId", "int", REQ, None),),
    "RequestPing": (("ReferenceId", "int", REQ, None),),
    "EventClientRegistered": (
        ("ReferenceId", "int", REQ, None),
        ("ServerName", "str", REQ, None),
        ("ProtocolVersion", "int", REQ, None),
        ("ServerTime", "float", REQ, None),
        ("ServerMode", "str", REQ, None),
    ),
    "EventStatisticOpened": (
        ("ReferenceId", "int", REQ, None),
        ("StatisticId", "int", REQ, None),
        ("Tag", "int", REQ, None),
    ),
    "EventInfo": (
        ("StatisticId", "int", OPT, None),
        ("Tag", "int", REQ, None),
        ("Value", "any", REQ, None),
        ("ServerTime", "float", REQ, None),
        ("ReferenceId", "int", OPT, None),
    ),
    "EventStatisticClosed": (
        ("ReferenceId", "int", REQ, None),
        ("StatisticId", "int", REQ, None),
        ("Tag", "int", REQ, None),
    ),
    "EventNotificationSuspended": (
        ("ReferenceId", "int", REQ, None),
        ("StatisticId", "int", OPT, None),
    ),
    "EventNotificationResumed": (
        ("ReferenceId", "int", REQ, None),
        ("StatisticId", "int", OPT, None),
    ),
    "EventStatisticProfile": (
        ("ReferenceId", "int", REQ, None),
        ("StatisticTypes", "map", REQ, None),
        ("TimeProfiles", "map", REQ, None),
        ("ObjectTypes", "list[str]", REQ, None),
        ("Categories", "list[str]", REQ, None),
        ("Actions", "list[str]", REQ, None),
    ),
    "EventPong": (("ReferenceId", "int", REQ, None), ("ServerTime", "float", REQ, None)),
    "EventStatisticInvalid": (
        ("StatisticId", "int", REQ, None),
        ("Tag", "int", REQ, None),
        ("Reason", "str", REQ, None),
    ),
    "EventStatisticValid": (("StatisticId", "int", REQ, None), ("Tag", "int", REQ, None)),
    "EventError": (
        ("ErrorCode", "int", REQ, None),
        ("ErrorName", "str", REQ, None),
        ("Description", "str", REQ, None),
        ("ReferenceId", "int", OPT, None),
        ("Seq", "int", OPT, None),
    ),
    "EventServerClosing": (("Reason", "str", REQ, None),),
    "DialerHello": (
        ("DialerName", "str", REQ, None),
        ("ProtocolVersion", "int", REQ, None),
        ("Tenant", "str", REQ, None),
        ("Token", "str", OPT, None),
    ),
    "DialerSync": (("Seq", "int", REQ, None),),
    "DialerWelcome": (("LastSeq", "int", REQ, None),),
    "DialerAck": (("Seq", "int", REQ, None),),
}
FREE_FORM = {"CampaignEvent", "EventBatch"}


def test_every_catalogue_message_is_registered_under_its_wire_name() -> None:
    structures = {"StatisticObject", "StatisticMetric", "StatisticMetricEx", "Notification"}
    assert set(MESSAGE_TYPES) == (set(CATALOGUE) - structures) | FREE_FORM
    for name, cls in MESSAGE_TYPES.items():
        assert cls.__name__ == name
        assert getattr(protocol, name) is cls


def test_field_specs_match_the_catalogue() -> None:
    specs = {spec.name: spec for spec in [*MESSAGE_SPECS.values(), *STRUCTURE_SPECS.values()]}
    assert set(specs) == set(CATALOGUE)
    for name, fields in CATALOGUE.items():
        actual = tuple((f.wire, f.kind.value, f.required, f.default) for f in specs[name].fields)
        assert actual == fields, name


def test_samples_cover_every_message_type() -> None:
    assert {type(message) for message in FULL} == set(MESSAGE_TYPES.values())


@pytest.mark.parametrize("message", FULL + MINIMAL, ids=lambda m: type(m).__name__)
def test_every_message_round_trips(message: protocol.Message) -> None:
    frame = encode(message)
    assert int.from_bytes(frame[:4], "big") == len(frame) - 4
    assert decode(frame[4:]) == message


@pytest.mark.parametrize("message", FULL, ids=lambda m: type(m).__name__)
def test_message_is_frozen_and_slotted(message: protocol.Message) -> None:
    assert not hasattr(message, "__dict__")
    field = dataclasses.fields(message)[0].name
    with pytest.raises(dataclasses.FrozenInstanceError):
        setattr(message, field, None)


def _wire_map(message: protocol.Message) -> dict[str, object]:
    return msgpack.unpackb(encode(message)[4:])


def test_message_key_comes_first_then_fields_in_catalogue_order() -> None:
    info = EventInfo(statistic_id=1, tag=2, value=3, server_time=4.0, reference_id=5)
    assert list(_wire_map(info)) == [
        "Message",
        "StatisticId",
        "Tag",
        "Value",
        "ServerTime",
        "ReferenceId",
    ]
    assert _wire_map(info)["Message"] == "EventInfo"


def test_absent_optionals_are_left_out_but_a_nil_value_is_sent() -> None:
    info = EventInfo(tag=-1, value=None, server_time=1.0, reference_id=9)
    assert _wire_map(info) == {
        "Message": "EventInfo",
        "Tag": -1,
        "Value": None,
        "ServerTime": 1.0,
        "ReferenceId": 9,
    }


def test_nested_structures_are_maps_and_defaults_are_sent() -> None:
    message = protocol.RequestOpenStatistic(
        reference_id=1,
        statistic_object=StatisticObject(object_id="C1", object_type="Campaign"),
        statistic_metric=protocol.StatisticMetric(statistic_type="Calls"),
    )
    assert _wire_map(message) == {
        "Message": "RequestOpenStatistic",
        "ReferenceId": 1,
        "StatisticObject": {
            "ObjectId": "C1",
            "ObjectType": "Campaign",
            "TenantName": "Environment",
        },
        "StatisticMetric": {"StatisticType": "Calls"},
        "Tag": -1,
    }


def test_float_fields_go_out_as_floats_even_when_given_ints() -> None:
    wire = _wire_map(EventPong(reference_id=1, server_time=1700000000))
    assert type(wire["ServerTime"]) is float


def test_defaults_of_the_contract() -> None:
    assert Notification().mode == "Immediate"
    assert StatisticObject(object_id="x", object_type="Campaign").tenant_name == "Environment"
    assert protocol.DEFAULT_TENANT == "Environment"
    assert protocol.PROTOCOL_VERSION == 1
    assert protocol.DEFAULT_MAX_FRAME_BYTES == 1_048_576


def test_campaign_event_puts_seq_after_message_then_its_body() -> None:
    wire = _wire_map(CampaignEvent(seq=4, body={"Event": "E", "Time": 1.0}))
    assert list(wire.items()) == [
        ("Message", "CampaignEvent"),
        ("Seq", 4),
        ("Event", "E"),
        ("Time", 1.0),
    ]


def test_protocol_error_becomes_the_event_error_to_send() -> None:
    error = ProtocolError(ErrorCode.InvalidEvent, "Time: missing required field", seq=12)
    assert not error.closes_connection
    assert error.to_event() == EventError(
        error_code=24,
        error_name="InvalidEvent",
        description="Time: missing required field",
        seq=12,
    )
    assert ProtocolError(ErrorCode.InvalidFrame, "x").closes_connection
    assert ProtocolError(ErrorCode.FrameTooLarge, "x").closes_connection
    assert ProtocolError(ErrorCode.InvalidRequest, "x", closes_connection=True).closes_connection


@pytest.mark.parametrize(
    ("message", "fragment"),
    [
        (RequestPing(reference_id=None), "RequestPing.ReferenceId: required field is None"),  # type: ignore[arg-type]
        (RequestPing(reference_id=2**64), "RequestPing: cannot encode"),
        (EventInfo(tag=1, value=object(), server_time=1.0), "EventInfo: cannot encode"),
        (EventPong(reference_id=1, server_time="now"), "EventPong.ServerTime: expected float"),  # type: ignore[arg-type]
        (CampaignEvent(seq=1, body={"Seq": 2}), "must not hold Message or Seq"),
        (
            EventBatch(events=(ProtocolError(ErrorCode.InvalidEvent, "x"),)),
            "may hold only CampaignEvent",
        ),
        (StatisticObject(object_id="x", object_type="y"), "StatisticObject is not a message"),
    ],
)
def test_encoding_what_the_wire_cannot_carry_is_a_local_error(
    message: object, fragment: str
) -> None:
    with pytest.raises(LocalProtocolError, match=fragment):
        encode(message)  # type: ignore[arg-type]
