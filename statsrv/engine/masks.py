"""Action masks: names and case-sensitive shell globs, with `~` items removing their matches."""

from __future__ import annotations

from fnmatch import fnmatchcase
from functools import lru_cache

from statsrv.domain.actions import ALL_ACTIONS

_SORTED_ACTIONS: tuple[str, ...] = tuple(sorted(ALL_ACTIONS))
_REMOVE = "~"


class MaskError(ValueError):
    """A mask that cannot be resolved; the message names the offending item."""


def resolve_mask(items: tuple[str, ...]) -> frozenset[str]:
    """The actions a mask selects: union of plain items minus union of `~` items.

    Raises MaskError when the mask is empty, has no plain item, or an item matches no action.
    Results are cached, so equal masks share one frozenset.
    """
    return _resolve(tuple(items))


@lru_cache(maxsize=4096)
def _resolve(items: tuple[str, ...]) -> frozenset[str]:
    if not items:
        raise MaskError("is empty; give at least one action name or pattern")
    included: set[str] = set()
    removed: set[str] = set()
    for item in items:
        if not isinstance(item, str):
            raise MaskError(f"item {item!r} is not a string")
        removing = item.startswith(_REMOVE)
        matches = _matches(item[1:] if removing else item)
        if not matches:
            raise MaskError(f"'{item}' matches no action")
        (removed if removing else included).update(matches)
    if not included:
        raise MaskError("has only '~' items; nothing to include")
    return frozenset(included - removed)


@lru_cache(maxsize=4096)
def _matches(pattern: str) -> frozenset[str]:
    if pattern in ALL_ACTIONS:
        return frozenset((pattern,))
    return frozenset(action for action in _SORTED_ACTIONS if fnmatchcase(action, pattern))
