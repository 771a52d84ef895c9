"""Field specifications of every message and structure, derived once from the classes.

A `FieldSpec` says how one attribute travels: its wire name (the PascalCase of the
attribute), its wire type (`Kind`), whether it is required and its default. The codec
and the test strategies are built from these tables; nothing inspects a class per call.
`CampaignEvent` and `EventBatch` carry free-form dialer fields and have no table here.
"""

from __future__ import annotations

import dataclasses
import types
from collections.abc import Mapping
from dataclasses import dataclass
from enum import Enum
from typing import Any, get_args, get_origin, get_type_hints

from protocol.messages import MESSAGE_TYPES, CampaignEvent, EventBatch
from protocol.structures import STRUCTURE_TYPES


class Kind(Enum):
    """A field's wire type; the value is how error descriptions name it."""

    INT = "int"
    FLOAT = "float"
    STR = "str"
    STR_LIST = "list[str]"
    MAP = "map"
    ANY = "any"
    STRUCTURE = "structure"


@dataclass(frozen=True, slots=True)
class FieldSpec:
    """How one attribute of a message or structure is carried on the wire."""

    wire: str
    attr: str
    kind: Kind
    required: bool
    default: Any = None
    structure: type | None = None

    @property
    def nil_is_absent(self) -> bool:
        """A nil value stands for an absent field, except in an `any` field."""
        return self.kind is not Kind.ANY


@dataclass(frozen=True, slots=True)
class ClassSpec:
    """A message's or structure's name, class and fields in encoding order."""

    name: str
    cls: type
    fields: tuple[FieldSpec, ...]


def wire_name(attr: str) -> str:
    """The wire field name of an attribute: `reference_id` -> `ReferenceId`."""
    return "".join(part.capitalize() for part in attr.split("_"))


_SCALAR_KINDS: Mapping[object, Kind] = {
    int: Kind.INT,
    float: Kind.FLOAT,
    str: Kind.STR,
    tuple[str, ...]: Kind.STR_LIST,
    Mapping[str, Any]: Kind.MAP,
    Any: Kind.ANY,
}


def _without_none(hint: object) -> object:
    if isinstance(hint, types.UnionType):
        rest = [arg for arg in get_args(hint) if arg is not type(None)]
        if len(rest) == 1:
            return rest[0]
    return hint


def _kind_of(hint: object) -> Kind:
    if hint in STRUCTURE_TYPES:
        return Kind.STRUCTURE
    if get_origin(hint) is tuple and get_args(hint) != (str, ...):
        raise TypeError(f"unsupported field type {hint!r}")
    try:
        return _SCALAR_KINDS[hint]
    except KeyError:
        raise TypeError(f"unsupported field type {hint!r}") from None


def _field_spec(field: dataclasses.Field[Any], hint: object) -> FieldSpec:
    base = _without_none(hint)
    kind = _kind_of(base)
    required = field.default is dataclasses.MISSING
    return FieldSpec(
        wire=wire_name(field.name),
        attr=field.name,
        kind=kind,
        required=required,
        default=None if required else field.default,
        structure=base if kind is Kind.STRUCTURE else None,  # type: ignore[arg-type]
    )


def class_spec(cls: type) -> ClassSpec:
    """Derive the spec of one message or structure class from its dataclass fields."""
    hints = get_type_hints(cls)
    fields = tuple(_field_spec(f, hints[f.name]) for f in dataclasses.fields(cls))
    return ClassSpec(name=cls.__name__, cls=cls, fields=fields)


FREE_FORM_MESSAGES: frozenset[type] = frozenset({CampaignEvent, EventBatch})
"""Messages whose fields beyond `Seq` are the dialer's own and are not specified here."""

STRUCTURE_SPECS: Mapping[type, ClassSpec] = types.MappingProxyType(
    {cls: class_spec(cls) for cls in STRUCTURE_TYPES}
)
"""The spec of every structure."""

MESSAGE_SPECS: Mapping[type, ClassSpec] = types.MappingProxyType(
    {cls: class_spec(cls) for cls in MESSAGE_TYPES.values() if cls not in FREE_FORM_MESSAGES}
)
"""The spec of every message with a fixed set of fields."""
