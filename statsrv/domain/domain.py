"""`CampaignDomain`: dialer events in, Stat Server action occurrences out.

Pure and synchronous: no clock, no I/O. `apply` either returns every occurrence an event
causes (ENDs, then STARTs, then instant actions) or raises `EventRefused` and changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, NamedTuple

from statsrv.domain.actions import (
    CALL_RESULTS,
    CALLBACK_KINDS,
    CONDITIONS,
    DIAL_MODES,
    UNKNOWN_RESULT,
    Kind,
    ObjectType,
    Occurrence,
    dial_action,
    lead_action,
)
from statsrv.domain.catalogue import Catalogue
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
from statsrv.domain.names import name_problem, pair_id, split_pair_id
from statsrv.domain.state import (
    DEACTIVATED,
    GROUP_TRANSITIONS,
    RUNNING,
    CampaignState,
    Changes,
    GroupState,
    GroupStatus,
    TenantState,
    allowed_from,
    refresh_campaign_status,
    set_condition,
    set_dial_mode,
    set_group_status,
)

_CAMPAIGN = ObjectType.CAMPAIGN
_GROUP = ObjectType.CAMPAIGN_GROUP
_CAMPAIGN_LIST = ObjectType.CAMPAIGN_CALLING_LIST
_LIST = ObjectType.CALLING_LIST
_INSTANT = Kind.INSTANT
_new_tuple = tuple.__new__  # builds an Occurrence without NamedTuple's argument handling

_DIAL_UNKNOWN, _LEAD_UNKNOWN = UNKNOWN_RESULT
_DIAL_BY_TYPE: dict[ObjectType, dict[int, str]] = {
    object_type: {code: dial_action(code, object_type) for code in CALL_RESULTS}
    for object_type in ObjectType
}
_LEAD: dict[int, str] = {code: lead_action(code) for code in CALL_RESULTS}
_CALLBACK_ACTIONS: dict[tuple[str, bool], str] = {
    (kind, personal): f"{'Personal' if personal else ''}Callback{kind}"
    for kind in CALLBACK_KINDS
    for personal in (False, True)
}
_CONDITION_ACTIONS: dict[str, str] = {condition: f"Status{condition}" for condition in CONDITIONS}
_DIAL_MODES = frozenset(DIAL_MODES)


class Target(NamedTuple):
    """One object an operational event acts on, with its call-result-to-dial-action table."""

    object_type: ObjectType
    object_id: str
    dial_actions: dict[int, str]


_TargetKey = tuple[str, str, str | None, str | None]  # tenant, campaign, group, calling list


class ObjectState(NamedTuple):
    """The durable actions in progress on a Campaign or CampaignGroup."""

    status: str
    dial_modes: tuple[str, ...]
    conditions: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class DomainStatistics:
    """Counts of known objects and of the work done so far."""

    tenants: int
    campaigns: int
    groups: int
    groups_running: int
    campaign_calling_lists: int
    calling_lists: int
    events_applied: int
    occurrences_emitted: int


class CampaignDomain:
    """The campaign status machines and action rules of every tenant."""

    def __init__(self, catalogue: Catalogue) -> None:
        self._catalogue = catalogue
        self._tenants: dict[str, TenantState] = {}
        self._targets: dict[_TargetKey, tuple[Target, ...]] = {}
        self._events_applied = 0
        self._occurrences_emitted = 0
        self._handlers: dict[type[DialerEvent], Callable[[Any, float], list[Occurrence]]] = {
            GroupLoaded: self._on_group_loaded,
            DialingStarted: self._on_dialing_started,
            DialingStopped: self._on_status_change,
            GroupUnloaded: self._on_status_change,
            DialModeChanged: self._on_dial_mode_changed,
            GroupCondition: self._on_group_condition,
            DialResult: self._on_dial_result,
            ChainProcessed: self._on_chain_processed,
            Callback: self._on_callback,
            AgentError: self._on_agent_error,
            RecordsScheduled: self._on_records_scheduled,
            ProcessingCompleted: self._on_processing_completed,
        }
        self._load_catalogue(catalogue)

    # --- the event path ------------------------------------------------------------------

    def apply(self, event: DialerEvent, at: float) -> list[Occurrence]:
        """Apply one dialer event at time `at`; the occurrences it causes, ENDs before STARTs.

        Raises EventRefused (naming the wire field) and changes nothing if the event is
        impossible in the current state or names an object with an invalid name.
        """
        try:
            handler = self._handlers[type(event)]
        except KeyError:
            raise TypeError(f"not a dialer event: {event!r}") from None
        occurrences = handler(event, at)
        self._events_applied += 1
        self._occurrences_emitted += len(occurrences)
        return occurrences

    def configured_occurrences(self, at: float) -> list[Occurrence]:
        """`StatusDeactivated` starts for every configured Campaign and CampaignGroup.

        Called once at server start, before the first `apply`.
        """
        occurrences = []
        for tenant in self._catalogue.tenants.values():
            for campaign in tenant.campaigns:
                objects = [(_CAMPAIGN, campaign.name)]
                objects += [(_GROUP, pair_id(campaign.name, group)) for group in campaign.groups]
                occurrences += [
                    Occurrence(
                        tenant.name, object_type, object_id, DEACTIVATED.action, Kind.START, at
                    )
                    for object_type, object_id in objects
                ]
        return occurrences

    # --- status events -------------------------------------------------------------------

    def _on_group_loaded(self, event: GroupLoaded, at: float) -> list[Occurrence]:
        group = self._find_group(event)
        new = self._transition(event, group)
        changes = Changes(event.tenant, at)
        campaign = self._ensure_campaign(event.tenant, event.campaign)
        if group is None:
            group = campaign.groups[event.group] = GroupState(pair_id(event.campaign, event.group))
        set_group_status(changes, campaign, group, new)
        return changes.occurrences()

    def _on_status_change(
        self, event: DialingStopped | GroupUnloaded, at: float
    ) -> list[Occurrence]:
        group = self._find_group(event)
        new = self._transition(event, group)
        changes = Changes(event.tenant, at)
        set_group_status(changes, self._campaign_of(event), _known(group), new)
        return changes.occurrences()

    def _on_dialing_started(self, event: DialingStarted, at: float) -> list[Occurrence]:
        group = self._find_group(event)
        new = self._transition(event, group)
        _check_dial_mode(event.dial_mode)
        changes = Changes(event.tenant, at)
        campaign = self._campaign_of(event)
        set_group_status(changes, campaign, _known(group), new)
        set_dial_mode(changes, campaign, _known(group), event.dial_mode)
        return changes.occurrences()

    def _on_dial_mode_changed(self, event: DialModeChanged, at: float) -> list[Occurrence]:
        group = self._find_group(event)
        self._transition(event, group)
        _check_dial_mode(event.dial_mode)
        changes = Changes(event.tenant, at)
        set_dial_mode(changes, self._campaign_of(event), _known(group), event.dial_mode)
        return changes.occurrences()

    def _on_group_condition(self, event: GroupCondition, at: float) -> list[Occurrence]:
        found = self._find_group(event)
        self._transition(event, found)
        group = _known(found)
        action = _CONDITION_ACTIONS.get(event.condition)
        if action is None:
            raise EventRefused(
                "Condition",
                f"unknown condition {event.condition!r}; allowed: {', '.join(CONDITIONS)}",
            )
        if event.active == (action in group.conditions):
            state = "already" if event.active else "not"
            raise EventRefused(
                "Active",
                f"{action} is {state} in progress on {group.object_id} "
                f"(Active={str(event.active).lower()})",
            )
        changes = Changes(event.tenant, at)
        set_condition(changes, self._campaign_of(event), group, action, event.active)
        return changes.occurrences()

    def _find_group(
        self,
        event: GroupLoaded
        | DialingStarted
        | DialingStopped
        | GroupUnloaded
        | DialModeChanged
        | GroupCondition,
    ) -> GroupState | None:
        """The event's group if known; otherwise None, after checking the event's names."""
        tenant = self._tenants.get(event.tenant)
        campaign = tenant.campaigns.get(event.campaign) if tenant is not None else None
        group = campaign.groups.get(event.group) if campaign is not None else None
        if group is None:
            _check_names(event.tenant, event.campaign, event.group, None)
        return group

    def _transition(self, event: Any, group: GroupState | None) -> GroupStatus:
        """The group's status after `event`, or EventRefused if the table has no such move."""
        status = DEACTIVATED if group is None or group.status is None else group.status
        new = GROUP_TRANSITIONS.get((type(event), status))
        if new is None:
            object_id = pair_id(event.campaign, event.group)
            known = "" if group is not None else " (not yet known)"
            needed = " or ".join(s.action for s in allowed_from(type(event)))
            raise EventRefused(
                "Group",
                f"{type(event).__name__} refused: {object_id} is {status.action}{known}; "
                f"it must be {needed}",
            )
        return new

    # --- operational events --------------------------------------------------------------

    def _on_dial_result(self, event: DialResult, at: float) -> list[Occurrence]:
        key = (event.tenant, event.campaign, event.group, event.calling_list)
        occurrences, targets = self._targets_of(key, at)
        tenant, code = event.tenant, event.call_result
        append = occurrences.append
        for object_type, object_id, dial_actions in targets:
            append(
                _new_tuple(
                    Occurrence, (tenant, object_type, object_id, "DialMade", _INSTANT, at, 1)
                )
            )
            dial = dial_actions.get(code, _DIAL_UNKNOWN)
            append(_new_tuple(Occurrence, (tenant, object_type, object_id, dial, _INSTANT, at, 1)))
        return occurrences

    def _on_chain_processed(self, event: ChainProcessed, at: float) -> list[Occurrence]:
        key = (event.tenant, event.campaign, event.group, event.calling_list)
        occurrences, targets = self._targets_of(key, at)
        tenant = event.tenant
        lead = _LEAD.get(event.call_result, _LEAD_UNKNOWN)
        append = occurrences.append
        for object_type, object_id, _ in targets:
            append(
                _new_tuple(
                    Occurrence, (tenant, object_type, object_id, "LeadProcessed", _INSTANT, at, 1)
                )
            )
            append(_new_tuple(Occurrence, (tenant, object_type, object_id, lead, _INSTANT, at, 1)))
        return occurrences

    def _on_callback(self, event: Callback, at: float) -> list[Occurrence]:
        action = _CALLBACK_ACTIONS.get((event.kind, event.personal))
        if action is None:
            raise EventRefused(
                "Kind",
                f"unknown callback kind {event.kind!r}; allowed: {', '.join(CALLBACK_KINDS)}",
            )
        return self._instant_on_targets(event, at, action, 1)

    def _on_agent_error(self, event: AgentError, at: float) -> list[Occurrence]:
        return self._instant_on_targets(event, at, "AgentError", 1)

    def _on_records_scheduled(self, event: RecordsScheduled, at: float) -> list[Occurrence]:
        _check_count("Count", event.count)
        return self._instant_on_targets(event, at, "RecordsScheduled", event.count)

    def _on_processing_completed(self, event: ProcessingCompleted, at: float) -> list[Occurrence]:
        """`RecordsNotProcessed` on the Campaign and CallingList only, never on campaign@list."""
        _check_count("RecordsNotProcessed", event.records_not_processed)
        return self._instant_on_targets(
            event,
            at,
            "RecordsNotProcessed",
            event.records_not_processed,
            object_types=(_CAMPAIGN, _LIST),
        )

    def _instant_on_targets(
        self,
        event: Any,
        at: float,
        action: str,
        weight: int,
        object_types: tuple[ObjectType, ...] | None = None,
    ) -> list[Occurrence]:
        key = (
            event.tenant,
            event.campaign,
            getattr(event, "group", None),
            getattr(event, "calling_list", None),
        )
        occurrences, targets = self._targets_of(key, at)
        occurrences += [
            Occurrence(event.tenant, object_type, object_id, action, _INSTANT, at, weight)
            for object_type, object_id, _ in targets
            if object_types is None or object_type in object_types
        ]
        return occurrences

    def _targets_of(
        self, key: _TargetKey, at: float
    ) -> tuple[list[Occurrence], tuple[Target, ...]]:
        """The objects an operational event names, and the STARTs of those it makes known."""
        targets = self._targets.get(key)
        if targets is not None:
            return [], targets
        return self._first_sight(key, at)

    def _first_sight(
        self, key: _TargetKey, at: float
    ) -> tuple[list[Occurrence], tuple[Target, ...]]:
        """Check the names, make every named object known, and remember the targets."""
        tenant_name, campaign_name, group_name, list_name = key
        _check_names(tenant_name, campaign_name, group_name, list_name)
        changes = Changes(tenant_name, at)
        campaign = self._ensure_campaign(tenant_name, campaign_name)
        targets = [Target(_CAMPAIGN, campaign_name, _DIAL_BY_TYPE[_CAMPAIGN])]
        if group_name is not None:
            group = campaign.groups.get(group_name)
            if group is None:
                group = campaign.groups[group_name] = GroupState(pair_id(campaign_name, group_name))
                set_group_status(changes, campaign, group, DEACTIVATED)
            targets.append(Target(_GROUP, group.object_id, _DIAL_BY_TYPE[_GROUP]))
        if campaign.status is None:  # a new campaign without a group starts Deactivated
            refresh_campaign_status(changes, campaign)
        if list_name is not None:
            campaign.calling_lists.add(list_name)
            self._tenants[tenant_name].calling_lists.add(list_name)
            targets.append(
                Target(
                    _CAMPAIGN_LIST, pair_id(campaign_name, list_name), _DIAL_BY_TYPE[_CAMPAIGN_LIST]
                )
            )
            targets.append(Target(_LIST, list_name, _DIAL_BY_TYPE[_LIST]))
        self._targets[key] = found = tuple(targets)
        return changes.occurrences(), found

    # --- objects -------------------------------------------------------------------------

    def _load_catalogue(self, catalogue: Catalogue) -> None:
        for config in catalogue.tenants.values():
            tenant = self._tenants[config.name] = TenantState(
                config.name, config.strict_objects, config.password
            )
            for campaign_config in config.campaigns:
                campaign = tenant.campaigns[campaign_config.name] = CampaignState(
                    campaign_config.name, status=DEACTIVATED
                )
                for group in campaign_config.groups:
                    object_id = pair_id(campaign.name, group)
                    campaign.groups[group] = GroupState(object_id, status=DEACTIVATED)
                    campaign.status_counts[DEACTIVATED] += 1
                campaign.calling_lists.update(campaign_config.calling_lists)
                tenant.calling_lists.update(campaign_config.calling_lists)

    def _ensure_campaign(self, tenant_name: str, campaign_name: str) -> CampaignState:
        """The campaign, created (with its tenant) if new; its status is set by the caller."""
        tenant = self._tenants.get(tenant_name)
        if tenant is None:
            tenant = self._tenants[tenant_name] = TenantState(tenant_name)
        campaign = tenant.campaigns.get(campaign_name)
        if campaign is None:
            campaign = tenant.campaigns[campaign_name] = CampaignState(campaign_name)
        return campaign

    def _campaign_of(self, event: DialerEvent) -> CampaignState:
        return self._tenants[event.tenant].campaigns[event.campaign]

    # --- queries -------------------------------------------------------------------------

    def tenant_exists(self, tenant: str) -> bool:
        """Whether the tenant is configured or was introduced by an accepted event."""
        return tenant in self._tenants

    def tenant_password(self, tenant: str) -> str | None:
        """The tenant's configured password, if any."""
        state = self._tenants.get(tenant)
        return state.password if state is not None else None

    def is_known(self, tenant: str, object_type: ObjectType, object_id: str) -> bool:
        """Whether the object is configured or was named by an accepted event."""
        state = self._tenants.get(tenant)
        if state is None:
            return False
        if object_type == _CAMPAIGN:
            return object_id in state.campaigns
        if object_type == _LIST:
            return object_id in state.calling_lists
        campaign, member = split_pair_id(object_id) or ("", "")
        known = state.campaigns.get(campaign)
        if known is None:
            return False
        if object_type == _GROUP:
            return member in known.groups
        return object_type == _CAMPAIGN_LIST and member in known.calling_lists

    def object_allowed(self, tenant: str, object_type: ObjectType, object_id: str) -> bool:
        """Whether a statistic may be opened on the object: known, or its tenant not strict."""
        state = self._tenants.get(tenant)
        if state is None:
            return False
        return not state.strict_objects or self.is_known(tenant, object_type, object_id)

    def known_objects(self, tenant: str, object_type: ObjectType) -> list[str]:
        """The ids of the tenant's known objects of one type, sorted."""
        state = self._tenants.get(tenant)
        if state is None:
            return []
        campaigns = state.campaigns.values()
        if object_type == _CAMPAIGN:
            ids = [campaign.name for campaign in campaigns]
        elif object_type == _LIST:
            ids = list(state.calling_lists)
        elif object_type == _GROUP:
            ids = [group.object_id for c in campaigns for group in c.groups.values()]
        else:
            ids = [pair_id(c.name, name) for c in campaigns for name in c.calling_lists]
        return sorted(ids)

    def group_status(self, tenant: str, campaign: str, group: str) -> str | None:
        """The status action in progress on `campaign@group`, or None if it is not known."""
        state = self.object_state(tenant, _GROUP, pair_id(campaign, group))
        return state.status if state is not None else None

    def campaign_status(self, tenant: str, campaign: str) -> str | None:
        """The status action in progress on the campaign, or None if it is not known."""
        state = self.object_state(tenant, _CAMPAIGN, campaign)
        return state.status if state is not None else None

    def object_state(
        self, tenant: str, object_type: ObjectType, object_id: str
    ) -> ObjectState | None:
        """The durable actions in progress on a known Campaign or CampaignGroup, else None."""
        tenant_state = self._tenants.get(tenant)
        if tenant_state is None or object_type not in (_CAMPAIGN, _GROUP):
            return None
        if object_type == _CAMPAIGN:
            campaign = tenant_state.campaigns.get(object_id)
            if campaign is None or campaign.status is None:
                return None
            return ObjectState(
                campaign.status.action,
                tuple(sorted(campaign.modes)),
                tuple(sorted(campaign.conditions)),
            )
        pair = split_pair_id(object_id)
        campaign = tenant_state.campaigns.get(pair[0]) if pair is not None else None
        group = campaign.groups.get(pair[1]) if campaign is not None and pair is not None else None
        if group is None or group.status is None:
            return None
        modes = (group.mode,) if group.mode is not None else ()
        return ObjectState(group.status.action, modes, tuple(sorted(group.conditions)))

    def snapshot(self) -> tuple[Any, ...]:
        """An immutable, comparable picture of every tenant's state and of the counters."""
        return (
            self._events_applied,
            self._occurrences_emitted,
            tuple(_tenant_snapshot(self._tenants[name]) for name in sorted(self._tenants)),
        )

    def statistics(self) -> DomainStatistics:
        """Counts of known objects, events applied and occurrences emitted."""
        campaigns = [c for t in self._tenants.values() for c in t.campaigns.values()]
        groups = [g for c in campaigns for g in c.groups.values()]
        return DomainStatistics(
            tenants=len(self._tenants),
            campaigns=len(campaigns),
            groups=len(groups),
            groups_running=sum(1 for g in groups if g.status is RUNNING),
            campaign_calling_lists=sum(len(c.calling_lists) for c in campaigns),
            calling_lists=sum(len(t.calling_lists) for t in self._tenants.values()),
            events_applied=self._events_applied,
            occurrences_emitted=self._occurrences_emitted,
        )


# --- checks ----------------------------------------------------------------------------------


def _check_names(tenant: str, campaign: str, group: str | None, calling_list: str | None) -> None:
    """Refuse an event naming an object (or tenant) whose name is empty or contains '@'."""
    for field, value in (
        ("Tenant", tenant),
        ("Campaign", campaign),
        ("Group", group),
        ("CallingList", calling_list),
    ):
        if value is not None and (problem := name_problem(value)) is not None:
            raise EventRefused(field, problem)


def _check_dial_mode(mode: str) -> None:
    if mode not in _DIAL_MODES:
        raise EventRefused(
            "DialMode", f"unknown dial mode {mode!r}; allowed: {', '.join(DIAL_MODES)}"
        )


def _check_count(field: str, count: int) -> None:
    if isinstance(count, bool) or not isinstance(count, int) or count < 0:
        raise EventRefused(field, f"expected a non-negative int, got {count!r}")


def _known(group: GroupState | None) -> GroupState:
    """The group of an accepted transition (only GroupLoaded accepts a group not yet known)."""
    if group is None:
        raise AssertionError("a transition was accepted on a group that is not known")
    return group


def _tenant_snapshot(tenant: TenantState) -> tuple[Any, ...]:
    return (
        tenant.name,
        tenant.strict_objects,
        tenant.password,
        tuple(sorted(tenant.calling_lists)),
        tuple(_campaign_snapshot(tenant.campaigns[name]) for name in sorted(tenant.campaigns)),
    )


def _campaign_snapshot(campaign: CampaignState) -> tuple[Any, ...]:
    groups = tuple(
        (name, g.status, g.mode, tuple(sorted(g.conditions)))
        for name, g in sorted(campaign.groups.items())
    )
    return (
        campaign.name,
        campaign.status,
        tuple(campaign.status_counts),
        tuple(sorted(campaign.conditions.items())),
        tuple(sorted(campaign.modes.items())),
        tuple(sorted(campaign.calling_lists)),
        groups,
    )
