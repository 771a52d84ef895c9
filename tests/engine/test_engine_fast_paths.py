"""The counting fast paths agree with the brute-force oracle and with a recount.

Counting cells (TotalNumber, RelativeNumberPercentage) keep their numbers and add instant
occurrences in place; instant counts wait in a pending count and, between Growing resets, a
carry. These tests drive them where they could go wrong: batches of occurrences that cross
Sliding steps and Growing resets inside one `apply`, cells closed and opened again over the
same action states, Get on statistics nobody holds open, Reset final values, masks that mix
instant and durable actions, and an action in both masks of a ratio.
"""

from __future__ import annotations

import itertools

from engine_oracle import oracle, same_value
from engine_support import (
    CAMPAIGN,
    TENANT,
    C,
    berlin,
    end,
    inline,
    instant,
    make_engine,
    open_statistic,
    start,
)
from hypothesis import given
from hypothesis import strategies as st
from test_engine_oracle import PROFILES, START, gaps, history, steps

from statsrv.domain.actions import Occurrence
from statsrv.engine import NotificationSpec, StatisticsEngine, Subscription, Update
from statsrv.engine.profiles import TimeProfile

COUNTING = [
    ("TotalNumber", ("DialMade",), None),
    ("TotalNumber", ("Status*", "Dial*", "RecordsNotProcessed"), None),
    ("RelativeNumberPercentage", ("DialAnswer",), ("DialMade",)),
    ("RelativeNumberPercentage", ("DialAnswer", "DialBusy"), ("DialMade", "DialBusy")),
]
MIXED = [
    *COUNTING,
    ("TotalTime", ("StatusRunning",), None),
    ("CurrentNumber", ("StatusRunning", "Predict"), None),
    ("CurrentState", None, None),
]
RESET_PROFILES = ("Default", "Shift")
EPSILON_S = 1e-3  # occurrences fall on half seconds and resets on whole minutes

T0 = berlin("2027-01-15 10:00")


def _profile(engine: StatisticsEngine, name: str) -> TimeProfile:
    return next(p for p in engine._profiles if p.name == name)


def _expected(engine: StatisticsEngine, sub: Subscription, seen: list[Occurrence], now: float):
    cell = sub.cell
    definition = cell.key.definition
    profile = _profile(engine, cell.key.profile)
    mine = [o for o in seen if o.object_id == CAMPAIGN]
    return oracle(definition.category, cell.main_actions, definition.rel, profile, mine, now)


def _resets_passed(engine: StatisticsEngine, profile_name: str, after: float, to: float):
    """The reset instants of a Growing profile in (after, to]."""
    profile = _profile(engine, profile_name)
    passed = []
    boundary = profile.span(after).end
    while boundary <= to:
        passed.append(boundary)
        boundary = profile.span(boundary).end
    return passed


def _open(engine: StatisticsEngine, now: float, definitions, profiles, mode: str) -> list:
    opened = []
    for category, main, rel in definitions:
        for profile in profiles:
            statistic = inline(category, main, rel)
            spec = NotificationSpec(mode)
            resolved = engine.resolve("Campaign", CAMPAIGN, TENANT, None, statistic, profile, spec)
            opened.append(engine.subscribe(resolved, mode, now))
    return opened


def _batches(
    occurrences: list[Occurrence], sizes: list[int], extras: list[float]
) -> list[tuple[list[Occurrence], float]]:
    """Consecutive batches of the given sizes, each with a `now` somewhat after its last
    occurrence but never after the next batch's first (engine time never goes back)."""
    cuts = [0]
    for size in sizes:
        if cuts[-1] + size >= len(occurrences):
            break
        cuts.append(cuts[-1] + size)
    cuts.append(len(occurrences))
    batches = []
    for number, (first, after) in enumerate(itertools.pairwise(cuts)):
        batch = occurrences[first:after]
        now = batch[-1].time + extras[number % len(extras)]
        if after < len(occurrences):
            now = min(now, occurrences[after].time)
        batches.append((batch, now))
    return batches


def _check_immediate(
    engine: StatisticsEngine,
    subscriptions: list[Subscription],
    received: dict[Subscription, object],
    batch: list[Occurrence],
    seen: list[Occurrence],
    now: float,
) -> None:
    """Peeks give the oracle's value; so does the last push when the batch touched the cell."""
    for sub in subscriptions:
        want = _expected(engine, sub, seen, now)
        assert same_value(engine.peek(sub, now), want), (sub, "peek")
        if any(o.object_id == CAMPAIGN and o.action in sub.cell.watched for o in batch):
            assert same_value(received[sub], want), (sub, "pushed", received[sub], want)


def _check_resets(
    engine: StatisticsEngine,
    subscriptions: list[Subscription],
    updates: list[Update],
    seen: list[Occurrence],
    before: float,
    now: float,
) -> None:
    """Each Reset statistic got the final value of the last interval that ended, if any."""
    for sub in subscriptions:
        passed = _resets_passed(engine, sub.cell.key.profile, before, now)
        sent = [u.value for u in updates if u.subscription is sub]
        if not passed:
            assert sent == [], (sub, "sent between resets")
            continue
        ended = [o for o in seen if o.time < passed[-1]]
        want = _expected(engine, sub, ended, passed[-1] - EPSILON_S)
        assert len(sent) == 1 and same_value(sent[0], want), (sub, "reset", sent, want)


def _check_gets(engine: StatisticsEngine, seen: list[Occurrence], now: float) -> None:
    """Get on statistics nobody holds open counts from the aggregates alone."""
    mine = [o for o in seen if o.object_id == CAMPAIGN]
    for category, main, rel in COUNTING:
        for name in PROFILES:
            statistic = inline(category, main, rel)
            resolved = engine.resolve(
                "Campaign", CAMPAIGN, TENANT, None, statistic, name, None, for_get=True
            )
            definition = resolved.key.definition
            profile = _profile(engine, name)
            want = oracle(category, definition.main, definition.rel, profile, mine, now)
            assert same_value(engine.value_of(resolved, now), want), (category, name, "get")


@given(
    generated=st.lists(steps, min_size=1, max_size=40),
    sizes=st.lists(st.integers(1, 6), max_size=40),
    extras=st.lists(st.one_of(st.just(0.0), gaps), min_size=1, max_size=40),
    open_at=st.integers(0, 12),
    reopen_at=st.integers(0, 12),
)
def test_batches_agree_with_oracle(
    generated: list, sizes: list[int], extras: list[float], open_at: int, reopen_at: int
) -> None:
    engine = make_engine()
    engine.apply([], START)
    immediate: list[Subscription] = []
    resets: list[Subscription] = []
    received: dict[Subscription, object] = {}
    seen: list[Occurrence] = []
    before = START
    for number, (batch, now) in enumerate(_batches(history(generated), sizes, extras)):
        if number == open_at:
            immediate = _open(engine, before, MIXED, PROFILES, "Immediate")
            resets = _open(engine, before, COUNTING, RESET_PROFILES, "Reset")
            received = {s: s.initial_value for s in immediate}
        if number == reopen_at and immediate:
            for sub in immediate[::2]:
                engine.unsubscribe(sub)
            reopened = _open(engine, before, MIXED, PROFILES, "Immediate")
            immediate = immediate[1::2] + reopened
            received.update({s: s.initial_value for s in reopened})
        if number < open_at:
            _check_gets(engine, seen, before)
        updates = engine.apply(batch, now)
        seen += batch
        received.update(updates)
        _check_immediate(engine, immediate, received, batch, seen, now)
        _check_resets(engine, resets, updates, seen, before, now)
        before = now


def dial(at: float, action: str = "DialMade", weight: int = 1) -> Occurrence:
    return instant(C, CAMPAIGN, action, at, weight)


def test_counts_carried_past_a_sliding_step_reach_a_cell_opened_later(
    engine: StatisticsEngine,
) -> None:
    engine.apply([dial(T0 + 1), dial(T0 + 2)], T0 + 2)
    engine.on_timer(T0 + 120)  # two Sliding steps: pending counts move on, the day goes on
    engine.apply([dial(T0 + 130)], T0 + 130)
    assert open_statistic(engine, "DialsMade", T0 + 130).value(T0 + 130) == 3
    assert open_statistic(engine, "DialsMade", T0 + 130, profile="Shift").value(T0 + 130) == 3
    assert open_statistic(engine, "DialsMade", T0 + 130, profile="LastHour").value(T0 + 130) == 3


def test_counts_carried_to_a_reset_end_in_the_interval_they_belong_to(
    engine: StatisticsEngine,
) -> None:
    default = open_statistic(engine, "DialsMade", T0, mode="Reset")
    shift = open_statistic(engine, "DialsMade", T0, profile="Shift", mode="Reset")
    engine.apply([dial(T0 + 1)], T0 + 1)
    engine.on_timer(T0 + 600)  # Sliding steps only
    updates = engine.apply([dial(berlin("2027-01-15 14:00"))], berlin("2027-01-15 14:00"))
    assert [(u.subscription, u.value) for u in updates] == [(shift, 1)]
    assert engine.peek(shift, berlin("2027-01-15 14:00")) == 1  # the one at 14:00
    assert engine.peek(default, berlin("2027-01-15 14:00")) == 2
    updates = engine.on_timer(berlin("2027-01-16 00:00"))
    assert {u.subscription: u.value for u in updates} == {default: 2, shift: 1}


def test_a_durable_start_in_a_counting_mask_is_counted(engine: StatisticsEngine) -> None:
    statistic = inline("TotalNumber", ("StatusRunning", "DialMade"))
    sub = open_statistic(engine, statistic, T0, mode="Immediate")
    updates = engine.apply(
        [dial(T0 + 1), start(C, CAMPAIGN, "StatusRunning", T0 + 2), dial(T0 + 3)], T0 + 3
    )
    assert [u.value for u in updates] == [3]
    assert engine.apply([end(C, CAMPAIGN, "StatusRunning", T0 + 4)], T0 + 4) == []
    assert sub.value(T0 + 5) == 3


def test_an_action_in_both_masks_counts_in_both(engine: StatisticsEngine) -> None:
    statistic = inline("RelativeNumberPercentage", ("DialBusy",), ("DialBusy", "DialMade"))
    sub = open_statistic(engine, statistic, T0, mode="Immediate")
    updates = engine.apply([dial(T0 + 1, "DialBusy"), dial(T0 + 1)], T0 + 1)
    assert [u.value for u in updates] == [50.0]
    assert sub.value(T0 + 1) == 50.0


def test_weightless_occurrences_change_nothing(engine: StatisticsEngine) -> None:
    sub = open_statistic(engine, "RecordsNotProcessed", T0, mode="Immediate")
    assert engine.apply([dial(T0 + 1, "RecordsNotProcessed", 40)], T0 + 1)[0].value == 40
    assert engine.apply([dial(T0 + 2, "RecordsNotProcessed", 0)], T0 + 2) == []
    assert sub.value(T0 + 2) == 40


def test_a_cell_closed_and_opened_again_counts_from_history(engine: StatisticsEngine) -> None:
    kept = open_statistic(engine, "AnswerRate", T0, mode="Immediate")
    closed = open_statistic(engine, "DialsMade", T0, mode="Immediate")
    engine.apply([dial(T0 + 1), dial(T0 + 1, "DialAnswer")], T0 + 1)
    engine.unsubscribe(closed)
    engine.apply([dial(T0 + 2)], T0 + 2)
    again = open_statistic(engine, "DialsMade", T0 + 2, mode="Immediate")
    assert again.initial_value == 2
    updates = engine.apply([dial(T0 + 3)], T0 + 3)
    assert {u.subscription: u.value for u in updates} == {kept: 100 / 3, again: 3}


def test_a_steady_stream_longer_than_the_window_keeps_sliding_counts_exact(
    engine: StatisticsEngine,
) -> None:
    # Dials every 20 s for 80 minutes, skipping every 7th minute: the rings wrap several times,
    # moving on by one step (the usual case) and by two. Values are read rarely, so that the
    # rings move on when counts are flushed into them, not when they are read.
    times = [T0 + 20 * n for n in range(240) if (n // 3) % 7 != 6]
    subs = [
        open_statistic(engine, "DialsMade", T0, profile=name) for name in ("LastHour", "Last15Min")
    ]
    seen: list[Occurrence] = []
    for number, at in enumerate(times):
        occurrence = dial(at)
        engine.apply([occurrence], at)
        seen.append(occurrence)
        if number % 50 != 49:
            continue
        for sub in subs:
            profile = _profile(engine, sub.cell.key.profile)
            assert sub.value(at) == oracle("TotalNumber", {"DialMade"}, (), profile, seen, at)
