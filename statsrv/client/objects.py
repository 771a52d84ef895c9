"""Short forms a caller may write for objects, statistic types and notification modes.

An object may be given as a `StatisticObject` or as text:

    "Campaign:Spring2027"                 ObjectType:ObjectId, tenant Environment
    "CampaignGroup:Spring2027@Sales"      the ObjectId keeps its own '@' (campaign@group)
    "Acme/Campaign:Spring2027"            Tenant/ObjectType:ObjectId, another tenant

A tenant password cannot be written in text; pass a `StatisticObject` for that.
"""

from __future__ import annotations

import dataclasses

from protocol import (
    DEFAULT_TENANT,
    Notification,
    StatisticMetric,
    StatisticMetricEx,
    StatisticObject,
)

ObjectLike = StatisticObject | str
StatisticLike = str | StatisticMetric | StatisticMetricEx
NotificationLike = Notification | str | None

NOTIFICATION_MODES = ("Immediate", "Periodical", "Reset", "NoNotification")


def parse_object(text: ObjectLike) -> StatisticObject:
    """A `StatisticObject` from `[Tenant/]ObjectType:ObjectId`; ValueError names the fault."""
    if isinstance(text, StatisticObject):
        return text
    if not isinstance(text, str):
        raise TypeError(f"object: expected a StatisticObject or a str, got {type(text).__name__}")
    head, colon, object_id = text.partition(":")
    if not colon or not object_id:
        raise ValueError(f"object {text!r}: expected ObjectType:ObjectId, e.g. Campaign:Spring2027")
    tenant, slash, object_type = head.rpartition("/")
    if not object_type:
        raise ValueError(f"object {text!r}: the ObjectType before ':' is empty")
    if slash and not tenant:
        raise ValueError(f"object {text!r}: the tenant before '/' is empty")
    if slash:
        return StatisticObject(object_id=object_id, object_type=object_type, tenant_name=tenant)
    return StatisticObject(object_id=object_id, object_type=object_type)


def object_label(obj: StatisticObject) -> str:
    """The text form of an object (the inverse of `parse_object`, without a password)."""
    label = f"{obj.object_type}:{obj.object_id}"
    if obj.tenant_name != DEFAULT_TENANT:
        label = f"{obj.tenant_name}/{label}"
    return label


def make_metric(
    statistic: StatisticLike, profile: str | None = None
) -> StatisticMetric | StatisticMetricEx:
    """A configured type name or an inline definition, over `profile` when one is given."""
    if isinstance(statistic, str):
        if not statistic:
            raise ValueError("statistic: the statistic type name is empty")
        return StatisticMetric(statistic_type=statistic, time_profile=profile)
    if isinstance(statistic, StatisticMetric | StatisticMetricEx):
        if profile is not None:
            return dataclasses.replace(statistic, time_profile=profile)
        return statistic
    raise TypeError(
        "statistic: expected a statistic type name, a StatisticMetric or a StatisticMetricEx, "
        f"got {type(statistic).__name__}"
    )


def make_notification(notification: NotificationLike) -> Notification | None:
    """A `Notification` from itself, a mode name, or None (the server's default, Immediate)."""
    if notification is None or isinstance(notification, Notification):
        return notification
    if isinstance(notification, str):
        if notification not in NOTIFICATION_MODES:
            raise ValueError(
                f"notification: unknown mode {notification!r}; known: "
                + ", ".join(NOTIFICATION_MODES)
            )
        return Notification(mode=notification)
    raise TypeError(
        f"notification: expected a Notification or a mode name, got {type(notification).__name__}"
    )
