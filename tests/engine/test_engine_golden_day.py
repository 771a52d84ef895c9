"""A scripted day on one campaign with exact expected values on every shipped profile.

Berlin, Friday 2027-01-15 (UTC+1). The statistics are opened late, at 15:00: history does not
depend on when a statistic is opened.
"""

from __future__ import annotations

import pytest
from engine_support import (
    CAMPAIGN,
    GROUP,
    C,
    G,
    berlin,
    end,
    inline,
    instant,
    open_statistic,
    start,
)

from statsrv.engine import StatisticsEngine


def day(clock: str) -> float:
    return berlin(f"2027-01-15 {clock}")


SCRIPT = [
    instant(C, CAMPAIGN, "DialMade", berlin("2027-01-14 23:00")),
    start(C, CAMPAIGN, "StatusActivated", day("08:00")),
    end(C, CAMPAIGN, "StatusActivated", day("09:00")),
    start(C, CAMPAIGN, "StatusRunning", day("09:00")),
    start(C, CAMPAIGN, "Predict", day("09:00")),
    start(C, CAMPAIGN, "StatusWaitingAgents", day("09:30")),
    end(C, CAMPAIGN, "StatusWaitingAgents", day("09:40")),
    instant(C, CAMPAIGN, "DialMade", day("10:00:00")),
    instant(C, CAMPAIGN, "DialAnswer", day("10:00:00")),
    instant(C, CAMPAIGN, "DialMade", day("10:00:02")),
    instant(C, CAMPAIGN, "DialAnswer", day("10:00:02")),
    instant(C, CAMPAIGN, "DialMade", day("10:00:05")),
    instant(C, CAMPAIGN, "DialBusy", day("10:00:05")),
    end(C, CAMPAIGN, "Predict", day("10:15")),
    start(C, CAMPAIGN, "Power", day("10:15")),
    start(C, CAMPAIGN, "StatusWaitingAgents", day("10:20")),
    end(C, CAMPAIGN, "StatusWaitingAgents", day("10:50")),
    instant(C, CAMPAIGN, "RecordsScheduled", day("11:00"), 500),
    instant(C, CAMPAIGN, "RecordsScheduled", day("11:30"), 420),
    end(C, CAMPAIGN, "StatusRunning", day("12:00")),
    end(C, CAMPAIGN, "Power", day("12:00")),
    start(C, CAMPAIGN, "StatusActivated", day("12:00")),
    end(C, CAMPAIGN, "StatusActivated", day("13:00")),
    start(C, CAMPAIGN, "StatusRunning", day("13:00")),
    start(C, CAMPAIGN, "Preview", day("13:00")),
    start(G, GROUP, "StatusRunning", day("13:00")),
    start(G, GROUP, "Preview", day("13:00")),
    instant(C, CAMPAIGN, "DialMade", day("14:05")),
    instant(C, CAMPAIGN, "DialAnswMachine", day("14:05")),
    instant(C, CAMPAIGN, "DialMade", day("14:06")),
    instant(C, CAMPAIGN, "DialAnswer", day("14:06")),
    instant(C, CAMPAIGN, "CallbackScheduled", day("14:07")),
    instant(C, CAMPAIGN, "PersonalCallbackScheduled", day("14:08")),
    instant(C, CAMPAIGN, "CallbackMissed", day("14:09")),
    start(G, GROUP, "StatusWaitingAgents", day("14:10")),
    instant(C, CAMPAIGN, "RecordsNotProcessed", day("14:30"), 35),
]

AT_15 = {
    # statistic type: (Default, Shift, LastHour, Last15Min, SinceStart)
    "DialsMade": (5, 2, 2, 0, 6),
    "Answers": (3, 1, 1, 0, 3),
    "AnswerRate": (60.0, 50.0, 50.0, 0.0, 50.0),
    "Busy": (1, 0, 0, 0, 1),
    "AnsweringMachine": (1, 1, 1, 0, 1),
    "CallbacksScheduled": (2, 2, 2, 0, 2),
    "CallbacksMissed": (1, 1, 1, 0, 1),
    "RecordsNotProcessed": (35, 35, 35, 0, 35),
    "RecordsScheduled": (420, 420, 420, 420, 420),
    "TimeRunning": (18000, 3600, 3540, 840, 18000),
    "AverageRunTime": (10800.0, 0.0, 0.0, 0.0, 10800.0),
    "LongestRun": (10800, 0, 0, 0, 10800),
    "ShortestRun": (10800, 0, 0, 0, 10800),
    "TimeWaitingForAgents": (2400, 0, 0, 0, 2400),
    "WaitingForAgentsNow": (0, 0, 0, 0, 0),
    "WaitingForAgentsShare": (100 * 2400 / 18000, 0.0, 0.0, 0.0, 100 * 2400 / 18000),
}
PROFILES = ("Default", "Shift", "LastHour", "Last15Min", "SinceStart")


@pytest.fixture
def played(engine: StatisticsEngine) -> StatisticsEngine:
    for occurrence in SCRIPT:
        engine.apply([occurrence], occurrence.time)
    engine.on_timer(day("15:00"))
    return engine


@pytest.mark.parametrize("statistic", sorted(AT_15))
def test_values_at_15_00_on_every_profile(played: StatisticsEngine, statistic: str) -> None:
    now = day("15:00")
    for profile, want in zip(PROFILES, AT_15[statistic], strict=True):
        got = open_statistic(played, statistic, now, profile=profile).value(now)
        assert got == pytest.approx(want), (statistic, profile)
        assert type(got) is type(want), (statistic, profile)


def test_campaign_and_group_state(played: StatisticsEngine) -> None:
    now = day("15:00")
    assert open_statistic(played, "CampaignState", now).value(now) == {
        "Status": "StatusRunning",
        "DialMode": "Preview",
        "DialModes": ["Preview"],
        "Conditions": [],
        "Since": day("13:00"),
    }
    group = open_statistic(played, "CampaignState", now, object_type=G, object_id=GROUP)
    assert group.value(now)["Conditions"] == ["StatusWaitingAgents"]
    waiting = open_statistic(played, "WaitingForAgentsNow", now, object_type=G, object_id=GROUP)
    assert waiting.value(now) == 3000


@pytest.mark.parametrize(
    ("category", "main", "want"),
    [
        ("TotalNumber", ("StatusRunning",), 2),
        ("TotalNumber", ("Dial*", "~DialMade"), 5),
        ("CurrentNumber", ("StatusRunning", "Preview", "Power"), 2),
        ("CurrentTime", ("StatusRunning",), 7200),
        ("TotalTime", ("Predict", "Power"), 10800),
        ("MinTime", ("StatusWaitingAgents",), 600),
        ("MaxTime", ("StatusWaitingAgents",), 1800),
        ("AverageTime", ("StatusWaitingAgents", "Predict"), (600 + 1800 + 4500) / 3),
    ],
)
def test_inline_statistics_on_default(
    played: StatisticsEngine, category: str, main: tuple[str, ...], want: float
) -> None:
    now = day("15:00")
    assert open_statistic(played, inline(category, main), now).value(now) == want


def test_get_without_open_gives_the_same_value(played: StatisticsEngine) -> None:
    now = day("15:00")
    resolved = played.resolve("Campaign", CAMPAIGN, "Environment", None, "TimeRunning", None, None)
    assert played.value_of(resolved, now) == 18000
    assert played.statistics()["cells"] == 0


def test_after_midnight_default_restarts_and_since_start_does_not(played: StatisticsEngine) -> None:
    now = berlin("2027-01-16 00:00:30")
    assert open_statistic(played, "DialsMade", now).value(now) == 0
    assert open_statistic(played, "DialsMade", now, profile="SinceStart").value(now) == 6
    assert open_statistic(played, "TimeRunning", now).value(now) == 30
    assert open_statistic(played, "RecordsScheduled", now).value(now) == 420


def test_shift_before_six_counts_since_ten_pm() -> None:
    from engine_support import make_engine

    engine = make_engine()
    for occurrence in SCRIPT[:1]:
        engine.apply([occurrence], occurrence.time)
    now = day("05:00")
    assert open_statistic(engine, "DialsMade", now, profile="Shift").value(now) == 1
    assert open_statistic(engine, "DialsMade", now).value(now) == 0
