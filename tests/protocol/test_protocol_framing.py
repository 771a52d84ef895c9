"""Length-prefixed framing: pipelining, arbitrary splits, and the frame size limit."""

from __future__ import annotations

import pytest

from protocol import ErrorCode, FrameDecoder, LocalProtocolError, ProtocolError, encode_frame

BODIES = [b"", b"a", b"hello", bytes(range(256)) * 3, b"\x00\x00\x00\x05", b"z" * 70]
STREAM = b"".join(encode_frame(body) for body in BODIES)


def _drain(decoder: FrameDecoder) -> list[bytes]:
    frames = []
    while (frame := decoder.next_frame()) is not None:
        frames.append(frame)
    return frames


def _feed_in_pieces(pieces: list[bytes]) -> list[bytes]:
    decoder = FrameDecoder()
    frames: list[bytes] = []
    for piece in pieces:
        decoder.feed(piece)
        frames += _drain(decoder)
    assert decoder.buffered_bytes == 0
    return frames


def test_encode_frame_prefixes_the_big_endian_length() -> None:
    assert encode_frame(b"abc") == b"\x00\x00\x00\x03abc"
    assert encode_frame(b"") == b"\x00\x00\x00\x00"


def test_pipelined_frames_fed_whole() -> None:
    assert _feed_in_pieces([STREAM]) == BODIES


def test_pipelined_frames_fed_one_byte_at_a_time() -> None:
    assert _feed_in_pieces([STREAM[i : i + 1] for i in range(len(STREAM))]) == BODIES


def test_pipelined_frames_split_at_every_offset() -> None:
    for cut in range(len(STREAM) + 1):
        assert _feed_in_pieces([STREAM[:cut], STREAM[cut:]]) == BODIES, cut


def test_a_partial_frame_waits_for_the_rest() -> None:
    decoder = FrameDecoder()
    decoder.feed(encode_frame(b"first") + encode_frame(b"second")[:6])
    assert decoder.next_frame() == b"first"
    assert decoder.next_frame() is None
    assert decoder.buffered_bytes == 6
    decoder.feed(b"cond")
    assert decoder.next_frame() == b"second"


def test_many_frames_in_one_chunk_are_all_delivered_across_compaction() -> None:
    bodies = [i.to_bytes(3, "big") for i in range(100_000)]
    decoder = FrameDecoder()
    decoder.feed(b"".join(map(encode_frame, bodies)))
    taken = [decoder.next_frame() for _ in range(60_000)]
    decoder.feed(encode_frame(b"tail"))  # most of the buffer is consumed: this compacts it
    assert decoder.buffered_bytes == 40_000 * 7 + 8
    assert [*taken, *_drain(decoder)] == [*bodies, b"tail"]


def test_oversize_prefix_is_refused_before_any_body_byte() -> None:
    decoder = FrameDecoder(max_frame_bytes=1024)
    decoder.feed((1025).to_bytes(4, "big"))
    with pytest.raises(ProtocolError) as caught:
        decoder.next_frame()
    assert caught.value.code is ErrorCode.FrameTooLarge
    assert caught.value.closes_connection
    assert "1025" in caught.value.description
    assert "1024" in caught.value.description


def test_endless_length_prefix_with_the_default_limit() -> None:
    decoder = FrameDecoder()
    decoder.feed(b"\xff\xff\xff\xff")
    with pytest.raises(ProtocolError, match="FrameTooLarge"):
        decoder.next_frame()


def test_after_a_refused_frame_the_stream_stays_refused_and_holds_nothing() -> None:
    decoder = FrameDecoder(max_frame_bytes=8)
    decoder.feed(encode_frame(b"ok") + encode_frame(b"123456789"))
    assert decoder.next_frame() == b"ok"
    with pytest.raises(ProtocolError):
        decoder.next_frame()
    decoder.feed(encode_frame(b"late"))
    assert decoder.buffered_bytes == 0
    with pytest.raises(ProtocolError, match="FrameTooLarge"):
        decoder.next_frame()


def test_a_frame_exactly_at_the_limit_is_accepted() -> None:
    decoder = FrameDecoder(max_frame_bytes=8)
    decoder.feed(encode_frame(b"12345678"))
    assert decoder.next_frame() == b"12345678"


@pytest.mark.parametrize("limit", [0, -1, 2**32])
def test_a_limit_outside_what_a_prefix_can_say_is_refused(limit: int) -> None:
    with pytest.raises(ValueError, match="max_frame_bytes"):
        FrameDecoder(max_frame_bytes=limit)


def test_a_body_too_big_for_the_prefix_is_a_local_error() -> None:
    class Huge(bytes):
        def __len__(self) -> int:
            return 2**32

    with pytest.raises(LocalProtocolError):
        encode_frame(Huge())
