"""Notification modes with explicit times: Immediate, Periodical, Reset, NoNotification."""

from __future__ import annotations

from engine_support import (
    CAMPAIGN,
    C,
    berlin,
    end,
    inline,
    instant,
    open_statistic,
    start,
)

from statsrv.engine import StatisticsEngine, Subscription, Update

T0 = berlin("2027-01-15 10:00:00")


def dial(at: float, action: str = "DialMade"):
    return instant(C, CAMPAIGN, action, at)


def values(updates: list[Update], subscription: Subscription) -> list[object]:
    return [u.value for u in updates if u.subscription is subscription]


def test_immediate_sends_initial_value_then_every_change(engine: StatisticsEngine) -> None:
    sub = open_statistic(engine, "DialsMade", T0, mode="Immediate")
    assert sub.sends_initial_value
    assert sub.value(T0) == 0
    assert values(engine.apply([dial(T0 + 1)], T0 + 1), sub) == [1]
    assert values(engine.apply([dial(T0 + 2, "DialAnswer")], T0 + 2), sub) == []


def test_immediate_coalesces_a_batch_into_the_latest_value(engine: StatisticsEngine) -> None:
    sub = open_statistic(engine, "DialsMade", T0, mode="Immediate")
    batch = [dial(T0 + 1), dial(T0 + 1.5), dial(T0 + 2)]
    assert values(engine.apply(batch, T0 + 2), sub) == [3]


def test_immediate_sends_nothing_when_the_value_comes_back(engine: StatisticsEngine) -> None:
    sub = open_statistic(engine, inline("CurrentNumber", ("StatusRunning",)), T0, mode="Immediate")
    batch = [start(C, CAMPAIGN, "StatusRunning", T0 + 1), end(C, CAMPAIGN, "StatusRunning", T0 + 2)]
    assert values(engine.apply(batch, T0 + 2), sub) == []


def test_immediate_insensitivity(engine: StatisticsEngine) -> None:
    sub = open_statistic(engine, "DialsMade", T0, mode="Immediate", insensitivity=2)
    sent = [values(engine.apply([dial(T0 + n)], T0 + n), sub) for n in range(1, 6)]
    assert sent == [[], [2], [], [4], []]


def test_time_in_progress_changes_only_at_events_and_boundaries(engine: StatisticsEngine) -> None:
    engine.apply([start(C, CAMPAIGN, "StatusRunning", T0)], T0)
    sub = open_statistic(engine, "TimeRunning", T0 + 5, mode="Immediate")
    assert values(engine.on_timer(T0 + 30), sub) == []
    assert sub.value(T0 + 30) == 30
    updates = engine.apply([end(C, CAMPAIGN, "StatusRunning", T0 + 40)], T0 + 40)
    assert values(updates, sub) == [40]


def test_sliding_step_recomputes_immediate_statistics(engine: StatisticsEngine) -> None:
    sub = open_statistic(engine, "DialsMade", T0, profile="Last15Min", mode="Immediate")
    engine.apply([dial(T0 + 30)], T0 + 30)
    assert engine.next_deadline() == T0 + 60
    assert values(engine.on_timer(T0 + 14 * 60 + 59), sub) == []
    assert values(engine.on_timer(T0 + 15 * 60), sub) == [0]


def test_growing_reset_recomputes_immediate_statistics(engine: StatisticsEngine) -> None:
    sub = open_statistic(engine, "DialsMade", T0, mode="Immediate")
    engine.apply([dial(T0 + 1)], T0 + 1)
    assert values(engine.on_timer(berlin("2027-01-16 00:00")), sub) == [0]


def test_periodical_sends_every_frequency_when_changed(engine: StatisticsEngine) -> None:
    sub = open_statistic(engine, "DialsMade", T0, mode="Periodical", frequency=10)
    assert sub.sends_initial_value and sub.value(T0) == 0
    assert values(engine.apply([dial(T0 + 1)], T0 + 1), sub) == []
    assert engine.next_deadline() == T0 + 10
    assert values(engine.on_timer(T0 + 10), sub) == [1]
    assert values(engine.on_timer(T0 + 20), sub) == []
    engine.apply([dial(T0 + 25)], T0 + 25)
    assert values(engine.on_timer(T0 + 29.9), sub) == []
    assert values(engine.on_timer(T0 + 30), sub) == [2]


def test_periodical_insensitivity_counts_from_the_last_value_sent(engine: StatisticsEngine) -> None:
    sub = open_statistic(engine, "DialsMade", T0, mode="Periodical", frequency=5, insensitivity=2)
    engine.apply([dial(T0 + 1)], T0 + 1)
    assert values(engine.on_timer(T0 + 5), sub) == []
    engine.apply([dial(T0 + 6)], T0 + 6)
    assert values(engine.on_timer(T0 + 10), sub) == [2]


def test_periodical_watches_time_grow(engine: StatisticsEngine) -> None:
    engine.apply([start(C, CAMPAIGN, "StatusWaitingAgents", T0)], T0)
    sub = open_statistic(engine, "WaitingForAgentsNow", T0, mode="Periodical", frequency=10)
    assert values(engine.on_timer(T0 + 10), sub) == [10]
    assert values(engine.on_timer(T0 + 20), sub) == [20]


def test_periodical_after_a_long_gap_sends_once(engine: StatisticsEngine) -> None:
    engine.apply([start(C, CAMPAIGN, "StatusWaitingAgents", T0)], T0)
    sub = open_statistic(engine, "WaitingForAgentsNow", T0, mode="Periodical", frequency=10)
    assert values(engine.on_timer(T0 + 3605), sub) == [3600]
    assert engine.next_deadline() == T0 + 3610


def test_reset_sends_the_final_value_of_the_ended_interval(engine: StatisticsEngine) -> None:
    sub = open_statistic(engine, "DialsMade", T0, mode="Reset")
    assert not sub.sends_initial_value
    assert values(engine.apply([dial(T0 + 1), dial(T0 + 2)], T0 + 2), sub) == []
    midnight = berlin("2027-01-16 00:00")
    assert values(engine.on_timer(midnight - 1), sub) == []
    assert values(engine.on_timer(midnight), sub) == [2]
    assert values(engine.on_timer(berlin("2027-01-17 00:00")), sub) == [0]


def test_reset_value_counts_time_in_progress_up_to_the_reset(engine: StatisticsEngine) -> None:
    engine.apply([start(C, CAMPAIGN, "StatusRunning", berlin("2027-01-15 23:00"))], T0)
    sub = open_statistic(engine, "TimeRunning", berlin("2027-01-15 23:00"), mode="Reset")
    updates = engine.apply([dial(berlin("2027-01-16 00:10"))], berlin("2027-01-16 00:10"))
    assert values(updates, sub) == [3600]


def test_reset_across_the_spring_change_ends_a_23_hour_day(engine: StatisticsEngine) -> None:
    day_start = berlin("2027-03-28 00:00")
    engine.apply([start(C, CAMPAIGN, "StatusRunning", day_start)], day_start)
    sub = open_statistic(engine, "TimeRunning", day_start, mode="Reset")
    assert values(engine.on_timer(berlin("2027-03-29 00:00")), sub) == [23 * 3600]
    assert values(engine.on_timer(berlin("2027-10-31 23:59")), sub) == [24 * 3600]
    assert values(engine.on_timer(berlin("2027-11-01 00:00")), sub) == [25 * 3600]


def test_reset_on_shift_profile_fires_three_times_a_day(engine: StatisticsEngine) -> None:
    sub = open_statistic(engine, "DialsMade", T0, profile="Shift", mode="Reset")
    engine.apply([dial(T0 + 1)], T0 + 1)
    assert values(engine.on_timer(berlin("2027-01-15 14:00")), sub) == [1]
    engine.apply([dial(berlin("2027-01-15 15:00"))], berlin("2027-01-15 15:00"))
    assert values(engine.on_timer(berlin("2027-01-15 22:00")), sub) == [1]
    assert values(engine.on_timer(berlin("2027-01-16 06:00")), sub) == [0]


def test_no_notification_sends_nothing_but_peeks(engine: StatisticsEngine) -> None:
    sub = open_statistic(engine, "DialsMade", T0, mode="NoNotification")
    assert not sub.sends_initial_value
    assert values(engine.apply([dial(T0 + 1)], T0 + 1), sub) == []
    assert values(engine.on_timer(berlin("2027-01-16 00:00")), sub) == []
    assert engine.peek(sub, berlin("2027-01-15 23:00")) == 0


def test_suspended_gets_nothing_and_resume_sends_the_current_value(
    engine: StatisticsEngine,
) -> None:
    sub = open_statistic(engine, "DialsMade", T0, mode="Immediate")
    engine.suspend(sub)
    assert values(engine.apply([dial(T0 + 1)], T0 + 1), sub) == []
    assert engine.resume(sub, T0 + 2) == 1
    assert values(engine.apply([dial(T0 + 3)], T0 + 3), sub) == [2]


def test_resume_of_reset_and_no_notification_sends_nothing(engine: StatisticsEngine) -> None:
    for mode in ("Reset", "NoNotification"):
        sub = open_statistic(engine, "DialsMade", T0, mode=mode)
        engine.suspend(sub)
        assert engine.resume(sub, T0 + 1) is None


def test_suspended_periodical_and_reset_get_nothing(engine: StatisticsEngine) -> None:
    periodical = open_statistic(engine, "DialsMade", T0, mode="Periodical", frequency=10)
    reset = open_statistic(engine, "DialsMade", T0, mode="Reset")
    engine.suspend(periodical)
    engine.suspend(reset)
    engine.apply([dial(T0 + 1)], T0 + 1)
    assert engine.on_timer(berlin("2027-01-16 00:00")) == []


def test_timers_passed_during_apply_are_handed_out_by_it(engine: StatisticsEngine) -> None:
    sub = open_statistic(engine, "DialsMade", T0, mode="Reset")
    engine.apply([dial(T0 + 1)], T0 + 1)
    updates = engine.apply([dial(berlin("2027-01-16 08:00"))], berlin("2027-01-16 08:00"))
    assert values(updates, sub) == [1]
