"""Scripted dialer timelines: TOML files of timed campaign events for exact, repeatable demos.

A scenario is checked whole at load: every step's keys and values, and the replayed timeline
against the domain's rules from a fresh server state, so a scenario that loads is never refused.
"""

from __future__ import annotations

import math
import tomllib
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple, NoReturn

from statsrv.config_error import ConfigError
from statsrv.dialer.rules import Body, DialerState
from statsrv.dialer.simulator import TimedEvent
from statsrv.domain.actions import CALLBACK_KINDS, CONDITIONS, DIAL_MODES
from statsrv.paths import bundled_config_dir

# --- event fields ----------------------------------------------------------------------------

_Check = Callable[[Any], str | None]


def _type_name(value: object) -> str:
    return type(value).__name__


def _name(value: object) -> str | None:
    if not isinstance(value, str):
        return f"expected a string, got {_type_name(value)}"
    if not value or "@" in value:
        return f"must be a non-empty name without '@', got {value!r}"
    return None


def _int(value: object) -> str | None:
    if isinstance(value, bool) or not isinstance(value, int):
        return f"expected an integer, got {_type_name(value)}"
    return None


def _count(value: object) -> str | None:
    problem = _int(value)
    if problem is None and value < 0:  # type: ignore[operator]
        return f"must not be negative, got {value}"
    return problem


def _id(value: object) -> str | None:
    if isinstance(value, str) and value:
        return None
    if _int(value) is None:
        return None
    return f"expected an integer or a non-empty string, got {_type_name(value)}"


def _bool(value: object) -> str | None:
    return None if isinstance(value, bool) else f"expected true or false, got {_type_name(value)}"


def _one_of(options: tuple[str, ...]) -> _Check:
    def check(value: object) -> str | None:
        if value in options:
            return None
        return f"expected one of {', '.join(options)}; got {value!r}"

    return check


class _Field(NamedTuple):
    check: _Check
    required: bool


def _req(check: _Check) -> _Field:
    return _Field(check, required=True)


def _opt(check: _Check) -> _Field:
    return _Field(check, required=False)


_COMMON: dict[str, _Field] = {"Campaign": _req(_name), "Tenant": _opt(_name)}
_GROUP = {"Group": _req(_name)}
_OPTIONAL_GROUP = {"Group": _opt(_name)}

EVENT_FIELDS: Mapping[str, Mapping[str, _Field]] = {
    "GroupLoaded": _GROUP,
    "DialingStarted": {**_GROUP, "DialMode": _req(_one_of(DIAL_MODES))},
    "DialingStopped": _GROUP,
    "GroupUnloaded": _GROUP,
    "DialModeChanged": {**_GROUP, "DialMode": _req(_one_of(DIAL_MODES))},
    "GroupCondition": {
        **_GROUP,
        "Condition": _req(_one_of(CONDITIONS)),
        "Active": _req(_bool),
    },
    "DialResult": {
        **_OPTIONAL_GROUP,
        "CallingList": _req(_name),
        "RecordId": _req(_id),
        "ChainId": _req(_id),
        "CallResult": _req(_int),
    },
    "ChainProcessed": {
        **_OPTIONAL_GROUP,
        "CallingList": _req(_name),
        "ChainId": _req(_id),
        "CallResult": _req(_int),
    },
    "Callback": {
        **_OPTIONAL_GROUP,
        "CallingList": _req(_name),
        "RecordId": _req(_id),
        "Kind": _req(_one_of(CALLBACK_KINDS)),
        "Personal": _req(_bool),
    },
    "AgentError": {**_OPTIONAL_GROUP, "CallingList": _opt(_name), "RecordId": _opt(_id)},
    "RecordsScheduled": {"Count": _req(_count)},
    "ProcessingCompleted": {"CallingList": _opt(_name), "RecordsNotProcessed": _req(_count)},
}
"""Each event's own fields (beyond Campaign, Tenant and Time) and whether they are required."""

_TOP_KEYS = ("name", "description", "step")
_STEP_KEYS = ("at", "event", "repeat", "every", "count_up")
_SET_ELSEWHERE = {
    "Event": "spelled `event` in a step",
    "Time": "set from `at` (seconds from the scenario's start)",
    "Seq": "set by the sender",
    "Message": "set by the sender",
}

# --- values ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Step:
    """One `[[step]]`: an event at `at` seconds, sent `repeat` times `every` seconds apart.

    A field given as a list takes its values in turn; a field named in `count_up` grows by one
    with each repetition.
    """

    index: int
    event: str
    at: float
    fields: tuple[tuple[str, Any], ...]
    repeat: int = 1
    every: float = 0.0
    count_up: tuple[str, ...] = ()

    def bodies(self) -> Iterator[tuple[float, Body]]:
        """Each repetition's offset from the scenario's start and its event body (Time unset)."""
        for n in range(self.repeat):
            body: Body = {"Event": self.event, "Time": 0.0}
            for key, value in self.fields:
                chosen = value[n % len(value)] if isinstance(value, tuple) else value
                body[key] = chosen + n if key in self.count_up else chosen
            yield self.at + n * self.every, body


@dataclass(frozen=True, slots=True)
class Scenario:
    """A named timeline of dialer events, valid from a fresh server state."""

    name: str
    description: str
    steps: tuple[Step, ...]
    source: str = "<scenario>"

    def timeline(self) -> list[tuple[float, int, Body]]:
        """Every event as (offset, step index, body), in time order (ties keep file order)."""
        items = [(at, step.index, body) for step in self.steps for at, body in step.bodies()]
        items.sort(key=lambda item: (item[0], item[1]))
        return items

    def events(self, start_time: float) -> list[TimedEvent]:
        """The scenario's events as `(time, body)` pairs, the first step at `start_time`."""
        out: list[TimedEvent] = []
        for offset, _, body in self.timeline():
            at = round(start_time + offset, 6)
            body["Time"] = at
            out.append((at, body))
        return out

    @property
    def duration(self) -> float:
        """Seconds from the scenario's start to its last event."""
        return max(at for step in self.steps for at, _ in step.bodies())


# --- loading ---------------------------------------------------------------------------------


def bundled_scenarios() -> dict[str, Path]:
    """The scenario files shipped with the server, by file stem (`morning-start`, ...)."""
    folder = bundled_config_dir() / "scenarios"
    return {path.stem: path for path in sorted(folder.glob("*.toml"))}


def load_scenario(path: str | Path) -> Scenario:
    """Read and check one scenario file; a mistake raises ConfigError naming step and key."""
    file = str(path)
    try:
        data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as exc:
        raise ConfigError(file, "", "", f"cannot read the file: {exc.strerror}") from exc
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(file, "", "", f"not valid TOML: {exc}") from exc
    return parse_scenario(data, file)


def parse_scenario(data: Mapping[str, Any], file: str = "<scenario>") -> Scenario:
    """Check a scenario's parsed TOML; a mistake raises ConfigError naming step and key."""
    for key in data:
        if key not in _TOP_KEYS:
            raise ConfigError(file, "", key, f"unknown key; allowed: {', '.join(_TOP_KEYS)}")
    name = data.get("name")
    if not isinstance(name, str) or not name:
        raise ConfigError(file, "", "name", "required, a non-empty string")
    description = data.get("description", "")
    if not isinstance(description, str):
        raise ConfigError(file, "", "description", "expected a string")
    raw_steps = data.get("step")
    if not isinstance(raw_steps, list) or not raw_steps:
        raise ConfigError(file, "", "step", "required: at least one [[step]] table")
    steps = tuple(_StepReader(file, n, table).read() for n, table in enumerate(raw_steps, 1))
    scenario = Scenario(name, description, steps, file)
    _check_timeline(scenario)
    return scenario


class _StepReader:
    """Checks one `[[step]]` table; steps are counted from 1 in file order."""

    def __init__(self, file: str, index: int, table: object) -> None:
        self.file = file
        self.index = index
        self.table: Mapping[str, Any] = table if isinstance(table, dict) else {}
        if not isinstance(table, dict):
            self.fail("", "expected a table")

    def fail(self, key: str, reason: str) -> NoReturn:
        raise ConfigError(self.file, f"step {self.index}", key, reason)

    def read(self) -> Step:
        event = self._event()
        spec = {**_COMMON, **EVENT_FIELDS[event]}
        fields = self._fields(event, spec)
        repeat, every = self._repetition()
        count_up = self._count_up(dict(fields))
        at = self._number("at", required=True)
        return Step(self.index, event, at, fields, repeat, every, count_up)

    def _event(self) -> str:
        event = self.table.get("event")
        if event is None:
            self.fail("event", "required")
        if event not in EVENT_FIELDS:
            self.fail("event", f"unknown event {event!r}; known: {', '.join(EVENT_FIELDS)}")
        return str(event)

    def _fields(self, event: str, spec: Mapping[str, _Field]) -> tuple[tuple[str, Any], ...]:
        for key in self.table:
            if key in _STEP_KEYS or key in spec:
                continue
            if key in _SET_ELSEWHERE:
                self.fail(key, _SET_ELSEWHERE[key])
            allowed = ", ".join((*_STEP_KEYS, *spec))
            self.fail(key, f"unknown field for {event}; allowed: {allowed}")
        fields: list[tuple[str, Any]] = []
        for key, rule in spec.items():
            if key not in self.table:
                if rule.required:
                    self.fail(key, f"required for {event}")
                continue
            fields.append((key, self._value(key, self.table[key], rule.check)))
        return tuple(fields)

    def _value(self, key: str, value: Any, check: _Check) -> Any:
        values = value if isinstance(value, list) else [value]
        if not values:
            self.fail(key, "a list of values must not be empty")
        for item in values:
            problem = check(item)
            if problem is not None:
                self.fail(key, problem)
        return tuple(values) if isinstance(value, list) else value

    def _number(self, key: str, *, required: bool = False) -> float:
        value = self.table.get(key)
        if value is None and not required:
            return 0.0
        if isinstance(value, bool) or not isinstance(value, int | float):
            self.fail(
                key, "required, a number of seconds" if value is None else "expected a number"
            )
        if not math.isfinite(value) or value < 0:
            self.fail(key, f"must be a finite number of seconds, 0 or more; got {value}")
        return float(value)

    def _repetition(self) -> tuple[int, float]:
        repeat = self.table.get("repeat", 1)
        if isinstance(repeat, bool) or not isinstance(repeat, int) or repeat < 1:
            self.fail("repeat", f"expected an integer of 1 or more, got {repeat!r}")
        every = self._number("every")
        if repeat > 1 and every <= 0:
            self.fail("every", "required above 0 seconds when repeat is above 1")
        if repeat == 1 and "every" in self.table:
            self.fail("every", "only meaningful with repeat above 1")
        return repeat, every

    def _count_up(self, fields: Mapping[str, Any]) -> tuple[str, ...]:
        names = self.table.get("count_up", [])
        if not isinstance(names, list):
            self.fail("count_up", "expected a list of field names")
        for name in names:
            if not isinstance(fields.get(name), int) or isinstance(fields.get(name), bool):
                self.fail("count_up", f"{name!r} is not an integer field of this step")
        return tuple(names)


def _check_timeline(scenario: Scenario) -> None:
    """Replay the timeline from a fresh state: no refused event, one ChainProcessed per chain."""
    state = DialerState()
    processed: dict[tuple[str, str, Any], int] = {}
    for offset, index, body in scenario.timeline():
        section = f"step {index}"
        reason = state.refusal(body)
        if reason is not None:
            raise ConfigError(scenario.source, section, "event", f"{reason} (at {offset} s)")
        state.apply(body)
        if body["Event"] != "ChainProcessed":
            continue
        chain = (body.get("Tenant", ""), body["Campaign"], body["ChainId"])
        if chain in processed:
            first = processed[chain]
            why = f"chain {chain[2]!r} of {chain[1]} was already processed by step {first}"
            raise ConfigError(scenario.source, section, "ChainId", why)
        processed[chain] = index
