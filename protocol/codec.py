"""Messages to frames and frame bodies to messages.

`encode` turns a message into a whole frame: the 4-byte length prefix, then one msgpack
map with `Message` first and the fields in catalogue order, absent optionals left out.
`decode` turns a frame body into exactly one message or raises `ProtocolError` naming
the field with a dotted path and the reason. Per-class decoders and encoders are
generated once, at import, from the field specs (see `protocol.compiler`).
"""

from __future__ import annotations

import struct
from collections.abc import Callable, Mapping
from typing import Any, NoReturn

import msgpack

from protocol.compiler import (
    ABSENT,
    Decoder,
    Encoder,
    FieldFault,
    compile_decoder,
    compile_encoder,
    unknown_field,
    wire_type_name,
    wrong_type,
)
from protocol.constants import MAX_BODY_BYTES
from protocol.errors import ErrorCode, LocalProtocolError, ProtocolError
from protocol.messages import CampaignEvent, EventBatch, Message
from protocol.specs import MESSAGE_SPECS, STRUCTURE_SPECS

_PREFIX = struct.Struct(">I")
_CAMPAIGN_EVENT = "CampaignEvent"

# --- CampaignEvent and EventBatch: Seq is checked, every other dialer field kept as is --------

_set_seq = CampaignEvent.__dict__["seq"].__set__
_set_body = CampaignEvent.__dict__["body"].__set__
_set_events = EventBatch.__dict__["events"].__set__


def _new_campaign_event(seq: int, body: dict[str, Any]) -> CampaignEvent:
    event = object.__new__(CampaignEvent)
    _set_seq(event, seq)
    _set_body(event, body)
    return event


def _seq_of(data: dict[Any, Any], prefix: str) -> int:
    seq = data.get("Seq")
    if seq is None:
        raise FieldFault(prefix + "Seq", "missing required field")
    if type(seq) is not int:
        raise wrong_type(prefix + "Seq", "int", seq)
    return seq


def _event_body(data: dict[Any, Any], prefix: str) -> dict[str, Any]:
    """Every field but Message and Seq; nil means absent, so nil fields are left out."""
    body = {key: value for key, value in data.items() if value is not None}
    for key in body:
        if type(key) is not str:
            raise FieldFault(prefix.rstrip(".") or "Message", f"map key {key!r} is not a str")
    body.pop("Message", None)
    del body["Seq"]
    return body


def _campaign_event_from_map(data: dict[Any, Any], prefix: str) -> CampaignEvent:
    return _new_campaign_event(_seq_of(data, prefix), _event_body(data, prefix))


def _batch_event(item: object, path: str) -> CampaignEvent:
    if type(item) is not dict:
        raise wrong_type(path, "map", item)
    message = item.get("Message")
    if message is not None and message != _CAMPAIGN_EVENT:
        raise FieldFault(path + ".Message", f"expected 'CampaignEvent', got {message!r}")
    return _campaign_event_from_map(item, path + ".")


def _batch_item(item: object, index: int) -> CampaignEvent | ProtocolError:
    """One batch item, decoded on its own: a bad item becomes its InvalidEvent error."""
    try:
        return _batch_event(item, f"Events[{index}]")
    except FieldFault as fault:
        seq = item.get("Seq") if type(item) is dict else None
        return ProtocolError(
            ErrorCode.InvalidEvent,
            f"{fault.path}: {fault.reason}",
            seq=seq if type(seq) is int else None,
        )


_EVENT_BATCH_KEYS = frozenset({"Message", "Events"})


def _event_batch_from_map(data: dict[Any, Any], prefix: str) -> EventBatch:
    items = data.get("Events")
    if items is None:
        raise FieldFault("Events", "missing required field")
    if type(items) is not list:
        raise wrong_type("Events", "list", items)
    if len(data) != len(_EVENT_BATCH_KEYS):
        unknown_field(_EVENT_BATCH_KEYS, data, prefix)
    batch = object.__new__(EventBatch)
    _set_events(batch, tuple([_batch_item(item, i) for i, item in enumerate(items)]))
    return batch


def _campaign_event_to_map(event: CampaignEvent, out: dict[str, Any]) -> dict[str, Any]:
    if "Seq" in event.body or "Message" in event.body:
        raise LocalProtocolError("CampaignEvent.body must not hold Message or Seq")
    out["Seq"] = event.seq
    out.update(event.body)
    return out


def _event_batch_to_map(batch: EventBatch, out: dict[str, Any]) -> dict[str, Any]:
    items = []
    for event in batch.events:
        if type(event) is not CampaignEvent:
            raise LocalProtocolError("EventBatch.events to send may hold only CampaignEvent")
        items.append(_campaign_event_to_map(event, {}))
    out["Events"] = items
    return out


# --- the tables: wire name -> decoder, class -> encoder ---------------------------------------


def _build_tables() -> tuple[
    Mapping[str, tuple[type, Decoder, ErrorCode]], Mapping[type, tuple[str, Encoder]]
]:
    structure_decoders: dict[type, Decoder] = {}
    structure_encoders: dict[type, Encoder] = {}
    for cls, spec in STRUCTURE_SPECS.items():
        structure_decoders[cls] = compile_decoder(spec, structure_decoders, is_message=False)
        structure_encoders[cls] = compile_encoder(spec, structure_encoders)
    decoders: dict[str, tuple[type, Decoder, ErrorCode]] = {}
    encoders: dict[type, tuple[str, Encoder]] = {}
    for cls, spec in MESSAGE_SPECS.items():
        decoder = compile_decoder(spec, structure_decoders, is_message=True)
        decoders[spec.name] = (cls, decoder, ErrorCode.InvalidRequest)
        encoders[cls] = (spec.name, compile_encoder(spec, structure_encoders))
    decoders["CampaignEvent"] = (CampaignEvent, _campaign_event_from_map, ErrorCode.InvalidEvent)
    decoders["EventBatch"] = (EventBatch, _event_batch_from_map, ErrorCode.InvalidEvent)
    encoders[CampaignEvent] = ("CampaignEvent", _campaign_event_to_map)
    encoders[EventBatch] = ("EventBatch", _event_batch_to_map)
    return decoders, encoders


_DECODERS, _ENCODERS = _build_tables()

# --- encoding --------------------------------------------------------------------------------

_pack: Callable[[object], bytes] = msgpack.Packer(use_bin_type=True, autoreset=True).pack
_pack_prefix = _PREFIX.pack


def encode(message: Message) -> bytes:
    """Encode a message as one whole frame: the 4-byte length prefix, then the msgpack map.

    The message is trusted to carry the types its class declares; a value the wire cannot
    carry (a required field left None, an int out of msgpack range, an unknown type)
    raises `LocalProtocolError`.
    """
    try:
        name, to_map = _ENCODERS[type(message)]
    except KeyError:
        raise LocalProtocolError(f"{type(message).__name__} is not a message") from None
    try:
        body = _pack(to_map(message, {"Message": name}))
    except (TypeError, ValueError, OverflowError) as exc:
        raise LocalProtocolError(f"{name}: cannot encode: {exc}") from exc
    size = len(body)
    if size > MAX_BODY_BYTES:
        raise LocalProtocolError(f"{name}: body of {size} bytes does not fit a frame")
    return _pack_prefix(size) + body


# --- decoding --------------------------------------------------------------------------------


def _refuse_ext(code: int, _data: bytes) -> NoReturn:
    raise ValueError(f"ext type {code} is not part of the protocol")


def _unpack(body: bytes) -> object:
    try:
        return msgpack.unpackb(
            body, raw=False, strict_map_key=True, max_ext_len=0, ext_hook=_refuse_ext
        )
    except msgpack.ExtraData:
        reason = "frame body has bytes after its msgpack object"
    except UnicodeDecodeError:
        reason = "frame body has a str that is not valid UTF-8"
    except ValueError as exc:
        reason = f"frame body is not valid msgpack ({exc})"
    raise ProtocolError(ErrorCode.InvalidFrame, reason)


def _int_or_none(value: object) -> int | None:
    return value if type(value) is int else None


def _refusal(data: dict[Any, Any], code: ErrorCode, description: str) -> ProtocolError:
    """The error for a message-level fault; a non-str key in the map makes it InvalidFrame.

    It echoes an int ReferenceId, and an int Seq when it refuses a dialer event.
    """
    for key in data:
        if type(key) is not str:
            return ProtocolError(ErrorCode.InvalidFrame, f"map key {key!r} is not a str")
    return ProtocolError(
        code,
        description,
        reference_id=_int_or_none(data.get("ReferenceId")),
        seq=_int_or_none(data.get("Seq")) if code is ErrorCode.InvalidEvent else None,
    )


def _unknown_message(name: object, accepted: frozenset[type] | None) -> str:
    if name is ABSENT or name is None:
        return "Message: missing required field"
    if type(name) is not str:
        return f"Message: expected str, got {wire_type_name(name)}"
    if name in _DECODERS and accepted is not None:
        return f"Message: {name!r} is not a message this side accepts"
    return f"Message: unknown message {name!r}"


def decode(body: bytes, accepted: frozenset[type] | None = None) -> Message:
    """Decode one frame body (without its length prefix) into its message.

    `accepted` limits the message classes this side takes; any other is UnknownMessage.
    Raises `ProtocolError` as the wire contract says: InvalidFrame when the body is not one
    msgpack map with str keys, UnknownMessage, or InvalidRequest / InvalidEvent naming the
    field.
    """
    data = _unpack(body)
    if type(data) is not dict:
        raise ProtocolError(
            ErrorCode.InvalidFrame, f"frame body must be a map, got {wire_type_name(data)}"
        )
    name = data.get("Message", ABSENT)
    entry = _DECODERS.get(name) if type(name) is str else None
    if entry is None or (accepted is not None and entry[0] not in accepted):
        raise _refusal(data, ErrorCode.UnknownMessage, _unknown_message(name, accepted))
    try:
        return entry[1](data, "")
    except FieldFault as fault:
        raise _refusal(data, entry[2], f"{fault.path}: {fault.reason}") from None
