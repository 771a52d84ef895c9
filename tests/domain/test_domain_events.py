"""parse_event: a CampaignEvent body to one dialer event, or an error naming the field."""

from __future__ import annotations

import math
from typing import Any

import pytest

from statsrv.domain.errors import InvalidEvent
from statsrv.domain.events import (
    EVENT_NAMES,
    AgentError,
    Callback,
    ChainProcessed,
    DialingStarted,
    DialingStopped,
    DialModeChanged,
    DialResult,
    GroupCondition,
    GroupLoaded,
    GroupUnloaded,
    ProcessingCompleted,
    RecordsScheduled,
    event_name,
    parse_event,
)

BASE = {"Time": 1_800_000_000.5, "Campaign": "Spring2027"}
VALID: dict[str, dict[str, Any]] = {
    "GroupLoaded": {"Group": "Sales"},
    "DialingStarted": {"Group": "Sales", "DialMode": "Predict"},
    "DialingStopped": {"Group": "Sales"},
    "GroupUnloaded": {"Group": "Sales"},
    "DialModeChanged": {"Group": "Sales", "DialMode": "Power"},
    "GroupCondition": {"Group": "Sales", "Condition": "WaitingPorts", "Active": True},
    "DialResult": {
        "Group": "Sales",
        "CallingList": "LeadsEast",
        "RecordId": 17,
        "ChainId": "c-17",
        "CallResult": 33,
    },
    "ChainProcessed": {"CallingList": "LeadsEast", "ChainId": 17, "CallResult": 0},
    "Callback": {
        "CallingList": "LeadsEast",
        "RecordId": "r1",
        "Kind": "Scheduled",
        "Personal": False,
    },
    "AgentError": {},
    "RecordsScheduled": {"Count": 0},
    "ProcessingCompleted": {"RecordsNotProcessed": 12},
}


def body(name: str, **changes: Any) -> dict[str, Any]:
    return {"Event": name, **BASE, **VALID[name]} | changes


def refused(body_: dict[str, Any]) -> InvalidEvent:
    with pytest.raises(InvalidEvent) as error:
        parse_event(body_, "Environment")
    return error.value


def test_every_event_of_the_domain_table_parses() -> None:
    assert set(VALID) == set(EVENT_NAMES)
    assert len(EVENT_NAMES) == 12
    for name in EVENT_NAMES:
        parsed = parse_event(body(name), "Environment")
        assert event_name(parsed) == name
        assert (parsed.tenant, parsed.campaign, parsed.time) == (
            "Environment",
            "Spring2027",
            BASE["Time"],
        )


def test_fields_land_in_snake_case_attributes() -> None:
    assert parse_event(body("DialResult"), "Environment") == DialResult(
        tenant="Environment",
        campaign="Spring2027",
        time=BASE["Time"],
        group="Sales",
        calling_list="LeadsEast",
        record_id=17,
        chain_id="c-17",
        call_result=33,
    )
    assert parse_event(body("GroupCondition"), "T") == GroupCondition(
        tenant="T",
        campaign="Spring2027",
        time=BASE["Time"],
        group="Sales",
        condition="WaitingPorts",
        active=True,
    )
    assert parse_event(body("Callback", Personal=True), "T").personal is True
    assert parse_event(body("ProcessingCompleted"), "T") == ProcessingCompleted(
        tenant="T", campaign="Spring2027", time=BASE["Time"], records_not_processed=12
    )


def test_events_are_frozen_and_slotted() -> None:
    parsed = parse_event(body("GroupLoaded"), "Environment")
    with pytest.raises(AttributeError):
        parsed.group = "Other"  # type: ignore[misc]
    assert not hasattr(parsed, "__dict__")


def test_tenant_defaults_to_the_connection_tenant_and_can_be_given() -> None:
    assert parse_event(body("GroupLoaded"), "Acme").tenant == "Acme"
    assert parse_event(body("GroupLoaded", Tenant="Other"), "Acme").tenant == "Other"
    assert parse_event(body("GroupLoaded", Tenant=None), "Acme").tenant == "Acme"


def test_time_int_becomes_float() -> None:
    parsed = parse_event(body("GroupLoaded", Time=1_800_000_000), "T")
    assert parsed.time == 1_800_000_000.0
    assert isinstance(parsed.time, float)


def test_optional_fields_absent_or_nil_mean_absent() -> None:
    full = {"Group": "G", "CallingList": "L", "RecordId": 5}
    assert parse_event(body("AgentError", **full), "T") == AgentError(
        tenant="T",
        campaign="Spring2027",
        time=BASE["Time"],
        group="G",
        calling_list="L",
        record_id=5,
    )
    nil = {"Group": None, "CallingList": None, "RecordId": None}
    assert parse_event(body("AgentError", **nil), "T") == AgentError(
        tenant="T", campaign="Spring2027", time=BASE["Time"]
    )
    assert parse_event(body("ChainProcessed", Group=None), "T").group is None
    assert parse_event(body("ProcessingCompleted", CallingList=None), "T").calling_list is None


def test_record_and_chain_ids_may_be_int_or_string() -> None:
    for value in (0, -3, 2**63, "", "abc"):
        parsed = parse_event(body("DialResult", RecordId=value, ChainId=value), "T")
        assert parsed.record_id == parsed.chain_id == value


# --- errors naming the field -----------------------------------------------------------------


def test_invalid_event_str_is_field_colon_reason() -> None:
    error = InvalidEvent("CallResult", "expected an int, got str")
    assert str(error) == "CallResult: expected an int, got str"
    assert (error.field, error.reason) == ("CallResult", "expected an int, got str")


def test_unknown_event_lists_the_known_ones() -> None:
    error = refused({"Event": "GroupLoad", **BASE, "Group": "G"})
    assert error.field == "Event"
    assert "'GroupLoad'" in error.reason
    assert all(name in error.reason for name in EVENT_NAMES)


@pytest.mark.parametrize("value", [None, 3, b"GroupLoaded"])
def test_event_missing_or_not_a_string(value) -> None:
    message = {**BASE, "Group": "G"} if value is None else {"Event": value, **BASE, "Group": "G"}
    assert refused(message).field == "Event"


REQUIRED = {
    "GroupLoaded": ("Group",),
    "DialingStarted": ("Group", "DialMode"),
    "DialingStopped": ("Group",),
    "GroupUnloaded": ("Group",),
    "DialModeChanged": ("Group", "DialMode"),
    "GroupCondition": ("Group", "Condition", "Active"),
    "DialResult": ("CallingList", "RecordId", "ChainId", "CallResult"),
    "ChainProcessed": ("CallingList", "ChainId", "CallResult"),
    "Callback": ("CallingList", "RecordId", "Kind", "Personal"),
    "AgentError": (),
    "RecordsScheduled": ("Count",),
    "ProcessingCompleted": ("RecordsNotProcessed",),
}
MISSING = [(n, f) for n, fields in REQUIRED.items() for f in ("Time", "Campaign", *fields)]


@pytest.mark.parametrize(("name", "field"), MISSING)
def test_missing_required_field_is_named(name, field) -> None:
    message = body(name)
    del message[field]
    error = refused(message)
    assert error.field == field
    assert error.reason == f"missing; {name} requires it"
    assert refused(body(name, **{field: None})).field == field


@pytest.mark.parametrize(
    ("name", "field"),
    [
        ("GroupLoaded", "DialMode"),
        ("ChainProcessed", "RecordId"),
        ("RecordsScheduled", "Group"),
        ("RecordsScheduled", "CallingList"),
        ("ProcessingCompleted", "Group"),
        ("DialingStopped", "Seq"),
        ("DialingStopped", "Message"),
        ("GroupLoaded", "group"),
    ],
)
def test_field_not_listed_for_the_event_is_refused(name, field) -> None:
    error = refused(body(name, **{field: "x"}))
    assert error.field == field
    assert f"unknown field for {name}" in error.reason


WRONG_TYPES = [
    ("Time", "soon"),
    ("Time", True),
    ("Time", [1]),
    ("Campaign", 7),
    ("Tenant", 7),
    ("Group", 7),
    ("CallingList", ["L"]),
    ("RecordId", 1.5),
    ("RecordId", True),
    ("ChainId", 2.0),
    ("ChainId", False),
    ("CallResult", "33"),
    ("CallResult", True),
    ("CallResult", 33.0),
]


@pytest.mark.parametrize(("field", "value"), WRONG_TYPES)
def test_wrong_type_is_named(field, value) -> None:
    error = refused(body("DialResult", **{field: value}))
    assert error.field == field
    assert "expected" in error.reason


@pytest.mark.parametrize("value", [math.nan, math.inf, -math.inf])
def test_time_must_be_finite(value) -> None:
    error = refused(body("GroupLoaded", Time=value))
    assert error.field == "Time"
    assert "finite" in error.reason


@pytest.mark.parametrize(
    ("name", "field"), [("GroupCondition", "Active"), ("Callback", "Personal")]
)
@pytest.mark.parametrize("value", [1, 0, "true", 1.0])
def test_flags_must_be_bool(name, field, value) -> None:
    error = refused(body(name, **{field: value}))
    assert error.field == field
    assert error.reason.startswith("expected a bool")


@pytest.mark.parametrize(
    ("name", "field"),
    [("RecordsScheduled", "Count"), ("ProcessingCompleted", "RecordsNotProcessed")],
)
@pytest.mark.parametrize("value", [-1, True, 2.0, "3"])
def test_counts_must_be_non_negative_ints(name, field, value) -> None:
    error = refused(body(name, **{field: value}))
    assert error.field == field
    assert error.reason.startswith("expected a non-negative int")


@pytest.mark.parametrize(
    ("name", "field", "allowed"),
    [
        ("DialingStarted", "DialMode", "NoDial, Predict, PredictAndSeize"),
        ("DialModeChanged", "DialMode", "ProgressGVP, PushPreview"),
        ("GroupCondition", "Condition", "WaitingRecords, WaitingPorts, WaitingAgents, SystemError"),
        ("Callback", "Kind", "Scheduled, Completed, Missed"),
    ],
)
def test_unknown_enumerated_value_lists_the_allowed_ones(name, field, allowed) -> None:
    error = refused(body(name, **{field: "Turbo"}))
    assert error.field == field
    assert "'Turbo'" in error.reason
    assert allowed in error.reason
    assert refused(body(name, **{field: 3})).reason == "expected a string, got int"


@pytest.mark.parametrize(
    ("name", "field"),
    [
        ("GroupLoaded", "Campaign"),
        ("GroupLoaded", "Tenant"),
        ("GroupLoaded", "Group"),
        ("DialResult", "Group"),
        ("DialResult", "CallingList"),
        ("ProcessingCompleted", "CallingList"),
    ],
)
@pytest.mark.parametrize(
    ("value", "reason"), [("", "must not be empty"), ("a@b", "must not contain '@'")]
)
def test_names_empty_or_with_at_sign_are_refused(name, field, value, reason) -> None:
    error = refused(body(name, **{field: value}))
    assert error.field == field
    assert error.reason.startswith(reason)


def test_first_field_checked_is_the_event_then_unknown_fields() -> None:
    assert refused({"Event": "Nope", "Bogus": 1}).field == "Event"
    assert refused({"Event": "GroupLoaded", "Bogus": 1}).field == "Bogus"


def test_parse_builds_the_class_named_by_event() -> None:
    classes = [
        GroupLoaded,
        DialingStarted,
        DialingStopped,
        GroupUnloaded,
        DialModeChanged,
        GroupCondition,
        DialResult,
        ChainProcessed,
        Callback,
        AgentError,
        RecordsScheduled,
        ProcessingCompleted,
    ]
    assert [type(parse_event(body(name), "T")) for name in EVENT_NAMES] == classes


@pytest.mark.parametrize(
    ("event", "field"),
    [("RecordsScheduled", "Count"), ("ProcessingCompleted", "RecordsNotProcessed")],
)
def test_counts_past_a_billion_are_refused_naming_the_field(event, field):
    body = {"Event": event, "Time": 1.0, "Campaign": "Spring2027", field: 2**64 - 1}
    with pytest.raises(InvalidEvent) as caught:
        parse_event(body, "Environment")
    assert caught.value.field == field
    assert "1,000,000,000" in str(caught.value)
    body[field] = 1_000_000_000
    assert parse_event(body, "Environment").campaign == "Spring2027"
