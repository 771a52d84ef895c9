"""Statistic categories and what each one may count (DOMAIN.md §4)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from statsrv.domain.actions import (
    ACTIONS_BY_OBJECT_TYPE,
    ALL_ACTIONS,
    DURABLE_ACTIONS,
    ObjectType,
)

RECORDS_SCHEDULED = "RecordsScheduled"
SUBJECT = "CampaignAction"


class Category(StrEnum):
    """The categories of the CampaignAction subject."""

    CURRENT_STATE = "CurrentState"
    CURRENT_NUMBER = "CurrentNumber"
    CURRENT_TIME = "CurrentTime"
    TOTAL_NUMBER = "TotalNumber"
    TOTAL_TIME = "TotalTime"
    AVERAGE_TIME = "AverageTime"
    MAX_TIME = "MaxTime"
    MIN_TIME = "MinTime"
    RELATIVE_NUMBER_PERCENTAGE = "RelativeNumberPercentage"
    RELATIVE_TIME_PERCENTAGE = "RelativeTimePercentage"


CATEGORY_NAMES: tuple[str, ...] = tuple(c.value for c in Category)


@dataclass(frozen=True, slots=True)
class CategoryRule:
    """What a category needs and which actions it can count."""

    uses_masks: bool
    relative: bool
    current: bool
    usable: frozenset[str]
    object_types: frozenset[ObjectType]


_ALL_TYPES = frozenset(ObjectType)
_NUMBERED = ALL_ACTIONS - {RECORDS_SCHEDULED}

RULES: dict[Category, CategoryRule] = {
    Category.CURRENT_STATE: CategoryRule(
        uses_masks=False,
        relative=False,
        current=True,
        usable=DURABLE_ACTIONS,
        object_types=frozenset({ObjectType.CAMPAIGN, ObjectType.CAMPAIGN_GROUP}),
    ),
    Category.CURRENT_NUMBER: CategoryRule(
        True, False, True, DURABLE_ACTIONS | {RECORDS_SCHEDULED}, _ALL_TYPES
    ),
    Category.CURRENT_TIME: CategoryRule(True, False, True, DURABLE_ACTIONS, _ALL_TYPES),
    Category.TOTAL_NUMBER: CategoryRule(True, False, False, _NUMBERED, _ALL_TYPES),
    Category.TOTAL_TIME: CategoryRule(True, False, False, DURABLE_ACTIONS, _ALL_TYPES),
    Category.AVERAGE_TIME: CategoryRule(True, False, False, DURABLE_ACTIONS, _ALL_TYPES),
    Category.MAX_TIME: CategoryRule(True, False, False, DURABLE_ACTIONS, _ALL_TYPES),
    Category.MIN_TIME: CategoryRule(True, False, False, DURABLE_ACTIONS, _ALL_TYPES),
    Category.RELATIVE_NUMBER_PERCENTAGE: CategoryRule(True, True, False, _NUMBERED, _ALL_TYPES),
    Category.RELATIVE_TIME_PERCENTAGE: CategoryRule(True, True, False, DURABLE_ACTIONS, _ALL_TYPES),
}


class NotApplicableError(ValueError):
    """A definition that cannot be computed on an object type; `field` is the culprit."""

    def __init__(self, field: str, reason: str) -> None:
        super().__init__(f"{field}: {reason}")
        self.field = field
        self.reason = reason


def applicable_masks(
    category: Category,
    main: frozenset[str],
    rel: frozenset[str],
    object_type: ObjectType,
) -> tuple[frozenset[str], frozenset[str]]:
    """The mask actions that can count for `category` on `object_type`; NotApplicableError if none.

    Actions that cannot occur on the object type, or that the category ignores (instant actions
    in current and time categories, RecordsScheduled outside CurrentNumber), are dropped.
    """
    rule = RULES[category]
    if object_type not in rule.object_types:
        raise NotApplicableError(
            "Category", f"{category} does not apply to object type '{object_type}'"
        )
    if not rule.uses_masks:
        return frozenset(), frozenset()
    possible = ACTIONS_BY_OBJECT_TYPE[object_type] & rule.usable
    main_left = _restricted(main, possible, "MainMask", category, object_type)
    rel_left = (
        _restricted(rel, possible, "RelMask", category, object_type)
        if rule.relative
        else frozenset()
    )
    return main_left, rel_left


def _restricted(
    actions: frozenset[str],
    possible: frozenset[str],
    field: str,
    category: Category,
    object_type: ObjectType,
) -> frozenset[str]:
    left = actions & possible
    if not left:
        raise NotApplicableError(
            field, f"no action of the mask can count for {category} on object type '{object_type}'"
        )
    return left
