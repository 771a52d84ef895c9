"""Statistic values as short text for tables and wallboards."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

NO_VALUE = "-"
INVALID_MARK = "?"
"""Appended to the value of an invalid statistic."""

_STATUS_PREFIX = "Status"


def format_value(value: Any) -> str:
    """Ints as they are, floats with one decimal, `CurrentState` maps compactly.

    A state map reads `Running Predict [WaitingAgents]`: the status, the dial mode(s) in
    progress and the conditions in brackets, without their `Status` prefixes.
    """
    if value is None:
        return NO_VALUE
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float):
        return f"{value:.1f}"
    if isinstance(value, Mapping):
        return format_state(value)
    return str(value)


def format_state(state: Mapping[str, Any]) -> str:
    """A `CurrentState` map as one short line."""
    parts = [_short(str(state.get("Status", "?")))]
    modes = state.get("DialModes") or ([state["DialMode"]] if state.get("DialMode") else [])
    if modes:
        parts.append("+".join(str(mode) for mode in modes))
    conditions = state.get("Conditions") or []
    if conditions:
        parts.append("[" + ",".join(_short(str(c)) for c in conditions) + "]")
    return " ".join(parts)


def format_cell(value: Any, *, valid: bool = True, has_value: bool = True) -> str:
    """A table cell: the value, `?` appended when the statistic is invalid."""
    text = format_value(value) if has_value else NO_VALUE
    return text if valid else f"{text}{INVALID_MARK}"


def _short(action: str) -> str:
    if action.startswith(_STATUS_PREFIX) and len(action) > len(_STATUS_PREFIX):
        return action[len(_STATUS_PREFIX) :]
    return action
