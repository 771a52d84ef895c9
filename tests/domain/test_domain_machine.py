"""Random sequences of valid and invalid dialer events against the rules of the domain."""

from __future__ import annotations

from domain_support import Tracker, catalogue
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from statsrv.domain.actions import (
    CONDITION_ACTIONS,
    CONDITIONS,
    DIAL_MODES,
    DIAL_RESULT_ACTIONS,
    LEAD_RESULT_ACTIONS,
    STATUS_ACTIONS,
    ObjectType,
)
from statsrv.domain.catalogue import CampaignConfig
from statsrv.domain.domain import CampaignDomain
from statsrv.domain.errors import EventRefused
from statsrv.domain.events import (
    AgentError,
    Callback,
    ChainProcessed,
    DialerEvent,
    DialingStarted,
    DialingStopped,
    DialModeChanged,
    DialResult,
    GroupCondition,
    GroupLoaded,
    GroupUnloaded,
    ProcessingCompleted,
    RecordsScheduled,
)

CAMPAIGN = ObjectType.CAMPAIGN
GROUP = ObjectType.CAMPAIGN_GROUP

TENANTS = ("Environment", "Acme")
tenants = st.sampled_from(TENANTS)
campaigns = st.sampled_from(("C1", "C2"))
groups = st.sampled_from(("G1", "G2", "G3"))
optional_groups = st.none() | groups
lists = st.sampled_from(("L1", "L2"))
optional_lists = st.none() | lists
# Few objects and a bias towards two modes, so groups often share them.
modes = st.sampled_from(DIAL_MODES)
common_modes = st.sampled_from(("Predict", "Power"))
conditions = st.sampled_from(CONDITIONS)
codes = st.integers(-2, 60)
record_ids = st.integers(0, 5) | st.sampled_from(("r1", "r2"))
bad_names = st.sampled_from(("", "x@y", "@", "C1@G1"))
DIAL_ACTIONS = DIAL_RESULT_ACTIONS | {"DialRemoteRelease"}
STATUS_EVENTS = (
    GroupLoaded,
    DialingStarted,
    DialingStopped,
    GroupUnloaded,
    DialModeChanged,
    GroupCondition,
)


def seed_rule(statuses: list[str]) -> str:
    if "StatusRunning" in statuses:
        return "StatusRunning"
    if "StatusActivated" in statuses:
        return "StatusActivated"
    return "StatusDeactivated"


class DomainMachine(RuleBasedStateMachine):
    """Applies events, follows the occurrences, and checks the rules after every step."""

    def __init__(self) -> None:
        super().__init__()
        configured = CampaignConfig("C1", ("G1", "G2"), ("L1",))
        self.domain = CampaignDomain(catalogue(configured))
        self.tracker = Tracker()
        self.tracker.feed(self.domain.configured_occurrences(0.0))
        self.now = 0.0
        self.accepted = 0
        self.refused = 0

    def apply(self, event: DialerEvent) -> bool:
        self.now += 1.0
        before = self.domain.snapshot()
        try:
            occurrences = self.domain.apply(event, self.now)
        except EventRefused:
            assert self.domain.snapshot() == before, "a refused event changed the domain"
            self.refused += 1
            return False
        assert all(o.time == self.now and o.tenant == event.tenant for o in occurrences)
        self.tracker.feed(occurrences)
        self.accepted += 1
        self.check_named_objects_known(event)
        return True

    def check_named_objects_known(self, event: DialerEvent) -> None:
        known = self.domain.is_known
        tenant, campaign = event.tenant, event.campaign
        assert self.domain.tenant_exists(tenant)
        assert known(tenant, CAMPAIGN, campaign)
        group = getattr(event, "group", None)
        if group is not None:
            assert known(tenant, GROUP, f"{campaign}@{group}")
        calling_list = getattr(event, "calling_list", None)
        if calling_list is not None:
            assert known(tenant, ObjectType.CAMPAIGN_CALLING_LIST, f"{campaign}@{calling_list}")
            assert known(tenant, ObjectType.CALLING_LIST, calling_list)

    # --- status events ------------------------------------------------------------------

    @rule(
        tenant=tenants,
        campaign=campaigns,
        group=groups,
        pick=st.none() | st.integers(0, 20),
        mode=common_modes,
        cond=conditions,
    )
    def advance_group(self, tenant, campaign, group, pick, mode, cond) -> None:
        """The next event a group accepts: load it, start it, or toggle a condition.

        With `pick`, the group is one already known, the furthest along first.
        """
        base = {"tenant": tenant, "campaign": campaign, "time": 0.0, "group": group}
        known = self.groups_in("StatusRunning") + self.groups_in("StatusActivated")
        if pick is not None and known:
            base = known[pick % len(known)]
        state = self.domain.object_state(
            str(base["tenant"]), GROUP, f"{base['campaign']}@{base['group']}"
        )
        if state is None or state.status == "StatusDeactivated":
            event: DialerEvent = GroupLoaded(**base)
        elif state.status == "StatusActivated":
            event = DialingStarted(dial_mode=mode, **base)
        else:
            active = f"Status{cond}" not in state.conditions
            event = GroupCondition(condition=cond, active=active, **base)
        assert self.apply(event)

    @rule(
        kind=st.sampled_from(STATUS_EVENTS),
        tenant=tenants,
        campaign=campaigns,
        group=groups,
        mode=modes,
        cond=conditions,
        on=st.booleans(),
    )
    def any_status_event(self, kind, tenant, campaign, group, mode, cond, on) -> None:
        """A status event on any group, often impossible in its current status."""
        base = {"tenant": tenant, "campaign": campaign, "time": 0.0, "group": group}
        if kind in (DialingStarted, DialModeChanged):
            base["dial_mode"] = mode
        elif kind is GroupCondition:
            base |= {"condition": cond, "active": on}
        self.apply(kind(**base))

    # --- operational events (always accepted) -------------------------------------------

    @rule(
        tenant=tenants,
        campaign=campaigns,
        group=optional_groups,
        calling_list=lists,
        code=codes,
        record=record_ids,
    )
    def dial_result(self, tenant, campaign, group, calling_list, code, record) -> None:
        event = DialResult(
            tenant=tenant,
            campaign=campaign,
            time=0.0,
            group=group,
            calling_list=calling_list,
            record_id=record,
            chain_id=record,
            call_result=code,
        )
        assert self.apply(event)

    @rule(tenant=tenants, campaign=campaigns, group=optional_groups, calling_list=lists, code=codes)
    def chain_processed(self, tenant, campaign, group, calling_list, code) -> None:
        event = ChainProcessed(
            tenant=tenant,
            campaign=campaign,
            time=0.0,
            group=group,
            calling_list=calling_list,
            chain_id=1,
            call_result=code,
        )
        assert self.apply(event)

    @rule(
        what=st.sampled_from(("Callback", "AgentError", "Records")),
        campaign=campaigns,
        group=optional_groups,
        calling_list=optional_lists,
        kind=st.sampled_from(("Scheduled", "Completed", "Missed")),
        flag=st.booleans(),
        count=st.integers(0, 100),
    )
    def other_operational_event(self, what, campaign, group, calling_list, kind, flag, count):
        base = {"tenant": "Environment", "campaign": campaign, "time": 0.0}
        if what == "Callback":
            fields = {"group": group, "calling_list": calling_list or "L1", "record_id": 1}
            assert self.apply(Callback(kind=kind, personal=flag, **fields, **base))
        elif what == "AgentError":
            assert self.apply(AgentError(group=group, calling_list=calling_list, **base))
        else:
            assert self.apply(RecordsScheduled(count=count, **base))
            done = ProcessingCompleted(
                records_not_processed=count, calling_list=calling_list, **base
            )
            assert self.apply(done)

    # --- invalid events ------------------------------------------------------------------

    @rule(
        bad=bad_names,
        where=st.sampled_from(("tenant", "campaign", "group", "calling_list", "dial_mode")),
        campaign=campaigns,
        group=groups,
    )
    def invalid_event(self, bad, where, campaign, group) -> None:
        """Names that are empty or hold '@', or a dial mode that does not exist: refused."""
        if where == "dial_mode":
            base = {"tenant": "Environment", "campaign": campaign, "time": 0.0, "group": group}
            assert not self.apply(DialingStarted(dial_mode="Turbo", **base))
            assert not self.apply(DialModeChanged(dial_mode="Turbo", **base))
            return
        names = {"tenant": "Environment", "campaign": "C9", "group": "G9", "calling_list": "L9"}
        names[where] = bad
        fields = {"time": 0.0, "record_id": 1, "chain_id": 1, "call_result": 33}
        assert not self.apply(DialResult(**names, **fields))
        if where != "calling_list":
            del names["calling_list"]
            assert not self.apply(GroupLoaded(time=0.0, **names))

    # --- events aimed at groups in a given status, so that they are mostly accepted --------

    def groups_in(self, status: str) -> list[dict[str, str | float]]:
        """Groups in `status`, those with the most conditions first."""
        found = []
        for tenant in TENANTS:
            for object_id in self.domain.known_objects(tenant, GROUP):
                state = self.domain.object_state(tenant, GROUP, object_id)
                if state is not None and state.status == status:
                    campaign, _, group = object_id.partition("@")
                    names = {"tenant": tenant, "campaign": campaign, "group": group}
                    found.append((-len(state.conditions), names))
        found.sort(key=lambda item: item[0])
        return [names | {"time": 0.0} for _, names in found]

    @precondition(lambda self: self.groups_in("StatusRunning"))
    @rule(pick=st.integers(0, 50), unload=st.booleans())
    def stop_a_running_group(self, pick, unload) -> None:
        running = self.groups_in("StatusRunning")
        cls = GroupUnloaded if unload else DialingStopped
        assert self.apply(cls(**running[pick % len(running)]))

    @precondition(lambda self: self.groups_in("StatusRunning"))
    @rule(pick=st.integers(0, 50), mode=modes)
    def change_mode_of_a_running_group(self, pick, mode) -> None:
        running = self.groups_in("StatusRunning")
        assert self.apply(DialModeChanged(dial_mode=mode, **running[pick % len(running)]))

    @precondition(lambda self: self.groups_in("StatusActivated"))
    @rule(pick=st.integers(0, 50))
    def unload_an_activated_group(self, pick) -> None:
        activated = self.groups_in("StatusActivated")
        assert self.apply(GroupUnloaded(**activated[pick % len(activated)]))

    # --- the rules, after every step -----------------------------------------------------

    def statuses(self, object_type: ObjectType, object_id: str, tenant: str) -> set[str]:
        return self.tracker.durable(object_type, object_id, tenant) & set(STATUS_ACTIONS)

    @invariant()
    def exactly_one_status_on_every_known_group_and_campaign(self) -> None:
        for tenant in TENANTS:
            for object_type in (CAMPAIGN, GROUP):
                for object_id in self.domain.known_objects(tenant, object_type):
                    [status] = self.statuses(object_type, object_id, tenant)
                    state = self.domain.object_state(tenant, object_type, object_id)
                    assert state is not None
                    assert state.status == status

    @invariant()
    def campaign_status_is_the_seed_rule_of_its_groups(self) -> None:
        for tenant in TENANTS:
            group_ids = self.domain.known_objects(tenant, GROUP)
            for campaign in self.domain.known_objects(tenant, CAMPAIGN):
                members = [g for g in group_ids if g.startswith(f"{campaign}@")]
                group_statuses = [s for g in members for s in self.statuses(GROUP, g, tenant)]
                assert self.statuses(CAMPAIGN, campaign, tenant) == {seed_rule(group_statuses)}

    @invariant()
    def conditions_and_one_mode_only_while_running(self) -> None:
        accompanying = set(CONDITION_ACTIONS) | set(DIAL_MODES)
        for tenant in TENANTS:
            by_campaign: dict[str, set[str]] = {}
            for group in self.domain.known_objects(tenant, GROUP):
                durable = self.tracker.durable(GROUP, group, tenant)
                extra = durable & accompanying
                if "StatusRunning" in durable:
                    assert len(durable & set(DIAL_MODES)) == 1
                else:
                    assert extra == set()
                by_campaign.setdefault(group.partition("@")[0], set()).update(extra)
            for campaign in self.domain.known_objects(tenant, CAMPAIGN):
                durable = self.tracker.durable(CAMPAIGN, campaign, tenant)
                assert durable & accompanying == by_campaign.get(campaign, set())

    @invariant()
    def dial_made_and_lead_processed_equal_their_result_actions(self) -> None:
        objects = {key for key, _ in self.tracker.instant}
        for key in objects:
            count = self.tracker.instant
            assert count[key, "DialMade"] == sum(count[key, a] for a in DIAL_ACTIONS)
            assert count[key, "LeadProcessed"] == sum(count[key, a] for a in LEAD_RESULT_ACTIONS)

    @invariant()
    def durable_actions_only_on_known_campaigns_and_groups(self) -> None:
        for (tenant, object_type, object_id), actions in self.tracker.in_progress.items():
            if actions:
                assert object_type in (CAMPAIGN, GROUP)
                assert self.domain.is_known(tenant, object_type, object_id)


DomainMachine.TestCase.settings = settings(stateful_step_count=50)
TestDomainMachine = DomainMachine.TestCase
