"""Hypothesis strategies for every message, built from the protocol's field specs."""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

from protocol import MESSAGE_TYPES, CampaignEvent, EventBatch
from protocol.specs import MESSAGE_SPECS, STRUCTURE_SPECS, ClassSpec, FieldSpec, Kind

ints = st.integers(min_value=-(2**63), max_value=2**64 - 1)
floats = st.floats(allow_nan=False)
texts = st.text(max_size=12)

msgpack_values: st.SearchStrategy[Any] = st.recursive(
    st.none() | st.booleans() | ints | floats | texts | st.binary(max_size=8),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(texts, inner, max_size=4),
    max_leaves=12,
)
"""Any value msgpack carries, as decoding gives it back (lists, str-keyed dicts)."""

_KIND_STRATEGIES: dict[Kind, st.SearchStrategy[Any]] = {
    Kind.INT: ints,
    Kind.FLOAT: floats,
    Kind.STR: texts,
    Kind.STR_LIST: st.lists(texts, max_size=4).map(tuple),
    Kind.MAP: st.dictionaries(texts, msgpack_values, max_size=4),
    Kind.ANY: msgpack_values,
}


def _field_strategy(field: FieldSpec) -> st.SearchStrategy[Any]:
    if field.kind is Kind.STRUCTURE:
        base = spec_strategy(STRUCTURE_SPECS[field.structure])  # type: ignore[index]
    else:
        base = _KIND_STRATEGIES[field.kind]
    if field.required or field.default is not None:
        return base
    return st.none() | base


def spec_strategy(spec: ClassSpec) -> st.SearchStrategy[Any]:
    """Instances of a message or structure with every field drawn from its wire type."""
    return st.builds(spec.cls, **{field.attr: _field_strategy(field) for field in spec.fields})


event_bodies = st.dictionaries(
    texts.filter(lambda key: key not in {"Message", "Seq"}),
    msgpack_values.filter(lambda value: value is not None),
    max_size=5,
)
campaign_events = st.builds(CampaignEvent, seq=ints, body=event_bodies)

_STRATEGIES: dict[type, st.SearchStrategy[Any]] = {
    cls: spec_strategy(spec) for cls, spec in MESSAGE_SPECS.items()
}
_STRATEGIES[CampaignEvent] = campaign_events
_STRATEGIES[EventBatch] = st.builds(
    EventBatch, events=st.lists(campaign_events, max_size=4).map(tuple)
)

messages: st.SearchStrategy[Any] = st.sampled_from(list(MESSAGE_TYPES.values())).flatmap(
    _STRATEGIES.__getitem__
)
"""Any valid message of any type."""
