"""The statistics engine: pure and synchronous; occurrences in, statistic values out."""

from statsrv.engine.categories import Category
from statsrv.engine.cells import CellKey, Definition, Subscription
from statsrv.engine.config import (
    StatisticsConfig,
    StatisticType,
    load_statistics_config,
    parse_statistics_config,
)
from statsrv.engine.directory import InMemoryDirectory, ObjectDirectory
from statsrv.engine.engine import StatisticsEngine, Update
from statsrv.engine.notification import NotificationMode, NotificationPolicy, NotificationSpec
from statsrv.engine.profiles import ProfileType
from statsrv.engine.resolver import InlineDefinition, ResolvedStatistic, StatisticRefused
from statsrv.engine.values import Value

__all__ = [
    "Category",
    "CellKey",
    "Definition",
    "InMemoryDirectory",
    "InlineDefinition",
    "NotificationMode",
    "NotificationPolicy",
    "NotificationSpec",
    "ObjectDirectory",
    "ProfileType",
    "ResolvedStatistic",
    "StatisticRefused",
    "StatisticType",
    "StatisticsConfig",
    "StatisticsEngine",
    "Subscription",
    "Update",
    "Value",
    "load_statistics_config",
    "parse_statistics_config",
]
