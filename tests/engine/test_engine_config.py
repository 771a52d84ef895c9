"""statistics.toml: the shipped file loads; every mistake is refused naming file, section, key."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from engine_support import CONFIG_PATH

from statsrv.config_error import ConfigError
from statsrv.domain.actions import ObjectType
from statsrv.engine import load_statistics_config, parse_statistics_config
from statsrv.engine.categories import CATEGORY_NAMES

PROFILES: dict[str, Any] = {"Default": {"Type": "Growing", "Resets": ["00:00"]}}
DIALS: dict[str, Any] = {"Category": "TotalNumber", "MainMask": ["DialMade"]}


def config_with(
    types: dict[str, Any] | None = None, profiles: dict[str, Any] | None = None
) -> dict[str, Any]:
    return {"StatisticTypes": types or {"DialsMade": DIALS}, "TimeProfiles": profiles or PROFILES}


def test_shipped_configuration_is_useful() -> None:
    config = load_statistics_config(CONFIG_PATH)
    assert len(config.statistic_types) >= 10
    assert {"Default", "Shift", "LastHour", "Last15Min", "SinceStart"} <= set(config.time_profiles)
    used = {t.category for t in config.statistic_types.values()}
    assert used == set(CATEGORY_NAMES)
    assert config.statistic_types["AnswerRate"].rel_actions == {"DialMade"}
    assert config.statistic_types["RecordsNotProcessed"].objects == (
        ObjectType.CAMPAIGN,
        ObjectType.CALLING_LIST,
    )


def test_objects_left_out_means_every_applicable_type() -> None:
    config = parse_statistics_config(
        config_with({"Running": {"Category": "TotalTime", "MainMask": ["StatusRunning"]}}), "s.toml"
    )
    assert config.statistic_types["Running"].objects == (
        ObjectType.CAMPAIGN,
        ObjectType.CAMPAIGN_GROUP,
    )


BAD = [
    (
        {"DialsMade": {**DIALS, "MainMask": ["DialMad"]}},
        None,
        "StatisticTypes.DialsMade",
        "MainMask",
        "'DialMad' matches no action",
    ),
    (
        {"X": {"Category": "TotalCount", "MainMask": ["DialMade"]}},
        None,
        "StatisticTypes.X",
        "Category",
        "unknown category 'TotalCount'",
    ),
    ({"X": {"MainMask": ["DialMade"]}}, None, "StatisticTypes.X", "Category", "is required"),
    ({"X": {"Category": "TotalNumber"}}, None, "StatisticTypes.X", "MainMask", "is required"),
    (
        {"X": {**DIALS, "RelMask": ["DialMade"]}},
        None,
        "StatisticTypes.X",
        "RelMask",
        "only for Relative",
    ),
    (
        {"X": {"Category": "RelativeNumberPercentage", "MainMask": ["DialAnswer"]}},
        None,
        "StatisticTypes.X",
        "RelMask",
        "is required",
    ),
    (
        {"X": {**DIALS, "Subject": "AgentAction"}},
        None,
        "StatisticTypes.X",
        "Subject",
        "must be 'CampaignAction'",
    ),
    ({"X": {**DIALS, "Mask": ["DialMade"]}}, None, "StatisticTypes.X", "Mask", "unknown key"),
    (
        {"X": {**DIALS, "Objects": ["Agent"]}},
        None,
        "StatisticTypes.X",
        "Objects",
        "unknown object type 'Agent'",
    ),
    (
        {
            "X": {
                "Category": "TotalNumber",
                "MainMask": ["RecordsNotProcessed"],
                "Objects": ["CampaignGroup"],
            }
        },
        None,
        "StatisticTypes.X",
        "Objects",
        "not applicable to CampaignGroup",
    ),
    (
        {"X": {"Category": "CurrentState", "Objects": ["CallingList"]}},
        None,
        "StatisticTypes.X",
        "Objects",
        "not applicable to CallingList",
    ),
    (
        {"X": {"Category": "CurrentState", "MainMask": ["StatusRunning"]}},
        None,
        "StatisticTypes.X",
        "MainMask",
        "ignores masks",
    ),
    (
        {"X": {"Category": "TotalNumber", "MainMask": ["RecordsScheduled"]}},
        None,
        "StatisticTypes.X",
        "MainMask",
        "applies to no object type",
    ),
    (
        {"X": {**DIALS, "MainMask": "DialMade"}},
        None,
        "StatisticTypes.X",
        "MainMask",
        "must be a list",
    ),
    (
        None,
        {"Today": {"Type": "Growing", "Resets": ["00:00"]}},
        "TimeProfiles",
        "Default",
        "is required and missing",
    ),
    (None, {**PROFILES, "P": {"Type": "Rolling"}}, "TimeProfiles.P", "Type", "must be one of"),
    (
        None,
        {**PROFILES, "P": {"Type": "Growing", "Resets": []}},
        "TimeProfiles.P",
        "Resets",
        "non-empty list",
    ),
    (
        None,
        {**PROFILES, "P": {"Type": "Growing", "Resets": ["24:00"]}},
        "TimeProfiles.P",
        "Resets",
        "'24:00' is not a time of day",
    ),
    (
        None,
        {**PROFILES, "P": {"Type": "Growing", "Resets": ["06:00", "06:00"]}},
        "TimeProfiles.P",
        "Resets",
        "lists a time twice",
    ),
    (
        None,
        {**PROFILES, "P": {"Type": "Growing", "Resets": ["06:00"], "TimeZone": "Mars/Base"}},
        "TimeProfiles.P",
        "TimeZone",
        "unknown time zone",
    ),
    (
        None,
        {**PROFILES, "P": {"Type": "Sliding", "WindowSeconds": 100, "StepSeconds": 30}},
        "TimeProfiles.P",
        "WindowSeconds",
        "not a multiple of StepSeconds 30",
    ),
    (
        None,
        {**PROFILES, "P": {"Type": "Sliding", "WindowSeconds": 100, "StepSeconds": 0}},
        "TimeProfiles.P",
        "StepSeconds",
        ">= 1",
    ),
    (
        None,
        {**PROFILES, "P": {"Type": "Sliding", "WindowSeconds": 86400, "StepSeconds": 1}},
        "TimeProfiles.P",
        "StepSeconds",
        "at most 1440",
    ),
    (
        None,
        {**PROFILES, "P": {"Type": "EverGrowing", "Resets": ["00:00"]}},
        "TimeProfiles.P",
        "Resets",
        "unknown key",
    ),
]


@pytest.mark.parametrize(("types", "profiles", "section", "key", "reason"), BAD)
def test_mistakes_are_refused_naming_section_and_key(
    types: dict[str, Any] | None,
    profiles: dict[str, Any] | None,
    section: str,
    key: str,
    reason: str,
) -> None:
    with pytest.raises(ConfigError) as caught:
        parse_statistics_config(config_with(types, profiles), "statistics.toml")
    error = caught.value
    assert (error.file, error.section, error.key) == ("statistics.toml", section, key)
    assert reason in error.reason
    assert str(error).startswith(f"statistics.toml [{section}] {key}: ")


def test_unknown_top_level_table_is_refused() -> None:
    with pytest.raises(ConfigError, match="unknown table"):
        parse_statistics_config({**config_with(), "Statistics": {}}, "statistics.toml")


def test_file_errors_name_the_file(tmp_path: Path) -> None:
    broken = tmp_path / "statistics.toml"
    broken.write_text("[TimeProfiles.Default\n")
    with pytest.raises(ConfigError, match="is not valid TOML") as caught:
        load_statistics_config(broken)
    assert caught.value.file == str(broken)
    with pytest.raises(ConfigError, match="cannot be read"):
        load_statistics_config(tmp_path / "missing.toml")
