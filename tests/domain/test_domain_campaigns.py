"""Campaign status derived from its groups, and campaign-level conditions and dial modes."""

from __future__ import annotations

import pytest
from domain_support import T, Tracker, bring_group, catalogue, event, triples

from statsrv.domain.actions import ObjectType
from statsrv.domain.catalogue import CampaignConfig, Catalogue
from statsrv.domain.domain import CampaignDomain

CAMPAIGN = ObjectType.CAMPAIGN


def seed_rule(statuses: list[str]) -> str:
    """The source page's rule, written independently of the implementation."""
    if "StatusRunning" in statuses:
        return "StatusRunning"
    if "StatusActivated" in statuses:
        return "StatusActivated"
    return "StatusDeactivated"


MIXES = [
    ("StatusDeactivated", "StatusDeactivated"),
    ("StatusDeactivated", "StatusActivated"),
    ("StatusActivated", "StatusActivated"),
    ("StatusActivated", "StatusRunning"),
    ("StatusDeactivated", "StatusRunning"),
    ("StatusDeactivated", "StatusDeactivated", "StatusDeactivated"),
    ("StatusDeactivated", "StatusActivated", "StatusDeactivated"),
    ("StatusActivated", "StatusDeactivated", "StatusRunning"),
    ("StatusRunning", "StatusRunning", "StatusActivated"),
    ("StatusActivated", "StatusActivated", "StatusActivated"),
]


@pytest.mark.parametrize("statuses", MIXES, ids=["-".join(s[6:] for s in m) for m in MIXES])
def test_campaign_status_follows_seed_rule_over_mixed_groups(statuses) -> None:
    domain = CampaignDomain(Catalogue())
    tracker = Tracker()
    for index, status in enumerate(statuses):
        tracker.feed(domain.apply(event("GroupLoaded", Group=f"G{index}"), 0.0))
        if status == "StatusRunning":
            fields = {"Group": f"G{index}", "DialMode": "Predict"}
            tracker.feed(domain.apply(event("DialingStarted", **fields), 0.0))
    for index, status in enumerate(statuses):
        if status == "StatusDeactivated":
            tracker.feed(domain.apply(event("GroupUnloaded", Group=f"G{index}"), 0.0))
    assert domain.campaign_status(T, "C") == seed_rule(list(statuses))
    status_actions = {"StatusDeactivated", "StatusActivated", "StatusRunning"}
    assert tracker.durable(CAMPAIGN, "C") & status_actions == {seed_rule(list(statuses))}


def test_campaign_status_changes_only_when_derived_status_changes() -> None:
    domain = CampaignDomain(Catalogue())
    bring_group(domain, "C", "A", "StatusRunning")
    occurrences = domain.apply(event("GroupLoaded", Group="B"), 1.0)
    assert triples(occurrences) == [("CampaignGroup", "C@B", "StatusActivated", "START")]
    occurrences = domain.apply(event("DialingStarted", Group="B", DialMode="Predict"), 2.0)
    assert ("Campaign", "C", "StatusRunning", "START") not in triples(occurrences)
    occurrences = domain.apply(event("DialingStopped", Group="A"), 3.0)
    assert [t for t in triples(occurrences) if t[0] == "Campaign"] == []


def test_campaign_status_deactivated_when_all_groups_deactivated() -> None:
    domain = CampaignDomain(Catalogue())
    bring_group(domain, "C", "A", "StatusActivated")
    bring_group(domain, "C", "B", "StatusActivated")
    domain.apply(event("GroupUnloaded", Group="A"), 1.0)
    assert domain.campaign_status(T, "C") == "StatusActivated"
    occurrences = domain.apply(event("GroupUnloaded", Group="B"), 2.0)
    assert ("Campaign", "C", "StatusDeactivated", "START") in triples(occurrences)
    assert domain.campaign_status(T, "C") == "StatusDeactivated"


def test_campaign_status_deactivated_with_no_group_known() -> None:
    domain = CampaignDomain(Catalogue())
    occurrences = domain.apply(event("RecordsScheduled", Count=5), 1.0)
    assert triples(occurrences)[0] == ("Campaign", "C", "StatusDeactivated", "START")
    assert domain.campaign_status(T, "C") == "StatusDeactivated"


def test_configured_occurrences_start_deactivated_on_configured_campaigns_and_groups() -> None:
    domain = CampaignDomain(catalogue(CampaignConfig("C", ("A", "B"), ("L",))))
    occurrences = domain.configured_occurrences(100.0)
    assert triples(occurrences) == [
        ("Campaign", "C", "StatusDeactivated", "START"),
        ("CampaignGroup", "C@A", "StatusDeactivated", "START"),
        ("CampaignGroup", "C@B", "StatusDeactivated", "START"),
    ]
    assert all(o.time == 100.0 for o in occurrences)
    assert domain.campaign_status(T, "C") == "StatusDeactivated"


# --- campaign-level conditions and dial modes ------------------------------------------------


def test_campaign_mode_in_progress_while_any_running_group_has_it() -> None:
    domain = CampaignDomain(Catalogue())
    tracker = Tracker()
    for group, mode in (("A", "Predict"), ("B", "Predict"), ("C3", "Preview")):
        tracker.feed(domain.apply(event("GroupLoaded", Group=group), 0.0))
        tracker.feed(domain.apply(event("DialingStarted", Group=group, DialMode=mode), 0.0))
    assert tracker.durable(CAMPAIGN, "C") == {"StatusRunning", "Predict", "Preview"}
    state = domain.object_state(T, CAMPAIGN, "C")
    assert state is not None
    assert state.dial_modes == ("Predict", "Preview")

    tracker.feed(domain.apply(event("DialingStopped", Group="A"), 1.0))
    assert tracker.durable(CAMPAIGN, "C") == {"StatusRunning", "Predict", "Preview"}
    tracker.feed(domain.apply(event("DialModeChanged", Group="B", DialMode="Preview"), 2.0))
    assert tracker.durable(CAMPAIGN, "C") == {"StatusRunning", "Preview"}
    tracker.feed(domain.apply(event("GroupUnloaded", Group="C3"), 3.0))
    assert tracker.durable(CAMPAIGN, "C") == {"StatusRunning", "Preview"}
    tracker.feed(domain.apply(event("DialingStopped", Group="B"), 4.0))
    assert tracker.durable(CAMPAIGN, "C") == {"StatusActivated"}


def test_campaign_condition_starts_with_first_group_and_ends_with_last() -> None:
    domain = CampaignDomain(Catalogue())
    tracker = Tracker()
    for group in ("A", "B"):
        tracker.feed(domain.apply(event("GroupLoaded", Group=group), 0.0))
        tracker.feed(domain.apply(event("DialingStarted", Group=group, DialMode="Power"), 0.0))

    def condition(group: str, active: bool) -> list:
        fields = {"Condition": "WaitingAgents", "Active": active}
        occurrences = domain.apply(event("GroupCondition", Group=group, **fields), 1.0)
        tracker.feed(occurrences)
        return [t for t in triples(occurrences) if t[0] == "Campaign"]

    assert condition("A", True) == [("Campaign", "C", "StatusWaitingAgents", "START")]
    assert condition("B", True) == []
    assert condition("A", False) == []
    assert "StatusWaitingAgents" in tracker.durable(CAMPAIGN, "C")
    assert condition("B", False) == [("Campaign", "C", "StatusWaitingAgents", "END")]


def test_campaign_condition_ends_when_its_last_group_leaves_running() -> None:
    domain = CampaignDomain(Catalogue())
    tracker = Tracker()
    for group in ("A", "B"):
        tracker.feed(domain.apply(event("GroupLoaded", Group=group), 0.0))
        tracker.feed(domain.apply(event("DialingStarted", Group=group, DialMode="Power"), 0.0))
    fields = {"Condition": "SystemError", "Active": True}
    tracker.feed(domain.apply(event("GroupCondition", Group="A", **fields), 1.0))
    tracker.feed(domain.apply(event("GroupUnloaded", Group="A"), 2.0))
    assert tracker.durable(CAMPAIGN, "C") == {"StatusRunning", "Power"}


def test_campaigns_are_isolated_by_tenant() -> None:
    domain = CampaignDomain(Catalogue())
    domain.apply(event("GroupLoaded", Group="G", Tenant="Acme"), 0.0)
    assert domain.campaign_status("Acme", "C") == "StatusActivated"
    assert domain.campaign_status(T, "C") is None
