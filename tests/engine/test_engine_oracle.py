"""The incremental engine agrees with the brute-force oracle on generated histories.

Histories mix instant actions (some weighted) and consistent durable start/end pairs (an
action may be in progress twice), with gaps from half a second to a day, starting on the
evening before the spring DST change in Berlin. Statistics of every category are opened on
every shipped profile at a random point of the history (history does not depend on open time);
values are compared after every occurrence, and Immediate updates are checked to carry the
oracle's value whenever an occurrence touches their statistic.
"""

from __future__ import annotations

from dataclasses import dataclass

from engine_oracle import oracle, same_value
from engine_support import CAMPAIGN, TENANT, berlin, inline, make_engine
from hypothesis import given
from hypothesis import strategies as st

from statsrv.domain.actions import Kind, ObjectType, Occurrence
from statsrv.engine import StatisticsEngine, Subscription

DURABLE = ("StatusRunning", "Predict", "StatusWaitingAgents")
INSTANT = ("DialMade", "DialAnswer", "DialBusy", "RecordsScheduled", "RecordsNotProcessed")
OTHER_CAMPAIGN = "Autumn2027"

DEFINITIONS = [
    ("TotalNumber", ("DialMade",), None),
    ("TotalNumber", ("DialAnswer", "DialBusy"), None),
    ("TotalNumber", ("Status*", "Dial*", "RecordsNotProcessed"), None),
    ("TotalNumber", ("RecordsNotProcessed",), None),
    ("TotalTime", ("StatusRunning",), None),
    ("TotalTime", ("Predict", "StatusWaitingAgents"), None),
    ("CurrentNumber", ("StatusRunning", "Predict"), None),
    ("CurrentNumber", ("RecordsScheduled",), None),
    ("CurrentTime", ("StatusRunning", "StatusWaitingAgents"), None),
    ("AverageTime", ("StatusRunning", "StatusWaitingAgents"), None),
    ("MaxTime", ("StatusRunning", "StatusWaitingAgents"), None),
    ("MinTime", ("Predict", "StatusWaitingAgents"), None),
    ("RelativeNumberPercentage", ("DialAnswer",), ("DialMade",)),
    ("RelativeTimePercentage", ("StatusWaitingAgents",), ("StatusRunning",)),
    ("CurrentState", None, None),
]
PROFILES = ("Default", "Shift", "LastHour", "Last15Min", "SinceStart")
START = berlin("2027-03-27 21:00")


@dataclass
class Step:
    """One generated occurrence: a gap, an action, whether it is for the other campaign."""

    gap: float
    action: str
    weight: int
    other: bool


gaps = st.one_of(
    st.integers(0, 240).map(lambda n: n / 2),
    st.integers(0, 7200).map(lambda n: n / 2),
    st.sampled_from([3600.0, 5400.0, 21600.0, 86400.0]),
)
steps = st.builds(
    Step,
    gap=gaps,
    action=st.sampled_from(DURABLE + INSTANT),
    weight=st.integers(0, 300),
    other=st.integers(0, 5).map(lambda n: n == 0),
)


def history(generated: list[Step]) -> list[Occurrence]:
    """Occurrences with consistent durable pairs: a start while fewer than 2 run, else an end."""
    running: dict[tuple[str, str], int] = {}
    at = START
    out: list[Occurrence] = []
    for step in generated:
        at += step.gap
        campaign = OTHER_CAMPAIGN if step.other else CAMPAIGN
        if step.action in DURABLE:
            key = (campaign, step.action)
            count = running.get(key, 0)
            kind = Kind.START if count == 0 or (count == 1 and step.weight % 2) else Kind.END
            running[key] = count + (1 if kind == Kind.START else -1)
            out.append(Occurrence(TENANT, ObjectType.CAMPAIGN, campaign, step.action, kind, at))
        else:
            weight = step.weight if step.action.startswith("Records") else 1
            out.append(
                Occurrence(
                    TENANT, ObjectType.CAMPAIGN, campaign, step.action, Kind.INSTANT, at, weight
                )
            )
    return out


def open_all(engine: StatisticsEngine, now: float) -> list[tuple[Subscription, tuple]]:
    opened = []
    for category, main, rel in DEFINITIONS:
        for profile in PROFILES:
            resolved = engine.resolve(
                "Campaign", CAMPAIGN, TENANT, None, inline(category, main, rel), profile, None
            )
            opened.append((engine.subscribe(resolved, "client", now), (category, profile)))
    return opened


def expected(
    engine: StatisticsEngine, subscription: Subscription, occurrences: list[Occurrence], now: float
) -> object:
    key = subscription.cell.key
    profile = engine._profiles[subscription.cell.profile_index]
    mine = [o for o in occurrences if o.object_id == CAMPAIGN]
    return oracle(
        key.definition.category,
        subscription.cell.main_actions,
        key.definition.rel,
        profile,
        mine,
        now,
    )


@given(generated=st.lists(steps, min_size=1, max_size=40), open_at=st.integers(0, 40), tail=gaps)
def test_engine_agrees_with_oracle(generated: list[Step], open_at: int, tail: float) -> None:
    occurrences = history(generated)
    open_at = min(open_at, len(occurrences))
    engine = make_engine()
    engine.apply([], START)
    opened: list[tuple[Subscription, tuple]] = []
    received: dict[Subscription, object] = {}
    for position, occurrence in enumerate(occurrences):
        if position == open_at:
            opened = open_all(engine, occurrence.time)
            received = {s: s.initial_value for s, _ in opened}
        for update in engine.apply([occurrence], occurrence.time):
            received[update.subscription] = update.value
        applied = occurrences[: position + 1]
        for subscription, label in opened:
            want = expected(engine, subscription, applied, occurrence.time)
            got = engine.peek(subscription, occurrence.time)
            assert same_value(got, want), (label, got, want)
            if occurrence.object_id == CAMPAIGN and occurrence.action in subscription.cell.watched:
                assert same_value(received[subscription], want), (
                    label,
                    "pushed",
                    received[subscription],
                    want,
                )
    later = occurrences[-1].time + tail
    engine.on_timer(later)
    for subscription, label in opened or open_all(engine, later):
        want = expected(engine, subscription, occurrences, later)
        assert same_value(engine.peek(subscription, later), want), (label, "later")
