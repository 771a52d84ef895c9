"""Property tests: valid messages round-trip; no input makes a connection raise."""

from __future__ import annotations

from typing import Any

import msgpack
from hypothesis import given
from hypothesis import strategies as st
from protocol_strategies import messages, msgpack_values, texts

from protocol import (
    ClientConnection,
    IngestConnection,
    Message,
    ProtocolError,
    decode,
    encode,
    encode_frame,
)


@given(messages)
def test_every_valid_message_round_trips(message: Message) -> None:
    assert decode(encode(message)[4:]) == message


def _maps_like_messages() -> st.SearchStrategy[dict[str, Any]]:
    """Valid messages' maps with one field replaced, added or removed: near misses."""

    def mutate(message: Message, data: st.DataObject) -> dict[str, Any]:
        wire = msgpack.unpackb(encode(message)[4:])
        key = data.draw(st.sampled_from(sorted(wire)) | texts)
        if data.draw(st.booleans()):
            wire.pop(key, None)
        else:
            wire[key] = data.draw(msgpack_values)
        return wire

    return st.builds(mutate, messages, st.data())


_frames = st.one_of(
    st.binary(max_size=40),
    st.binary(max_size=40).map(encode_frame),
    msgpack_values.map(lambda value: encode_frame(msgpack.packb(value))),
    _maps_like_messages().map(lambda wire: encode_frame(msgpack.packb(wire))),
    messages.map(encode),
)


def _drain(conn: ClientConnection | IngestConnection, chunks: list[bytes]) -> list[object]:
    out: list[object] = []
    for chunk in chunks:
        conn.receive_data(chunk)
        while (event := conn.next_event()) is not None:
            out.append(event)
    return out


@given(st.lists(_frames, max_size=8), st.booleans())
def test_any_bytes_give_only_messages_or_protocol_errors(chunks: list[bytes], ingest: bool) -> None:
    conn = (
        IngestConnection(max_frame_bytes=512) if ingest else ClientConnection(max_frame_bytes=512)
    )
    for event in _drain(conn, chunks):
        assert isinstance(event, ProtocolError | Message)


@given(st.lists(_frames, min_size=1, max_size=6), st.data())
def test_how_bytes_are_split_does_not_change_what_comes_out(
    chunks: list[bytes], data: st.DataObject
) -> None:
    stream = b"".join(chunks)
    cuts = sorted(data.draw(st.lists(st.integers(0, len(stream)), max_size=5)))
    pieces = [stream[a:b] for a, b in zip([0, *cuts], [*cuts, len(stream)], strict=True)]
    whole = _drain(IngestConnection(max_frame_bytes=512), [stream])
    assert _drain(IngestConnection(max_frame_bytes=512), pieces) == whole


@given(_maps_like_messages())
def test_near_miss_maps_decode_to_a_message_or_a_protocol_error(wire: dict[str, Any]) -> None:
    try:
        outcome: object = decode(msgpack.packb(wire))
    except ProtocolError as error:
        outcome = error
    if isinstance(outcome, ProtocolError):
        assert outcome.description
    else:
        assert type(outcome).__name__ == wire["Message"]
