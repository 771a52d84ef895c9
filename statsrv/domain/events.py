"""The twelve normalized dialer events, and `parse_event` that builds one from a wire map.

Field names on the wire are PascalCase (`CallingList`); the attributes are snake_case
(`calling_list`). A nil value in an optional field means the field is absent.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, NamedTuple

from statsrv.domain.actions import CALLBACK_KINDS, CONDITIONS, DIAL_MODES
from statsrv.domain.errors import InvalidEvent
from statsrv.domain.names import name_problem, type_name

# --- the events ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class DialerEvent:
    """What every dialer event carries: its tenant, campaign and source time (Unix seconds)."""

    tenant: str
    campaign: str
    time: float


@dataclass(frozen=True, slots=True, kw_only=True)
class GroupLoaded(DialerEvent):
    """The campaign is loaded on the group."""

    group: str


@dataclass(frozen=True, slots=True, kw_only=True)
class DialingStarted(DialerEvent):
    """The group starts dialing in a mode."""

    group: str
    dial_mode: str


@dataclass(frozen=True, slots=True, kw_only=True)
class DialingStopped(DialerEvent):
    """Dialing stops; the campaign stays loaded on the group."""

    group: str


@dataclass(frozen=True, slots=True, kw_only=True)
class GroupUnloaded(DialerEvent):
    """The campaign is unloaded from the group."""

    group: str


@dataclass(frozen=True, slots=True, kw_only=True)
class DialModeChanged(DialerEvent):
    """The running group switches to another dial mode."""

    group: str
    dial_mode: str


@dataclass(frozen=True, slots=True, kw_only=True)
class GroupCondition(DialerEvent):
    """A waiting or error condition starts (`active`) or ends on a running group."""

    group: str
    condition: str
    active: bool


@dataclass(frozen=True, slots=True, kw_only=True)
class DialResult(DialerEvent):
    """One dial attempt finished with a call result code."""

    calling_list: str
    record_id: int | str
    chain_id: int | str
    call_result: int
    group: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class ChainProcessed(DialerEvent):
    """A chain of records needs no further action; sent once per chain."""

    calling_list: str
    chain_id: int | str
    call_result: int
    group: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Callback(DialerEvent):
    """A callback was scheduled, completed or missed (`personal`: for one agent)."""

    calling_list: str
    record_id: int | str
    kind: str
    personal: bool
    group: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class AgentError(DialerEvent):
    """An agent-side error, possibly on a record."""

    group: str | None = None
    calling_list: str | None = None
    record_id: int | str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class RecordsScheduled(DialerEvent):
    """How many of the campaign's records are now scheduled (replaces the previous count)."""

    count: int


@dataclass(frozen=True, slots=True, kw_only=True)
class ProcessingCompleted(DialerEvent):
    """Processing of the campaign (or of one of its calling lists) finished."""

    records_not_processed: int
    calling_list: str | None = None


# --- field checks ----------------------------------------------------------------------------

Check = Callable[[str, Any], Any]
"""Given the wire field name and its value, returns the value to store or raises InvalidEvent."""


def _name(field: str, value: Any) -> str:
    problem = name_problem(value)
    if problem is not None:
        raise InvalidEvent(field, problem)
    return value


def _time(field: str, value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise InvalidEvent(field, f"expected a number (int or float), got {type_name(value)}")
    if not math.isfinite(value):
        raise InvalidEvent(field, f"expected a finite number, got {value!r}")
    return float(value)


def _int(field: str, value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidEvent(field, f"expected an int, got {type_name(value)}")
    return value


MAX_COUNT = 1_000_000_000
"""Largest Count / RecordsNotProcessed accepted: sums of them stay far inside msgpack's ints."""


def _count(field: str, value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        shown = (
            value if isinstance(value, int) and not isinstance(value, bool) else type_name(value)
        )
        raise InvalidEvent(field, f"expected a non-negative int, got {shown}")
    if value > MAX_COUNT:
        raise InvalidEvent(field, f"{value} is more than {MAX_COUNT:,} records")
    return value


def _record_key(field: str, value: Any) -> int | str:
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise InvalidEvent(field, f"expected an int or a string, got {type_name(value)}")
    return value


def _bool(field: str, value: Any) -> bool:
    if not isinstance(value, bool):
        raise InvalidEvent(field, f"expected a bool, got {type_name(value)}")
    return value


def _one_of(what: str, allowed: tuple[str, ...]) -> Check:
    allowed_set = frozenset(allowed)
    listing = ", ".join(allowed)

    def check(field: str, value: Any) -> str:
        if not isinstance(value, str):
            raise InvalidEvent(field, f"expected a string, got {type_name(value)}")
        if value not in allowed_set:
            raise InvalidEvent(field, f"unknown {what} {value!r}; allowed: {listing}")
        return value

    return check


_dial_mode = _one_of("dial mode", DIAL_MODES)
_condition = _one_of("condition", CONDITIONS)
_callback_kind = _one_of("callback kind", CALLBACK_KINDS)


class FieldSpec(NamedTuple):
    """One event field: its wire name, attribute, check, and whether it must be present."""

    wire: str
    attr: str
    check: Check
    required: bool = True


def _optional(wire: str, attr: str, check: Check) -> FieldSpec:
    return FieldSpec(wire, attr, check, required=False)


_GROUP = FieldSpec("Group", "group", _name)
_OPT_GROUP = _optional("Group", "group", _name)
_LIST = FieldSpec("CallingList", "calling_list", _name)
_RECORD = FieldSpec("RecordId", "record_id", _record_key)
_CHAIN = FieldSpec("ChainId", "chain_id", _record_key)
_RESULT = FieldSpec("CallResult", "call_result", _int)
_MODE = FieldSpec("DialMode", "dial_mode", _dial_mode)

EVENT_FIELDS: dict[str, tuple[type[DialerEvent], tuple[FieldSpec, ...]]] = {
    "GroupLoaded": (GroupLoaded, (_GROUP,)),
    "DialingStarted": (DialingStarted, (_GROUP, _MODE)),
    "DialingStopped": (DialingStopped, (_GROUP,)),
    "GroupUnloaded": (GroupUnloaded, (_GROUP,)),
    "DialModeChanged": (DialModeChanged, (_GROUP, _MODE)),
    "GroupCondition": (
        GroupCondition,
        (
            _GROUP,
            FieldSpec("Condition", "condition", _condition),
            FieldSpec("Active", "active", _bool),
        ),
    ),
    "DialResult": (DialResult, (_OPT_GROUP, _LIST, _RECORD, _CHAIN, _RESULT)),
    "ChainProcessed": (ChainProcessed, (_OPT_GROUP, _LIST, _CHAIN, _RESULT)),
    "Callback": (
        Callback,
        (
            _OPT_GROUP,
            _LIST,
            _RECORD,
            FieldSpec("Kind", "kind", _callback_kind),
            FieldSpec("Personal", "personal", _bool),
        ),
    ),
    "AgentError": (
        AgentError,
        (
            _OPT_GROUP,
            _optional("CallingList", "calling_list", _name),
            _optional("RecordId", "record_id", _record_key),
        ),
    ),
    "RecordsScheduled": (RecordsScheduled, (FieldSpec("Count", "count", _count),)),
    "ProcessingCompleted": (
        ProcessingCompleted,
        (
            _optional("CallingList", "calling_list", _name),
            FieldSpec("RecordsNotProcessed", "records_not_processed", _count),
        ),
    ),
}
"""Each `Event` name with its class and its own fields, in the order of the domain's table."""

EVENT_NAMES: tuple[str, ...] = tuple(EVENT_FIELDS)
COMMON_FIELDS: tuple[str, ...] = ("Event", "Time", "Campaign", "Tenant")

_ALLOWED: dict[str, frozenset[str]] = {
    name: frozenset(COMMON_FIELDS) | {spec.wire for spec in specs}
    for name, (_, specs) in EVENT_FIELDS.items()
}
_ALLOWED_LISTING: dict[str, str] = {
    name: ", ".join(COMMON_FIELDS + tuple(spec.wire for spec in specs))
    for name, (_, specs) in EVENT_FIELDS.items()
}


# --- parsing ---------------------------------------------------------------------------------


def _event_name(body: Mapping[str, Any]) -> str:
    name = body.get("Event")
    if name is None:
        raise InvalidEvent("Event", "missing")
    if not isinstance(name, str):
        raise InvalidEvent("Event", f"expected a string, got {type_name(name)}")
    if name not in EVENT_FIELDS:
        raise InvalidEvent("Event", f"unknown event {name!r}; known: {', '.join(EVENT_NAMES)}")
    return name


def _reject_unknown_fields(name: str, body: Mapping[str, Any]) -> None:
    allowed = _ALLOWED[name]
    for key in body:
        if key not in allowed:
            raise InvalidEvent(
                str(key), f"unknown field for {name}; allowed: {_ALLOWED_LISTING[name]}"
            )


def _required(name: str, body: Mapping[str, Any], field: str) -> Any:
    value = body.get(field)
    if value is None:
        raise InvalidEvent(field, f"missing; {name} requires it")
    return value


def parse_event(body: Mapping[str, Any], default_tenant: str) -> DialerEvent:
    """Build the event a CampaignEvent body describes (the wire map without Message and Seq).

    Raises InvalidEvent naming the first wrong field as spelled on the wire.
    """
    name = _event_name(body)
    _reject_unknown_fields(name, body)
    cls, specs = EVENT_FIELDS[name]
    values: dict[str, Any] = {
        "time": _time("Time", _required(name, body, "Time")),
        "campaign": _name("Campaign", _required(name, body, "Campaign")),
    }
    tenant = body.get("Tenant")
    values["tenant"] = default_tenant if tenant is None else _name("Tenant", tenant)
    for spec in specs:
        value = body.get(spec.wire)
        if value is None:
            if spec.required:
                raise InvalidEvent(spec.wire, f"missing; {name} requires it")
            continue
        values[spec.attr] = spec.check(spec.wire, value)
    return cls(**values)


def event_name(event: DialerEvent) -> str:
    """The wire `Event` name of an event (its class name)."""
    return type(event).__name__
