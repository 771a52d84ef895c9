"""Checking an open or get request and resolving it to a cell key and a notification policy.

Faults are reported in the contract's order: InvalidRequest, TenantAccessDenied,
UnknownObjectType, UnknownObject, UnknownStatisticType, UnknownCategory, InvalidMask,
UnknownTimeProfile, NotApplicable, InvalidNotification.
"""

from __future__ import annotations

import hmac
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple, NoReturn

from protocol.errors import ErrorCode
from statsrv.domain.actions import ObjectType
from statsrv.engine.categories import (
    CATEGORY_NAMES,
    RULES,
    SUBJECT,
    Category,
    NotApplicableError,
    applicable_masks,
)
from statsrv.engine.cells import CellKey, Definition
from statsrv.engine.config import StatisticsConfig, StatisticType
from statsrv.engine.directory import ObjectDirectory
from statsrv.engine.masks import MaskError, resolve_mask
from statsrv.engine.notification import (
    NotificationError,
    NotificationPolicy,
    NotificationSpec,
    check_notification,
)
from statsrv.engine.profiles import ProfileType

_OBJECT_TYPES: tuple[str, ...] = tuple(t.value for t in ObjectType)


class StatisticRefused(Exception):
    """A request the engine refuses; `description` names the field as on the wire."""

    def __init__(self, code: ErrorCode, description: str) -> None:
        super().__init__(f"{code.name}: {description}")
        self.code = code
        self.description = description


class InlineDefinition(NamedTuple):
    """A statistic defined in the request (StatisticMetricEx)."""

    category: str
    main_mask: tuple[str, ...] | None
    rel_mask: tuple[str, ...] | None
    subject: str = SUBJECT


@dataclass(frozen=True, slots=True)
class ResolvedStatistic:
    """A checked request: the cell it reads and, for an open, its notification policy."""

    key: CellKey
    notification: NotificationPolicy | None


class Resolver:
    """Checks requests against the configuration, the profiles and the object directory."""

    def __init__(
        self,
        config: StatisticsConfig,
        profile_types: Mapping[str, ProfileType],
        directory: ObjectDirectory,
    ) -> None:
        self._config = config
        self._profile_types = profile_types
        self._directory = directory

    def resolve(
        self,
        object_type: str,
        object_id: str,
        tenant: str,
        tenant_password: str | None,
        statistic: str | InlineDefinition,
        profile: str | None,
        notification: NotificationSpec | None,
        *,
        for_get: bool = False,
    ) -> ResolvedStatistic:
        """The resolved statistic, or StatisticRefused for the first fault in contract order."""
        metric = (
            "StatisticMetricEx" if isinstance(statistic, InlineDefinition) else "StatisticMetric"
        )
        if isinstance(statistic, InlineDefinition) and statistic.subject != SUBJECT:
            _refuse(
                ErrorCode.InvalidRequest,
                f"{metric}.Subject: must be '{SUBJECT}', got {statistic.subject!r}",
            )
        self._check_tenant_password(tenant, tenant_password)
        kind = _object_type(object_type)
        self._check_object(tenant, kind, object_id)
        category, main, rel = self._definition(statistic, metric)
        profile_name = self._profile(profile, metric)
        definition = self._applicable(statistic, metric, category, main, rel, kind)
        policy = None
        if not for_get:
            try:
                policy = check_notification(
                    notification, profile_name, self._profile_types[profile_name], category
                )
            except NotificationError as error:
                _refuse(ErrorCode.InvalidNotification, str(error))
        return ResolvedStatistic(CellKey(tenant, kind, object_id, definition, profile_name), policy)

    def _check_tenant_password(self, tenant: str, given: str | None) -> None:
        expected = self._directory.tenant_password(tenant)
        if expected is None:
            return
        if given is None or not hmac.compare_digest(given.encode(), expected.encode()):
            _refuse(
                ErrorCode.TenantAccessDenied,
                f"StatisticObject.TenantPassword: wrong password for tenant '{tenant}'",
            )

    def _check_object(self, tenant: str, kind: ObjectType, object_id: str) -> None:
        if not self._directory.tenant_exists(tenant):
            _refuse(
                ErrorCode.UnknownObject, f"StatisticObject.TenantName: unknown tenant '{tenant}'"
            )
        if not self._directory.object_allowed(tenant, kind, object_id):
            _refuse(
                ErrorCode.UnknownObject,
                f"StatisticObject.ObjectId: unknown {kind} '{object_id}' in tenant '{tenant}'",
            )

    def _definition(
        self, statistic: str | InlineDefinition, metric: str
    ) -> tuple[Category, frozenset[str], frozenset[str]]:
        if not isinstance(statistic, InlineDefinition):
            named = self._named(statistic, metric)
            return named.category, named.main_actions, named.rel_actions
        if statistic.category not in CATEGORY_NAMES:
            _refuse(
                ErrorCode.UnknownCategory,
                f"{metric}.Category: unknown category {statistic.category!r}; "
                f"known: {', '.join(CATEGORY_NAMES)}",
            )
        category = Category(statistic.category)
        rule = RULES[category]
        main = _mask(statistic.main_mask, f"{metric}.MainMask", category, required=rule.uses_masks)
        if statistic.rel_mask is not None and not rule.relative:
            _refuse(
                ErrorCode.InvalidMask,
                f"{metric}.RelMask: only the Relative categories take one, not {category}",
            )
        rel = _mask(statistic.rel_mask, f"{metric}.RelMask", category, required=rule.relative)
        return category, main if rule.uses_masks else frozenset(), rel

    def _named(self, name: str, metric: str) -> StatisticType:
        named = self._config.statistic_types.get(name)
        if named is None:
            _refuse(
                ErrorCode.UnknownStatisticType,
                f"{metric}.StatisticType: unknown statistic type {name!r}",
            )
        return named

    def _profile(self, profile: str | None, metric: str) -> str:
        name = "Default" if profile is None else profile
        if name not in self._profile_types:
            known = ", ".join(sorted(self._profile_types))
            _refuse(
                ErrorCode.UnknownTimeProfile,
                f"{metric}.TimeProfile: unknown time profile {name!r}; known: {known}",
            )
        return name

    def _applicable(
        self,
        statistic: str | InlineDefinition,
        metric: str,
        category: Category,
        main: frozenset[str],
        rel: frozenset[str],
        kind: ObjectType,
    ) -> Definition:
        if (
            isinstance(statistic, str)
            and kind not in self._config.statistic_types[statistic].objects
        ):
            _refuse(
                ErrorCode.NotApplicable,
                f"{metric}.StatisticType: '{statistic}' is not defined for object type '{kind}'",
            )
        try:
            return _applicable_definition(category, main, rel, kind)
        except NotApplicableError as error:
            field = "StatisticType" if isinstance(statistic, str) else error.field
            _refuse(ErrorCode.NotApplicable, f"{metric}.{field}: {error.reason}")


@lru_cache(maxsize=4096)
def _applicable_definition(
    category: Category, main: frozenset[str], rel: frozenset[str], kind: ObjectType
) -> Definition:
    main_left, rel_left = applicable_masks(category, main, rel, kind)
    return Definition(category, main_left, rel_left)


def _object_type(value: str) -> ObjectType:
    if value not in _OBJECT_TYPES:
        _refuse(
            ErrorCode.UnknownObjectType,
            f"StatisticObject.ObjectType: unknown object type {value!r}; "
            f"known: {', '.join(_OBJECT_TYPES)}",
        )
    return ObjectType(value)


def _mask(
    items: tuple[str, ...] | None, field: str, category: Category, *, required: bool
) -> frozenset[str]:
    if items is None:
        if required:
            _refuse(ErrorCode.InvalidMask, f"{field}: required for category {category}")
        return frozenset()
    if not required:
        return frozenset()
    try:
        return resolve_mask(tuple(items))
    except MaskError as error:
        _refuse(ErrorCode.InvalidMask, f"{field}: {error}")


def _refuse(code: ErrorCode, description: str) -> NoReturn:
    raise StatisticRefused(code, description)
