"""Masks: names, globs, `~` removals, typos refused, and restriction to the object type."""

from __future__ import annotations

import pytest

from statsrv.domain.actions import DIAL_RESULT_ACTIONS, ObjectType
from statsrv.engine.categories import Category, NotApplicableError, applicable_masks
from statsrv.engine.masks import MaskError, resolve_mask


def test_a_name_selects_itself() -> None:
    assert resolve_mask(("DialMade",)) == {"DialMade"}


def test_glob_is_case_sensitive_and_removal_subtracts() -> None:
    dials = resolve_mask(("Dial*", "~DialMade"))
    assert "DialMade" not in dials
    assert dials == DIAL_RESULT_ACTIONS | {"DialRemoteRelease"}
    with pytest.raises(MaskError, match="'dial\\*' matches no action"):
        resolve_mask(("dial*",))


def test_union_of_plain_items_minus_union_of_removals() -> None:
    mask = ("Callback*", "PersonalCallback*", "~*Missed", "~*Completed")
    assert resolve_mask(mask) == {"CallbackScheduled", "PersonalCallbackScheduled"}


def test_removal_order_does_not_matter() -> None:
    assert resolve_mask(("~DialMade", "Dial*")) == resolve_mask(("Dial*", "~DialMade"))


@pytest.mark.parametrize(
    ("mask", "message"),
    [
        (("DialMad",), "'DialMad' matches no action"),
        (("DialMade", "~Nothing*"), "'~Nothing\\*' matches no action"),
        ((), "is empty"),
        (("~DialMade",), "only '~' items"),
        (("",), "'' matches no action"),
    ],
)
def test_bad_masks_name_the_item(mask: tuple[str, ...], message: str) -> None:
    with pytest.raises(MaskError, match=message):
        resolve_mask(mask)


def test_equal_masks_share_one_resolved_set() -> None:
    assert resolve_mask(("Lead*",)) is resolve_mask(("Lead*",))


def test_restriction_drops_actions_of_other_object_types() -> None:
    main, _ = applicable_masks(
        Category.TOTAL_NUMBER,
        frozenset({"DialRemoteRelease", "DialMade"}),
        frozenset(),
        ObjectType.CAMPAIGN_GROUP,
    )
    assert main == {"DialMade"}


def test_nothing_left_is_not_applicable() -> None:
    with pytest.raises(NotApplicableError) as caught:
        applicable_masks(
            Category.TOTAL_NUMBER,
            frozenset({"DialRemoteRelease"}),
            frozenset(),
            ObjectType.CAMPAIGN_GROUP,
        )
    assert caught.value.field == "MainMask"
