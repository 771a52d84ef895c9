"""Frames that must be accepted: every message of the catalogue, with and without its options."""

from __future__ import annotations

from typing import Any

import msgpack
from catalogue import (
    ANSWER_RATE_METRIC,
    C2S,
    CAMPAIGN,
    D2S,
    DIAL_MODES_TEXT,
    DIALS_METRIC,
    GROUP,
    GROUP_IN_TENANT,
    LIST_IN_CAMPAIGN,
    MIXED_STATE,
    RUNNING_STATE,
    S2C,
    S2D,
    STATE_METRIC,
    T0,
    event_item,
    lenient,
    message,
    valid,
)


def client_requests() -> list[dict[str, Any]]:
    """Every client request, with and without its optional fields."""
    m = message
    return [
        valid(
            "RequestRegisterClient",
            C2S,
            m("RequestRegisterClient", ReferenceId=1, ClientName="wallboard-3", ProtocolVersion=1),
        ),
        valid(
            "RequestRegisterClient with Token",
            C2S,
            m(
                "RequestRegisterClient",
                ReferenceId=1,
                ClientName="wallboard-3",
                ProtocolVersion=1,
                Token="s3cret-token",  # noqa: S106 (an example value)
            ),
        ),
        valid(
            "RequestOpenStatistic, required fields only",
            C2S,
            m(
                "RequestOpenStatistic",
                ReferenceId=2,
                StatisticObject=CAMPAIGN,
                StatisticMetric={"StatisticType": "TotalDialsMade"},
            ),
            "Tag defaults to -1, Notification to Immediate, TenantName to Environment",
        ),
        valid(
            "RequestOpenStatistic, every optional field",
            C2S,
            m(
                "RequestOpenStatistic",
                ReferenceId=3,
                StatisticObject=GROUP_IN_TENANT,
                StatisticMetric={"StatisticType": "TotalDialsMade", "TimeProfile": "LastHour"},
                Tag=17,
                Notification={"Mode": "Periodical", "Frequency": 5.0, "Insensitivity": 1.0},
            ),
        ),
        valid(
            "RequestOpenStatistic, empty Notification (all defaults: Immediate)",
            C2S,
            m(
                "RequestOpenStatistic",
                ReferenceId=4,
                StatisticObject=CAMPAIGN,
                StatisticMetric={"StatisticType": "TotalDialsMade"},
                Notification={},
            ),
        ),
        valid(
            "RequestOpenStatistic, NoNotification",
            C2S,
            m(
                "RequestOpenStatistic",
                ReferenceId=5,
                StatisticObject=CAMPAIGN,
                StatisticMetric={"StatisticType": "TotalDialsMade"},
                Notification={"Mode": "NoNotification"},
            ),
        ),
        valid(
            "RequestOpenStatisticEx, CurrentState without masks",
            C2S,
            m(
                "RequestOpenStatisticEx",
                ReferenceId=6,
                StatisticObject=CAMPAIGN,
                StatisticMetricEx=STATE_METRIC,
            ),
        ),
        valid(
            "RequestOpenStatisticEx, every optional field",
            C2S,
            m(
                "RequestOpenStatisticEx",
                ReferenceId=7,
                StatisticObject=GROUP_IN_TENANT,
                StatisticMetricEx=ANSWER_RATE_METRIC,
                Tag=5,
                Notification={"Mode": "Immediate", "Insensitivity": 0.5},
            ),
        ),
        valid(
            "RequestOpenStatisticEx, glob and exclusion mask, Reset mode",
            C2S,
            m(
                "RequestOpenStatisticEx",
                ReferenceId=8,
                StatisticObject=LIST_IN_CAMPAIGN,
                StatisticMetricEx={
                    "Category": "TotalNumber",
                    "Subject": "CampaignAction",
                    "MainMask": ["Dial*", "~DialMade"],
                    "TimeProfile": "Default",
                },
                Notification={"Mode": "Reset"},
            ),
        ),
        valid(
            "RequestGetStatistic, required fields only",
            C2S,
            m(
                "RequestGetStatistic",
                ReferenceId=9,
                StatisticObject=CAMPAIGN,
                StatisticMetric={"StatisticType": "TotalDialsMade"},
            ),
        ),
        valid(
            "RequestGetStatistic, every optional field",
            C2S,
            m(
                "RequestGetStatistic",
                ReferenceId=10,
                StatisticObject=GROUP_IN_TENANT,
                StatisticMetric={"StatisticType": "TotalDialsMade", "TimeProfile": "LastHour"},
                Tag=3,
            ),
        ),
        valid(
            "RequestGetStatisticEx, required fields only",
            C2S,
            m(
                "RequestGetStatisticEx",
                ReferenceId=11,
                StatisticObject=GROUP,
                StatisticMetricEx=DIALS_METRIC,
            ),
        ),
        valid(
            "RequestGetStatisticEx, every optional field",
            C2S,
            m(
                "RequestGetStatisticEx",
                ReferenceId=12,
                StatisticObject=GROUP_IN_TENANT,
                StatisticMetricEx=ANSWER_RATE_METRIC,
                Tag=7,
            ),
        ),
        valid(
            "RequestPeekStatistic", C2S, m("RequestPeekStatistic", ReferenceId=13, StatisticId=3)
        ),
        valid(
            "RequestCloseStatistic", C2S, m("RequestCloseStatistic", ReferenceId=14, StatisticId=3)
        ),
        valid(
            "RequestSuspendNotification, one statistic",
            C2S,
            m("RequestSuspendNotification", ReferenceId=15, StatisticId=3),
        ),
        valid(
            "RequestSuspendNotification, all of the client's statistics",
            C2S,
            m("RequestSuspendNotification", ReferenceId=16),
        ),
        valid(
            "RequestResumeNotification, one statistic",
            C2S,
            m("RequestResumeNotification", ReferenceId=17, StatisticId=3),
        ),
        valid(
            "RequestResumeNotification, all of the client's statistics",
            C2S,
            m("RequestResumeNotification", ReferenceId=18),
        ),
        valid("RequestGetStatisticProfile", C2S, m("RequestGetStatisticProfile", ReferenceId=19)),
        valid("RequestPing", C2S, m("RequestPing", ReferenceId=20)),
        valid("RequestPing, negative ReferenceId", C2S, m("RequestPing", ReferenceId=-7)),
        valid(
            "RequestPing, ReferenceId needing a uint32",
            C2S,
            m("RequestPing", ReferenceId=4_000_000_000),
        ),
    ]


def profile_answer() -> dict[str, Any]:
    """An EventStatisticProfile (lists shortened; a real server lists every name it knows)."""
    return message(
        "EventStatisticProfile",
        ReferenceId=19,
        StatisticTypes={
            "TotalDialsMade": {
                "Category": "TotalNumber",
                "MainMask": ["DialMade"],
                "Subject": "CampaignAction",
                "Objects": ["Campaign", "CampaignGroup", "CampaignCallingList", "CallingList"],
            },
            "AnswerRate": {
                "Category": "RelativeNumberPercentage",
                "MainMask": ["DialAnswer"],
                "RelMask": ["DialMade"],
                "Subject": "CampaignAction",
                "Objects": ["Campaign", "CampaignGroup", "CampaignCallingList", "CallingList"],
            },
            "CampaignState": {
                "Category": "CurrentState",
                "MainMask": [],
                "Subject": "CampaignAction",
                "Objects": ["Campaign", "CampaignGroup"],
            },
        },
        TimeProfiles={
            "Default": {"Type": "Growing", "Resets": ["00:00"], "TimeZone": "Europe/Paris"},
            "LastHour": {"Type": "Sliding", "WindowSeconds": 3600, "StepSeconds": 60},
            "SinceStart": {"Type": "EverGrowing"},
        },
        ObjectTypes=["Campaign", "CampaignGroup", "CampaignCallingList", "CallingList"],
        Categories=[
            "CurrentState",
            "CurrentNumber",
            "CurrentTime",
            "TotalNumber",
            "TotalTime",
            "AverageTime",
            "MaxTime",
            "MinTime",
            "RelativeNumberPercentage",
            "RelativeTimePercentage",
        ],
        Actions=["DialAnswer", "DialMade", "Predict", "StatusActivated", "StatusRunning"],
    )


def server_events() -> list[dict[str, Any]]:
    """Every server -> client message, with and without its optional fields."""
    m = message
    return [
        valid(
            "EventClientRegistered",
            S2C,
            m(
                "EventClientRegistered",
                ReferenceId=1,
                ServerName="statsrv",
                ProtocolVersion=1,
                ServerTime=T0 + 0.25,
                ServerMode="Primary",
            ),
        ),
        valid(
            "EventStatisticOpened, default Tag",
            S2C,
            m("EventStatisticOpened", ReferenceId=2, StatisticId=2, Tag=-1),
        ),
        valid(
            "EventStatisticOpened, client's Tag",
            S2C,
            m("EventStatisticOpened", ReferenceId=3, StatisticId=3, Tag=17),
        ),
        valid(
            "EventInfo pushed, int value",
            S2C,
            m("EventInfo", StatisticId=3, Tag=17, Value=118, ServerTime=T0 + 1.5),
        ),
        valid(
            "EventInfo pushed, float value",
            S2C,
            m("EventInfo", StatisticId=7, Tag=5, Value=41.5, ServerTime=T0 + 1.5),
        ),
        valid(
            "EventInfo pushed, float value that is whole",
            S2C,
            m("EventInfo", StatisticId=7, Tag=5, Value=0.0, ServerTime=T0 + 1.5),
            "float categories always send a float, even 0.0",
        ),
        valid(
            "EventInfo pushed, CurrentState of a group",
            S2C,
            m("EventInfo", StatisticId=6, Tag=-1, Value=RUNNING_STATE, ServerTime=T0 + 2.0),
        ),
        valid(
            "EventInfo pushed, CurrentState of a campaign with two dial modes",
            S2C,
            m("EventInfo", StatisticId=6, Tag=-1, Value=MIXED_STATE, ServerTime=T0 + 2.0),
            "DialMode is present and nil when not exactly one mode is in progress",
        ),
        valid(
            "EventInfo answering RequestPeekStatistic",
            S2C,
            m("EventInfo", StatisticId=3, Tag=17, Value=118, ServerTime=T0 + 3.0, ReferenceId=13),
        ),
        valid(
            "EventInfo answering RequestGetStatistic",
            S2C,
            m("EventInfo", Tag=3, Value=1204, ServerTime=T0 + 3.0, ReferenceId=10),
        ),
        valid(
            "EventStatisticClosed",
            S2C,
            m("EventStatisticClosed", ReferenceId=14, StatisticId=3, Tag=17),
        ),
        valid(
            "EventNotificationSuspended, one statistic",
            S2C,
            m("EventNotificationSuspended", ReferenceId=15, StatisticId=3),
        ),
        valid(
            "EventNotificationSuspended, all",
            S2C,
            m("EventNotificationSuspended", ReferenceId=16),
        ),
        valid(
            "EventNotificationResumed, one statistic",
            S2C,
            m("EventNotificationResumed", ReferenceId=17, StatisticId=3),
        ),
        valid("EventNotificationResumed, all", S2C, m("EventNotificationResumed", ReferenceId=18)),
        valid("EventStatisticProfile", S2C, profile_answer(), "lists shortened"),
        valid("EventPong", S2C, m("EventPong", ReferenceId=20, ServerTime=T0 + 4.75)),
        valid(
            "EventStatisticInvalid",
            S2C,
            m(
                "EventStatisticInvalid",
                StatisticId=3,
                Tag=17,
                Reason="no dialer feed for tenant 'Acme' for 5 s",
            ),
        ),
        valid("EventStatisticValid", S2C, m("EventStatisticValid", StatisticId=3, Tag=17)),
        valid(
            "EventError answering a request",
            S2C,
            m(
                "EventError",
                ErrorCode=10,
                ErrorName="UnknownObjectType",
                Description=(
                    "StatisticObject.ObjectType: unknown object type 'Campaing'; "
                    "known: Campaign, CampaignGroup, CampaignCallingList, CallingList"
                ),
                ReferenceId=21,
            ),
        ),
        valid(
            "EventError at connection level",
            S2C,
            m(
                "EventError",
                ErrorCode=1,
                ErrorName="InvalidFrame",
                Description="frame body is not msgpack",
            ),
        ),
        valid(
            "EventError SlowConsumer",
            S2C,
            m(
                "EventError",
                ErrorCode=19,
                ErrorName="SlowConsumer",
                Description="pending output passed 4194304 bytes; disconnecting",
            ),
        ),
        valid(
            "EventServerClosing",
            S2C,
            m("EventServerClosing", Reason="server shutting down"),
        ),
    ]


def campaign_events() -> list[dict[str, Any]]:
    """One CampaignEvent per dialer event, several with and without optional fields."""
    base = {"Campaign": "Spring2027"}

    def ev(seq: int, event: str, **fields: Any) -> dict[str, Any]:
        return message("CampaignEvent", Seq=seq, Event=event, Time=T0 + seq, **base, **fields)

    events = [
        ("GroupLoaded", ev(1, "GroupLoaded", Group="SalesTeam")),
        ("GroupLoaded with Tenant", ev(2, "GroupLoaded", Tenant="Environment", Group="Support")),
        ("DialingStarted", ev(3, "DialingStarted", Group="SalesTeam", DialMode="Predict")),
        ("DialModeChanged", ev(4, "DialModeChanged", Group="SalesTeam", DialMode="Power")),
        (
            "GroupCondition",
            ev(5, "GroupCondition", Group="SalesTeam", Condition="WaitingAgents", Active=True),
        ),
        (
            "DialResult",
            ev(
                6,
                "DialResult",
                Group="SalesTeam",
                CallingList="LeadsEast",
                RecordId=1187,
                ChainId=1187,
                CallResult=33,
            ),
        ),
        (
            "DialResult without Group, string ids",
            ev(
                7,
                "DialResult",
                CallingList="LeadsEast",
                RecordId="R-1188",
                ChainId="C-77",
                CallResult=7,
            ),
        ),
        (
            "ChainProcessed",
            ev(
                8,
                "ChainProcessed",
                Group="SalesTeam",
                CallingList="LeadsEast",
                ChainId=1187,
                CallResult=33,
            ),
        ),
        (
            "Callback",
            ev(
                9,
                "Callback",
                Group="SalesTeam",
                CallingList="LeadsEast",
                RecordId=1190,
                Kind="Scheduled",
                Personal=True,
            ),
        ),
        (
            "Callback without Group",
            ev(
                10,
                "Callback",
                CallingList="LeadsEast",
                RecordId=1190,
                Kind="Missed",
                Personal=False,
            ),
        ),
        ("AgentError, no optional field", ev(11, "AgentError")),
        (
            "AgentError, every optional field",
            ev(12, "AgentError", Group="SalesTeam", CallingList="LeadsEast", RecordId="R-1191"),
        ),
        ("RecordsScheduled", ev(13, "RecordsScheduled", Count=25000)),
        (
            "GroupCondition ends",
            ev(14, "GroupCondition", Group="SalesTeam", Condition="WaitingAgents", Active=False),
        ),
        ("DialingStopped", ev(15, "DialingStopped", Group="SalesTeam")),
        ("GroupUnloaded", ev(16, "GroupUnloaded", Group="SalesTeam")),
        (
            "ProcessingCompleted for a calling list",
            ev(17, "ProcessingCompleted", CallingList="LeadsEast", RecordsNotProcessed=12),
        ),
        (
            "ProcessingCompleted for the campaign",
            ev(18, "ProcessingCompleted", RecordsNotProcessed=0),
        ),
    ]
    return [valid(f"CampaignEvent {name}", D2S, msg) for name, msg in events]


def ingest_messages() -> list[dict[str, Any]]:
    """The other ingest messages, both directions."""
    m = message
    batch = [
        event_item(
            Seq=19,
            Event="GroupLoaded",
            Time=T0 + 19.0,
            Campaign="Autumn2027",
            Group="SalesTeam",
        ),
        event_item(
            Seq=20,
            Event="DialingStarted",
            Time=T0 + 19.5,
            Campaign="Autumn2027",
            Group="SalesTeam",
            DialMode="Progress",
        ),
    ]
    return [
        valid(
            "DialerHello",
            D2S,
            m("DialerHello", DialerName="dialer-east-1", ProtocolVersion=1, Tenant="Environment"),
        ),
        valid(
            "DialerHello with Token",
            D2S,
            m(
                "DialerHello",
                DialerName="dialer-east-1",
                ProtocolVersion=1,
                Tenant="Acme",
                Token="dialer-token",  # noqa: S106 (an example value)
            ),
        ),
        valid("EventBatch of two events", D2S, m("EventBatch", Events=batch)),
        valid("EventBatch, empty", D2S, m("EventBatch", Events=[])),
        valid("DialerSync", D2S, m("DialerSync", Seq=20)),
        valid("DialerWelcome, new DialerName", S2D, m("DialerWelcome", LastSeq=0)),
        valid("DialerWelcome, reconnecting", S2D, m("DialerWelcome", LastSeq=41)),
        valid("DialerAck", S2D, m("DialerAck", Seq=20)),
        valid(
            "EventError InvalidEvent",
            S2D,
            m(
                "EventError",
                ErrorCode=24,
                ErrorName="InvalidEvent",
                Description=f"DialMode: unknown dial mode 'Turbo'; known: {DIAL_MODES_TEXT}",
                Seq=45,
            ),
        ),
        valid(
            "EventError NotRegistered on the ingest port",
            S2D,
            m(
                "EventError",
                ErrorCode=5,
                ErrorName="NotRegistered",
                Description="DialerHello must come first",
            ),
        ),
    ]


def lenient_frames() -> list[dict[str, Any]]:
    """Frames a receiver must accept although a canonical sender would not write them so."""
    open_sent = {
        "Message": "RequestOpenStatistic",
        "ReferenceId": 30,
        "StatisticObject": {"ObjectId": "Spring2027", "ObjectType": "Campaign", "TenantName": None},
        "StatisticMetric": {"StatisticType": "TotalDialsMade"},
        "Tag": None,
        "Notification": {"Mode": "Periodical", "Frequency": 5, "Insensitivity": 2},
    }
    open_meant = message(
        "RequestOpenStatistic",
        ReferenceId=30,
        StatisticObject=CAMPAIGN,
        StatisticMetric={"StatisticType": "TotalDialsMade"},
        Notification={"Mode": "Periodical", "Frequency": 5.0, "Insensitivity": 2.0},
    )
    event_sent = {
        "Time": 1772443860,
        "Seq": 21,
        "Campaign": "Spring2027",
        "Event": "DialingStopped",
    }
    event_sent = {**event_sent, "Group": "SalesTeam", "Message": "CampaignEvent"}
    event_meant = message(
        "CampaignEvent",
        Seq=21,
        Event="DialingStopped",
        Time=1772443860.0,
        Campaign="Spring2027",
        Group="SalesTeam",
    )
    item = {k: v for k, v in event_meant.items() if k != "Message"}
    float32_info = message("EventInfo", StatisticId=3, Tag=17, Value=5, ServerTime=0.5)
    return [
        lenient(
            "RequestOpenStatistic with nil optionals and ints for floats",
            C2S,
            open_sent,
            open_meant,
            "nil means absent; an int is accepted where a float is expected",
        ),
        lenient(
            "RequestPing with Message last",
            C2S,
            {"ReferenceId": 31, "Message": "RequestPing"},
            message("RequestPing", ReferenceId=31),
            "key order is not significant",
        ),
        lenient(
            "CampaignEvent with an int Time and keys in another order",
            D2S,
            event_sent,
            event_meant,
            "Time may be an int; key order is not significant",
        ),
        lenient(
            "EventBatch item carrying Message CampaignEvent",
            D2S,
            {"Message": "EventBatch", "Events": [{"Message": "CampaignEvent", **item}]},
            message("EventBatch", Events=[item]),
            "an item's Message may be present if it is 'CampaignEvent'",
        ),
        lenient(
            "DialerHello with a nil Token",
            D2S,
            {
                "Message": "DialerHello",
                "DialerName": "dialer-east-1",
                "ProtocolVersion": 1,
                "Tenant": "Environment",
                "Token": None,
            },
            message(
                "DialerHello", DialerName="dialer-east-1", ProtocolVersion=1, Tenant="Environment"
            ),
            "nil means absent",
        ),
        lenient(
            "EventInfo with ServerTime as float32",
            S2C,
            msgpack.packb(float32_info, use_bin_type=True, use_single_float=True),
            float32_info,
            "a msgpack float32 (0xca) is a float as well as a float64 (0xcb)",
        ),
    ]
