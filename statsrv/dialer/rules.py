"""The group status rules a dialer must keep (DOMAIN.md §2), as a small checker of event bodies.

The simulator checks every event it makes against `DialerState`; scenario files are replayed
against it at load time.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

Body = dict[str, Any]

# --- group status rules ----------------------------------------------------------------------

DEACTIVATED, ACTIVATED, RUNNING = "Deactivated", "Activated", "Running"

# event: (statuses it is accepted in, status it leads to or None to keep the status)
_TRANSITIONS: dict[str, tuple[frozenset[str], str | None]] = {
    "GroupLoaded": (frozenset({DEACTIVATED}), ACTIVATED),
    "DialingStarted": (frozenset({ACTIVATED}), RUNNING),
    "DialingStopped": (frozenset({RUNNING}), ACTIVATED),
    "GroupUnloaded": (frozenset({ACTIVATED, RUNNING}), DEACTIVATED),
    "DialModeChanged": (frozenset({RUNNING}), None),
    "GroupCondition": (frozenset({RUNNING}), None),
}
STATE_EVENTS: frozenset[str] = frozenset(_TRANSITIONS)
"""Events that change a group's status, dial mode or conditions; all others are operational."""


@dataclass(slots=True)
class GroupState:
    """One campaign@group: its status, its dial mode while Running, its active conditions."""

    status: str = DEACTIVATED
    dial_mode: str | None = None
    conditions: list[str] = field(default_factory=list)


class DialerState:
    """Every campaign@group's state, changed exactly as the domain's rules change it."""

    def __init__(self) -> None:
        self._groups: dict[tuple[str, str, str], GroupState] = {}

    def group(self, campaign: str, group: str, tenant: str = "") -> GroupState:
        """The state of `campaign@group` of `tenant` ("" = the connection's); Deactivated if new."""
        key = (tenant, campaign, group)
        state = self._groups.get(key)
        if state is None:
            state = self._groups[key] = GroupState()
        return state

    def _group_of(self, body: Mapping[str, Any]) -> GroupState:
        return self.group(body["Campaign"], body["Group"], body.get("Tenant", ""))

    def refusal(self, body: Mapping[str, Any]) -> str | None:
        """Why the domain would refuse this well-formed event now, or None when it is accepted."""
        rule = _TRANSITIONS.get(body["Event"])
        if rule is None:
            return None
        state = self._group_of(body)
        where = f"{body['Campaign']}@{body['Group']}"
        if state.status not in rule[0]:
            return f"{body['Event']} refused on {where}: the group is {state.status}"
        if body["Event"] == "GroupCondition":
            active = body["Condition"] in state.conditions
            if active == body["Active"]:
                already = "active" if active else "not active"
                return f"GroupCondition refused on {where}: {body['Condition']} is {already}"
        return None

    def apply(self, body: Mapping[str, Any]) -> None:
        """Apply one event; raises ValueError naming the rule when the domain would refuse it."""
        reason = self.refusal(body)
        if reason is not None:
            raise ValueError(reason)
        rule = _TRANSITIONS.get(body["Event"])
        if rule is None:
            return
        state = self._group_of(body)
        target = rule[1]
        if target is not None:
            state.status = target
            state.dial_mode = None
            state.conditions.clear()
        if "DialMode" in body:
            state.dial_mode = body["DialMode"]
        if body["Event"] == "GroupCondition":
            _toggle(state.conditions, body["Condition"], active=body["Active"])


def _toggle(conditions: list[str], condition: str, *, active: bool) -> None:
    if active:
        conditions.append(condition)
    else:
        conditions.remove(condition)
