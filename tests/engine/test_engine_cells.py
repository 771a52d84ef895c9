"""Shared cells: identical requests share one computation; the last close frees it."""

from __future__ import annotations

from engine_support import CAMPAIGN, C, berlin, inline, instant, open_statistic

from statsrv.engine import StatisticsEngine

T0 = berlin("2027-01-15 10:00")


def test_identical_requests_share_one_cell(engine: StatisticsEngine) -> None:
    first = open_statistic(engine, "DialsMade", T0, mode="Immediate", owner="a")
    second = open_statistic(
        engine, inline("TotalNumber", ("DialMade",)), T0, mode="Periodical", owner="b"
    )
    assert first.cell is second.cell
    assert engine.statistics()["cells"] == 1
    assert engine.statistics()["subscriptions"] == 2
    assert (first.owner, second.owner) == ("a", "b")


def test_different_profile_or_mask_gets_its_own_cell(engine: StatisticsEngine) -> None:
    a = open_statistic(engine, "DialsMade", T0)
    b = open_statistic(engine, "DialsMade", T0, profile="LastHour")
    c = open_statistic(engine, "Answers", T0)
    assert len({id(a.cell), id(b.cell), id(c.cell)}) == 3


def test_closing_one_keeps_the_other_and_closing_both_frees_the_cell(
    engine: StatisticsEngine,
) -> None:
    first = open_statistic(engine, "AnswerRate", T0, mode="Immediate", owner="a")
    second = open_statistic(engine, "AnswerRate", T0, mode="Immediate", owner="b")
    indexed = engine.statistics()["index_entries"]
    assert indexed == 2  # DialAnswer and DialMade of the campaign
    engine.unsubscribe(first)
    updates = engine.apply([instant(C, CAMPAIGN, "DialMade", T0 + 1)], T0 + 1)
    assert updates == []  # 0 answers of 1 dial: still 0.0, nothing to send
    updates = engine.apply(
        [instant(C, CAMPAIGN, "DialMade", T0 + 2), instant(C, CAMPAIGN, "DialAnswer", T0 + 2)],
        T0 + 2,
    )
    assert [(u.subscription.owner, u.value) for u in updates] == [("b", 50.0)]
    engine.unsubscribe(second)
    assert engine.statistics()["cells"] == 0
    assert engine.statistics()["index_entries"] == 0
    assert engine.statistics()["subscriptions"] == 0
    engine.unsubscribe(second)  # closing twice changes nothing
    assert engine.apply([instant(C, CAMPAIGN, "DialMade", T0 + 3)], T0 + 3) == []


def test_history_survives_closing_every_cell(engine: StatisticsEngine) -> None:
    sub = open_statistic(engine, "DialsMade", T0)
    engine.apply([instant(C, CAMPAIGN, "DialMade", T0 + 1)], T0 + 1)
    engine.unsubscribe(sub)
    assert open_statistic(engine, "DialsMade", T0 + 2).value(T0 + 2) == 1


def test_one_update_per_subscription_of_a_shared_cell(engine: StatisticsEngine) -> None:
    subs = [open_statistic(engine, "DialsMade", T0, mode="Immediate", owner=n) for n in range(3)]
    updates = engine.apply([instant(C, CAMPAIGN, "DialMade", T0 + 1)], T0 + 1)
    assert sorted(u.subscription.owner for u in updates) == [0, 1, 2]
    assert {u.value for u in updates} == {1}
    assert all(s.cell is subs[0].cell for s in subs)


def test_describe_lists_the_configuration(engine: StatisticsEngine) -> None:
    described = engine.describe()
    assert described["StatisticTypes"]["AnswerRate"] == {
        "Category": "RelativeNumberPercentage",
        "MainMask": ["DialAnswer"],
        "RelMask": ["DialMade"],
        "Subject": "CampaignAction",
        "Objects": ["Campaign", "CampaignGroup", "CampaignCallingList", "CallingList"],
    }
    assert described["TimeProfiles"]["Shift"] == {
        "Type": "Growing",
        "Resets": ["06:00", "14:00", "22:00"],
        "TimeZone": "Europe/Berlin",
    }
    assert described["TimeProfiles"]["LastHour"] == {
        "Type": "Sliding",
        "WindowSeconds": 3600,
        "StepSeconds": 60,
    }
    assert described["TimeProfiles"]["SinceStart"] == {"Type": "EverGrowing"}
    assert described["ObjectTypes"] == [
        "Campaign",
        "CampaignGroup",
        "CampaignCallingList",
        "CallingList",
    ]
    assert "DialNUTone" in described["Actions"] and "LeadNuTone" in described["Actions"]
    assert described["Actions"] == sorted(described["Actions"])


def test_engine_time_never_goes_back(engine: StatisticsEngine) -> None:
    sub = open_statistic(engine, "DialsMade", T0)
    engine.apply([instant(C, CAMPAIGN, "DialMade", T0 + 10)], T0 + 10)
    late = instant(C, CAMPAIGN, "DialMade", berlin("2027-01-14 23:59"))
    engine.apply([late], T0)  # an older occurrence is applied at engine time: today
    assert engine.peek(sub, T0) == 2
