"""CampaignGroup status machine: the transition table, refusals, dial modes and conditions."""

from __future__ import annotations

import pytest
from domain_support import T, Tracker, bring_group, catalogue, event, triples

from statsrv.domain.actions import ObjectType
from statsrv.domain.catalogue import CampaignConfig, Catalogue
from statsrv.domain.domain import CampaignDomain
from statsrv.domain.errors import EventRefused, InvalidEvent
from statsrv.domain.events import DialingStarted, GroupLoaded

GROUP = ObjectType.CAMPAIGN_GROUP


@pytest.fixture
def domain() -> CampaignDomain:
    return CampaignDomain(Catalogue())


def group_events(domain: CampaignDomain, *names_and_fields: tuple[str, dict]) -> list[list]:
    return [
        triples(domain.apply(event(name, "C", Group="G", **fields), 10.0))
        for name, fields in names_and_fields
    ]


# --- the transition table, row by row --------------------------------------------------------


def test_group_loaded_moves_deactivated_to_activated() -> None:
    domain = CampaignDomain(catalogue(CampaignConfig("C", ("G",))))
    occurrences = domain.apply(event("GroupLoaded", Group="G"), 10.0)
    assert triples(occurrences) == [
        ("CampaignGroup", "C@G", "StatusDeactivated", "END"),
        ("Campaign", "C", "StatusDeactivated", "END"),
        ("CampaignGroup", "C@G", "StatusActivated", "START"),
        ("Campaign", "C", "StatusActivated", "START"),
    ]
    assert all(o.time == 10.0 and o.tenant == T for o in occurrences)
    assert domain.group_status(T, "C", "G") == "StatusActivated"


def test_dialing_started_moves_activated_to_running_and_starts_the_mode(domain) -> None:
    bring_group(domain, "C", "G", "StatusActivated")
    [started] = group_events(domain, ("DialingStarted", {"DialMode": "Power"}))
    assert started == [
        ("CampaignGroup", "C@G", "StatusActivated", "END"),
        ("Campaign", "C", "StatusActivated", "END"),
        ("CampaignGroup", "C@G", "StatusRunning", "START"),
        ("Campaign", "C", "StatusRunning", "START"),
        ("CampaignGroup", "C@G", "Power", "START"),
        ("Campaign", "C", "Power", "START"),
    ]


def test_dialing_stopped_moves_running_to_activated_and_ends_mode_and_conditions(domain) -> None:
    bring_group(domain, "C", "G", "StatusRunning")
    group_events(domain, ("GroupCondition", {"Condition": "WaitingPorts", "Active": True}))
    [stopped] = group_events(domain, ("DialingStopped", {}))
    assert stopped == [
        ("CampaignGroup", "C@G", "StatusWaitingPorts", "END"),
        ("Campaign", "C", "StatusWaitingPorts", "END"),
        ("CampaignGroup", "C@G", "Predict", "END"),
        ("Campaign", "C", "Predict", "END"),
        ("CampaignGroup", "C@G", "StatusRunning", "END"),
        ("Campaign", "C", "StatusRunning", "END"),
        ("CampaignGroup", "C@G", "StatusActivated", "START"),
        ("Campaign", "C", "StatusActivated", "START"),
    ]
    state = domain.object_state(T, GROUP, "C@G")
    assert state is not None
    assert (state.dial_modes, state.conditions) == ((), ())


def test_group_unloaded_moves_activated_to_deactivated(domain) -> None:
    bring_group(domain, "C", "G", "StatusActivated")
    assert group_events(domain, ("GroupUnloaded", {})) == [
        [
            ("CampaignGroup", "C@G", "StatusActivated", "END"),
            ("Campaign", "C", "StatusActivated", "END"),
            ("CampaignGroup", "C@G", "StatusDeactivated", "START"),
            ("Campaign", "C", "StatusDeactivated", "START"),
        ]
    ]


def test_group_unloaded_moves_running_to_deactivated_ending_mode_and_conditions(domain) -> None:
    bring_group(domain, "C", "G", "StatusRunning")
    group_events(domain, ("GroupCondition", {"Condition": "SystemError", "Active": True}))
    [unloaded] = group_events(domain, ("GroupUnloaded", {}))
    ends = [t for t in unloaded if t[3] == "END"]
    starts = [t for t in unloaded if t[3] == "START"]
    assert unloaded == ends + starts
    assert {t[2] for t in ends} == {"StatusSystemError", "Predict", "StatusRunning"}
    assert starts == [
        ("CampaignGroup", "C@G", "StatusDeactivated", "START"),
        ("Campaign", "C", "StatusDeactivated", "START"),
    ]


def test_group_status_survives_a_full_cycle(domain) -> None:
    tracker = Tracker()
    for name, fields in [
        ("GroupLoaded", {}),
        ("DialingStarted", {"DialMode": "Preview"}),
        ("DialingStopped", {}),
        ("DialingStarted", {"DialMode": "Progress"}),
        ("GroupUnloaded", {}),
        ("GroupLoaded", {}),
    ]:
        tracker.feed(domain.apply(event(name, Group="G", **fields), 1.0))
    assert tracker.durable(GROUP, "C@G") == {"StatusActivated"}


# --- refused transitions ---------------------------------------------------------------------

REFUSED = [
    ("GroupLoaded", {}, "StatusActivated"),
    ("GroupLoaded", {}, "StatusRunning"),
    ("DialingStarted", {"DialMode": "Predict"}, "StatusDeactivated"),
    ("DialingStarted", {"DialMode": "Predict"}, "StatusRunning"),
    ("DialingStopped", {}, "StatusDeactivated"),
    ("DialingStopped", {}, "StatusActivated"),
    ("GroupUnloaded", {}, "StatusDeactivated"),
    ("DialModeChanged", {"DialMode": "Power"}, "StatusDeactivated"),
    ("DialModeChanged", {"DialMode": "Power"}, "StatusActivated"),
    ("GroupCondition", {"Condition": "WaitingAgents", "Active": True}, "StatusDeactivated"),
    ("GroupCondition", {"Condition": "WaitingAgents", "Active": True}, "StatusActivated"),
]


@pytest.mark.parametrize(
    ("name", "fields", "status"), REFUSED, ids=[f"{n}-on-{s}" for n, _, s in REFUSED]
)
def test_refused_transition_names_group_and_changes_nothing(domain, name, fields, status) -> None:
    bring_group(domain, "C", "G", status)
    before = domain.snapshot()
    with pytest.raises(EventRefused) as refused:
        domain.apply(event(name, Group="G", **fields), 5.0)
    assert refused.value.field == "Group"
    assert name in str(refused.value)
    assert status in str(refused.value)
    assert domain.snapshot() == before


@pytest.mark.parametrize(
    ("name", "fields"),
    [
        ("DialingStarted", {"DialMode": "Predict"}),
        ("DialingStopped", {}),
        ("GroupUnloaded", {}),
        ("DialModeChanged", {"DialMode": "Predict"}),
        ("GroupCondition", {"Condition": "WaitingRecords", "Active": True}),
    ],
)
def test_refused_on_a_group_never_seen_makes_nothing_known(domain, name, fields) -> None:
    before = domain.snapshot()
    with pytest.raises(EventRefused, match="not yet known"):
        domain.apply(event(name, "Ghost", Tenant="Other", Group="G", **fields), 1.0)
    assert domain.snapshot() == before
    assert not domain.tenant_exists("Other")
    assert not domain.is_known("Other", ObjectType.CAMPAIGN, "Ghost")


def test_refused_group_condition_that_starts_an_active_condition(domain) -> None:
    bring_group(domain, "C", "G", "StatusRunning")
    group_events(domain, ("GroupCondition", {"Condition": "WaitingAgents", "Active": True}))
    before = domain.snapshot()
    with pytest.raises(EventRefused, match="already in progress") as refused:
        group_events(domain, ("GroupCondition", {"Condition": "WaitingAgents", "Active": True}))
    assert refused.value.field == "Active"
    assert domain.snapshot() == before


def test_refused_group_condition_that_ends_an_inactive_condition(domain) -> None:
    bring_group(domain, "C", "G", "StatusRunning")
    before = domain.snapshot()
    with pytest.raises(EventRefused, match="not in progress"):
        group_events(domain, ("GroupCondition", {"Condition": "WaitingAgents", "Active": False}))
    assert domain.snapshot() == before


def test_refused_event_is_an_invalid_event_naming_the_field() -> None:
    error = EventRefused("Group", "reason")
    assert isinstance(error, InvalidEvent)
    assert str(error) == "Group: reason"


@pytest.mark.parametrize("field", ["Tenant", "Campaign", "Group"])
@pytest.mark.parametrize("bad", ["a@b", ""])
def test_refused_names_with_at_sign_or_empty(domain, field, bad) -> None:
    names = {"tenant": T, "campaign": "C", "group": "G"} | {field.lower(): bad}
    before = domain.snapshot()
    with pytest.raises(EventRefused) as refused:
        domain.apply(GroupLoaded(time=0.0, **names), 1.0)
    assert refused.value.field == field
    assert domain.snapshot() == before


def test_refused_unknown_dial_mode_built_without_parse(domain) -> None:
    bring_group(domain, "C", "G", "StatusActivated")
    before = domain.snapshot()
    with pytest.raises(EventRefused) as refused:
        domain.apply(
            DialingStarted(tenant=T, campaign="C", time=0.0, group="G", dial_mode="Turbo"), 1.0
        )
    assert refused.value.field == "DialMode"
    assert domain.snapshot() == before


# --- dial modes and conditions ---------------------------------------------------------------


def test_dial_mode_changed_ends_old_mode_and_starts_new(domain) -> None:
    bring_group(domain, "C", "G", "StatusRunning")
    [changed] = group_events(domain, ("DialModeChanged", {"DialMode": "PushPreview"}))
    assert changed == [
        ("CampaignGroup", "C@G", "Predict", "END"),
        ("Campaign", "C", "Predict", "END"),
        ("CampaignGroup", "C@G", "PushPreview", "START"),
        ("Campaign", "C", "PushPreview", "START"),
    ]


def test_dial_mode_changed_to_current_mode_is_accepted_without_occurrences(domain) -> None:
    bring_group(domain, "C", "G", "StatusRunning")
    assert group_events(domain, ("DialModeChanged", {"DialMode": "Predict"})) == [[]]
    assert domain.statistics().events_applied == 3


def test_conditions_any_number_at_once_while_running(domain) -> None:
    bring_group(domain, "C", "G", "StatusRunning")
    for condition in ("WaitingRecords", "WaitingPorts", "WaitingAgents", "SystemError"):
        group_events(domain, ("GroupCondition", {"Condition": condition, "Active": True}))
    state = domain.object_state(T, GROUP, "C@G")
    assert state is not None
    assert state.conditions == (
        "StatusSystemError",
        "StatusWaitingAgents",
        "StatusWaitingPorts",
        "StatusWaitingRecords",
    )
    [ended] = group_events(
        domain, ("GroupCondition", {"Condition": "WaitingPorts", "Active": False})
    )
    assert ended == [
        ("CampaignGroup", "C@G", "StatusWaitingPorts", "END"),
        ("Campaign", "C", "StatusWaitingPorts", "END"),
    ]


def test_exactly_one_dial_mode_while_running(domain) -> None:
    tracker = Tracker()
    tracker.feed(domain.apply(event("GroupLoaded", Group="G"), 0.0))
    tracker.feed(domain.apply(event("DialingStarted", Group="G", DialMode="NoDial"), 0.0))
    for mode in ("PredictGVP", "PowerAndSeize", "ProgressGVP"):
        tracker.feed(domain.apply(event("DialModeChanged", Group="G", DialMode=mode), 0.0))
        assert tracker.durable(GROUP, "C@G") == {"StatusRunning", mode}


# --- objects becoming known without zero-length actions --------------------------------------


def test_no_zero_length_group_first_named_by_group_loaded_starts_activated(domain) -> None:
    occurrences = domain.apply(event("GroupLoaded", Group="G"), 3.0)
    assert triples(occurrences) == [
        ("CampaignGroup", "C@G", "StatusActivated", "START"),
        ("Campaign", "C", "StatusActivated", "START"),
    ]


def test_no_zero_length_group_first_named_by_operational_event_starts_deactivated(
    domain,
) -> None:
    fields = {"Group": "G", "CallingList": "L", "ChainId": 1, "CallResult": 33}
    occurrences = domain.apply(event("ChainProcessed", **fields), 3.0)
    durable = [t for t in triples(occurrences) if t[3] != "INSTANT"]
    assert durable == [
        ("CampaignGroup", "C@G", "StatusDeactivated", "START"),
        ("Campaign", "C", "StatusDeactivated", "START"),
    ]
    assert domain.group_status(T, "C", "G") == "StatusDeactivated"


def test_no_zero_length_new_group_on_a_running_campaign_keeps_campaign_running(domain) -> None:
    bring_group(domain, "C", "A", "StatusRunning")
    occurrences = domain.apply(event("AgentError", Group="B"), 3.0)
    assert triples(occurrences) == [
        ("CampaignGroup", "C@B", "StatusDeactivated", "START"),
        ("Campaign", "C", "AgentError", "INSTANT"),
        ("CampaignGroup", "C@B", "AgentError", "INSTANT"),
    ]
    assert domain.campaign_status(T, "C") == "StatusRunning"


def test_operational_events_accepted_on_a_group_in_any_status(domain) -> None:
    tracker = Tracker()
    fields = {"Group": "G", "CallingList": "L", "RecordId": 7, "ChainId": 7, "CallResult": 33}
    for status in ("StatusDeactivated", "StatusActivated", "StatusRunning"):
        bring_group(domain, f"C{status}", "G", status)
        tracker.feed(domain.apply(event("DialResult", f"C{status}", **fields), 1.0))
        assert tracker.count(GROUP, f"C{status}@G", "DialAnswer") == 1


@pytest.mark.parametrize("leave", ["DialingStopped", "GroupUnloaded"])
def test_every_condition_and_the_mode_end_when_the_group_leaves_running(domain, leave) -> None:
    tracker = Tracker()
    tracker.feed(domain.apply(event("GroupLoaded", Group="G"), 0.0))
    tracker.feed(domain.apply(event("DialingStarted", Group="G", DialMode="Progress"), 0.0))
    for condition in ("WaitingRecords", "WaitingPorts", "SystemError"):
        fields = {"Condition": condition, "Active": True}
        tracker.feed(domain.apply(event("GroupCondition", Group="G", **fields), 1.0))
    tracker.feed(domain.apply(event(leave, Group="G"), 2.0))
    assert tracker.durable(GROUP, "C@G") <= {"StatusActivated", "StatusDeactivated"}
    assert tracker.durable(ObjectType.CAMPAIGN, "C") <= {"StatusActivated", "StatusDeactivated"}
