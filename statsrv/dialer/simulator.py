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
from typing import Any

from statsrv.dialer.layout import CampaignLayout, check_layout, numbered_layout
from statsrv.dialer.mix import (
    AGENT_CALLBACK_ERROR,
    ANSWER,
    BATCH_RECORDS,
    CALL_RESULT_MIX,
    CALLBACK_COMPLETED_SHARE,
    CALLBACK_SHARE,
    CHAIN_SIZES,
    DIAL_MODE_MIX,
    DRAINING_CALLS,
    FINAL_RESULTS,
    GROUP_CALLBACK_ERROR,
    MAX_ATTEMPTS,
    OPTIONAL_GROUP_SHARE,
    PERSONAL_SHARE,
    RANDOM_CONDITION_MIX,
    RETRY_SHARE,
    WAITING_RECORDS,
    Weight,
)
from statsrv.dialer.rules import ACTIVATED, DEACTIVATED, RUNNING, Body, DialerState, GroupState

TimedEvent = tuple[float, Body]

DEFAULT_START_TIME = 1_700_000_000.0

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
        check_layout(layout)
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
