"""The dialer simulator: deterministic, realistic, and never refused by the domain's rules.

`StreamChecker` is written from DOMAIN.md §2 alone; it shares no code with the simulator.
"""

from __future__ import annotations

import itertools
import math
from collections import Counter
from typing import Any

import msgpack
import pytest

from statsrv.dialer import DEMO_LAYOUT, CampaignLayout, DialerSimulator

# --- an independent checker of dialer event streams (DOMAIN.md §2) ---------------------------

MODES = {
    "NoDial",
    "Predict",
    "PredictAndSeize",
    "PredictGVP",
    "Preview",
    "Power",
    "PowerAndSeize",
    "PowerGVP",
    "Progress",
    "ProgressAndSeize",
    "ProgressGVP",
    "PushPreview",
}
WAITING = {"WaitingRecords", "WaitingPorts", "WaitingAgents", "SystemError"}
KINDS = {"Scheduled", "Completed", "Missed"}

# event: (required fields, optional fields), beyond Event, Time, Campaign and Tenant?
SHAPES: dict[str, tuple[set[str], set[str]]] = {
    "GroupLoaded": ({"Group"}, set()),
    "DialingStarted": ({"Group", "DialMode"}, set()),
    "DialingStopped": ({"Group"}, set()),
    "GroupUnloaded": ({"Group"}, set()),
    "DialModeChanged": ({"Group", "DialMode"}, set()),
    "GroupCondition": ({"Group", "Condition", "Active"}, set()),
    "DialResult": ({"CallingList", "RecordId", "ChainId", "CallResult"}, {"Group"}),
    "ChainProcessed": ({"CallingList", "ChainId", "CallResult"}, {"Group"}),
    "Callback": ({"CallingList", "RecordId", "Kind", "Personal"}, {"Group"}),
    "AgentError": (set(), {"Group", "CallingList", "RecordId"}),
    "RecordsScheduled": ({"Count"}, set()),
    "ProcessingCompleted": ({"RecordsNotProcessed"}, {"CallingList"}),
}


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_name(value: Any) -> bool:
    return isinstance(value, str) and bool(value) and "@" not in value


VALUE_OK = {
    "Time": lambda v: isinstance(v, float) and math.isfinite(v),
    "Campaign": _is_name,
    "Tenant": _is_name,
    "Group": _is_name,
    "CallingList": _is_name,
    "RecordId": lambda v: _is_int(v) or (isinstance(v, str) and bool(v)),
    "ChainId": lambda v: _is_int(v) or (isinstance(v, str) and bool(v)),
    "CallResult": _is_int,
    "DialMode": lambda v: v in MODES,
    "Condition": lambda v: v in WAITING,
    "Active": lambda v: isinstance(v, bool),
    "Kind": lambda v: v in KINDS,
    "Personal": lambda v: isinstance(v, bool),
    "Count": lambda v: _is_int(v) and v >= 0,
    "RecordsNotProcessed": lambda v: _is_int(v) and v >= 0,
}


class StreamError(AssertionError):
    pass


class StreamChecker:
    """Replays a stream with DOMAIN.md's state rules; raises StreamError at the first breach.

    Beyond the domain's refusals it holds the dialer's promises: one ChainProcessed per chain,
    after at least one dial of it; a callback completed or missed only once it was scheduled;
    times that never go back.
    """

    def __init__(self) -> None:
        self.status: dict[tuple, str] = {}
        self.conditions: dict[tuple, set[str]] = {}
        self.dialed_chains: set[tuple] = set()
        self.processed_chains: set[tuple] = set()
        self.open_callbacks: set[tuple] = set()
        self.last_time = -math.inf
        self.seen = 0

    def check_all(self, events: list[tuple[float, dict]]) -> None:
        for time, body in events:
            self.check(time, body)

    def check(self, time: float, body: dict) -> None:
        self.seen += 1
        where = f"event #{self.seen} {body}"
        self._shape(body, where)
        if body["Time"] != time or time < self.last_time:
            raise StreamError(f"time out of order or mismatched: {where}")
        self.last_time = time
        self._state(body, where)
        self._promises(body, where)

    def _shape(self, body: dict, where: str) -> None:
        event = body.get("Event")
        if event not in SHAPES:
            raise StreamError(f"unknown event: {where}")
        required, optional = SHAPES[event]
        required = required | {"Time", "Campaign"}
        keys = set(body) - {"Event"}
        if missing := required - keys:
            raise StreamError(f"missing {missing}: {where}")
        if extra := keys - required - optional - {"Tenant"}:
            raise StreamError(f"fields not listed for {event}: {extra}: {where}")
        for key in keys:
            if not VALUE_OK[key](body[key]):
                raise StreamError(f"bad value of {key}: {where}")

    def _state(self, body: dict, where: str) -> None:
        event = body["Event"]
        key = (body.get("Tenant"), body["Campaign"], body.get("Group"))
        status = self.status.get(key, "Deactivated")
        needs = {
            "GroupLoaded": {"Deactivated"},
            "DialingStarted": {"Activated"},
            "DialingStopped": {"Running"},
            "GroupUnloaded": {"Activated", "Running"},
            "DialModeChanged": {"Running"},
            "GroupCondition": {"Running"},
        }.get(event)
        if needs is None:
            return
        if status not in needs:
            raise StreamError(f"{event} while {status}: {where}")
        active = self.conditions.setdefault(key, set())
        if event == "GroupCondition":
            if (body["Condition"] in active) == body["Active"]:
                raise StreamError(f"condition already in that state: {where}")
            (active.add if body["Active"] else active.discard)(body["Condition"])
            return
        after = {
            "GroupLoaded": "Activated",
            "DialingStarted": "Running",
            "DialingStopped": "Activated",
            "GroupUnloaded": "Deactivated",
        }.get(event, status)
        if after != "Running":
            active.clear()
        self.status[key] = after

    def _promises(self, body: dict, where: str) -> None:
        event = body["Event"]
        campaign = (body.get("Tenant"), body["Campaign"])
        if event == "DialResult":
            self.dialed_chains.add((*campaign, body["ChainId"]))
        elif event == "ChainProcessed":
            chain = (*campaign, body["ChainId"])
            if chain in self.processed_chains:
                raise StreamError(f"chain processed twice: {where}")
            if chain not in self.dialed_chains:
                raise StreamError(f"chain processed before any dial: {where}")
            self.processed_chains.add(chain)
        elif event == "Callback":
            record = (*campaign, body["CallingList"], body["RecordId"])
            if body["Kind"] == "Scheduled":
                self.open_callbacks.add(record)
            elif record in self.open_callbacks:
                self.open_callbacks.remove(record)
            else:
                raise StreamError(f"callback resolved but never scheduled: {where}")

    def running_groups(self) -> set[tuple]:
        return {k for k, s in self.status.items() if s == "Running"}

    def loaded_groups(self) -> set[tuple]:
        return {k for k, s in self.status.items() if s != "Deactivated"}


def take(sim: DialerSimulator, n: int) -> list[tuple[float, dict]]:
    return list(itertools.islice(sim, n))


def packed(events: list[tuple[float, dict]]) -> bytes:
    return b"".join(msgpack.packb(body) for _, body in events)


# --- the checker itself catches breaches -----------------------------------------------------


def ev(event: str, time: float = 1.0, **fields: Any) -> tuple[float, dict]:
    return time, {"Event": event, "Time": time, "Campaign": "C", **fields}


LOADED = [ev("GroupLoaded", Group="G")]
RUNNING = [*LOADED, ev("DialingStarted", Group="G", DialMode="Predict")]


@pytest.mark.parametrize(
    "stream",
    [
        [ev("DialingStarted", Group="G", DialMode="Predict")],
        [*LOADED, ev("GroupLoaded", Group="G")],
        [ev("GroupUnloaded", Group="G")],
        [*LOADED, ev("DialingStopped", Group="G")],
        [*LOADED, ev("DialModeChanged", Group="G", DialMode="Power")],
        [*LOADED, ev("GroupCondition", Group="G", Condition="WaitingAgents", Active=True)],
        [*RUNNING, ev("GroupCondition", Group="G", Condition="WaitingAgents", Active=False)],
        [
            *RUNNING,
            ev("GroupCondition", Group="G", Condition="SystemError", Active=True),
            ev("DialingStopped", Group="G"),
            ev("DialingStarted", Group="G", DialMode="Power"),
            ev("GroupCondition", Group="G", Condition="SystemError", Active=False),
        ],
        [ev("RecordsScheduled", Count=True)],
        [ev("RecordsScheduled", Count=3, Group="G")],
        [ev("DialResult", CallingList="L", RecordId=1, ChainId=1)],
        [ev("DialingStarted", Group="G", DialMode="Turbo")],
        [ev("GroupLoaded", Group="A@B")],
        [ev("GroupLoaded", time=2.0, Group="G"), ev("GroupLoaded", time=1.0, Group="H")],
        [ev("ChainProcessed", CallingList="L", ChainId=1, CallResult=33)],
        [
            ev("DialResult", CallingList="L", RecordId=1, ChainId=1, CallResult=7),
            ev("ChainProcessed", CallingList="L", ChainId=1, CallResult=7),
            ev("ChainProcessed", CallingList="L", ChainId=1, CallResult=7),
        ],
        [ev("Callback", CallingList="L", RecordId=1, Kind="Completed", Personal=False)],
    ],
)
def test_checker_catches_each_kind_of_breach(stream):
    with pytest.raises(StreamError):
        StreamChecker().check_all(stream)


def test_checker_accepts_the_domains_allowances():
    StreamChecker().check_all(
        [
            *RUNNING,
            ev("DialModeChanged", Group="G", DialMode="Predict"),
            ev("DialingStopped", Group="G"),
            ev(
                "DialResult", Group="G", CallingList="L", RecordId="r1", ChainId="c1", CallResult=99
            ),
            ev("GroupUnloaded", Group="G"),
            ev("AgentError"),
            ev("ProcessingCompleted", RecordsNotProcessed=0),
        ]
    )


# --- determinism -----------------------------------------------------------------------------


def test_same_seed_and_parameters_give_the_same_bytes():
    first = packed(take(DialerSimulator(seed=7, campaigns=3), 5000))
    again = packed(take(DialerSimulator(seed=7, campaigns=3), 5000))
    assert first == again


def test_different_seeds_differ():
    assert packed(take(DialerSimulator(seed=1), 500)) != packed(take(DialerSimulator(seed=2), 500))


def test_parameters_change_the_stream():
    base = packed(take(DialerSimulator(seed=1), 500))
    assert base != packed(take(DialerSimulator(seed=1, rate=10.0), 500))
    assert base != packed(take(DialerSimulator(seed=1, campaigns=3), 500))


# --- validity over long runs -----------------------------------------------------------------

RUNS = [
    (11, {"campaigns": 3, "groups_per_campaign": 3, "lists_per_campaign": 2}),
    (12, {"layout": DEMO_LAYOUT}),
    (13, {"campaigns": 1, "groups_per_campaign": 1, "lists_per_campaign": 1}),
]


@pytest.fixture(scope="module", params=RUNS, ids=lambda run: f"seed{run[0]}")
def long_run(request) -> tuple[DialerSimulator, list[tuple[float, dict]]]:
    seed, params = request.param
    sim = DialerSimulator(seed=seed, **params)
    return sim, take(sim, 50_000)


def test_long_runs_never_break_a_domain_rule(long_run):
    _, events = long_run
    checker = StreamChecker()
    checker.check_all(events)
    assert checker.seen == 50_000


def test_long_runs_produce_every_event_type(long_run):
    _, events = long_run
    assert {body["Event"] for _, body in events} == set(SHAPES)


def test_counts_agree_with_the_stream(long_run):
    sim, events = long_run
    counts = sim.counts()
    bodies = [body for _, body in events]
    assert counts.events == Counter(b["Event"] for b in bodies)
    assert counts.dial_results == Counter(
        b["CallResult"] for b in bodies if b["Event"] == "DialResult"
    )
    assert counts.chain_results == Counter(
        b["CallResult"] for b in bodies if b["Event"] == "ChainProcessed"
    )
    assert counts.callbacks == Counter(b["Kind"] for b in bodies if b["Event"] == "Callback")


def test_each_chain_processed_once_and_most_chains_finish(long_run):
    _, events = long_run
    processed = [b["ChainId"] for _, b in events if b["Event"] == "ChainProcessed"]
    dialed = {b["ChainId"] for _, b in events if b["Event"] == "DialResult"}
    assert len(processed) == len(set(processed))
    assert set(processed) <= dialed
    assert len(processed) > 0.9 * len(dialed)


def test_some_chains_take_several_attempts(long_run):
    _, events = long_run
    attempts = Counter(b["ChainId"] for _, b in events if b["Event"] == "DialResult")
    several = sum(1 for n in attempts.values() if n > 1)
    assert 0.1 * len(attempts) < several < 0.6 * len(attempts)


def test_the_mix_of_call_results_is_realistic(long_run):
    sim, _ = long_run
    results = sim.counts().dial_results
    total = sum(results.values())

    def share(*codes: int) -> float:
        return sum(results.get(c, 0) for c in codes) / total

    assert 0.27 < share(33) < 0.33
    assert 0.22 < share(7) < 0.28
    assert 0.08 < share(6) < 0.12
    assert 0.10 < share(9) < 0.14
    assert 0.02 < share(8, 11, 12, 13, 14, 15, 16) < 0.07
    for code in (17, 21, 26, 27, 3, 4, 41, 42, 43, 44, 45, 5, 10):
        assert results.get(code, 0) > 0, code
    assert share(1, 19, 30, 49, 60) > 0


def test_group_life_includes_modes_conditions_stops_and_restarts(long_run):
    sim, events = long_run
    counts = sim.counts().events
    groups = sum(len(c.groups) for c in sim.layout)
    assert counts["DialingStarted"] > groups
    assert counts["DialingStopped"] > 0
    assert counts["DialModeChanged"] > 0
    toggles = Counter(
        (b["Condition"], b["Active"]) for _, b in events if b["Event"] == "GroupCondition"
    )
    assert {c for c, active in toggles if active} == WAITING
    assert {c for c, active in toggles if not active} == WAITING


def test_operational_events_also_arrive_after_dialing_stopped(long_run):
    _, events = long_run
    checker = StreamChecker()
    late = 0
    for time, body in events:
        key = (body.get("Tenant"), body["Campaign"], body.get("Group"))
        if body["Event"] == "DialResult" and key not in checker.running_groups():
            late += 1
        checker.check(time, body)
    assert late > 0


def test_opening_loads_and_starts_every_group_before_dialing():
    sim = DialerSimulator(seed=3, layout=DEMO_LAYOUT)
    opening = [body for _, body in take(sim, 8)]
    assert [b["Event"] for b in opening] == [
        "GroupLoaded",
        "GroupLoaded",
        "RecordsScheduled",
        "DialingStarted",
        "DialingStarted",
        "GroupLoaded",
        "RecordsScheduled",
        "DialingStarted",
    ]
    pairs = {(b["Campaign"], b["Group"]) for b in opening if b["Event"] == "DialingStarted"}
    assert pairs == {("Spring2027", "Sales"), ("Spring2027", "Retention"), ("Autumn2027", "Sales")}


def test_records_scheduled_mostly_falls_and_lists_complete():
    sim = DialerSimulator(seed=5, campaigns=1, groups_per_campaign=2, lists_per_campaign=2)
    events = take(sim, 30_000)
    counts = [b["Count"] for _, b in events if b["Event"] == "RecordsScheduled"]
    falls = sum(1 for a, b in itertools.pairwise(counts) if b < a)
    rises = sum(1 for a, b in itertools.pairwise(counts) if b > a)
    assert falls > 10 * rises > 0
    done = [b for _, b in events if b["Event"] == "ProcessingCompleted"]
    assert any("CallingList" in b for b in done)
    assert any("CallingList" not in b for b in done)


def test_no_dial_on_a_list_after_its_processing_completed_until_new_records():
    sim = DialerSimulator(seed=6, campaigns=2, groups_per_campaign=2, lists_per_campaign=2)
    finished: set[tuple[str, str]] = set()
    completions = 0
    for _, body in take(sim, 30_000):
        if body["Event"] == "ProcessingCompleted" and "CallingList" in body:
            finished.add((body["Campaign"], body["CallingList"]))
            completions += 1
        elif body["Event"] == "RecordsScheduled":
            finished = {f for f in finished if f[0] != body["Campaign"]}
        elif body["Event"] == "DialResult":
            assert (body["Campaign"], body["CallingList"]) not in finished
    assert completions > 0


def test_times_advance_by_one_over_rate_on_average():
    sim = DialerSimulator(seed=8, start_time=1_800_000_000.0, rate=50.0)
    events = take(sim, 20_000)
    times = [t for t, _ in events]
    assert times == sorted(times)
    assert times[0] > 1_800_000_000.0
    mean_gap = (times[-1] - 1_800_000_000.0) / len(times)
    assert mean_gap == pytest.approx(1 / 50.0, rel=0.05)


# --- names -----------------------------------------------------------------------------------


def test_numbered_names():
    sim = DialerSimulator(seed=1, campaigns=2, groups_per_campaign=3, lists_per_campaign=2)
    assert [c.name for c in sim.layout] == ["Campaign01", "Campaign02"]
    assert sim.layout[0].groups == ("Group1", "Group2", "Group3")
    assert sim.layout[0].lists == ("List01", "List02")
    names = {(b["Campaign"], b.get("Group"), b.get("CallingList")) for _, b in take(sim, 3000)}
    assert {n[0] for n in names} == {"Campaign01", "Campaign02"}
    assert {n[1] for n in names} - {None} == {"Group1", "Group2", "Group3"}
    assert {n[2] for n in names} - {None} == {"List01", "List02"}


def test_explicit_layout_names():
    layout = [CampaignLayout("Winter", ("Desk",), ("Cold", "Warm"))]
    events = take(DialerSimulator(seed=1, layout=layout), 2000)
    assert {b["Campaign"] for _, b in events} == {"Winter"}
    assert {b["CallingList"] for _, b in events if "CallingList" in b} == {"Cold", "Warm"}
    StreamChecker().check_all(events)


@pytest.mark.parametrize(
    ("kwargs", "word"),
    [
        ({"rate": 0.0}, "rate"),
        ({"campaigns": 0}, "campaigns"),
        ({"groups_per_campaign": 0}, "groups_per_campaign"),
        ({"lists_per_campaign": 0}, "lists_per_campaign"),
        ({"layout": [CampaignLayout("A@B", ("G",), ("L",))]}, "'A@B'"),
        ({"layout": [CampaignLayout("A", (), ("L",))]}, "needs groups"),
        ({"layout": [CampaignLayout("A", ("G",), ("L",))] * 2}, "twice"),
    ],
)
def test_bad_parameters_are_refused_by_name(kwargs, word):
    with pytest.raises(ValueError, match=word):
        DialerSimulator(seed=1, **kwargs)


# --- end of day ------------------------------------------------------------------------------


def test_stop_all_stops_and_unloads_every_group_validly():
    sim = DialerSimulator(seed=9, campaigns=2, groups_per_campaign=3)
    checker = StreamChecker()
    checker.check_all(take(sim, 5000))
    assert checker.loaded_groups()
    closing = sim.stop_all()
    assert {b["Event"] for _, b in closing} <= {"DialingStopped", "GroupUnloaded"}
    stops = [b for _, b in closing if b["Event"] == "DialingStopped"]
    assert len(stops) == len(checker.running_groups())
    checker.check_all(closing)
    assert checker.loaded_groups() == set()
    assert sim.counts().events["GroupUnloaded"] >= len(closing) - len(stops)
    checker.check_all(take(sim, 5000))


def test_stop_all_during_the_opening_is_still_valid():
    sim = DialerSimulator(seed=10, layout=DEMO_LAYOUT)
    checker = StreamChecker()
    checker.check_all(take(sim, 2))
    checker.check_all(sim.stop_all())
    assert checker.loaded_groups() == set()
    checker.check_all(take(sim, 3000))
