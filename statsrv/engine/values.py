"""How each category turns the aggregates of its mask actions into a value (DOMAIN.md §4)."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import Any, Protocol

from statsrv.domain.actions import CONDITION_ACTIONS, DIAL_MODES, STATUS_ACTIONS
from statsrv.engine.aggregates import ActionState
from statsrv.engine.categories import Category
from statsrv.engine.profiles import Span

Value = int | float | dict[str, Any]

_STATUSES = frozenset(STATUS_ACTIONS)
_MODES = frozenset(DIAL_MODES)
_CONDITIONS = frozenset(CONDITION_ACTIONS)
STATE_ACTIONS: frozenset[str] = _STATUSES | _MODES | _CONDITIONS
"""The durable actions a CurrentState value is made of."""


class Sources(Protocol):
    """What an evaluator reads: the states of the mask actions and the profile's slot.

    Counting categories also keep the numbers of their masks for the span `counted_span`
    (None: not known); the engine adds instant occurrences to them in place and sets
    `counted_span` to None when anything else changes them.
    """

    main_states: tuple[ActionState, ...]
    rel_states: tuple[ActionState, ...]
    profile_index: int
    counted_span: float | None
    main_number: int
    rel_number: int


Evaluator = Callable[[Sources, Span, float], Value]


def _number(states: Sequence[ActionState], index: int, span: Span) -> int:
    return sum(state.number(index, span) for state in states)


def _time(states: Sequence[ActionState], index: int, span: Span, now: float) -> float:
    seconds = 0.0
    start = span.start
    for state in states:
        seconds += state.aggregates[index].view(span).overlap  # type: ignore[union-attr]
        for began in state.running:
            seconds += now - (began if began > start else start)
    return seconds


def _count(cell: Sources, span: Span) -> None:
    """Count the mask actions of a counting cell in `span` afresh."""
    cell.main_number = _number(cell.main_states, cell.profile_index, span)
    cell.rel_number = _number(cell.rel_states, cell.profile_index, span)
    cell.counted_span = span.key


def total_number(cell: Sources, span: Span, _now: float) -> int:
    """Mask actions in the interval (instant ones weighted, durable ones by their starts)."""
    if cell.counted_span != span.key:
        _count(cell, span)
    return cell.main_number


def total_time(cell: Sources, span: Span, now: float) -> int:
    """Whole seconds spent in mask actions within the interval, in-progress ones included."""
    return int(_time(cell.main_states, cell.profile_index, span, now))


def current_number(cell: Sources, _span: Span, _now: float) -> int:
    """Mask actions in progress now (RecordsScheduled: its latest Count)."""
    return sum(state.current() for state in cell.main_states)


def current_time(cell: Sources, _span: Span, now: float) -> int:
    """Whole seconds of the summed ages of the mask actions in progress now."""
    return int(sum(now - began for state in cell.main_states for began in state.running))


def average_time(cell: Sources, span: Span, _now: float) -> float:
    """Mean full duration of the mask actions that ended in the interval; 0.0 when none."""
    ended, total = 0, 0.0
    for state in cell.main_states:
        tally = state.aggregates[cell.profile_index].view(span)  # type: ignore[union-attr]
        ended += tally.ended
        total += tally.total
    return total / ended if ended else 0.0


def max_time(cell: Sources, span: Span, _now: float) -> int:
    """Whole seconds of the longest full duration that ended in the interval; 0 when none."""
    longest = 0.0
    for state in cell.main_states:
        tally = state.aggregates[cell.profile_index].view(span)  # type: ignore[union-attr]
        longest = max(longest, tally.longest)
    return int(longest)


def min_time(cell: Sources, span: Span, _now: float) -> int:
    """Whole seconds of the shortest full duration that ended in the interval; 0 when none."""
    shortest = math.inf
    for state in cell.main_states:
        tally = state.aggregates[cell.profile_index].view(span)  # type: ignore[union-attr]
        shortest = min(shortest, tally.shortest)
    return 0 if shortest == math.inf else int(shortest)


def relative_number(cell: Sources, span: Span, _now: float) -> float:
    """100 × TotalNumber(main) / TotalNumber(rel); 0.0 when rel is 0."""
    if cell.counted_span != span.key:
        _count(cell, span)
    rel = cell.rel_number
    if not rel:
        return 0.0
    return 100.0 * cell.main_number / rel


def relative_time(cell: Sources, span: Span, now: float) -> float:
    """100 × TotalTime(main) / TotalTime(rel), on exact (untruncated) seconds; 0.0 when rel is 0."""
    rel = _time(cell.rel_states, cell.profile_index, span, now)
    if not rel:
        return 0.0
    return 100.0 * _time(cell.main_states, cell.profile_index, span, now) / rel


def current_state(cell: Sources, _span: Span, _now: float) -> dict[str, Any]:
    """{Status, DialMode, DialModes, Conditions, Since} from the status actions in progress."""
    status, since = "StatusDeactivated", None
    modes: list[str] = []
    conditions: list[str] = []
    for state in cell.main_states:
        if not state.running:
            continue
        action = state.action
        if action in _STATUSES:
            began = max(state.running)
            if since is None or began > since:
                status, since = action, began
        elif action in _MODES:
            modes.append(action)
        elif action in _CONDITIONS:
            conditions.append(action)
    modes.sort()
    conditions.sort()
    return {
        "Status": status,
        "DialMode": modes[0] if len(modes) == 1 else None,
        "DialModes": modes,
        "Conditions": conditions,
        "Since": since,
    }


COUNTING_CATEGORIES = frozenset({Category.TOTAL_NUMBER, Category.RELATIVE_NUMBER_PERCENTAGE})
"""Categories whose cells cache their numbers (see `Sources`)."""

EVALUATORS: dict[Category, Evaluator] = {
    Category.CURRENT_STATE: current_state,
    Category.CURRENT_NUMBER: current_number,
    Category.CURRENT_TIME: current_time,
    Category.TOTAL_NUMBER: total_number,
    Category.TOTAL_TIME: total_time,
    Category.AVERAGE_TIME: average_time,
    Category.MAX_TIME: max_time,
    Category.MIN_TIME: min_time,
    Category.RELATIVE_NUMBER_PERCENTAGE: relative_number,
    Category.RELATIVE_TIME_PERCENTAGE: relative_time,
}
