"""Scenario files: the shipped ones are valid timelines; mistakes name the step and the key."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from test_simulator import StreamChecker

from statsrv.config_error import ConfigError
from statsrv.dialer import Scenario, bundled_scenarios, load_scenario, parse_scenario

START = 1_750_000_000.0
DEMO_GROUPS = {("Spring2027", "Sales"), ("Spring2027", "Retention"), ("Autumn2027", "Sales")}
DEMO_LISTS = {("Spring2027", "LeadsEast"), ("Spring2027", "LeadsWest"), ("Autumn2027", "LeadsWest")}


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "case.toml"
    path.write_text(text, encoding="utf-8")
    return path


LOAD = '{ at = 0.0, event = "GroupLoaded", Campaign = "C", Group = "G" }'


def steps_toml(*steps: str) -> str:
    return 'name = "case"\nstep = [\n' + ",\n".join(steps) + "\n]\n"


# --- the shipped scenarios -------------------------------------------------------------------


def test_the_three_scenarios_are_shipped():
    assert {"morning-start", "typical-hour", "trouble"} <= set(bundled_scenarios())


@pytest.fixture(params=sorted(bundled_scenarios()))
def shipped(request) -> Scenario:
    return load_scenario(bundled_scenarios()[request.param])


def test_shipped_scenarios_are_valid_from_a_fresh_state(shipped):
    events = shipped.events(START)
    assert events
    StreamChecker().check_all(events)


def test_shipped_scenarios_use_the_demo_catalogue(shipped):
    bodies = [body for _, body in shipped.events(START)]
    assert {(b["Campaign"], b["Group"]) for b in bodies if "Group" in b} <= DEMO_GROUPS
    lists = {(b["Campaign"], b["CallingList"]) for b in bodies if "CallingList" in b}
    assert lists <= DEMO_LISTS
    assert all("Tenant" not in b for b in bodies)


def test_shipped_scenarios_are_described(shipped):
    assert shipped.name in bundled_scenarios()
    assert len(shipped.description) > 40


def test_events_start_at_the_given_time_in_order(shipped):
    events = shipped.events(START)
    times = [t for t, _ in events]
    assert times == sorted(times)
    assert times[0] == START
    assert times[-1] == pytest.approx(START + shipped.duration)
    assert shipped.events(START) == events


def scenario_events(name: str) -> list[dict]:
    return [body for _, body in load_scenario(bundled_scenarios()[name]).events(START)]


def test_morning_start_loads_starts_and_dials():
    bodies = scenario_events("morning-start")
    loaded = {(b["Campaign"], b["Group"]) for b in bodies if b["Event"] == "GroupLoaded"}
    started = {(b["Campaign"], b["Group"]) for b in bodies if b["Event"] == "DialingStarted"}
    assert loaded == started == DEMO_GROUPS
    assert sum(b["Event"] == "DialResult" for b in bodies) >= 20
    assert any(b["Event"] == "ChainProcessed" for b in bodies)


def test_typical_hour_has_the_mix_of_a_working_hour():
    bodies = scenario_events("typical-hour")
    names = Counter(b["Event"] for b in bodies)
    assert bodies[-1]["Time"] - bodies[0]["Time"] > 3000
    for event in (
        "DialModeChanged",
        "GroupCondition",
        "Callback",
        "ChainProcessed",
        "RecordsScheduled",
        "AgentError",
        "ProcessingCompleted",
    ):
        assert names[event] > 0, event
    results = Counter(b["CallResult"] for b in bodies if b["Event"] == "DialResult")
    assert 0.25 < results[33] / sum(results.values()) < 0.4
    kinds = {(b["Kind"], b["Personal"]) for b in bodies if b["Event"] == "Callback"}
    assert {("Completed", False), ("Missed", True)} <= kinds
    attempts = Counter(b["ChainId"] for b in bodies if b["Event"] == "DialResult")
    assert max(attempts.values()) >= 3
    for campaign in ("Spring2027", "Autumn2027"):
        counts = [
            b["Count"]
            for b in bodies
            if b["Event"] == "RecordsScheduled" and b["Campaign"] == campaign
        ]
        assert len(counts) > 5
        assert counts == sorted(counts, reverse=True)


def test_trouble_has_errors_bursts_and_a_restart():
    bodies = scenario_events("trouble")
    results = Counter(b["CallResult"] for b in bodies if b["Event"] == "DialResult")
    assert results[10] >= 50
    assert results[44] >= 10
    conditions = {b["Condition"] for b in bodies if b["Event"] == "GroupCondition"}
    assert {"SystemError", "WaitingAgents", "WaitingPorts"} <= conditions
    sales = [
        b["Event"]
        for b in bodies
        if (b["Campaign"], b.get("Group")) == ("Spring2027", "Sales")
        and b["Event"] in ("DialingStarted", "DialingStopped")
    ]
    assert sales == ["DialingStarted", "DialingStopped", "DialingStarted"]


# --- the format ------------------------------------------------------------------------------


def test_repeat_every_cycles_and_count_up(tmp_path):
    path = write(
        tmp_path,
        steps_toml(
            '{ at = 1.0, repeat = 4, every = 0.5, event = "DialResult", Campaign = "C",'
            ' CallingList = "L", RecordId = 10, ChainId = "x", CallResult = [33, 7],'
            ' count_up = ["RecordId"] }'
        ),
    )
    events = load_scenario(path).events(100.0)
    assert [t for t, _ in events] == [101.0, 101.5, 102.0, 102.5]
    assert [b["RecordId"] for _, b in events] == [10, 11, 12, 13]
    assert [b["CallResult"] for _, b in events] == [33, 7, 33, 7]
    assert {b["ChainId"] for _, b in events} == {"x"}
    assert list(events[0][1]) == [
        "Event",
        "Time",
        "Campaign",
        "CallingList",
        "RecordId",
        "ChainId",
        "CallResult",
    ]


def test_array_of_tables_form_and_file_order_for_ties(tmp_path):
    path = write(
        tmp_path,
        """
name = "tables"
description = "the long form"

[[step]]
at = 5
event = "DialingStarted"
Campaign = "C"
Group = "G"
DialMode = "Power"

[[step]]
at = 0
event = "GroupLoaded"
Campaign = "C"
Group = "G"

[[step]]
at = 5
event = "GroupCondition"
Campaign = "C"
Group = "G"
Condition = "WaitingAgents"
Active = true
""",
    )
    scenario = load_scenario(path)
    assert (scenario.name, scenario.description) == ("tables", "the long form")
    events = [b["Event"] for _, b in scenario.events(0.0)]
    assert events == ["GroupLoaded", "DialingStarted", "GroupCondition"]


def test_parse_scenario_takes_already_parsed_data():
    scenario = parse_scenario(
        {"name": "n", "step": [{"at": 0, "event": "RecordsScheduled", "Campaign": "C", "Count": 3}]}
    )
    assert scenario.events(10.0) == [
        (10.0, {"Event": "RecordsScheduled", "Time": 10.0, "Campaign": "C", "Count": 3})
    ]


# --- mistakes --------------------------------------------------------------------------------

BAD_STEPS = [
    ('{ at = 1.0, event = "GroupLoadd", Campaign = "C", Group = "G" }', "event", "unknown event"),
    ('{ at = 1.0, Campaign = "C", Group = "G" }', "event", "required"),
    ('{ event = "GroupUnloaded", Campaign = "C", Group = "G" }', "at", "required"),
    ('{ at = -1, event = "GroupUnloaded", Campaign = "C", Group = "G" }', "at", "0 or more"),
    ('{ at = 1, event = "GroupUnloaded", Campaign = "C", Grup = "G" }', "Grup", "unknown field"),
    ('{ at = 1, event = "GroupUnloaded", Campaign = "C" }', "Group", "required"),
    ('{ at = 1, event = "GroupUnloaded", Group = "G" }', "Campaign", "required"),
    ('{ at = 1, event = "GroupUnloaded", Campaign = "C", Group = "G@H" }', "Group", "'@'"),
    ('{ at = 1, event = "GroupUnloaded", Campaign = "C", Group = 5 }', "Group", "string"),
    ('{ at = 1, event = "GroupUnloaded", Campaign = "C", Group = "G", Time = 3.0 }', "Time", "at"),
    ('{ at = 1, event = "RecordsScheduled", Campaign = "C", Count = -2 }', "Count", "negative"),
    ('{ at = 1, event = "RecordsScheduled", Campaign = "C", Count = true }', "Count", "integer"),
    ('{ at = 1, event = "RecordsScheduled", Campaign = "C", Count = [] }', "Count", "empty"),
    (
        '{ at = 1, event = "DialingStarted", Campaign = "C", Group = "G", DialMode = "Turbo" }',
        "DialMode",
        "Predict",
    ),
    (
        '{ at = 1, event = "GroupCondition", Campaign = "C", Group = "G",'
        ' Condition = "WaitingAgents", Active = "yes" }',
        "Active",
        "true or false",
    ),
    (
        '{ at = 1, event = "Callback", Campaign = "C", CallingList = "L", RecordId = 1,'
        ' Kind = "Later", Personal = false }',
        "Kind",
        "Scheduled",
    ),
    (
        '{ at = 1, repeat = 3, event = "RecordsScheduled", Campaign = "C", Count = 1 }',
        "every",
        "repeat",
    ),
    (
        '{ at = 1, every = 2, event = "RecordsScheduled", Campaign = "C", Count = 1 }',
        "every",
        "repeat",
    ),
    (
        '{ at = 1, repeat = 0, every = 2, event = "RecordsScheduled", Campaign = "C", Count = 1 }',
        "repeat",
        "1 or more",
    ),
    (
        '{ at = 1, repeat = 2, every = 1, event = "RecordsScheduled", Campaign = "C",'
        ' Count = 1, count_up = ["Campaign"] }',
        "count_up",
        "not an integer field",
    ),
    ('{ at = 1, event = "DialingStopped", Campaign = "C", Group = "G" }', "event", "Activated"),
    ('{ at = 1, event = "GroupLoaded", Campaign = "C", Group = "G" }', "event", "Activated"),
]


@pytest.mark.parametrize(("step", "key", "reason"), BAD_STEPS)
def test_a_bad_second_step_is_refused_naming_step_and_key(tmp_path, step, key, reason):
    path = write(tmp_path, steps_toml(LOAD, step))
    with pytest.raises(ConfigError) as caught:
        load_scenario(path)
    error = caught.value
    assert (error.file, error.section, error.key) == (str(path), "step 2", key)
    assert reason in error.reason
    assert "step 2" in str(error)


def test_ending_an_inactive_condition_is_refused_at_its_step(tmp_path):
    start = '{ at = 1, event = "DialingStarted", Campaign = "C", Group = "G", DialMode = "Power" }'
    end = (
        '{ at = 2, event = "GroupCondition", Campaign = "C", Group = "G",'
        ' Condition = "SystemError", Active = false }'
    )
    path = write(tmp_path, steps_toml(LOAD, start, end))
    with pytest.raises(ConfigError) as caught:
        load_scenario(path)
    assert (caught.value.section, caught.value.key) == ("step 3", "event")
    assert "SystemError is not active" in caught.value.reason


def test_a_step_is_checked_at_its_time_not_its_place_in_the_file(tmp_path):
    late_load = LOAD.replace("at = 0.0", "at = 9.0")
    start = '{ at = 1, event = "DialingStarted", Campaign = "C", Group = "G", DialMode = "Power" }'
    path = write(tmp_path, steps_toml(late_load, start))
    with pytest.raises(ConfigError) as caught:
        load_scenario(path)
    assert caught.value.section == "step 2"
    assert "Deactivated" in caught.value.reason


def test_a_chain_processed_twice_is_refused_at_its_second_step(tmp_path):
    dial = (
        '{ at = 1, event = "DialResult", Campaign = "C", CallingList = "L",'
        " RecordId = 1, ChainId = 9, CallResult = 33 }"
    )
    done = (
        '{ at = 2, event = "ChainProcessed", Campaign = "C", CallingList = "L",'
        " ChainId = 9, CallResult = 33 }"
    )
    path = write(tmp_path, steps_toml(dial, done, done))
    with pytest.raises(ConfigError) as caught:
        load_scenario(path)
    assert (caught.value.section, caught.value.key) == ("step 3", "ChainId")
    assert "step 2" in caught.value.reason


@pytest.mark.parametrize(
    ("text", "key", "reason"),
    [
        ('name = "x"\nstep = [\n' + LOAD + "\n]\ncolour = 1\n", "colour", "unknown key"),
        ("step = [\n" + LOAD + "\n]\n", "name", "required"),
        ('name = "x"\n', "step", "at least one"),
        ('name = "x"\nstep = []\n', "step", "at least one"),
        ('name = "x"\ndescription = 3\nstep = [\n' + LOAD + "\n]\n", "description", "string"),
        ('name = "x"\nstep = [', "", "not valid TOML"),
    ],
)
def test_file_level_mistakes_name_the_key(tmp_path, text, key, reason):
    path = write(tmp_path, text)
    with pytest.raises(ConfigError) as caught:
        load_scenario(path)
    assert (caught.value.file, caught.value.key) == (str(path), key)
    assert reason in caught.value.reason


def test_a_step_that_is_not_a_table_is_refused(tmp_path):
    path = write(tmp_path, 'name = "x"\nstep = [1]\n')
    with pytest.raises(ConfigError) as caught:
        load_scenario(path)
    assert caught.value.section == "step 1"


def test_a_missing_file_is_a_config_error(tmp_path):
    with pytest.raises(ConfigError, match="cannot read"):
        load_scenario(tmp_path / "nope.toml")
