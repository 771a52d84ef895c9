"""Dialer events per second turned into occurrences by the campaign domain, on one core.

    .venv/bin/python bench/domain.py [--events N] [--runs R]

A realistic mix on 3 campaigns x 3 groups x 2 calling lists: mostly DialResult and
ChainProcessed, some callbacks and agent errors, a few status changes (always valid for the
current state, so nothing is refused). Prints the median of the runs, for `apply` alone on
pre-parsed events and for `parse_event` + `apply` from wire maps.
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
from typing import Any

from statsrv.domain.actions import CONDITIONS, DIAL_MODES
from statsrv.domain.catalogue import Catalogue
from statsrv.domain.domain import CampaignDomain
from statsrv.domain.events import parse_event

CAMPAIGNS = ("Spring2027", "Autumn2027", "Winter2027")
GROUPS = ("Sales", "Retention", "Collections")
LISTS = ("LeadsEast", "LeadsWest")
TENANT = "Environment"


class _Scenario:
    """Generates wire maps, tracking group statuses so every status change is valid."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.status = {(c, g): "Deactivated" for c in CAMPAIGNS for g in GROUPS}
        self.conditions: dict[tuple[str, str], set[str]] = {key: set() for key in self.status}
        self.record = 0

    def body(self, at: float) -> dict[str, Any]:
        roll = self.rng.random()
        campaign = self.rng.choice(CAMPAIGNS)
        group = self.rng.choice(GROUPS)
        base = {"Time": at, "Campaign": campaign}
        if roll < 0.02:
            return base | self._status_change(campaign, group)
        self.record += 1
        common = {"Group": group, "CallingList": self.rng.choice(LISTS)}
        code = self.rng.choice((33, 33, 7, 6, 9, 0, 5, 28, 21, 99))
        if roll < 0.55:
            extra = {"RecordId": self.record, "ChainId": self.record, "CallResult": code}
            return base | common | {"Event": "DialResult"} | extra
        if roll < 0.90:
            return (
                base
                | common
                | {"Event": "ChainProcessed", "ChainId": self.record, "CallResult": code}
            )
        if roll < 0.97:
            kind = self.rng.choice(("Scheduled", "Completed", "Missed"))
            extra = {"RecordId": self.record, "Kind": kind, "Personal": self.rng.random() < 0.2}
            return base | common | {"Event": "Callback"} | extra
        if roll < 0.99:
            return base | common | {"Event": "AgentError", "RecordId": self.record}
        return base | {"Event": "RecordsScheduled", "Count": self.rng.randrange(10_000)}

    def _status_change(self, campaign: str, group: str) -> dict[str, Any]:
        key = (campaign, group)
        status = self.status[key]
        fields: dict[str, Any] = {"Group": group}
        if status == "Deactivated":
            self.status[key] = "Activated"
            return fields | {"Event": "GroupLoaded"}
        if status == "Activated":
            self.status[key] = "Running"
            return fields | {"Event": "DialingStarted", "DialMode": self.rng.choice(DIAL_MODES)}
        roll = self.rng.random()
        if roll < 0.4:
            condition = self.rng.choice(CONDITIONS)
            active = condition not in self.conditions[key]
            self.conditions[key] ^= {condition}
            return fields | {"Event": "GroupCondition", "Condition": condition, "Active": active}
        if roll < 0.7:
            return fields | {"Event": "DialModeChanged", "DialMode": self.rng.choice(DIAL_MODES)}
        self.status[key] = "Activated"
        self.conditions[key].clear()
        return fields | {"Event": "DialingStopped"}


def _bodies(count: int) -> list[dict[str, Any]]:
    scenario = _Scenario(seed=2027)
    return [scenario.body(1_800_000_000.0 + i * 0.001) for i in range(count)]


def _run_apply(bodies: list[dict[str, Any]]) -> float:
    events = [parse_event(body, TENANT) for body in bodies]
    domain = CampaignDomain(Catalogue())
    apply = domain.apply
    started = time.perf_counter()
    for event in events:
        apply(event, event.time)
    return len(events) / (time.perf_counter() - started)


def _run_parse_and_apply(bodies: list[dict[str, Any]]) -> float:
    domain = CampaignDomain(Catalogue())
    apply = domain.apply
    started = time.perf_counter()
    for body in bodies:
        event = parse_event(body, TENANT)
        apply(event, event.time)
    return len(bodies) / (time.perf_counter() - started)


def main() -> None:
    """Run the benchmark and print events/s (median of the runs)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=200_000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    bodies = _bodies(args.events)
    domain = CampaignDomain(Catalogue())
    occurrences = sum(len(domain.apply(parse_event(b, TENANT), b["Time"])) for b in bodies)
    apply_rates = [_run_apply(bodies) for _ in range(args.runs)]
    full_rates = [_run_parse_and_apply(bodies) for _ in range(args.runs)]
    print(f"events: {args.events}, occurrences/event: {occurrences / args.events:.1f}")
    print(f"median of {args.runs} runs, one core:")
    print(f"  apply only:          {statistics.median(apply_rates):>10,.0f} events/s")
    print(f"  parse_event + apply: {statistics.median(full_rates):>10,.0f} events/s")


if __name__ == "__main__":
    main()
