"""Object names and ids: what a tenant, campaign, group or calling list may be called."""

from __future__ import annotations

SEPARATOR = "@"
"""Joins a campaign and a group or calling list into one object id: `Spring2027@Sales`."""


def type_name(value: object) -> str:
    """How a value's type reads in an error message (`nil`, `bool`, `int`, `str`, ...)."""
    if value is None:
        return "nil"
    return type(value).__name__


def name_problem(value: object) -> str | None:
    """Why `value` cannot be the name of an object or tenant, or None when it can."""
    if not isinstance(value, str):
        return f"expected a string, got {type_name(value)}"
    if not value:
        return "must not be empty"
    if SEPARATOR in value:
        return f"must not contain '{SEPARATOR}' (got {value!r})"
    return None


def pair_id(campaign: str, member: str) -> str:
    """The id of a `CampaignGroup` or `CampaignCallingList`: `campaign@member`."""
    return f"{campaign}{SEPARATOR}{member}"


def split_pair_id(object_id: str) -> tuple[str, str] | None:
    """`(campaign, member)` of a `campaign@member` id, or None when it is not of that form."""
    campaign, sep, member = object_id.partition(SEPARATOR)
    if not sep or not campaign or not member or SEPARATOR in member:
        return None
    return campaign, member
