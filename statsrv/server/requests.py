"""Translation between the wire's request structures and the statistics engine's arguments."""

from __future__ import annotations

from typing import Any

from protocol import (
    EventStatisticProfile,
    RequestGetStatistic,
    RequestGetStatisticEx,
    RequestOpenStatistic,
    RequestOpenStatisticEx,
)
from statsrv.engine import InlineDefinition, NotificationSpec, StatisticsEngine

AnyStatisticRequest = (
    RequestOpenStatistic | RequestOpenStatisticEx | RequestGetStatistic | RequestGetStatisticEx
)


def resolve_request(
    engine: StatisticsEngine, request: AnyStatisticRequest, *, for_get: bool = False
) -> Any:
    """Resolve an open or get request; raises StatisticRefused naming the field."""
    obj = request.statistic_object
    if isinstance(request, RequestOpenStatistic | RequestGetStatistic):
        metric = request.statistic_metric
        statistic: str | InlineDefinition = metric.statistic_type
    else:
        metric = request.statistic_metric_ex
        statistic = InlineDefinition(
            category=metric.category,
            main_mask=_mask(metric.main_mask),
            rel_mask=_mask(metric.rel_mask),
            subject=metric.subject,
        )
    notification = getattr(request, "notification", None)
    spec = None
    if notification is not None:
        spec = NotificationSpec(
            mode=notification.mode,
            frequency=notification.frequency,
            insensitivity=notification.insensitivity,
        )
    return engine.resolve(
        obj.object_type,
        obj.object_id,
        obj.tenant_name,
        obj.tenant_password,
        statistic,
        metric.time_profile,
        spec,
        for_get=for_get,
    )


def _mask(items: Any) -> tuple[str, ...] | None:
    return None if items is None else tuple(items)


def profile_event(reference_id: int, described: dict[str, Any]) -> EventStatisticProfile:
    """EventStatisticProfile from the engine's description of its configuration."""
    return EventStatisticProfile(
        reference_id=reference_id,
        statistic_types=described["StatisticTypes"],
        time_profiles=described["TimeProfiles"],
        object_types=described["ObjectTypes"],
        categories=described["Categories"],
        actions=described["Actions"],
    )
