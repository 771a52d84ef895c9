"""statistics.toml: named statistic types and time profiles, checked completely at load."""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import time
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from statsrv.config_error import ConfigError
from statsrv.domain.actions import ObjectType
from statsrv.engine.categories import (
    CATEGORY_NAMES,
    RULES,
    SUBJECT,
    Category,
    NotApplicableError,
    applicable_masks,
)
from statsrv.engine.masks import MaskError, resolve_mask
from statsrv.engine.profiles import (
    EverGrowingSpec,
    GrowingSpec,
    ProfileSpec,
    ProfileType,
    SlidingSpec,
)

DEFAULT_PROFILE = "Default"
MAX_SLIDING_STEPS = 1440

_TYPE_KEYS = frozenset({"Category", "MainMask", "RelMask", "Subject", "Objects", "Description"})
_PROFILE_KEYS: dict[ProfileType, frozenset[str]] = {
    ProfileType.GROWING: frozenset({"Type", "Resets", "TimeZone", "Description"}),
    ProfileType.SLIDING: frozenset({"Type", "WindowSeconds", "StepSeconds", "Description"}),
    ProfileType.EVER_GROWING: frozenset({"Type", "Description"}),
}


@dataclass(frozen=True, slots=True)
class StatisticType:
    """A named statistic type: category, masks as written and as resolved, and object types."""

    name: str
    category: Category
    main_mask: tuple[str, ...]
    rel_mask: tuple[str, ...] | None
    main_actions: frozenset[str]
    rel_actions: frozenset[str]
    objects: tuple[ObjectType, ...]
    description: str = ""
    subject: str = SUBJECT


@dataclass(frozen=True, slots=True)
class StatisticsConfig:
    """Every statistic type and time profile, by name."""

    statistic_types: Mapping[str, StatisticType]
    time_profiles: Mapping[str, ProfileSpec]
    source: str = "statistics.toml"


def load_statistics_config(path: Path | str) -> StatisticsConfig:
    """Read and check a statistics.toml; raises ConfigError naming file, section, key, reason."""
    path = Path(path)
    try:
        with path.open("rb") as stream:
            data = tomllib.load(stream)
    except OSError as error:
        raise ConfigError(str(path), "", "file", f"cannot be read: {error.strerror}") from error
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(str(path), "", "file", f"is not valid TOML: {error}") from error
    return parse_statistics_config(data, str(path))


def parse_statistics_config(data: Mapping[str, Any], file: str) -> StatisticsConfig:
    """Check a parsed statistics.toml document (`file` names it in errors)."""
    for key in data:
        if key not in ("StatisticTypes", "TimeProfiles"):
            raise ConfigError(
                file, "", key, "unknown table; expected StatisticTypes and TimeProfiles"
            )
    profiles = {
        name: _profile(file, name, body)
        for name, body in _table(file, "", "TimeProfiles", data.get("TimeProfiles")).items()
    }
    if DEFAULT_PROFILE not in profiles:
        raise ConfigError(file, "TimeProfiles", DEFAULT_PROFILE, "is required and missing")
    types = {
        name: _statistic_type(file, name, body)
        for name, body in _table(file, "", "StatisticTypes", data.get("StatisticTypes")).items()
    }
    return StatisticsConfig(types, profiles, file)


# --- statistic types --------------------------------------------------------------------------


def _statistic_type(file: str, name: str, body: Any) -> StatisticType:
    section = f"StatisticTypes.{name}"
    body = _table(file, "StatisticTypes", name, body)
    _refuse_unknown_keys(file, section, body, _TYPE_KEYS)
    category = _category(file, section, body.get("Category"))
    rule = RULES[category]
    subject = body.get("Subject", SUBJECT)
    if subject != SUBJECT:
        raise ConfigError(file, section, "Subject", f"must be '{SUBJECT}', got {subject!r}")
    if not rule.uses_masks and "MainMask" in body:
        raise ConfigError(file, section, "MainMask", f"{category} ignores masks; remove it")
    main_mask = _mask(file, section, "MainMask", body.get("MainMask"), required=rule.uses_masks)
    rel_mask = _mask(file, section, "RelMask", body.get("RelMask"), required=rule.relative)
    if rel_mask is not None and not rule.relative:
        raise ConfigError(
            file, section, "RelMask", f"is only for Relative categories, not {category}"
        )
    main_actions = _actions(file, section, "MainMask", main_mask)
    rel_actions = _actions(file, section, "RelMask", rel_mask)
    objects = _objects(file, section, body.get("Objects"), category, main_actions, rel_actions)
    description = _string(file, section, "Description", body.get("Description", ""))
    return StatisticType(
        name=name,
        category=category,
        main_mask=main_mask or (),
        rel_mask=rel_mask,
        main_actions=main_actions,
        rel_actions=rel_actions,
        objects=objects,
        description=description,
    )


def _category(file: str, section: str, value: Any) -> Category:
    if value is None:
        raise ConfigError(file, section, "Category", "is required")
    if value not in CATEGORY_NAMES:
        known = ", ".join(CATEGORY_NAMES)
        raise ConfigError(file, section, "Category", f"unknown category {value!r}; known: {known}")
    return Category(value)


def _mask(
    file: str, section: str, key: str, value: Any, *, required: bool
) -> tuple[str, ...] | None:
    if value is None:
        if required:
            raise ConfigError(file, section, key, "is required for this category")
        return None
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise ConfigError(file, section, key, "must be a list of action names or patterns")
    return tuple(value)


def _actions(file: str, section: str, key: str, mask: tuple[str, ...] | None) -> frozenset[str]:
    if mask is None:
        return frozenset()
    try:
        return resolve_mask(mask)
    except MaskError as error:
        raise ConfigError(file, section, key, str(error)) from error


def _objects(
    file: str,
    section: str,
    value: Any,
    category: Category,
    main: frozenset[str],
    rel: frozenset[str],
) -> tuple[ObjectType, ...]:
    if value is None:
        usable = tuple(t for t in ObjectType if _applies(category, main, rel, t) is None)
        if not usable:
            raise ConfigError(file, section, "MainMask", "applies to no object type")
        return usable
    if not isinstance(value, list) or not value:
        raise ConfigError(file, section, "Objects", "must be a non-empty list of object types")
    objects: list[ObjectType] = []
    for item in value:
        if item not in ObjectType.__members__.values():
            known = ", ".join(ObjectType)
            raise ConfigError(
                file, section, "Objects", f"unknown object type {item!r}; known: {known}"
            )
        reason = _applies(category, main, rel, ObjectType(item))
        if reason is not None:
            raise ConfigError(file, section, "Objects", f"not applicable to {item}: {reason}")
        objects.append(ObjectType(item))
    return tuple(objects)


def _applies(
    category: Category, main: frozenset[str], rel: frozenset[str], object_type: ObjectType
) -> str | None:
    try:
        applicable_masks(category, main, rel, object_type)
    except NotApplicableError as error:
        return str(error)
    return None


# --- time profiles ----------------------------------------------------------------------------


def _profile(file: str, name: str, body: Any) -> ProfileSpec:
    section = f"TimeProfiles.{name}"
    body = _table(file, "TimeProfiles", name, body)
    kind = body.get("Type")
    if kind not in ProfileType.__members__.values():
        known = ", ".join(ProfileType)
        raise ConfigError(file, section, "Type", f"must be one of {known}, got {kind!r}")
    kind = ProfileType(kind)
    _refuse_unknown_keys(file, section, body, _PROFILE_KEYS[kind])
    description = _string(file, section, "Description", body.get("Description", ""))
    if kind is ProfileType.GROWING:
        return GrowingSpec(
            name=name,
            resets=_resets(file, section, body.get("Resets")),
            time_zone=_zone(file, section, body.get("TimeZone")),
            description=description,
        )
    if kind is ProfileType.SLIDING:
        window, step = _window(file, section, body)
        return SlidingSpec(name, window, step, description)
    return EverGrowingSpec(name, description)


def _resets(file: str, section: str, value: Any) -> tuple[time, ...]:
    if not isinstance(value, list) or not value:
        raise ConfigError(file, section, "Resets", 'must be a non-empty list of "HH:MM" times')
    resets = tuple(_time_of_day(file, section, item) for item in value)
    if len(set(resets)) != len(resets):
        raise ConfigError(file, section, "Resets", "lists a time twice")
    return tuple(sorted(resets))


def _time_of_day(file: str, section: str, item: Any) -> time:
    parts = item.split(":") if isinstance(item, str) else []
    if len(parts) == 2 and all(len(p) == 2 and p.isdigit() for p in parts):
        hour, minute = int(parts[0]), int(parts[1])
        if hour < 24 and minute < 60:
            return time(hour, minute)
    raise ConfigError(file, section, "Resets", f'{item!r} is not a time of day "HH:MM"')


def _zone(file: str, section: str, value: Any) -> str | None:
    if value is None:
        return None
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError, TypeError) as error:
        raise ConfigError(file, section, "TimeZone", f"unknown time zone {value!r}") from error
    return value


def _window(file: str, section: str, body: Mapping[str, Any]) -> tuple[int, int]:
    window = _positive_int(file, section, "WindowSeconds", body.get("WindowSeconds"))
    step = _positive_int(file, section, "StepSeconds", body.get("StepSeconds"))
    if window % step:
        raise ConfigError(
            file, section, "WindowSeconds", f"{window} is not a multiple of StepSeconds {step}"
        )
    if window // step > MAX_SLIDING_STEPS:
        raise ConfigError(
            file,
            section,
            "StepSeconds",
            f"window has {window // step} steps; at most {MAX_SLIDING_STEPS}",
        )
    return window, step


def _positive_int(file: str, section: str, key: str, value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ConfigError(
            file, section, key, f"must be a whole number of seconds >= 1, got {value!r}"
        )
    return value


# --- shared -------------------------------------------------------------------------------------


def _table(file: str, section: str, key: str, value: Any) -> Mapping[str, Any]:
    if value is None:
        raise ConfigError(file, section, key, "table is required and missing")
    if not isinstance(value, dict):
        raise ConfigError(file, section, key, "must be a table")
    return value


def _refuse_unknown_keys(
    file: str, section: str, body: Mapping[str, Any], allowed: frozenset[str]
) -> None:
    for key in body:
        if key not in allowed:
            raise ConfigError(
                file, section, key, f"unknown key; allowed: {', '.join(sorted(allowed))}"
            )


def _string(file: str, section: str, key: str, value: Any) -> str:
    if not isinstance(value, str):
        raise ConfigError(file, section, key, "must be a string")
    return value
