"""The worked example of SPEC.md: a client's and a dialer's session, rendered as hex dumps."""

from __future__ import annotations

import json
from typing import Any

from catalogue import (
    ANSWER_RATE_METRIC,
    CAMPAIGN,
    DIALS_METRIC,
    GROUP,
    RUNNING_STATE,
    STATE_METRIC,
    T0,
    event_item,
    frame,
    message,
    pack,
)

WAITING_STATE = {**RUNNING_STATE, "Conditions": ["StatusWaitingAgents"]}
SESSION_BEGIN = "<!-- session:begin (written by protocol/vectors/generate.py) -->"
SESSION_END = "<!-- session:end -->"


def client_session() -> list[tuple[str, dict[str, Any]]]:
    """A client's session: (arrow, message) in wire order."""
    m = message
    state_metric = STATE_METRIC
    dials = {**DIALS_METRIC, "TimeProfile": "Default"}
    return [
        (
            "C→S",
            m("RequestRegisterClient", ReferenceId=1, ClientName="wallboard-3", ProtocolVersion=1),
        ),
        (
            "S→C",
            m(
                "EventClientRegistered",
                ReferenceId=1,
                ServerName="statsrv",
                ProtocolVersion=1,
                ServerTime=T0 + 0.25,
                ServerMode="Primary",
            ),
        ),
        (
            "C→S",
            m(
                "RequestOpenStatisticEx",
                ReferenceId=2,
                StatisticObject=CAMPAIGN,
                StatisticMetricEx=state_metric,
                Tag=10,
            ),
        ),
        ("S→C", m("EventStatisticOpened", ReferenceId=2, StatisticId=2, Tag=10)),
        ("S→C", m("EventInfo", StatisticId=2, Tag=10, Value=RUNNING_STATE, ServerTime=T0 + 0.5)),
        (
            "C→S",
            m(
                "RequestOpenStatisticEx",
                ReferenceId=3,
                StatisticObject=GROUP,
                StatisticMetricEx=dials,
                Notification={"Mode": "Periodical", "Frequency": 5.0},
            ),
        ),
        ("S→C", m("EventStatisticOpened", ReferenceId=3, StatisticId=3, Tag=-1)),
        ("S→C", m("EventInfo", StatisticId=3, Tag=-1, Value=118, ServerTime=T0 + 0.5)),
        (
            "C→S",
            m(
                "RequestGetStatisticEx",
                ReferenceId=4,
                StatisticObject=CAMPAIGN,
                StatisticMetricEx=ANSWER_RATE_METRIC,
                Tag=7,
            ),
        ),
        ("S→C", m("EventInfo", Tag=7, Value=41.5, ServerTime=T0 + 0.75, ReferenceId=4)),
        ("C→S", m("RequestCloseStatistic", ReferenceId=5, StatisticId=99)),
        (
            "S→C",
            m(
                "EventError",
                ErrorCode=17,
                ErrorName="UnknownStatistic",
                Description="StatisticId: no open statistic 99",
                ReferenceId=5,
            ),
        ),
        ("S→C", m("EventInfo", StatisticId=2, Tag=10, Value=WAITING_STATE, ServerTime=T0 + 1.5)),
        ("S→C", m("EventInfo", StatisticId=3, Tag=-1, Value=120, ServerTime=T0 + 5.5)),
        ("C→S", m("RequestPeekStatistic", ReferenceId=6, StatisticId=3)),
        (
            "S→C",
            m("EventInfo", StatisticId=3, Tag=-1, Value=120, ServerTime=T0 + 6.0, ReferenceId=6),
        ),
        ("C→S", m("RequestCloseStatistic", ReferenceId=7, StatisticId=3)),
        ("S→C", m("EventStatisticClosed", ReferenceId=7, StatisticId=3, Tag=-1)),
    ]


def dialer_session() -> list[tuple[str, dict[str, Any]]]:
    """A dialer's session: (arrow, message) in wire order."""
    m = message
    common = {"Campaign": "Spring2027", "Group": "SalesTeam"}
    return [
        (
            "D→S",
            m("DialerHello", DialerName="dialer-east-1", ProtocolVersion=1, Tenant="Environment"),
        ),
        ("S→D", m("DialerWelcome", LastSeq=41)),
        (
            "D→S",
            m(
                "CampaignEvent",
                Seq=42,
                Event="DialResult",
                Time=T0 + 1.0,
                CallingList="LeadsEast",
                RecordId=1187,
                ChainId=1187,
                CallResult=33,
                **common,
            ),
        ),
        (
            "D→S",
            m(
                "EventBatch",
                Events=[
                    event_item(
                        Seq=43,
                        Event="GroupCondition",
                        Time=T0 + 1.5,
                        Condition="WaitingAgents",
                        Active=True,
                        **common,
                    ),
                    event_item(
                        Seq=44,
                        Event="DialResult",
                        Time=T0 + 1.75,
                        CallingList="LeadsEast",
                        RecordId=1188,
                        ChainId=1188,
                        CallResult=7,
                        **common,
                    ),
                ],
            ),
        ),
        (
            "D→S",
            m(
                "CampaignEvent",
                Seq=45,
                Event="DialModeChanged",
                Time=T0 + 2.0,
                DialMode="Turbo",
                **common,
            ),
        ),
        (
            "S→D",
            m(
                "EventError",
                ErrorCode=24,
                ErrorName="InvalidEvent",
                Description="DialMode: unknown dial mode 'Turbo'",
                Seq=45,
            ),
        ),
        ("D→S", m("DialerSync", Seq=45)),
        ("S→D", m("DialerAck", Seq=45)),
    ]


def hexdump(data: bytes) -> list[str]:
    """`data` as lines of 16 bytes: offset, hex, printable ASCII."""
    lines = []
    for offset in range(0, len(data), 16):
        chunk = data[offset : offset + 16]
        hex_part = " ".join(f"{byte:02x}" for byte in chunk)
        text = "".join(chr(byte) if 32 <= byte < 127 else "." for byte in chunk)
        lines.append(f"{offset:04x}  {hex_part:<47}  |{text}|")
    return lines


def render_session(title: str, steps: list[tuple[str, dict[str, Any]]]) -> list[str]:
    """Markdown for one side of the worked example."""
    out = [f"### {title}", ""]
    for arrow, msg in steps:
        data = frame(pack(msg))
        out += [f"{arrow} `{msg['Message']}` ({len(data)} bytes, prefix included)", ""]
        out += ["```", json.dumps(msg, ensure_ascii=False), *hexdump(data), "```", ""]
    return out


def session_markdown() -> str:
    """The generated block of SPEC.md."""
    lines = [SESSION_BEGIN, ""]
    lines += render_session("Client side (port 7070)", client_session())
    lines += render_session("Dialer side (port 7071)", dialer_session())
    lines.append(SESSION_END)
    return "\n".join(lines)
