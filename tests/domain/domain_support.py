"""Builders of dialer events and a tracker of what the domain's occurrences have in progress."""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import Any

from statsrv.domain.actions import DEFAULT_TENANT, DURABLE_ACTIONS, Kind, ObjectType, Occurrence
from statsrv.domain.catalogue import CampaignConfig, Catalogue, TenantConfig
from statsrv.domain.domain import CampaignDomain
from statsrv.domain.events import DialerEvent, parse_event

T = DEFAULT_TENANT
ObjectKey = tuple[str, ObjectType, str]


def event(name: str, campaign: str = "C", time: float = 0.0, **fields: Any) -> DialerEvent:
    """A dialer event built the way the ingest builds it, from its wire fields."""
    return parse_event({"Event": name, "Time": time, "Campaign": campaign, **fields}, T)


def catalogue(*campaigns: CampaignConfig, strict: bool = True) -> Catalogue:
    """A catalogue with the given campaigns in the default tenant."""
    return Catalogue({T: TenantConfig(T, strict, None, campaigns)})


def bring_group(domain: CampaignDomain, campaign: str, group: str, status: str) -> None:
    """Drive a group of a fresh campaign to `status` (Deactivated: loaded, then unloaded)."""
    domain.apply(event("GroupLoaded", campaign, Group=group), 0.0)
    if status == "StatusRunning":
        domain.apply(event("DialingStarted", campaign, Group=group, DialMode="Predict"), 0.0)
    elif status == "StatusDeactivated":
        domain.apply(event("GroupUnloaded", campaign, Group=group), 0.0)


def triples(occurrences: list[Occurrence]) -> list[tuple[str, str, str, str]]:
    """(object type, object id, action, START/END/INSTANT) of each occurrence, in order."""
    return [(o.object_type.value, o.object_id, o.action, o.kind.name) for o in occurrences]


class Tracker:
    """Follows occurrences the way the engine will: durable actions in progress, instant counts."""

    def __init__(self) -> None:
        self.in_progress: defaultdict[ObjectKey, set[str]] = defaultdict(set)
        self.instant: Counter[tuple[ObjectKey, str]] = Counter()

    def feed(self, occurrences: list[Occurrence]) -> None:
        """Take one event's occurrences; fails on an END after a START or an impossible pair."""
        kinds = [o.kind for o in occurrences if o.kind is not Kind.INSTANT]
        assert kinds == sorted(kinds, key=lambda k: k is Kind.START), "an END after a START"
        for o in occurrences:
            key = (o.tenant, o.object_type, o.object_id)
            if o.kind is Kind.INSTANT:
                assert o.action not in DURABLE_ACTIONS, o
                self.instant[key, o.action] += o.weight
            elif o.kind is Kind.START:
                assert o.action in DURABLE_ACTIONS, o
                assert o.action not in self.in_progress[key], f"started twice: {o}"
                self.in_progress[key].add(o.action)
            else:
                assert o.action in self.in_progress[key], f"ended but not in progress: {o}"
                self.in_progress[key].discard(o.action)

    def durable(self, object_type: ObjectType, object_id: str, tenant: str = T) -> set[str]:
        """The durable actions in progress on one object."""
        return set(self.in_progress.get((tenant, object_type, object_id), set()))

    def count(self, object_type: ObjectType, object_id: str, action: str, tenant: str = T) -> int:
        """How many times (weighted) an instant action happened on one object."""
        return self.instant[(tenant, object_type, object_id), action]
