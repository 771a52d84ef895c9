"""Short forms of objects, statistics and notifications; value formatting; the watch table."""

from __future__ import annotations

import pytest

from protocol import Notification, StatisticMetric, StatisticMetricEx, StatisticObject
from statsrv.client import format_value, make_metric, make_notification, object_label, parse_object
from statsrv.client.board import Board, plain_table


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Campaign:Spring2027", StatisticObject(object_id="Spring2027", object_type="Campaign")),
        (
            "CampaignGroup:Spring2027@Sales",
            StatisticObject(object_id="Spring2027@Sales", object_type="CampaignGroup"),
        ),
        (
            "Acme/CallingList:LeadsEast",
            StatisticObject(object_id="LeadsEast", object_type="CallingList", tenant_name="Acme"),
        ),
    ],
)
def test_object_text_round_trips(text, expected):
    assert parse_object(text) == expected
    assert object_label(expected) == text


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("Spring2027", "expected ObjectType:ObjectId"),
        ("Campaign:", "expected ObjectType:ObjectId"),
        (":Spring2027", "ObjectType before ':' is empty"),
        ("/Campaign:Spring2027", "tenant before '/' is empty"),
    ],
)
def test_bad_object_text_names_the_fault(text, reason):
    with pytest.raises(ValueError, match=reason):
        parse_object(text)


def test_metrics_and_notifications():
    assert make_metric("DialsMade", "Shift") == StatisticMetric(
        statistic_type="DialsMade", time_profile="Shift"
    )
    inline = StatisticMetricEx(
        category="TotalNumber", subject="CampaignAction", main_mask=("DialMade",)
    )
    assert make_metric(inline).time_profile is None
    assert make_metric(inline, "LastHour").time_profile == "LastHour"
    assert make_notification("Reset") == Notification(mode="Reset")
    assert make_notification(None) is None
    with pytest.raises(ValueError, match="statistic type name is empty"):
        make_metric("")


def test_value_formatting():
    assert [format_value(v) for v in (None, 3, 41.25, 0.0, "x")] == ["-", "3", "41.2", "0.0", "x"]
    campaign = {
        "Status": "StatusRunning",
        "DialMode": None,
        "DialModes": ["Power", "Predict"],
        "Conditions": ["StatusWaitingAgents", "StatusWaitingPorts"],
        "Since": 1.0,
    }
    assert format_value(campaign) == "Running Power+Predict [WaitingAgents,WaitingPorts]"
    idle = {"Status": "StatusDeactivated", "DialMode": None, "DialModes": [], "Conditions": []}
    assert format_value(idle) == "Deactivated"


def test_plain_table_aligns_and_marks_refusals():
    board = Board(
        (parse_object("Campaign:A"), parse_object("CallingList:LongListName")), ("S1", "Second")
    )
    board.cells[1, 1].error = "NotApplicable"
    assert plain_table(board).splitlines() == [
        "Object                    S1         Second",
        "------------------------  --  -------------",
        "Campaign:A                 -              -",
        "CallingList:LongListName   -  NotApplicable",
    ]
