"""Frames that must be refused, with the EventError each one gets."""

from __future__ import annotations

import struct
from typing import Any

from catalogue import (
    CAMPAIGN,
    D2S,
    DIALS_METRIC,
    FUTURE_TIME,
    MAX_FRAME_BYTES,
    T0,
    event_item,
    frame,
    pack,
    refused,
    refused_map,
)


def invalid_framing() -> list[dict[str, Any]]:
    """Frames the framing layer refuses; each closes the connection."""
    kw: dict[str, Any] = {"layer": "frame", "state": "any", "closes": True}
    ping = {"Message": "RequestPing", "ReferenceId": 1}
    return [
        refused(
            "length prefix one byte over the limit",
            "FrameTooLarge",
            data=struct.pack(">I", MAX_FRAME_BYTES + 1),
            note="only the 4-byte prefix is sent; the error comes without waiting for a body",
            **kw,
        ),
        refused(
            "length prefix 0xFFFFFFFF",
            "FrameTooLarge",
            data=struct.pack(">I", 0xFFFFFFFF),
            note="only the 4-byte prefix is sent",
            **kw,
        ),
        refused("empty body", "InvalidFrame", data=frame(b""), **kw),
        refused("body not msgpack", "InvalidFrame", data=frame(b"\xc1\xc1\xc1 not msgpack"), **kw),
        refused(
            "body holds half a map",
            "InvalidFrame",
            data=frame(pack(ping)[:-3]),
            note="the map announces more than the frame holds",
            **kw,
        ),
        refused(
            "trailing bytes after the map",
            "InvalidFrame",
            data=frame(pack(ping) + b"\xc0"),
            note="a body holds exactly one msgpack object",
            **kw,
        ),
        refused(
            "two maps in one frame",
            "InvalidFrame",
            data=frame(pack(ping) + pack(ping)),
            **kw,
        ),
        refused("body is an array", "InvalidFrame", data=frame(pack([1, 2, 3])), **kw),
        refused("body is a str", "InvalidFrame", data=frame(pack("RequestPing")), **kw),
        refused("body is nil", "InvalidFrame", data=frame(pack(None)), **kw),
        refused(
            "map with an int key",
            "InvalidFrame",
            data=frame(pack({"Message": "RequestPing", "ReferenceId": 1, 7: "x"})),
            **kw,
        ),
        refused(
            "nested map with an int key",
            "InvalidFrame",
            data=frame(pack({"Message": "RequestPing", "ReferenceId": 1, "X": {1: "x"}})),
            note="every map in a frame, at any depth, has str keys",
            **kw,
        ),
        refused(
            "map with a bin key",
            "InvalidFrame",
            data=frame(pack({"Message": "RequestPing", b"ReferenceId": 1})),
            **kw,
        ),
        refused(
            "str with invalid UTF-8",
            "InvalidFrame",
            data=frame(b"\x82\xa7Message\xa3\xff\xfe\xfd\xabReferenceId\x01"),
            note="Message's value is the str a3 ff fe fd",
            **kw,
        ),
    ]


def invalid_client_messages() -> list[dict[str, Any]]:
    """Maps the message decoder refuses on the client port; the connection stays."""
    kw: dict[str, Any] = {"layer": "message", "state": "registered", "closes": False}
    obj = CAMPAIGN
    metric = {"StatisticType": "TotalDialsMade"}

    def ref(reference_id: int, field: str) -> dict[str, Any]:
        return {"ReferenceId": reference_id, "DescriptionContains": field}

    def open_ex(reference_id: int, **over: Any) -> dict[str, Any]:
        fields = {"StatisticObject": obj, "StatisticMetricEx": DIALS_METRIC, **over}
        return {"Message": "RequestOpenStatisticEx", "ReferenceId": reference_id, **fields}

    rq = "InvalidRequest"
    um = "UnknownMessage"
    return [
        refused_map("no Message", um, {"ReferenceId": 50}, expect=ref(50, "Message"), **kw),
        refused_map(
            "Message not a str",
            um,
            {"Message": 7, "ReferenceId": 51},
            expect=ref(51, "Message"),
            **kw,
        ),
        refused_map(
            "Message nil", um, {"Message": None, "ReferenceId": 52}, expect=ref(52, "Message"), **kw
        ),
        refused_map(
            "unknown Message",
            um,
            {"Message": "RequestTeleport", "ReferenceId": 53},
            expect=ref(53, "RequestTeleport"),
            **kw,
        ),
        refused_map(
            "server message sent by a client",
            um,
            {"Message": "EventPong", "ReferenceId": 54, "ServerTime": T0},
            expect=ref(54, "EventPong"),
            **kw,
        ),
        refused_map(
            "ingest message on the client port",
            um,
            {"Message": "DialerSync", "Seq": 1},
            expect={"DescriptionContains": "DialerSync"},
            **kw,
        ),
        refused_map(
            "unknown field",
            rq,
            {"Message": "RequestPing", "ReferenceId": 60, "Colour": "blue"},
            expect=ref(60, "Colour"),
            **kw,
        ),
        refused_map(
            "missing field",
            rq,
            {"Message": "RequestPeekStatistic", "ReferenceId": 61},
            expect=ref(61, "StatisticId"),
            **kw,
        ),
        refused_map(
            "required field nil",
            rq,
            {"Message": "RequestPeekStatistic", "ReferenceId": 62, "StatisticId": None},
            expect=ref(62, "StatisticId"),
            **kw,
        ),
        refused_map(
            "missing ReferenceId",
            rq,
            {"Message": "RequestPing"},
            expect={"DescriptionContains": "ReferenceId"},
            **kw,
        ),
        refused_map(
            "ReferenceId is a bool",
            rq,
            {"Message": "RequestPing", "ReferenceId": True},
            expect={"DescriptionContains": "ReferenceId"},
            note="a bool is not an int, so the error carries no ReferenceId",
            **kw,
        ),
        refused_map(
            "ReferenceId is a float",
            rq,
            {"Message": "RequestPing", "ReferenceId": 3.5},
            expect={"DescriptionContains": "ReferenceId"},
            **kw,
        ),
        refused_map(
            "Tag is a str",
            rq,
            {**open_ex(63), "Tag": "seven"},
            expect=ref(63, "Tag"),
            **kw,
        ),
        refused_map(
            "StatisticId is a float",
            rq,
            {"Message": "RequestCloseStatistic", "ReferenceId": 64, "StatisticId": 3.0},
            expect=ref(64, "StatisticId"),
            note="a float is never accepted where an int is expected, even a whole one",
            **kw,
        ),
        refused_map(
            "ClientName is bin, not str",
            rq,
            {
                "Message": "RequestRegisterClient",
                "ReferenceId": 65,
                "ClientName": b"wallboard",
                "ProtocolVersion": 1,
            },
            expect=ref(65, "ClientName"),
            state="unregistered",
            layer="message",
            closes=False,
        ),
        refused_map(
            "structure is a str",
            rq,
            open_ex(66, StatisticObject="Spring2027"),
            expect=ref(66, "StatisticObject"),
            **kw,
        ),
        refused_map(
            "structure misses a field",
            rq,
            open_ex(67, StatisticObject={"ObjectType": "Campaign"}),
            expect=ref(67, "StatisticObject.ObjectId"),
            **kw,
        ),
        refused_map(
            "structure has an unknown field",
            rq,
            {
                "Message": "RequestOpenStatistic",
                "ReferenceId": 68,
                "StatisticObject": obj,
                "StatisticMetric": {**metric, "Colour": "blue"},
            },
            expect=ref(68, "StatisticMetric.Colour"),
            **kw,
        ),
        refused_map(
            "ObjectId is an int",
            rq,
            open_ex(69, StatisticObject={"ObjectId": 5, "ObjectType": "Campaign"}),
            expect=ref(69, "StatisticObject.ObjectId"),
            **kw,
        ),
        refused_map(
            "MainMask is a str",
            rq,
            open_ex(70, StatisticMetricEx={**DIALS_METRIC, "MainMask": "DialMade"}),
            expect=ref(70, "StatisticMetricEx.MainMask"),
            **kw,
        ),
        refused_map(
            "MainMask holds an int",
            rq,
            open_ex(71, StatisticMetricEx={**DIALS_METRIC, "MainMask": ["DialMade", 5]}),
            expect=ref(71, "StatisticMetricEx.MainMask"),
            **kw,
        ),
        refused_map(
            "Notification.Frequency is a str",
            rq,
            open_ex(72, Notification={"Mode": "Periodical", "Frequency": "5"}),
            expect=ref(72, "Notification.Frequency"),
            **kw,
        ),
        refused_map(
            "Notification.Insensitivity is a bool",
            rq,
            open_ex(73, Notification={"Insensitivity": True}),
            expect=ref(73, "Notification.Insensitivity"),
            note="a bool is not a number",
            **kw,
        ),
        refused_map(
            "Notification on a Get",
            rq,
            {
                "Message": "RequestGetStatistic",
                "ReferenceId": 74,
                "StatisticObject": obj,
                "StatisticMetric": metric,
                "Notification": {"Mode": "Immediate"},
            },
            expect=ref(74, "Notification"),
            note="a Get has no Notification field",
            **kw,
        ),
    ]


def invalid_client_states() -> list[dict[str, Any]]:
    """Messages refused because of the connection's state, or by the server at registration."""
    register = {
        "Message": "RequestRegisterClient",
        "ReferenceId": 80,
        "ClientName": "wallboard-3",
        "ProtocolVersion": 1,
    }
    return [
        refused_map(
            "request before registration",
            "NotRegistered",
            {"Message": "RequestPing", "ReferenceId": 81},
            layer="state",
            state="unregistered",
            closes=False,
            expect={"ReferenceId": 81},
        ),
        refused_map(
            "second registration",
            "AlreadyRegistered",
            register,
            layer="state",
            state="registered",
            closes=False,
            expect={"ReferenceId": 80},
        ),
        refused_map(
            "unsupported ProtocolVersion",
            "UnsupportedProtocolVersion",
            {**register, "ProtocolVersion": 2},
            layer="server",
            state="unregistered",
            closes=True,
            expect={"ReferenceId": 80, "DescriptionContains": "ProtocolVersion"},
        ),
    ]


def invalid_ingest_messages() -> list[dict[str, Any]]:
    """Maps refused on the ingest port by the message decoder or the connection's state."""
    hello = {
        "Message": "DialerHello",
        "DialerName": "dialer-east-1",
        "ProtocolVersion": 1,
        "Tenant": "Environment",
    }
    # An operational event is accepted whatever the group's status, so replaying is harmless.
    good = event_item(Seq=1, Event="AgentError", Time=T0, Campaign="Spring2027")
    kw: dict[str, Any] = {
        "direction": D2S,
        "layer": "message",
        "state": "streaming",
        "closes": False,
    }
    ev = "InvalidEvent"
    return [
        refused_map(
            "CampaignEvent before DialerHello",
            "NotRegistered",
            {"Message": "CampaignEvent", **good},
            direction=D2S,
            layer="state",
            state="awaiting_hello",
            closes=False,
        ),
        refused_map(
            "second DialerHello",
            "AlreadyRegistered",
            hello,
            direction=D2S,
            layer="state",
            state="streaming",
            closes=False,
        ),
        refused_map(
            "unsupported ProtocolVersion in DialerHello",
            "UnsupportedProtocolVersion",
            {**hello, "ProtocolVersion": 2},
            direction=D2S,
            layer="server",
            state="awaiting_hello",
            closes=True,
            expect={"DescriptionContains": "ProtocolVersion"},
        ),
        refused_map(
            "DialerHello without Tenant",
            "InvalidRequest",
            {k: v for k, v in hello.items() if k != "Tenant"},
            expect={"DescriptionContains": "Tenant"},
            **{**kw, "state": "awaiting_hello"},
        ),
        refused_map(
            "DialerSync with a str Seq",
            "InvalidRequest",
            {"Message": "DialerSync", "Seq": "20"},
            expect={"DescriptionContains": "Seq"},
            **kw,
        ),
        refused_map(
            "client request on the ingest port",
            "UnknownMessage",
            {"Message": "RequestPing", "ReferenceId": 1},
            expect={"ReferenceId": 1, "DescriptionContains": "RequestPing"},
            **kw,
        ),
        refused_map(
            "CampaignEvent without Seq",
            ev,
            {"Message": "CampaignEvent", **{k: v for k, v in good.items() if k != "Seq"}},
            expect={"DescriptionContains": "Seq"},
            **kw,
        ),
        refused_map(
            "CampaignEvent with a float Seq",
            ev,
            {"Message": "CampaignEvent", **good, "Seq": 1.0},
            expect={"DescriptionContains": "Seq"},
            **kw,
        ),
        refused_map(
            "EventBatch with Events not a list",
            ev,
            {"Message": "EventBatch", "Events": good},
            expect={"DescriptionContains": "Events"},
            **kw,
        ),
        refused_map(
            "EventBatch with an unknown field",
            ev,
            {"Message": "EventBatch", "Events": [good], "Colour": "blue"},
            expect={"DescriptionContains": "Colour"},
            note="nothing in the batch is applied",
            **kw,
        ),
        refused_map(
            "EventBatch item without Seq",
            ev,
            {
                "Message": "EventBatch",
                "Events": [good, {k: v for k, v in good.items() if k != "Seq"}],
            },
            expect={"DescriptionContains": "Seq"},
            note="the first item is applied (Seq 1); only the second is refused",
            **kw,
        ),
        refused_map(
            "EventBatch item with another Message",
            ev,
            {"Message": "EventBatch", "Events": [{"Message": "DialerSync", **good}]},
            expect={"Seq": 1, "DescriptionContains": "Message"},
            **kw,
        ),
    ]


def invalid_events() -> list[dict[str, Any]]:
    """Well-framed CampaignEvents the server refuses (fresh DialerName, so Seq 1 is next)."""
    kw: dict[str, Any] = {
        "direction": D2S,
        "layer": "server",
        "state": "streaming",
        "closes": False,
    }
    # A campaign that no accepted event names, so no state can make these events acceptable.
    base = {"Message": "CampaignEvent", "Seq": 1, "Time": T0, "Campaign": "RefusedOnly2027"}

    def bad(name: str, field: str | None, **fields: Any) -> dict[str, Any]:
        sent = {**base, **fields}
        expect = {"Seq": sent["Seq"], "DescriptionContains": field} if field else {"Seq": 1}
        return refused_map(f"event: {name}", "InvalidEvent", sent, expect=expect, **kw)

    group = {"Event": "GroupLoaded", "Group": "SalesTeam"}
    dial = {
        "Event": "DialResult",
        "CallingList": "LeadsEast",
        "RecordId": 1,
        "ChainId": 1,
        "CallResult": 33,
    }
    return [
        bad("Seq gap", "Seq", **{**group, "Seq": 5}),
        bad("unknown Event", "Event", Event="GroupExploded", Group="SalesTeam"),
        bad("missing Event", "Event", Group="SalesTeam"),
        bad("unknown field", "Colour", **group, Colour="blue"),
        bad("field of another event", "DialMode", **group, DialMode="Predict"),
        bad("missing Group", "Group", Event="GroupLoaded"),
        bad("missing Campaign", "Campaign", **group, Campaign=None),
        bad("Time is a str", "Time", **group, Time="09:30"),
        bad("Time more than 60 s ahead", "Time", **group, Time=FUTURE_TIME),
        bad("Group holds @", "Group", **{**group, "Group": "Sales@Team"}),
        bad("Campaign holds @", "Campaign", **group, Campaign="Spring@2027"),
        bad("unknown DialMode", "DialMode", Event="DialingStarted", Group="G", DialMode="Turbo"),
        bad(
            "unknown Condition",
            "Condition",
            Event="GroupCondition",
            Group="G",
            Condition="WaitingCoffee",
            Active=True,
        ),
        bad(
            "Active is an int",
            "Active",
            Event="GroupCondition",
            Group="G",
            Condition="WaitingAgents",
            Active=1,
        ),
        bad("CallResult is a str", "CallResult", **{**dial, "CallResult": "33"}),
        bad("CallResult is a bool", "CallResult", **{**dial, "CallResult": False}),
        bad("RecordId is a float", "RecordId", **{**dial, "RecordId": 1.5}),
        bad("ChainId missing", "ChainId", **{k: v for k, v in dial.items() if k != "ChainId"}),
        bad(
            "unknown callback Kind",
            "Kind",
            Event="Callback",
            CallingList="L",
            RecordId=1,
            Kind="Lost",
            Personal=False,
        ),
        bad(
            "Personal missing",
            "Personal",
            Event="Callback",
            CallingList="L",
            RecordId=1,
            Kind="Missed",
        ),
        bad("negative Count", "Count", Event="RecordsScheduled", Count=-1),
        bad(
            "RecordsNotProcessed is a bool",
            "RecordsNotProcessed",
            Event="ProcessingCompleted",
            RecordsNotProcessed=True,
        ),
        bad(
            "DialingStarted on a group never loaded",
            None,
            Event="DialingStarted",
            Campaign="NeverSeen2027",
            Group="Ghost",
            DialMode="Predict",
        ),
    ]
