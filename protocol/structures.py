"""The nested structures of client requests: maps inside a message's map.

Attributes are the snake_case of the wire field names (`ObjectId` -> `object_id`); the
codec derives the wire names from them. Optional fields default to None (absent on the
wire) unless the contract names another default.
"""

from __future__ import annotations

from dataclasses import dataclass

from protocol.constants import DEFAULT_NOTIFICATION_MODE, DEFAULT_TENANT


@dataclass(frozen=True, slots=True, kw_only=True)
class StatisticObject:
    """The object a statistic is about: its id and type, within a tenant."""

    object_id: str
    object_type: str
    tenant_name: str = DEFAULT_TENANT
    tenant_password: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class StatisticMetric:
    """A configured statistic type, optionally over a time profile."""

    statistic_type: str
    time_profile: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class StatisticMetricEx:
    """A statistic defined inline: category, subject and action masks."""

    category: str
    subject: str
    main_mask: tuple[str, ...] | None = None
    rel_mask: tuple[str, ...] | None = None
    time_profile: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Notification:
    """When the server pushes a statistic's value: the notification mode and its parameters."""

    mode: str = DEFAULT_NOTIFICATION_MODE
    frequency: float | None = None
    insensitivity: float | None = None


STRUCTURE_TYPES: tuple[type, ...] = (
    StatisticObject,
    StatisticMetric,
    StatisticMetricEx,
    Notification,
)
"""Every structure of the catalogue."""
