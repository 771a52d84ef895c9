"""The configuration as EventStatisticProfile shows it to clients."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from statsrv.domain.actions import ALL_ACTIONS, ObjectType
from statsrv.engine.config import StatisticsConfig, StatisticType
from statsrv.engine.profiles import GrowingProfile, SlidingProfile, TimeProfile


def describe_config(
    config: StatisticsConfig, profiles: Sequence[TimeProfile], categories: Sequence[str]
) -> dict[str, Any]:
    """{StatisticTypes, TimeProfiles, ObjectTypes, Categories, Actions} with plain values."""
    return {
        "StatisticTypes": {name: _statistic_type(t) for name, t in config.statistic_types.items()},
        "TimeProfiles": {p.name: _profile(p) for p in profiles},
        "ObjectTypes": [t.value for t in ObjectType],
        "Categories": list(categories),
        "Actions": sorted(ALL_ACTIONS),
    }


def _statistic_type(statistic: StatisticType) -> dict[str, Any]:
    described: dict[str, Any] = {
        "Category": statistic.category.value,
        "MainMask": list(statistic.main_mask),
    }
    if statistic.rel_mask is not None:
        described["RelMask"] = list(statistic.rel_mask)
    described["Subject"] = statistic.subject
    described["Objects"] = [t.value for t in statistic.objects]
    return described


def _profile(profile: TimeProfile) -> dict[str, Any]:
    if isinstance(profile, GrowingProfile):
        return {
            "Type": profile.type.value,
            "Resets": [reset.strftime("%H:%M") for reset in profile.resets],
            "TimeZone": profile.zone.key,
        }
    if isinstance(profile, SlidingProfile):
        return {
            "Type": profile.type.value,
            "WindowSeconds": profile.steps * profile.step_seconds,
            "StepSeconds": profile.step_seconds,
        }
    return {"Type": profile.type.value}
