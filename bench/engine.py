"""Statistics engine throughput and memory, on one core.

    .venv/bin/python bench/engine.py [--events N] [--runs R]

200 campaigns, each with 2 groups and 2 calling lists of its own (7 objects per campaign),
and 10,000 open statistic cells (50 per campaign, one subscription each; most Immediate,
some Periodical every 10 s). A realistic event mix, turned into the occurrences the campaign
domain produces (a DialResult names 4 objects and gives 2 actions on each), is applied one
event (one occurrence batch) per `apply` call, 200 events per second of event time, so
Sliding steps, Growing resets and Periodical ticks fire along the way.

Reports events per second (median of the runs, by the wall clock and by the process's CPU
time, which leaves out the time it waits for a core), occurrences per second, updates produced,
and memory per open cell, per extra subscription and per (object, action) aggregate set.

Recorded on a shared 2-core machine, whose other jobs move these figures by up to ±30 %:
before the counting fast paths 26-48k events/s (median of 5 runs), 867 B per open cell,
1,326 B per aggregate set; after them 47-88k events/s, 850 B and 1,288 B. Runs of the two
engines taken in turns, one after the other, put the new one at 1.26-1.88 times the old
(median 1.65).
"""

from __future__ import annotations

import argparse
import gc
import random
import statistics
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from zoneinfo import ZoneInfo

from statsrv.domain.actions import (
    DEFAULT_TENANT,
    Kind,
    ObjectType,
    Occurrence,
    dial_action,
    lead_action,
)
from statsrv.engine import (
    InMemoryDirectory,
    NotificationSpec,
    StatisticsEngine,
    load_statistics_config,
)

CONFIG = Path(__file__).resolve().parent.parent / "config" / "statistics.toml"
ZONE = ZoneInfo("Europe/Berlin")
CAMPAIGNS = 200
START = 1_800_000_000.0  # 2027-01-15, mid-morning in Berlin
EVENTS_PER_SECOND = 200.0
WARM_UP_EVENTS = 100_000
CODES = (33, 33, 33, 7, 7, 6, 9, 9, 0, 5, 21, 28, 8, 99)

T = ObjectType
CAMPAIGN_CELLS = [
    ("DialsMade", "Default"),
    ("DialsMade", "LastHour"),
    ("DialsMade", "Shift"),
    ("DialsMade", "SinceStart"),
    ("Answers", "Default"),
    ("Answers", "LastHour"),
    ("AnswerRate", "Default"),
    ("AnswerRate", "LastHour"),
    ("Busy", "Default"),
    ("NoAnswer", "Default"),
    ("AnsweringMachine", "Default"),
    ("Abandoned", "Default"),
    ("AbandonRate", "Last15Min"),
    ("LeadsProcessed", "Default"),
    ("CallbacksScheduled", "Default"),
    ("CallbacksCompleted", "Default"),
    ("CallbacksMissed", "Default"),
    ("RecordsScheduled", "Default"),
    ("RecordsNotProcessed", "Default"),
    ("CampaignState", "Default"),
    ("TimeRunning", "Default"),
    ("TimeWaitingForAgents", "Default"),
    ("WaitingForAgentsNow", "Default"),
    ("AverageRunTime", "Default"),
]
GROUP_CELLS = [
    ("DialsMade", "Default"),
    ("DialsMade", "LastHour"),
    ("Busy", "Default"),
    ("Answers", "Default"),
    ("AnswerRate", "LastHour"),
    ("LeadsProcessed", "Default"),
    ("CampaignState", "Default"),
    ("TimeRunning", "Default"),
]
CCL_CELLS = [("DialsMade", "Default"), ("AnswerRate", "Default"), ("LeadsProcessed", "Default")]
LIST_CELLS = [
    ("DialsMade", "Default"),
    ("AnswerRate", "LastHour"),
    ("LeadsProcessed", "Default"),
    ("RecordsNotProcessed", "Default"),
]
PERIODICAL = {"TimeRunning", "TimeWaitingForAgents", "WaitingForAgentsNow"}


class Campaign:
    """One campaign's object ids and the state needed to emit consistent durable actions."""

    def __init__(self, number: int) -> None:
        self.id = f"C{number:03d}"
        self.groups = [f"{self.id}@G{g}" for g in (1, 2)]
        self.lists = [f"L{number:03d}{x}" for x in "ab"]
        self.running = dict.fromkeys(self.groups, False)
        self.waiting = dict.fromkeys(self.groups, False)

    def cells(self) -> list[tuple[ObjectType, str, str, str]]:
        """(object type, object id, statistic type, profile) of its 50 cells."""
        cells = [(T.CAMPAIGN, self.id, s, p) for s, p in CAMPAIGN_CELLS]
        for group in self.groups:
            cells += [(T.CAMPAIGN_GROUP, group, s, p) for s, p in GROUP_CELLS]
        for name in self.lists:
            cells += [(T.CAMPAIGN_CALLING_LIST, f"{self.id}@{name}", s, p) for s, p in CCL_CELLS]
        cells += [(T.CALLING_LIST, self.lists[0], s, p) for s, p in LIST_CELLS]
        assert len(cells) == 50, len(cells)
        return cells


def _occ(
    object_type: ObjectType, object_id: str, action: str, kind: Kind, at: float, weight: int = 1
) -> Occurrence:
    return Occurrence(DEFAULT_TENANT, object_type, object_id, action, kind, at, weight)


def _operational(
    campaign: Campaign, rng: random.Random, at: float, actions: Callable[[ObjectType], list[str]]
) -> list[Occurrence]:
    group = rng.choice(campaign.groups)
    calling_list = rng.choice(campaign.lists)
    targets = [
        (T.CAMPAIGN, campaign.id),
        (T.CAMPAIGN_GROUP, group),
        (T.CAMPAIGN_CALLING_LIST, f"{campaign.id}@{calling_list}"),
        (T.CALLING_LIST, calling_list),
    ]
    return [_occ(t, i, a, Kind.INSTANT, at) for t, i in targets for a in actions(t)]


def _status_change(campaign: Campaign, rng: random.Random, at: float) -> list[Occurrence]:
    group = rng.choice(campaign.groups)
    out: list[Occurrence] = []
    if rng.random() < 0.5:
        waiting = campaign.waiting[group] = not campaign.waiting[group]
        kind = Kind.START if waiting else Kind.END
        out += [_occ(T.CAMPAIGN_GROUP, group, "StatusWaitingAgents", kind, at)]
        out += [_occ(T.CAMPAIGN, campaign.id, "StatusWaitingAgents", kind, at)]
        return out
    running = campaign.running[group] = not campaign.running[group]
    new, old = (
        ("StatusRunning", "StatusActivated") if running else ("StatusActivated", "StatusRunning")
    )
    for object_type, object_id in ((T.CAMPAIGN_GROUP, group), (T.CAMPAIGN, campaign.id)):
        out += [_occ(object_type, object_id, old, Kind.END, at)]
        out += [_occ(object_type, object_id, new, Kind.START, at)]
    return out


def make_events(count: int, seed: int = 7) -> list[list[Occurrence]]:
    """`count` events as occurrence batches, with a realistic mix."""
    rng = random.Random(seed)
    campaigns = [Campaign(n) for n in range(CAMPAIGNS)]
    events: list[list[Occurrence]] = []
    for n in range(count):
        at = START + n / EVENTS_PER_SECOND
        campaign = rng.choice(campaigns)
        roll = rng.random()
        code = rng.choice(CODES)
        if roll < 0.55:
            events.append(
                _operational(campaign, rng, at, lambda t, c=code: ["DialMade", dial_action(c, t)])
            )
        elif roll < 0.88:
            events.append(
                _operational(
                    campaign, rng, at, lambda _t, c=code: ["LeadProcessed", lead_action(c)]
                )
            )
        elif roll < 0.95:
            kind = rng.choice(("Scheduled", "Completed", "Missed"))
            prefix = "PersonalCallback" if rng.random() < 0.2 else "Callback"
            events.append(_operational(campaign, rng, at, lambda _t, a=prefix + kind: [a]))
        elif roll < 0.97:
            events.append(_operational(campaign, rng, at, lambda _t: ["AgentError"]))
        elif roll < 0.985:
            events.append(
                [
                    _occ(
                        T.CAMPAIGN,
                        campaign.id,
                        "RecordsScheduled",
                        Kind.INSTANT,
                        at,
                        rng.randint(0, 5000),
                    )
                ]
            )
        else:
            events.append(_status_change(campaign, rng, at))
    return events


def split_events(
    events: list[list[Occurrence]],
) -> tuple[list[list[Occurrence]], list[list[Occurrence]]]:
    """The warm-up events and the measured ones."""
    return events[:WARM_UP_EVENTS], events[WARM_UP_EVENTS:]


def make_engine() -> StatisticsEngine:
    """An engine on the shipped configuration with a non-strict tenant."""
    directory = InMemoryDirectory()
    directory.add_tenant(DEFAULT_TENANT, strict=False)
    return StatisticsEngine(load_statistics_config(CONFIG), ZONE, directory)


def open_cells(engine: StatisticsEngine, owner: str = "client") -> list[object]:
    """Open the 10,000 cells (one subscription each); returns the subscriptions."""
    subscriptions = []
    for number in range(CAMPAIGNS):
        for object_type, object_id, statistic, profile in Campaign(number).cells():
            periodical = statistic in PERIODICAL
            spec = NotificationSpec("Periodical", 10.0) if periodical else NotificationSpec()
            resolved = engine.resolve(
                object_type, object_id, DEFAULT_TENANT, None, statistic, profile, spec
            )
            subscriptions.append(engine.subscribe(resolved, owner, START))
    return subscriptions


def throughput(
    warm_up: list[list[Occurrence]], events: list[list[Occurrence]]
) -> tuple[float, float, int]:
    """Events per second through `apply` with the cells open, once every (object, action)
    has been seen (the warm-up events), by the wall clock and by CPU time; and the number of
    updates produced."""
    engine = make_engine()
    open_cells(engine)
    for batch in warm_up:
        engine.apply(batch, batch[0].time)
    gc.collect()
    updates = 0
    began, began_cpu = time.perf_counter(), time.process_time()
    for batch in events:
        updates += len(engine.apply(batch, batch[0].time))
    elapsed, elapsed_cpu = time.perf_counter() - began, time.process_time() - began_cpu
    return len(events) / elapsed, len(events) / elapsed_cpu, updates


def memory(events: list[list[Occurrence]]) -> tuple[float, float, float, int]:
    """Bytes per open cell (with its subscription), per extra subscription, per action state."""
    engine = make_engine()
    gc.collect()
    tracemalloc.start()
    before = tracemalloc.take_snapshot()
    subscriptions = open_cells(engine)
    after_cells = tracemalloc.take_snapshot()
    more = open_cells(engine, owner="second client")
    after_subscriptions = tracemalloc.take_snapshot()
    for batch in events:
        engine.apply(batch, batch[0].time)
    after_events = tracemalloc.take_snapshot()
    tracemalloc.stop()
    stats = engine.statistics()
    assert stats["cells"] == len(subscriptions) == len(more)

    def grown(a: tracemalloc.Snapshot, b: tracemalloc.Snapshot) -> int:
        return sum(s.size_diff for s in b.compare_to(a, "filename"))

    per_cell = grown(before, after_cells) / stats["cells"]
    per_subscription = grown(after_cells, after_subscriptions) / len(more)
    per_state = grown(after_subscriptions, after_events) / stats["action_states"]
    return per_cell, per_subscription, per_state, stats["action_states"]


def main() -> None:
    """Run the benchmark and print its figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    warm_up, events = split_events(make_events(WARM_UP_EVENTS + args.events))
    occurrences = sum(len(batch) for batch in events)
    rates, cpu_rates = [], []
    updates = 0
    for _ in range(args.runs):
        rate, cpu_rate, updates = throughput(warm_up, events)
        rates.append(rate)
        cpu_rates.append(cpu_rate)
    rate = statistics.median(rates)
    per_cell, per_subscription, per_state, states = memory(warm_up)
    per_event = occurrences / len(events)
    print(
        f"events: {len(events):,} measured after {len(warm_up):,} warm-up events "
        f"({per_event:.2f} occurrences each), 10,000 cells"
    )
    print(
        f"throughput: {rate:,.0f} events/s, {rate * per_event:,.0f} occurrences/s "
        f"(median of {args.runs}; runs: {', '.join(f'{r:,.0f}' for r in rates)})"
    )
    print(
        f"throughput by CPU time: {statistics.median(cpu_rates):,.0f} events/s "
        f"(median; runs: {', '.join(f'{r:,.0f}' for r in cpu_rates)})"
    )
    print(f"updates produced per run: {updates:,}")
    print(
        f"memory: {per_cell:,.0f} B per open cell (with one subscription), "
        f"{per_subscription:,.0f} B per extra subscription"
    )
    print(
        f"memory: {per_state:,.0f} B per (object, action) aggregate set over 5 profiles "
        f"({states:,} sets)"
    )


if __name__ == "__main__":
    main()
