"""Per-class decoders and encoders generated once from the field specs.

This is how dataclasses build `__init__`: the specs are turned into the source of one
straight-line function per class, so decoding a message is a run of dict lookups and
exact type checks with no loop, no reflection and no `__init__` call, and encoding is a
run of attribute reads. Anything unusual (an absent field, a nil, an int in a float field,
a wrong type) leaves the straight line for a small helper that converts or refuses.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, NoReturn

from protocol.errors import LocalProtocolError
from protocol.specs import ClassSpec, FieldSpec, Kind

ABSENT: Any = object()
"""What `dict.get` returns for a key the map does not hold."""

Decoder = Callable[[dict[Any, Any], str], Any]
"""`decoder(map, path_prefix)` -> instance, or raises `FieldFault`."""

Encoder = Callable[[Any, dict[str, Any]], dict[str, Any]]
"""`encoder(instance, out)` -> `out` filled with the wire fields."""


class FieldFault(Exception):
    """A field-level refusal (dotted path and reason); the codec adds the error code."""

    def __init__(self, path: str, reason: str) -> None:
        super().__init__(path, reason)
        self.path = path
        self.reason = reason


_WIRE_TYPE_NAMES: Mapping[type, str] = {
    type(None): "nil",
    bool: "bool",
    int: "int",
    float: "float",
    str: "str",
    bytes: "bin",
    list: "list",
    dict: "map",
}


def wire_type_name(value: object) -> str:
    """How error descriptions name the wire type of a decoded value."""
    return _WIRE_TYPE_NAMES.get(type(value), type(value).__name__)


def wrong_type(path: str, expected: str, value: object) -> FieldFault:
    """The fault for a value of the wrong wire type."""
    return FieldFault(path, f"expected {expected}, got {wire_type_name(value)}")


def unknown_field(known: frozenset[str], data: dict[Any, Any], prefix: str) -> NoReturn:
    """Name the first key of `data` that is not a known field."""
    for key in data:
        if type(key) is not str:
            raise FieldFault(prefix.rstrip(".") or "Message", f"map key {key!r} is not a str")
        if key not in known:
            raise FieldFault(prefix + key, "unknown field")
    raise AssertionError("unknown_field called on a map without one")  # pragma: no cover


# --- checks of one decoded value against one kind (the slow path) ----------------------------


def _as_int(value: object, path: str) -> int:
    if type(value) is int:
        return value
    raise wrong_type(path, "int", value)


def _as_float(value: object, path: str) -> float:
    if type(value) is float:
        return value
    if type(value) is int:
        return float(value)
    raise wrong_type(path, "float", value)


def _as_str(value: object, path: str) -> str:
    if type(value) is str:
        return value
    raise wrong_type(path, "str", value)


def _as_str_tuple(value: object, path: str) -> tuple[str, ...]:
    if type(value) is not list:
        raise wrong_type(path, "list[str]", value)
    for index, item in enumerate(value):
        if type(item) is not str:
            raise wrong_type(f"{path}[{index}]", "str", item)
    return tuple(value)


def _as_str_keyed_map(value: object, path: str) -> dict[str, Any]:
    if type(value) is not dict:
        raise wrong_type(path, "map", value)
    for key in value:
        if type(key) is not str:
            raise FieldFault(path, f"map key {key!r} is not a str")
    return value


def _as_any(value: object, _path: str) -> object:
    return value


Check = Callable[[Any, str], Any]

_CHECKS: Mapping[Kind, Check] = {
    Kind.INT: _as_int,
    Kind.FLOAT: _as_float,
    Kind.STR: _as_str,
    Kind.STR_LIST: _as_str_tuple,
    Kind.MAP: _as_str_keyed_map,
    Kind.ANY: _as_any,
}

_FAST_TYPES: Mapping[Kind, type] = {Kind.INT: int, Kind.FLOAT: float, Kind.STR: str}
"""Kinds whose value, when of exactly this type, is taken as it is."""


def _structure_check(decoder: Decoder) -> Check:
    def check(value: object, path: str) -> Any:
        if type(value) is not dict:
            raise wrong_type(path, "map", value)
        return decoder(value, path + ".")

    return check


def _slow_path(spec: FieldSpec, check: Check) -> Callable[[Any, str], Any]:
    """Handle a nil, or a present value that failed the exact type test."""
    wire, required, default = spec.wire, spec.required, spec.default
    nil_is_absent = spec.nil_is_absent

    def slow(value: object, prefix: str) -> Any:
        if value is None and nil_is_absent:
            if required:
                raise FieldFault(prefix + wire, "missing required field")
            return default
        return check(value, prefix + wire)

    return slow


def _missing(prefix: str, wire: str) -> NoReturn:
    raise FieldFault(prefix + wire, "missing required field")


# --- code generation ---------------------------------------------------------------------
#
# For field i the generated decoder reads `v{i} = get(wire, ABSENT)`, then:
#   exact fast type (int, float, str; dict for a structure) -> taken as it is (or decoded);
#   ABSENT -> the default (and counted as absent), or a "missing required field" fault;
#   anything else -> slow_{i}, which treats nil as absent, converts or refuses.
# The count of absent fields proves, with len(data), that no unknown key is present.


def _absent_lines(i: int, field: FieldSpec, indent: str) -> list[str]:
    if field.required:
        return [f"{indent}_missing(prefix, {field.wire!r})"]
    return [f"{indent}absent += 1", f"{indent}v{i} = DEFAULT_{i}"]


def _field_lines(i: int, field: FieldSpec) -> list[str]:
    lines = [f"    v{i} = get({field.wire!r}, ABSENT)"]
    absent = _absent_lines(i, field, "        ")
    if field.kind is Kind.ANY:
        return [*lines, f"    if v{i} is ABSENT:", *absent]
    if field.kind is Kind.STRUCTURE:
        head = [
            f"    if type(v{i}) is dict:",
            f"        v{i} = decode_{i}(v{i}, prefix + {field.wire + '.'!r})",
            f"    elif v{i} is ABSENT:",
        ]
    elif field.kind in _FAST_TYPES:
        head = [f"    if type(v{i}) is FAST_{i}:", "        pass", f"    elif v{i} is ABSENT:"]
    else:
        head = [f"    if v{i} is ABSENT:"]
    return [*lines, *head, *absent, "    else:", f"        v{i} = slow_{i}(v{i}, prefix)"]


def _decoder_source(spec: ClassSpec, extra_keys: int) -> str:
    lines = ["def decode(data, prefix):", "    get = data.get", "    absent = 0"]
    for i, field in enumerate(spec.fields):
        lines += _field_lines(i, field)
    lines += [
        f"    if len(data) != {len(spec.fields) + extra_keys} - absent:",
        "        unknown_field(KNOWN, data, prefix)",
        "    obj = new(cls)",
    ]
    lines += [f"    set_{i}(obj, v{i})" for i in range(len(spec.fields))]
    lines.append("    return obj")
    return "\n".join(lines)


def compile_decoder(
    spec: ClassSpec, structure_decoders: Mapping[type, Decoder], *, is_message: bool
) -> Decoder:
    """Generate the decoder of one class: a checked map in, an instance out.

    A message's map also holds `Message`, which the decoder counts but does not read.
    """
    namespace: dict[str, Any] = {
        "ABSENT": ABSENT,
        "new": object.__new__,
        "cls": spec.cls,
        "unknown_field": unknown_field,
        "_missing": _missing,
        "KNOWN": frozenset([f.wire for f in spec.fields] + (["Message"] if is_message else [])),
    }
    for i, field in enumerate(spec.fields):
        if field.kind is Kind.STRUCTURE:
            decoder = structure_decoders[field.structure]  # type: ignore[index]
            namespace[f"decode_{i}"] = decoder
            check = _structure_check(decoder)
        else:
            check = _CHECKS[field.kind]
        namespace[f"FAST_{i}"] = _FAST_TYPES.get(field.kind)
        namespace[f"DEFAULT_{i}"] = field.default
        namespace[f"slow_{i}"] = _slow_path(field, check)
        namespace[f"set_{i}"] = spec.cls.__dict__[field.attr].__set__
    exec(_decoder_source(spec, 1 if is_message else 0), namespace)  # noqa: S102 - from our specs
    return namespace["decode"]


def _required_is_none(path: str) -> NoReturn:
    raise LocalProtocolError(f"{path}: required field is None")


def _float_out(value: object, path: str) -> float:
    if type(value) is int:
        return float(value)
    raise LocalProtocolError(f"{path}: expected float, got {type(value).__name__}")


def _encoder_lines(i: int, field: FieldSpec) -> list[str]:
    converted = f"encode_{i}(v, {{}})" if field.kind is Kind.STRUCTURE else "v"
    lines = [f"    v = obj.{field.attr}"]
    if field.kind is Kind.FLOAT:
        lines += [
            "    if type(v) is not float and v is not None:",
            f"        v = float_out(v, PATH_{i})",
        ]
    if field.kind is Kind.ANY:
        lines.append(f"    out[{field.wire!r}] = {converted}")
    elif field.required:
        lines += [
            "    if v is None:",
            f"        required_is_none(PATH_{i})",
            f"    out[{field.wire!r}] = {converted}",
        ]
    else:
        lines += ["    if v is not None:", f"        out[{field.wire!r}] = {converted}"]
    return lines


def compile_encoder(spec: ClassSpec, structure_encoders: Mapping[type, Encoder]) -> Encoder:
    """Generate the encoder of one class: an instance in, its wire fields added to `out`.

    Optional fields that are None are left out; `any` fields go out even when None.
    """
    namespace: dict[str, Any] = {
        "required_is_none": _required_is_none,
        "float_out": _float_out,
    }
    lines = ["def encode(obj, out):"]
    for i, field in enumerate(spec.fields):
        namespace[f"PATH_{i}"] = f"{spec.name}.{field.wire}"
        if field.kind is Kind.STRUCTURE:
            namespace[f"encode_{i}"] = structure_encoders[field.structure]  # type: ignore[index]
        lines += _encoder_lines(i, field)
    lines.append("    return out")
    exec("\n".join(lines), namespace)  # noqa: S102 - source generated from our own field specs
    return namespace["encode"]
