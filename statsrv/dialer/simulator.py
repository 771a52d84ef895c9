"""A seeded simulator of an outbound dialer: a realistic, always-valid stream of campaign events.

Pure: no sockets, no clocks, no tasks. An event is a `(time, body)` pair whose body is the wire map
of a `CampaignEvent` without `Message` and `Seq` (the connection's Tenant applies). The same seed
and parameters give the same stream, byte for byte.
"""

from __future__ import annotations

import itertools
import random
from collections import Counter, deque
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple

Body = dict[str, Any]
TimedEvent = tuple[float, Body]

DEFAULT_START_TIME = 1_700_000_000.0

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


# --- the mix ---------------------------------------------------------------------------------

CALL_RESULT_MIX: tuple[tuple[int, float], ...] = (
    (33, 30.0),  # answer
    (7, 25.0),  # no answer
    (6, 10.0),  # busy
    (9, 12.0),  # answering machine
    (17, 2.0),  # fax
    (8, 1.0),  # SIT tones: 8, 11-16
    (11, 1.2),
    (12, 0.8),
    (13, 0.4),
    (14, 0.4),
    (15, 0.3),
    (16, 0.3),
    (21, 2.0),  # abandoned
    (26, 1.5),  # dropped
    (27, 1.0),
    (3, 0.5),  # errors
    (4, 0.3),
    (41, 0.4),
    (42, 0.4),
    (43, 0.3),
    (44, 0.6),
    (45, 0.3),
    (5, 1.5),  # remote release
    (10, 1.0),  # all trunks busy
    (32, 0.5),
    (34, 0.3),
    (35, 0.3),
    (36, 0.2),
    (37, 0.2),
    (38, 0.2),
    (39, 0.1),
    (40, 0.8),
    (46, 0.2),
    (51, 0.3),
    (52, 0.2),
    (53, 0.6),
    (0, 0.2),
    (28, 0.1),
    (1, 0.1),  # codes outside the table
    (19, 0.1),
    (30, 0.05),
    (49, 0.05),
    (60, 0.05),
)
"""Call result codes and their relative weights in the simulated dial results."""

FINAL_RESULTS: frozenset[int] = frozenset(
    {0, 8, 11, 12, 13, 14, 15, 16, 17, 33, 39, 40, 46, 51, 52, 53}
)
"""Results after which a chain needs no further dial; other results are retried."""

ANSWER = 33
AGENT_CALLBACK_ERROR, GROUP_CALLBACK_ERROR = 47, 48

DIAL_MODE_MIX: tuple[tuple[str, float], ...] = (
    ("Predict", 30.0),
    ("Progress", 20.0),
    ("Power", 15.0),
    ("Preview", 10.0),
    ("PushPreview", 5.0),
    ("PredictAndSeize", 4.0),
    ("ProgressAndSeize", 4.0),
    ("PowerAndSeize", 3.0),
    ("PredictGVP", 3.0),
    ("ProgressGVP", 2.0),
    ("PowerGVP", 2.0),
    ("NoDial", 1.0),
)

RANDOM_CONDITION_MIX: tuple[tuple[str, float], ...] = (
    ("WaitingAgents", 5.0),
    ("WaitingPorts", 2.0),
    ("SystemError", 1.0),
)
"""Conditions raised at random; `WaitingRecords` follows the campaign's records instead."""

WAITING_RECORDS = "WaitingRecords"
CALLBACK_SHARE = 0.06  # answered calls that schedule a callback
PERSONAL_SHARE = 0.3  # callbacks that are personal
CALLBACK_COMPLETED_SHARE = 0.8
RETRY_SHARE = 0.35  # dials that retry an open chain rather than start a new one
OPTIONAL_GROUP_SHARE = 0.95  # operational events after a dial that name the group
BATCH_RECORDS = (400, 1500)  # records per calling list per batch
CHAIN_SIZES = (1, 1, 1, 2, 2, 3)  # records (phone numbers) per chain
MAX_ATTEMPTS = (1, 2, 3, 3, 4)  # dial attempts before a chain is given up
DRAINING_CALLS = (0, 3)  # calls that still finish after dialing stops


class Weight:
    """Relative weights of the simulator's next move (per candidate kind, not per target)."""

    DIAL = 60.0
    FINALIZE_PER_CHAIN = 10.0
    SCHEDULE_CALLBACK = 8.0
    RESOLVE_PER_CALLBACK = 0.05
    AGENT_ERROR = 0.4
    RECORDS_SCHEDULED = 2.0
    MODE_CHANGE = 0.15
    STOP = 0.12
    START = 2.0
    UNLOAD = 0.05
    LOAD = 1.0
    RAISE_CONDITION = 0.4
    CLEAR_CONDITION = 3.0
    WAITING_RECORDS = 8.0
    COMPLETE = 10.0
    NEW_BATCH = 0.3


# --- layout ----------------------------------------------------------------------------------


class CampaignLayout(NamedTuple):
    """One campaign, the groups it is loaded on and the calling lists it dials."""

    name: str
    groups: tuple[str, ...]
    lists: tuple[str, ...]


DEMO_LAYOUT: tuple[CampaignLayout, ...] = (
    CampaignLayout("Spring2027", ("Sales", "Retention"), ("LeadsEast", "LeadsWest")),
    CampaignLayout("Autumn2027", ("Sales",), ("LeadsWest",)),
)
"""The campaigns, groups and calling lists of the demo catalogue (tenant Environment)."""


def numbered_layout(
    campaigns: int, groups_per_campaign: int, lists_per_campaign: int
) -> tuple[CampaignLayout, ...]:
    """`Campaign01..` each on `Group1..` dialing `List01..` (lists are shared between campaigns)."""
    for name, value in (
        ("campaigns", campaigns),
        ("groups_per_campaign", groups_per_campaign),
        ("lists_per_campaign", lists_per_campaign),
    ):
        if value < 1:
            raise ValueError(f"{name}: must be at least 1, got {value}")
    groups = tuple(f"Group{n}" for n in range(1, groups_per_campaign + 1))
    lists = tuple(f"List{n:02d}" for n in range(1, lists_per_campaign + 1))
    return tuple(CampaignLayout(f"Campaign{c:02d}", groups, lists) for c in range(1, campaigns + 1))


def _check_layout(layout: Sequence[CampaignLayout]) -> None:
    if not layout:
        raise ValueError("layout: needs at least one campaign")
    seen: set[str] = set()
    for entry in layout:
        names = (entry.name, *entry.groups, *entry.lists)
        if not entry.groups or not entry.lists:
            raise ValueError(f"layout: campaign {entry.name!r} needs groups and calling lists")
        bad = [n for n in names if not n or "@" in n]
        if bad:
            raise ValueError(f"layout: name {bad[0]!r} must be non-empty and contain no '@'")
        if entry.name in seen:
            raise ValueError(f"layout: campaign {entry.name!r} appears twice")
        seen.add(entry.name)


# --- work in progress ------------------------------------------------------------------------


@dataclass(slots=True, eq=False)
class _ListWork:
    campaign: str
    name: str
    records_left: int = 0
    not_processed: int = 0
    retries: list[_Chain] = field(default_factory=list)
    unfinished: int = 0
    reported: bool = True

    def has_dials(self) -> bool:
        return self.records_left > 0 or bool(self.retries)

    def is_done(self) -> bool:
        return not self.reported and not self.has_dials() and self.unfinished == 0


@dataclass(slots=True, eq=False)
class _Chain:
    chain_id: int
    work: _ListWork
    group: str
    records: tuple[int, ...]
    max_attempts: int
    attempts: int = 0
    personal: bool = False


@dataclass(slots=True, eq=False)
class _Campaign:
    name: str
    groups: tuple[str, ...]
    lists: tuple[_ListWork, ...]
    mode: str
    sent_count: int | None = None
    reported: bool = True

    def records_left(self) -> int:
        return sum(w.records_left for w in self.lists)

    def has_dials(self) -> bool:
        return any(w.has_dials() for w in self.lists)

    def is_done(self) -> bool:
        return not self.reported and all(w.reported for w in self.lists)


@dataclass(slots=True, eq=False)
class _Slot:
    """One campaign@group as the simulator drives it; `state` is shared with its DialerState."""

    camp: _Campaign
    group: str
    state: GroupState
    draining: int = 0


@dataclass(frozen=True, slots=True)
class SimulatorCounts:
    """What a simulator produced so far: events by name, call results of dials and of chains."""

    events: Mapping[str, int]
    dial_results: Mapping[int, int]
    chain_results: Mapping[int, int]
    callbacks: Mapping[str, int]


_Choice = tuple[float, Callable[[], Body]]


def _weighted(rng: random.Random, mix: Sequence[tuple[Any, float]]) -> Any:
    return rng.choices([v for v, _ in mix], weights=[w for _, w in mix])[0]


# --- the simulator ---------------------------------------------------------------------------


class DialerSimulator:
    """A seeded outbound dialer: `next_event()` (or iteration) yields `(time, body)` forever.

    It opens by loading every campaign on its groups, scheduling records and starting to dial,
    then mostly dials; it never produces an event the domain refuses.
    """

    def __init__(
        self,
        seed: int = 0,
        campaigns: int = 2,
        groups_per_campaign: int = 2,
        lists_per_campaign: int = 2,
        start_time: float = DEFAULT_START_TIME,
        rate: float = 100.0,
        *,
        layout: Sequence[CampaignLayout] | None = None,
    ) -> None:
        if not rate > 0:
            raise ValueError(f"rate: must be above 0 events per second, got {rate}")
        if layout is None:
            layout = numbered_layout(campaigns, groups_per_campaign, lists_per_campaign)
        _check_layout(layout)
        self._rng = random.Random(seed)
        self._rate = rate
        self._time = start_time
        self._state = DialerState()
        self._campaigns = tuple(self._new_campaign(entry) for entry in layout)
        self._chain_ids = itertools.count(1)
        self._record_ids = itertools.count(1)
        self._to_finalize: deque[tuple[_Chain, int]] = deque()
        self._to_schedule: list[tuple[_Chain, int]] = []
        self._awaiting: list[tuple[_Chain, int]] = []
        self._slots = tuple(
            _Slot(c, g, self._state.group(c.name, g)) for c in self._campaigns for g in c.groups
        )
        self._last_answer: tuple[_Chain, int] | None = None
        self._opening: Iterator[Body] | None = self._opening_bodies()
        self._events: Counter[str] = Counter()
        self._dial_results: Counter[int] = Counter()
        self._chain_results: Counter[int] = Counter()
        self._callbacks: Counter[str] = Counter()

    def _new_campaign(self, entry: CampaignLayout) -> _Campaign:
        lists = tuple(_ListWork(entry.name, name) for name in entry.lists)
        mode = _weighted(self._rng, DIAL_MODE_MIX[:5])
        return _Campaign(entry.name, tuple(entry.groups), lists, mode)

    # --- public ------------------------------------------------------------------------------

    @property
    def time(self) -> float:
        """The time of the latest event (the start time before any)."""
        return self._time

    @property
    def layout(self) -> tuple[CampaignLayout, ...]:
        """The campaigns, groups and calling lists this simulator dials."""
        return tuple(
            CampaignLayout(c.name, c.groups, tuple(w.name for w in c.lists))
            for c in self._campaigns
        )

    def next_event(self) -> TimedEvent:
        """The next event: its time and its body."""
        body = next(self._opening, None) if self._opening is not None else None
        if body is None:
            self._opening = None
            body = self._random_body()
        return self._emit(body)

    def __iter__(self) -> Iterator[TimedEvent]:
        return self

    def __next__(self) -> TimedEvent:
        return self.next_event()

    def counts(self) -> SimulatorCounts:
        """Counts of everything produced so far (including by `stop_all`)."""
        return SimulatorCounts(
            events=dict(self._events),
            dial_results=dict(self._dial_results),
            chain_results=dict(self._chain_results),
            callbacks=dict(self._callbacks),
        )

    def stop_all(self) -> list[TimedEvent]:
        """A clean end of day: stop dialing on every running group, then unload every group."""
        self._opening = None
        stopped = [self._emit(self._stop(s)) for s in self._slots_in(RUNNING)]
        return stopped + [self._emit(self._unload(s)) for s in self._slots_in(ACTIVATED)]

    # --- emitting ----------------------------------------------------------------------------

    def _emit(self, body: Body) -> TimedEvent:
        self._time += self._rng.expovariate(self._rate)
        at = round(self._time, 6)
        body["Time"] = at
        self._state.apply(body)
        self._count(body)
        return at, body

    def _count(self, body: Body) -> None:
        event = body["Event"]
        self._events[event] += 1
        if event == "DialResult":
            self._dial_results[body["CallResult"]] += 1
        elif event == "ChainProcessed":
            self._chain_results[body["CallResult"]] += 1
        elif event == "Callback":
            self._callbacks[body["Kind"]] += 1

    @staticmethod
    def _body(event: str, campaign: str, **fields: Any) -> Body:
        return {"Event": event, "Time": 0.0, "Campaign": campaign, **fields}

    def _opening_bodies(self) -> Iterator[Body]:
        for camp in self._campaigns:
            slots = [s for s in self._slots if s.camp is camp]
            for slot in slots:
                yield self._load(slot)
            yield self._new_batch(camp)
            for slot in slots:
                yield self._start(slot)

    # --- choosing the next move --------------------------------------------------------------

    def _random_body(self) -> Body:
        choices = self._choices()
        make = self._rng.choices([m for _, m in choices], weights=[w for w, _ in choices])[0]
        return make()

    def _choices(self) -> list[_Choice]:
        out: list[_Choice] = []

        def offer(weight: float, targets: Sequence[Any], make: Callable[[Any], Body]) -> None:
            if targets:
                out.append((weight, lambda: make(self._rng.choice(targets))))

        fed = {c.name: c.has_dials() for c in self._campaigns}
        offer(Weight.DIAL, self._dialers(fed), self._dial)
        if self._to_finalize:
            out.append((Weight.FINALIZE_PER_CHAIN * min(len(self._to_finalize), 5), self._finalize))
        offer(Weight.SCHEDULE_CALLBACK, self._to_schedule, self._schedule_callback)
        offer(Weight.RESOLVE_PER_CALLBACK * len(self._awaiting), self._awaiting, self._resolve)
        if self._last_answer is not None:
            out.append((Weight.AGENT_ERROR, self._agent_error))
        changed = [c for c in self._campaigns if c.sent_count != c.records_left()]
        offer(Weight.RECORDS_SCHEDULED, changed, self._records_scheduled)
        self._offer_group_moves(offer, fed)
        offer(
            Weight.COMPLETE,
            [w for c in self._campaigns for w in c.lists if w.is_done()],
            self._complete_list,
        )
        offer(Weight.COMPLETE, [c for c in self._campaigns if c.is_done()], self._complete_campaign)
        offer(Weight.NEW_BATCH, [c for c in self._campaigns if c.reported], self._new_batch)
        return out

    def _offer_group_moves(self, offer: Callable[..., None], fed: Mapping[str, bool]) -> None:
        running = self._slots_in(RUNNING)
        offer(Weight.MODE_CHANGE, running, self._change_mode)
        offer(Weight.STOP, running, self._stop)
        offer(Weight.RAISE_CONDITION, [s for s in running if _free_conditions(s)], self._raise)
        raised = [(s, c) for s in running for c in s.state.conditions if c != WAITING_RECORDS]
        offer(Weight.CLEAR_CONDITION, raised, self._clear)
        waiting = [s for s in running if WAITING_RECORDS in s.state.conditions]
        starving = [s for s in running if not fed[s.camp.name] and s not in waiting]
        offer(Weight.WAITING_RECORDS, starving, self._wait_for_records)
        offer(Weight.WAITING_RECORDS, [s for s in waiting if fed[s.camp.name]], self._records_back)
        activated = self._slots_in(ACTIVATED)
        offer(Weight.START, activated, self._start)
        offer(Weight.UNLOAD, activated, self._unload)
        offer(Weight.LOAD, self._slots_in(DEACTIVATED), self._load)

    def _slots_in(self, status: str) -> list[_Slot]:
        return [s for s in self._slots if s.state.status == status]

    def _dialers(self, fed: Mapping[str, bool]) -> list[_Slot]:
        return [
            s
            for s in self._slots
            if fed[s.camp.name] and (s.state.status == RUNNING or s.draining > 0)
        ]

    # --- dialing and chains ------------------------------------------------------------------

    def _dial(self, slot: _Slot) -> Body:
        camp, group = slot.camp, slot.group
        if slot.state.status != RUNNING:
            slot.draining -= 1
        work = self._rng.choice([w for w in camp.lists if w.has_dials()])
        chain = self._pick_chain(work, group)
        record = chain.records[chain.attempts % len(chain.records)]
        chain.attempts += 1
        code = _weighted(self._rng, CALL_RESULT_MIX)
        self._route(chain, record, code)
        return self._body(
            "DialResult",
            camp.name,
            Group=group,
            CallingList=work.name,
            RecordId=record,
            ChainId=chain.chain_id,
            CallResult=code,
        )

    def _pick_chain(self, work: _ListWork, group: str) -> _Chain:
        if work.retries and (work.records_left == 0 or self._rng.random() < RETRY_SHARE):
            chain = work.retries.pop(self._rng.randrange(len(work.retries)))
            chain.group = group
            return chain
        size = min(self._rng.choice(CHAIN_SIZES), work.records_left)
        work.records_left -= size
        work.unfinished += 1
        records = tuple(next(self._record_ids) for _ in range(size))
        attempts = self._rng.choice(MAX_ATTEMPTS)
        return _Chain(next(self._chain_ids), work, group, records, attempts)

    def _route(self, chain: _Chain, record: int, code: int) -> None:
        if code == ANSWER:
            self._last_answer = (chain, record)
            if self._rng.random() < CALLBACK_SHARE:
                chain.personal = self._rng.random() < PERSONAL_SHARE
                self._to_schedule.append((chain, record))
                return
        if code in FINAL_RESULTS or chain.attempts >= chain.max_attempts:
            self._to_finalize.append((chain, code))
        else:
            chain.work.retries.append(chain)

    def _finalize(self) -> Body:
        chain, code = self._to_finalize.popleft()
        chain.work.unfinished -= 1
        fields = self._maybe_group(chain)
        return self._body(
            "ChainProcessed",
            chain.work.campaign,
            **fields,
            CallingList=chain.work.name,
            ChainId=chain.chain_id,
            CallResult=code,
        )

    def _maybe_group(self, chain: _Chain) -> dict[str, str]:
        return {"Group": chain.group} if self._rng.random() < OPTIONAL_GROUP_SHARE else {}

    def _callback(self, chain: _Chain, record: int, kind: str) -> Body:
        return self._body(
            "Callback",
            chain.work.campaign,
            **self._maybe_group(chain),
            CallingList=chain.work.name,
            RecordId=record,
            Kind=kind,
            Personal=chain.personal,
        )

    def _schedule_callback(self, item: tuple[_Chain, int]) -> Body:
        self._to_schedule.remove(item)
        self._awaiting.append(item)
        return self._callback(*item, "Scheduled")

    def _resolve(self, item: tuple[_Chain, int]) -> Body:
        self._awaiting.remove(item)
        chain = item[0]
        if self._rng.random() < CALLBACK_COMPLETED_SHARE:
            self._to_finalize.append((chain, ANSWER))
            return self._callback(*item, "Completed")
        error = AGENT_CALLBACK_ERROR if chain.personal else GROUP_CALLBACK_ERROR
        self._to_finalize.append((chain, error))
        return self._callback(*item, "Missed")

    def _agent_error(self) -> Body:
        assert self._last_answer is not None
        chain, record = self._last_answer
        fields: dict[str, Any] = self._maybe_group(chain)
        if self._rng.random() < 0.9:
            fields["CallingList"] = chain.work.name
            if self._rng.random() < 0.9:
                fields["RecordId"] = record
        return self._body("AgentError", chain.work.campaign, **fields)

    # --- records -----------------------------------------------------------------------------

    def _records_scheduled(self, camp: _Campaign) -> Body:
        camp.sent_count = camp.records_left()
        return self._body("RecordsScheduled", camp.name, Count=camp.sent_count)

    def _new_batch(self, camp: _Campaign) -> Body:
        for work in camp.lists:
            size = self._rng.randint(*BATCH_RECORDS)
            work.not_processed = self._rng.randint(0, size // 25)
            work.records_left += size - work.not_processed
            work.reported = False
        camp.reported = False
        return self._records_scheduled(camp)

    def _complete_list(self, work: _ListWork) -> Body:
        work.reported = True
        return self._body(
            "ProcessingCompleted",
            work.campaign,
            CallingList=work.name,
            RecordsNotProcessed=work.not_processed,
        )

    def _complete_campaign(self, camp: _Campaign) -> Body:
        camp.reported = True
        left = sum(w.not_processed for w in camp.lists)
        return self._body("ProcessingCompleted", camp.name, RecordsNotProcessed=left)

    # --- group moves -------------------------------------------------------------------------

    def _load(self, slot: _Slot) -> Body:
        return self._body("GroupLoaded", slot.camp.name, Group=slot.group)

    def _unload(self, slot: _Slot) -> Body:
        return self._body("GroupUnloaded", slot.camp.name, Group=slot.group)

    def _start(self, slot: _Slot) -> Body:
        mode = slot.camp.mode
        if self._rng.random() >= 0.75:
            mode = _weighted(self._rng, DIAL_MODE_MIX)
        return self._body("DialingStarted", slot.camp.name, Group=slot.group, DialMode=mode)

    def _stop(self, slot: _Slot) -> Body:
        slot.draining = self._rng.randint(*DRAINING_CALLS)
        return self._body("DialingStopped", slot.camp.name, Group=slot.group)

    def _change_mode(self, slot: _Slot) -> Body:
        others = [m for m in DIAL_MODE_MIX if m[0] != slot.state.dial_mode]
        mode = _weighted(self._rng, others)
        return self._body("DialModeChanged", slot.camp.name, Group=slot.group, DialMode=mode)

    def _condition(self, slot: _Slot, condition: str, *, active: bool) -> Body:
        return self._body(
            "GroupCondition",
            slot.camp.name,
            Group=slot.group,
            Condition=condition,
            Active=active,
        )

    def _raise(self, slot: _Slot) -> Body:
        condition = _weighted(self._rng, _free_conditions(slot))
        return self._condition(slot, condition, active=True)

    def _clear(self, item: tuple[_Slot, str]) -> Body:
        return self._condition(item[0], item[1], active=False)

    def _wait_for_records(self, slot: _Slot) -> Body:
        return self._condition(slot, WAITING_RECORDS, active=True)

    def _records_back(self, slot: _Slot) -> Body:
        return self._condition(slot, WAITING_RECORDS, active=False)


def _free_conditions(slot: _Slot) -> list[tuple[str, float]]:
    return [(c, w) for c, w in RANDOM_CONDITION_MIX if c not in slot.state.conditions]
