"""Instant (operational) actions, their applicability, the call-result tables and known objects."""

from __future__ import annotations

import pytest
from domain_support import T, Tracker, catalogue, event, triples

from statsrv.domain.actions import (
    ACTIONS_BY_OBJECT_TYPE,
    DIAL_RESULT_ACTIONS,
    LEAD_RESULT_ACTIONS,
    ObjectType,
)
from statsrv.domain.catalogue import CampaignConfig, Catalogue, TenantConfig
from statsrv.domain.domain import CampaignDomain
from statsrv.domain.errors import EventRefused
from statsrv.domain.events import Callback, RecordsScheduled

CAMPAIGN = ObjectType.CAMPAIGN
GROUP = ObjectType.CAMPAIGN_GROUP
CAMPAIGN_LIST = ObjectType.CAMPAIGN_CALLING_LIST
LIST = ObjectType.CALLING_LIST
ALL_OBJECTS = [(CAMPAIGN, "C"), (GROUP, "C@G"), (CAMPAIGN_LIST, "C@L"), (LIST, "L")]

# The domain's call-result table, restated here so the test does not read the code under test.
DIAL_LEAD = {
    0: ("DialUnknown", "LeadOk"),
    3: ("DialGeneralError", "LeadGeneralError"),
    4: ("DialSystemError", "LeadSystemError"),
    5: ("DialRemoteRelease", "LeadUnknown"),
    6: ("DialBusy", "LeadBusy"),
    7: ("DialNoAnswer", "LeadNoAnswer"),
    8: ("DialSITDetected", "LeadSITDetected"),
    9: ("DialAnswMachine", "LeadAnswMachine"),
    10: ("DialAllTrunksBusy", "LeadAllTrunksBusy"),
    11: ("DialSITInvalidNum", "LeadSITInvalidNum"),
    12: ("DialSITVacant", "LeadSITVacant"),
    13: ("DialSITOperIntercept", "LeadSITOperIntercept"),
    14: ("DialSITUnknown", "LeadSITUnknown"),
    15: ("DialSITNoCircuit", "LeadSITNoCircuit"),
    16: ("DialSITReorder", "LeadSITReorder"),
    17: ("DialFaxDetected", "LeadFaxDetected"),
    21: ("DialAbandoned", "LeadAbandoned"),
    26: ("DialDropped", "LeadDropped"),
    27: ("DialDroppedNoAnswer", "LeadDroppedNoAnswer"),
    28: ("DialUnknown", "LeadUnknown"),
    32: ("DialSilence", "LeadSilence"),
    33: ("DialAnswer", "LeadAnswer"),
    34: ("DialNUTone", "LeadNuTone"),
    35: ("DialNoDialTone", "LeadNoDialTone"),
    36: ("DialNoProgress", "LeadNoProgress"),
    37: ("DialNoRingBack", "LeadNoRingBack"),
    38: ("DialNoEstablished", "LeadNoEstablished"),
    39: ("DialPagerDetected", "LeadPagerDetected"),
    40: ("DialWrongParty", "LeadWrongParty"),
    41: ("DialError", "LeadError"),
    42: ("DialCallDropError", "LeadCallDropError"),
    43: ("DialSwitchError", "LeadSwitchError"),
    44: ("DialNoFreePortError", "LeadNoFreePortError"),
    45: ("DialTransferError", "LeadTransferError"),
    46: ("DialStale", "LeadStale"),
    47: ("DialAgentCallbackError", "LeadAgentCallbackError"),
    48: ("DialGroupCallbackError", "LeadGroupCallbackError"),
    51: ("DialDoNotCall", "LeadDoNotCall"),
    52: ("DialCancel", "LeadCancel"),
    53: ("DialWrongNumber", "LeadWrongNumber"),
}
CODES = range(61)


def expected_dial(code: int, object_type: ObjectType) -> str:
    dial = DIAL_LEAD.get(code, ("DialUnknown", "LeadUnknown"))[0]
    if dial == "DialRemoteRelease" and object_type in (GROUP, CAMPAIGN_LIST):
        return "DialUnknown"
    return dial


def apply_all(domain: CampaignDomain, name: str, **fields) -> list:
    return triples(domain.apply(event(name, **fields), 1.0))


@pytest.fixture
def domain() -> CampaignDomain:
    return CampaignDomain(Catalogue())


@pytest.mark.parametrize("code", CODES)
def test_dial_result_table_over_codes_0_to_60(domain, code) -> None:
    fields = {"Group": "G", "CallingList": "L", "RecordId": 1, "ChainId": 1, "CallResult": code}
    instants = [t for t in apply_all(domain, "DialResult", **fields) if t[3] == "INSTANT"]
    assert instants == [
        item
        for object_type, object_id in ALL_OBJECTS
        for item in (
            (object_type.value, object_id, "DialMade", "INSTANT"),
            (object_type.value, object_id, expected_dial(code, object_type), "INSTANT"),
        )
    ]


@pytest.mark.parametrize("code", CODES)
def test_lead_table_over_codes_0_to_60(domain, code) -> None:
    lead = DIAL_LEAD.get(code, ("DialUnknown", "LeadUnknown"))[1]
    fields = {"Group": "G", "CallingList": "L", "ChainId": "chain-1", "CallResult": code}
    instants = [t for t in apply_all(domain, "ChainProcessed", **fields) if t[3] == "INSTANT"]
    assert instants == [
        item
        for object_type, object_id in ALL_OBJECTS
        for item in (
            (object_type.value, object_id, "LeadProcessed", "INSTANT"),
            (object_type.value, object_id, lead, "INSTANT"),
        )
    ]


@pytest.mark.parametrize("code", [-1, 61, 1000, 2**40])
def test_codes_outside_the_table_give_unknown_and_are_accepted(domain, code) -> None:
    fields = {"CallingList": "L", "RecordId": 1, "ChainId": 1, "CallResult": code}
    assert ("Campaign", "C", "DialUnknown", "INSTANT") in apply_all(domain, "DialResult", **fields)
    fields.pop("RecordId")
    assert ("Campaign", "C", "LeadUnknown", "INSTANT") in apply_all(
        domain, "ChainProcessed", **fields
    )


def test_dial_remote_release_only_on_campaign_and_calling_list(domain) -> None:
    fields = {"Group": "G", "CallingList": "L", "RecordId": 1, "ChainId": 1, "CallResult": 5}
    released = {
        t[0] for t in apply_all(domain, "DialResult", **fields) if t[2] == "DialRemoteRelease"
    }
    assert released == {"Campaign", "CallingList"}


def test_dial_made_equals_sum_of_dial_result_actions_on_every_object(domain) -> None:
    tracker = Tracker()
    for code in CODES:
        fields = {"Group": "G", "CallingList": "L", "ChainId": 1, "CallResult": code}
        tracker.feed(domain.apply(event("DialResult", RecordId=code, **fields), 1.0))
        tracker.feed(domain.apply(event("ChainProcessed", **fields), 1.0))
    dial_actions = DIAL_RESULT_ACTIONS | {"DialRemoteRelease"}
    for object_type, object_id in ALL_OBJECTS:
        dials = sum(tracker.count(object_type, object_id, a) for a in dial_actions)
        leads = sum(tracker.count(object_type, object_id, a) for a in LEAD_RESULT_ACTIONS)
        assert tracker.count(object_type, object_id, "DialMade") == dials == len(CODES)
        assert tracker.count(object_type, object_id, "LeadProcessed") == leads == len(CODES)


def test_repeated_chain_id_is_counted_again(domain) -> None:
    tracker = Tracker()
    for _ in range(2):
        fields = {"CallingList": "L", "ChainId": 9, "CallResult": 33}
        tracker.feed(domain.apply(event("ChainProcessed", **fields), 1.0))
    assert tracker.count(CAMPAIGN, "C", "LeadProcessed") == 2


def test_operational_event_without_group_acts_on_campaign_and_lists(domain) -> None:
    fields = {"CallingList": "L", "RecordId": 1, "ChainId": 1, "CallResult": 33}
    objects = {(t[0], t[1]) for t in apply_all(domain, "DialResult", **fields) if t[3] == "INSTANT"}
    assert objects == {("Campaign", "C"), ("CampaignCallingList", "C@L"), ("CallingList", "L")}


@pytest.mark.parametrize(
    ("kind", "personal", "action"),
    [
        ("Scheduled", False, "CallbackScheduled"),
        ("Completed", False, "CallbackCompleted"),
        ("Missed", False, "CallbackMissed"),
        ("Scheduled", True, "PersonalCallbackScheduled"),
        ("Completed", True, "PersonalCallbackCompleted"),
        ("Missed", True, "PersonalCallbackMissed"),
    ],
)
def test_callback_action_by_kind_and_personal(domain, kind, personal, action) -> None:
    fields = {"Group": "G", "CallingList": "L", "RecordId": 1, "Kind": kind, "Personal": personal}
    instants = [t for t in apply_all(domain, "Callback", **fields) if t[3] == "INSTANT"]
    assert instants == [(ot.value, oid, action, "INSTANT") for ot, oid in ALL_OBJECTS]


def test_callback_with_unknown_kind_built_without_parse_is_refused(domain) -> None:
    bad = Callback(
        tenant=T, campaign="C", time=0.0, calling_list="L", record_id=1, kind="Late", personal=False
    )
    with pytest.raises(EventRefused) as refused:
        domain.apply(bad, 1.0)
    assert refused.value.field == "Kind"
    assert not domain.is_known(T, CAMPAIGN, "C")


def test_agent_error_on_every_named_object(domain) -> None:
    assert apply_all(domain, "AgentError", Group="G")[-2:] == [
        ("Campaign", "C", "AgentError", "INSTANT"),
        ("CampaignGroup", "C@G", "AgentError", "INSTANT"),
    ]
    instants = [
        t
        for t in apply_all(domain, "AgentError", CallingList="L", RecordId="r")
        if t[3] == "INSTANT"
    ]
    assert {(t[0], t[1]) for t in instants} == {
        ("Campaign", "C"),
        ("CampaignCallingList", "C@L"),
        ("CallingList", "L"),
    }


def test_records_scheduled_on_campaign_only_carrying_count(domain) -> None:
    occurrences = domain.apply(event("RecordsScheduled", Count=1234), 1.0)
    instants = [o for o in occurrences if o.action == "RecordsScheduled"]
    assert [(o.object_type, o.object_id, o.weight) for o in instants] == [(CAMPAIGN, "C", 1234)]
    assert "RecordsScheduled" not in ACTIONS_BY_OBJECT_TYPE[GROUP]


def test_records_scheduled_with_negative_count_built_without_parse_is_refused(domain) -> None:
    with pytest.raises(EventRefused, match="Count"):
        domain.apply(RecordsScheduled(tenant=T, campaign="C", time=0.0, count=-1), 1.0)


def test_records_not_processed_never_on_campaign_group_or_campaign_calling_list(domain) -> None:
    occurrences = domain.apply(
        event("ProcessingCompleted", CallingList="L", RecordsNotProcessed=17), 1.0
    )
    instants = [(o.object_type, o.object_id, o.action, o.weight) for o in occurrences[1:]]
    assert instants == [
        (CAMPAIGN, "C", "RecordsNotProcessed", 17),
        (LIST, "L", "RecordsNotProcessed", 17),
    ]
    assert domain.is_known(T, CAMPAIGN_LIST, "C@L")


def test_records_not_processed_on_campaign_alone_without_calling_list(domain) -> None:
    occurrences = domain.apply(event("ProcessingCompleted", RecordsNotProcessed=0), 1.0)
    assert triples(occurrences[1:]) == [("Campaign", "C", "RecordsNotProcessed", "INSTANT")]
    assert occurrences[1].weight == 0


def test_every_occurrence_is_applicable_to_its_object_type(domain) -> None:
    bodies = [
        ("GroupLoaded", {"Group": "G"}),
        ("DialingStarted", {"Group": "G", "DialMode": "Predict"}),
        ("GroupCondition", {"Group": "G", "Condition": "WaitingRecords", "Active": True}),
        (
            "DialResult",
            {"Group": "G", "CallingList": "L", "RecordId": 1, "ChainId": 1, "CallResult": 5},
        ),
        ("ChainProcessed", {"Group": "G", "CallingList": "L", "ChainId": 1, "CallResult": 5}),
        (
            "Callback",
            {"Group": "G", "CallingList": "L", "RecordId": 1, "Kind": "Missed", "Personal": True},
        ),
        ("AgentError", {"Group": "G", "CallingList": "L"}),
        ("RecordsScheduled", {"Count": 3}),
        ("ProcessingCompleted", {"CallingList": "L", "RecordsNotProcessed": 3}),
        ("GroupUnloaded", {"Group": "G"}),
    ]
    for name, fields in bodies:
        for o in domain.apply(event(name, **fields), 1.0):
            assert o.action in ACTIONS_BY_OBJECT_TYPE[o.object_type], o


# --- known objects, tenants and strictness ---------------------------------------------------


def test_accepted_event_makes_known_every_object_it_names(domain) -> None:
    fields = {"Group": "G", "CallingList": "L", "RecordId": 1, "Kind": "Missed", "Personal": True}
    domain.apply(event("Callback", Tenant="Acme", **fields), 1.0)
    assert domain.tenant_exists("Acme")
    for object_type, object_id in ALL_OBJECTS:
        assert domain.is_known("Acme", object_type, object_id)
        assert domain.object_allowed("Acme", object_type, object_id)
        assert not domain.is_known(T, object_type, object_id)


def test_processing_completed_makes_campaign_calling_list_known_without_action(domain) -> None:
    occurrences = domain.apply(
        event("ProcessingCompleted", CallingList="L", RecordsNotProcessed=1), 1.0
    )
    assert all(o.object_type is not CAMPAIGN_LIST for o in occurrences)
    assert domain.is_known(T, CAMPAIGN_LIST, "C@L")


def test_configured_objects_are_known_before_any_event() -> None:
    domain = CampaignDomain(catalogue(CampaignConfig("Spring", ("Sales",), ("East",))))
    assert domain.is_known(T, CAMPAIGN, "Spring")
    assert domain.is_known(T, GROUP, "Spring@Sales")
    assert domain.is_known(T, CAMPAIGN_LIST, "Spring@East")
    assert domain.is_known(T, LIST, "East")
    assert not domain.is_known(T, GROUP, "Spring@East")
    assert not domain.is_known(T, LIST, "Sales")
    assert domain.known_objects(T, GROUP) == ["Spring@Sales"]


@pytest.mark.parametrize("object_id", ["Spring", "Spring@", "@Sales", "Spring@Sales@X", "X@Sales"])
def test_malformed_or_unknown_pair_ids_are_not_known(object_id) -> None:
    domain = CampaignDomain(catalogue(CampaignConfig("Spring", ("Sales",))))
    assert not domain.is_known(T, GROUP, object_id)


def test_strict_tenant_refuses_unknown_objects_and_lenient_tenant_allows_them() -> None:
    strict = CampaignDomain(catalogue(strict=True))
    lenient = CampaignDomain(catalogue(strict=False))
    assert not strict.object_allowed(T, CAMPAIGN, "Typo")
    assert lenient.object_allowed(T, CAMPAIGN, "Typo")
    assert not lenient.is_known(T, CAMPAIGN, "Typo")


def test_unknown_tenant_does_not_exist_and_allows_nothing(domain) -> None:
    assert domain.tenant_exists(T)
    assert not domain.tenant_exists("Nobody")
    assert not domain.object_allowed("Nobody", CAMPAIGN, "C")
    assert domain.tenant_password("Nobody") is None


def test_tenant_password_from_catalogue() -> None:
    tenants = {T: TenantConfig(T), "Acme": TenantConfig("Acme", password="s3cret")}
    domain = CampaignDomain(Catalogue(tenants))
    assert domain.tenant_password("Acme") == "s3cret"
    assert domain.tenant_password(T) is None


def test_statistics_count_objects_events_and_occurrences(domain) -> None:
    domain.apply(event("GroupLoaded", Group="G"), 0.0)
    domain.apply(event("DialingStarted", Group="G", DialMode="Predict"), 0.0)
    fields = {"Group": "G2", "CallingList": "L", "RecordId": 1, "ChainId": 1, "CallResult": 33}
    domain.apply(event("DialResult", **fields), 0.0)
    stats = domain.statistics()
    assert (stats.tenants, stats.campaigns, stats.groups, stats.groups_running) == (1, 1, 2, 1)
    assert (stats.campaign_calling_lists, stats.calling_lists) == (1, 1)
    assert stats.events_applied == 3
    assert stats.occurrences_emitted == 2 + 6 + 1 + 8


def test_apply_of_something_that_is_not_a_dialer_event_is_a_type_error(domain) -> None:
    with pytest.raises(TypeError):
        domain.apply(object(), 1.0)  # type: ignore[arg-type]


def test_known_objects_of_each_type(domain) -> None:
    fields = {"Group": "G", "CallingList": "L", "RecordId": 1, "ChainId": 1, "CallResult": 6}
    domain.apply(event("DialResult", **fields), 1.0)
    assert [domain.known_objects(T, object_type) for object_type, _ in ALL_OBJECTS] == [
        ["C"],
        ["C@G"],
        ["C@L"],
        ["L"],
    ]
    assert domain.known_objects("Nobody", CAMPAIGN) == []
