"""Notification modes (DOMAIN.md §6): checking a request's Notification; deciding what to send."""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache
from typing import NamedTuple

from statsrv.engine.categories import RULES, Category
from statsrv.engine.profiles import ProfileType

DEFAULT_FREQUENCY_SECONDS = 10.0
MIN_FREQUENCY_SECONDS = 1.0


class NotificationMode(StrEnum):
    """When a statistic's value is pushed."""

    IMMEDIATE = "Immediate"
    PERIODICAL = "Periodical"
    RESET = "Reset"
    NO_NOTIFICATION = "NoNotification"


MODE_NAMES: tuple[str, ...] = tuple(m.value for m in NotificationMode)
SENDS_INITIAL_VALUE = frozenset({NotificationMode.IMMEDIATE, NotificationMode.PERIODICAL})
_USES_FREQUENCY = frozenset({NotificationMode.PERIODICAL})
_USES_INSENSITIVITY = frozenset({NotificationMode.IMMEDIATE, NotificationMode.PERIODICAL})


class NotificationSpec(NamedTuple):
    """A request's `Notification` as sent (absent fields are None)."""

    mode: str = "Immediate"
    frequency: float | None = None
    insensitivity: float | None = None


@dataclass(frozen=True, slots=True)
class NotificationPolicy:
    """A checked notification: mode, Frequency (s, Periodical only) and Insensitivity."""

    mode: NotificationMode
    frequency: float = DEFAULT_FREQUENCY_SECONDS
    insensitivity: float = 0.0


class NotificationError(ValueError):
    """A Notification that cannot be honoured; the message names the field."""


def check_notification(
    spec: NotificationSpec | None,
    profile_name: str,
    profile_type: ProfileType,
    category: Category,
) -> NotificationPolicy:
    """The policy of a request's Notification, or NotificationError naming the field.

    Frequency is accepted only with Periodical and Insensitivity only with Immediate and
    Periodical, so a misplaced field surfaces instead of being silently ignored.
    """
    spec = spec or NotificationSpec()
    if spec.mode not in MODE_NAMES:
        known = ", ".join(MODE_NAMES)
        raise NotificationError(f"Notification.Mode: unknown mode {spec.mode!r}; known: {known}")
    mode = NotificationMode(spec.mode)
    frequency = _frequency(spec.frequency, mode)
    insensitivity = _insensitivity(spec.insensitivity, mode)
    if mode is NotificationMode.RESET:
        _check_reset(profile_name, profile_type, category)
    return _policy(mode, frequency, insensitivity)


@lru_cache(maxsize=1024)
def _policy(mode: NotificationMode, frequency: float, insensitivity: float) -> NotificationPolicy:
    """Equal policies are one shared object."""
    return NotificationPolicy(mode, frequency, insensitivity)


def _frequency(value: float | None, mode: NotificationMode) -> float:
    if value is None:
        return DEFAULT_FREQUENCY_SECONDS
    if mode not in _USES_FREQUENCY:
        raise NotificationError(f"Notification.Frequency: not used by mode '{mode}'")
    if not math.isfinite(value) or value < MIN_FREQUENCY_SECONDS:
        raise NotificationError(
            f"Notification.Frequency: must be at least {MIN_FREQUENCY_SECONDS:g} s, got {value!r}"
        )
    return float(value)


def _insensitivity(value: float | None, mode: NotificationMode) -> float:
    if value is None:
        return 0.0
    if mode not in _USES_INSENSITIVITY:
        raise NotificationError(f"Notification.Insensitivity: not used by mode '{mode}'")
    if not math.isfinite(value) or value < 0:
        raise NotificationError(f"Notification.Insensitivity: must be a number >= 0, got {value!r}")
    return float(value)


def _check_reset(profile_name: str, profile_type: ProfileType, category: Category) -> None:
    if profile_type is not ProfileType.GROWING:
        raise NotificationError(
            f"Notification.Mode: Reset needs a Growing time profile; "
            f"'{profile_name}' is {profile_type}"
        )
    if RULES[category].current:
        raise NotificationError(
            f"Notification.Mode: Reset does not apply to the current category {category}"
        )


def worth_sending(last: object, value: object, insensitivity: float) -> bool:
    """Whether `value` differs from the last one sent by at least `insensitivity`.

    Maps (CurrentState) are sent on every change; nothing sent yet means send.
    """
    if value == last:
        return False
    if insensitivity and isinstance(value, int | float) and isinstance(last, int | float):
        return abs(value - last) >= insensitivity
    return True
