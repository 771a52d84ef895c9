"""A brute-force oracle: any statistic recomputed from the full list of occurrences.

It shares nothing with the engine's aggregation but the profiles' interval starts (which
have their own tests) and the rule that an end closes the oldest start of its action.
"""

from __future__ import annotations

import math
from collections import defaultdict, deque
from typing import Any

from statsrv.domain.actions import CONDITION_ACTIONS, DIAL_MODES, STATUS_ACTIONS, Kind, Occurrence
from statsrv.engine.profiles import TimeProfile


def _durations(
    occurrences: list[Occurrence], actions: frozenset[str]
) -> list[tuple[str, float, float | None]]:
    """(action, began, ended or None while in progress) of every durable instance in the mask."""
    open_starts: dict[str, deque[float]] = defaultdict(deque)
    done: list[tuple[str, float, float | None]] = []
    for o in occurrences:
        if o.action not in actions:
            continue
        if o.kind == Kind.START:
            open_starts[o.action].append(o.time)
        elif o.kind == Kind.END and open_starts[o.action]:
            done.append((o.action, open_starts[o.action].popleft(), o.time))
    for action, starts in open_starts.items():
        done.extend((action, began, None) for began in starts)
    return done


def _number(
    occurrences: list[Occurrence], actions: frozenset[str], start: float, now: float
) -> int:
    total = 0
    for o in occurrences:
        if o.action in actions and start <= o.time <= now:
            if o.kind == Kind.INSTANT and o.action != "RecordsScheduled":
                total += o.weight
            elif o.kind == Kind.START:
                total += 1
    return total


def _time(
    occurrences: list[Occurrence], actions: frozenset[str], start: float, now: float
) -> float:
    seconds = 0.0
    for _, began, ended in _durations(occurrences, actions):
        stop = now if ended is None else ended
        seconds += max(0.0, stop - max(began, start))
    return seconds


def _ended(
    occurrences: list[Occurrence], actions: frozenset[str], start: float, now: float
) -> list[float]:
    return [
        ended - began
        for _, began, ended in _durations(occurrences, actions)
        if ended is not None and start <= ended <= now
    ]


def _state(occurrences: list[Occurrence], now: float) -> dict[str, Any]:
    durable = frozenset(STATUS_ACTIONS + CONDITION_ACTIONS + DIAL_MODES)
    running = [(a, b) for a, b, e in _durations(occurrences, durable) if e is None]
    statuses = sorted((b, a) for a, b in running if a in STATUS_ACTIONS)
    modes = sorted({a for a, _ in running if a in DIAL_MODES})
    conditions = sorted({a for a, _ in running if a in CONDITION_ACTIONS})
    return {
        "Status": statuses[-1][1] if statuses else "StatusDeactivated",
        "DialMode": modes[0] if len(modes) == 1 else None,
        "DialModes": modes,
        "Conditions": conditions,
        "Since": statuses[-1][0] if statuses else None,
    }


def oracle(
    category: str,
    main: frozenset[str],
    rel: frozenset[str],
    profile: TimeProfile,
    occurrences: list[Occurrence],
    now: float,
) -> Any:
    """The value of a statistic on one object at `now`, from all of that object's occurrences."""
    seen = [o for o in occurrences if o.time <= now]
    start = profile.interval_start(now)
    value: Any
    match category:
        case "CurrentState":
            value = _state(seen, now)
        case "CurrentNumber":
            running = sum(1 for *_, e in _durations(seen, main) if e is None)
            counts = [o.weight for o in seen if o.action == "RecordsScheduled" and o.action in main]
            value = running + (counts[-1] if counts else 0)
        case "CurrentTime":
            value = int(sum(now - b for _, b, e in _durations(seen, main) if e is None))
        case "TotalNumber":
            value = _number(seen, main, start, now)
        case "TotalTime":
            value = int(_time(seen, main, start, now))
        case "AverageTime":
            ended = _ended(seen, main, start, now)
            value = sum(ended) / len(ended) if ended else 0.0
        case "MaxTime":
            value = int(max(_ended(seen, main, start, now), default=0.0))
        case "MinTime":
            value = int(min(_ended(seen, main, start, now), default=0.0))
        case "RelativeNumberPercentage":
            base = _number(seen, rel, start, now)
            value = 100.0 * _number(seen, main, start, now) / base if base else 0.0
        case "RelativeTimePercentage":
            base = _time(seen, rel, start, now)
            value = 100.0 * _time(seen, main, start, now) / base if base else 0.0
        case _:
            raise AssertionError(category)
    return value


def same_value(engine_value: Any, expected: Any) -> bool:
    """Exact for ints and maps; floats to 1e-9 relative."""
    if isinstance(expected, float):
        return isinstance(engine_value, float) and math.isclose(
            engine_value, expected, rel_tol=1e-9, abs_tol=1e-9
        )
    return type(engine_value) is type(expected) and engine_value == expected
