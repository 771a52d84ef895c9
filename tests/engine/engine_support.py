"""Helpers for the engine tests: a directory, occurrences, opening statistics."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from statsrv.domain.actions import DEFAULT_TENANT, Kind, ObjectType, Occurrence
from statsrv.engine import (
    InlineDefinition,
    InMemoryDirectory,
    NotificationSpec,
    StatisticsConfig,
    StatisticsEngine,
    Subscription,
    load_statistics_config,
)

CONFIG_PATH = Path(__file__).resolve().parents[2] / "config" / "statistics.toml"
BERLIN = ZoneInfo("Europe/Berlin")
TENANT = DEFAULT_TENANT
CAMPAIGN = "Spring2027"
GROUP = "Spring2027@Sales"
CCL = "Spring2027@LeadsEast"
LIST = "LeadsEast"

C = ObjectType.CAMPAIGN
G = ObjectType.CAMPAIGN_GROUP
CL = ObjectType.CALLING_LIST
CCLT = ObjectType.CAMPAIGN_CALLING_LIST


def berlin(text: str) -> float:
    """Unix seconds of a Berlin wall time "YYYY-MM-DD HH:MM[:SS]" (first occurrence)."""
    return datetime.fromisoformat(text).replace(tzinfo=BERLIN).timestamp()


def start(object_type: ObjectType, object_id: str, action: str, at: float) -> Occurrence:
    """A durable action starts."""
    return Occurrence(TENANT, object_type, object_id, action, Kind.START, at)


def end(object_type: ObjectType, object_id: str, action: str, at: float) -> Occurrence:
    """A durable action ends."""
    return Occurrence(TENANT, object_type, object_id, action, Kind.END, at)


def instant(
    object_type: ObjectType, object_id: str, action: str, at: float, weight: int = 1
) -> Occurrence:
    """An instant action happens (weighted)."""
    return Occurrence(TENANT, object_type, object_id, action, Kind.INSTANT, at, weight)


def make_directory() -> InMemoryDirectory:
    """Tenant Environment (strict, no password) with the test objects, and a locked tenant."""
    directory = InMemoryDirectory()
    directory.add_tenant(TENANT)
    for object_type, object_id in ((C, CAMPAIGN), (G, GROUP), (CCLT, CCL), (CL, LIST)):
        directory.add_object(TENANT, object_type, object_id)
    directory.add_tenant("Locked", password="s3cret")
    directory.add_object("Locked", C, CAMPAIGN)
    directory.add_tenant("Open", strict=False)
    return directory


def make_engine(config: StatisticsConfig | None = None) -> StatisticsEngine:
    """An engine on `config` (default: the shipped one), in Europe/Berlin."""
    return StatisticsEngine(config or load_statistics_config(CONFIG_PATH), BERLIN, make_directory())


OpenFn = Callable[..., Subscription]


def open_statistic(
    engine: StatisticsEngine,
    statistic: str | InlineDefinition,
    now: float,
    *,
    object_type: ObjectType = C,
    object_id: str = CAMPAIGN,
    profile: str | None = None,
    mode: str = "NoNotification",
    frequency: float | None = None,
    insensitivity: float | None = None,
    owner: object = "client",
) -> Subscription:
    """Resolve and subscribe in one step."""
    resolved = engine.resolve(
        object_type,
        object_id,
        TENANT,
        None,
        statistic,
        profile,
        NotificationSpec(mode, frequency, insensitivity),
    )
    return engine.subscribe(resolved, owner, now)


def inline(category: str, main: tuple[str, ...] | None = None, rel: tuple[str, ...] | None = None):
    """An inline (StatisticMetricEx) definition."""
    return InlineDefinition(category, main, rel, "CampaignAction")
