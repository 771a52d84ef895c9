"""The status machines of groups and campaigns, and the durable actions their changes cause.

A group's status follows `GROUP_TRANSITIONS`; a campaign's status is derived from its groups'.
Every change is recorded in a `Changes` as the END of one durable action and the START of
the next; ENDs are returned before STARTs so a consumer never sees two statuses in progress.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import IntEnum

from statsrv.domain.actions import STATUS_ACTIONS, Kind, ObjectType, Occurrence
from statsrv.domain.events import (
    DialerEvent,
    DialingStarted,
    DialingStopped,
    DialModeChanged,
    GroupCondition,
    GroupLoaded,
    GroupUnloaded,
)


class GroupStatus(IntEnum):
    """The status of a campaign on a group (and, derived, of a campaign)."""

    DEACTIVATED = 0
    ACTIVATED = 1
    RUNNING = 2

    @property
    def action(self) -> str:
        """The durable status action in progress while in this status (`StatusRunning`)."""
        return STATUS_ACTIONS[self]


DEACTIVATED, ACTIVATED, RUNNING = GroupStatus

GROUP_TRANSITIONS: dict[tuple[type[DialerEvent], GroupStatus], GroupStatus] = {
    (GroupLoaded, DEACTIVATED): ACTIVATED,
    (DialingStarted, ACTIVATED): RUNNING,
    (DialingStopped, RUNNING): ACTIVATED,
    (GroupUnloaded, ACTIVATED): DEACTIVATED,
    (GroupUnloaded, RUNNING): DEACTIVATED,
    # Accepted only while Running, leaving the status as it is.
    (DialModeChanged, RUNNING): RUNNING,
    (GroupCondition, RUNNING): RUNNING,
}
"""(event, status before) -> status after; any pair not listed is refused."""


def allowed_from(event_type: type[DialerEvent]) -> tuple[GroupStatus, ...]:
    """The statuses in which a group accepts `event_type`."""
    return tuple(status for (kind, status) in GROUP_TRANSITIONS if kind is event_type)


def derived_status(counts: list[int]) -> GroupStatus:
    """A campaign's status from the number of its groups in each status (the seed's rule)."""
    if counts[RUNNING]:
        return RUNNING
    if counts[ACTIVATED]:
        return ACTIVATED
    return DEACTIVATED


# --- state -----------------------------------------------------------------------------------


@dataclass(slots=True, eq=False)
class GroupState:
    """One `campaign@group`: its status and, while Running, its dial mode and conditions."""

    object_id: str
    status: GroupStatus | None = None  # None only while being created
    mode: str | None = None
    conditions: set[str] = field(default_factory=set)


@dataclass(slots=True, eq=False)
class CampaignState:
    """One campaign: its groups and lists, and what its running groups have in progress."""

    name: str
    groups: dict[str, GroupState] = field(default_factory=dict)
    calling_lists: set[str] = field(default_factory=set)
    status: GroupStatus | None = None  # None only while being created
    status_counts: list[int] = field(default_factory=lambda: [0, 0, 0])
    conditions: dict[str, int] = field(default_factory=dict)  # action -> running groups with it
    modes: dict[str, int] = field(default_factory=dict)  # dial mode -> running groups in it


@dataclass(slots=True, eq=False)
class TenantState:
    """One tenant: its settings, campaigns and the calling lists used across them."""

    name: str
    strict_objects: bool = True
    password: str | None = None
    campaigns: dict[str, CampaignState] = field(default_factory=dict)
    calling_lists: set[str] = field(default_factory=set)


# --- changes ---------------------------------------------------------------------------------

_new_tuple = tuple.__new__  # builds an Occurrence without NamedTuple's argument handling
_START, _END = Kind.START, Kind.END
_CAMPAIGN, _GROUP = ObjectType.CAMPAIGN, ObjectType.CAMPAIGN_GROUP


class Changes:
    """The durable-action ENDs and STARTs one event causes, at one time, on one tenant."""

    __slots__ = ("at", "ends", "starts", "tenant")

    def __init__(self, tenant: str, at: float) -> None:
        self.tenant = tenant
        self.at = at
        self.ends: list[Occurrence] = []
        self.starts: list[Occurrence] = []

    def end(self, object_type: ObjectType, object_id: str, action: str) -> None:
        """Record the end of a durable action."""
        self.ends.append(
            _new_tuple(Occurrence, (self.tenant, object_type, object_id, action, _END, self.at, 1))
        )

    def start(self, object_type: ObjectType, object_id: str, action: str) -> None:
        """Record the start of a durable action."""
        self.starts.append(
            _new_tuple(
                Occurrence, (self.tenant, object_type, object_id, action, _START, self.at, 1)
            )
        )

    def occurrences(self) -> list[Occurrence]:
        """All ENDs, then all STARTs."""
        self.ends.extend(self.starts)
        return self.ends


def set_group_status(
    changes: Changes, campaign: CampaignState, group: GroupState, new: GroupStatus
) -> None:
    """Move `group` to `new` (ending what Running carried) and re-derive the campaign's status."""
    old = group.status
    if old is new:
        return
    if old is RUNNING:
        _leave_running(changes, campaign, group)
    if old is not None:
        changes.end(_GROUP, group.object_id, old.action)
        campaign.status_counts[old] -= 1
    group.status = new
    campaign.status_counts[new] += 1
    changes.start(_GROUP, group.object_id, new.action)
    refresh_campaign_status(changes, campaign)


def refresh_campaign_status(changes: Changes, campaign: CampaignState) -> None:
    """End and start the campaign's status actions if its derived status changed."""
    new = derived_status(campaign.status_counts)
    old = campaign.status
    if old is new:
        return
    if old is not None:
        changes.end(_CAMPAIGN, campaign.name, old.action)
    campaign.status = new
    changes.start(_CAMPAIGN, campaign.name, new.action)


def set_dial_mode(changes: Changes, campaign: CampaignState, group: GroupState, mode: str) -> None:
    """Switch the running group's dial mode (no change when it is already `mode`)."""
    old = group.mode
    if old == mode:
        return
    if old is not None:
        changes.end(_GROUP, group.object_id, old)
        _lose(changes, campaign, campaign.modes, old)
    group.mode = mode
    changes.start(_GROUP, group.object_id, mode)
    _gain(changes, campaign, campaign.modes, mode)


def set_condition(
    changes: Changes, campaign: CampaignState, group: GroupState, action: str, active: bool
) -> None:
    """Start or end a condition action on the running group (the caller checked it changes)."""
    if active:
        group.conditions.add(action)
        changes.start(_GROUP, group.object_id, action)
        _gain(changes, campaign, campaign.conditions, action)
    else:
        group.conditions.discard(action)
        changes.end(_GROUP, group.object_id, action)
        _lose(changes, campaign, campaign.conditions, action)


def _leave_running(changes: Changes, campaign: CampaignState, group: GroupState) -> None:
    for action in sorted(group.conditions):
        changes.end(_GROUP, group.object_id, action)
        _lose(changes, campaign, campaign.conditions, action)
    group.conditions.clear()
    if group.mode is not None:
        changes.end(_GROUP, group.object_id, group.mode)
        _lose(changes, campaign, campaign.modes, group.mode)
        group.mode = None


def _gain(changes: Changes, campaign: CampaignState, counts: dict[str, int], action: str) -> None:
    """One more running group has `action`; the campaign starts it with the first."""
    held = counts.get(action, 0)
    counts[action] = held + 1
    if held == 0:
        changes.start(_CAMPAIGN, campaign.name, action)


def _lose(changes: Changes, campaign: CampaignState, counts: dict[str, int], action: str) -> None:
    """One running group fewer has `action`; the campaign ends it with the last."""
    held = counts[action] - 1
    if held:
        counts[action] = held
    else:
        del counts[action]
        changes.end(_CAMPAIGN, campaign.name, action)
