"""Length-prefixed framing: a 4-byte big-endian body length, then the body.

`FrameDecoder` buffers received bytes and cuts them into frame bodies. It reads the
length prefix before any body byte is kept for that frame, so an oversize frame is
refused from its prefix alone. Consumed bytes are dropped by moving an offset and
compacting only once they are at least half of the buffer, so one large receive holding
thousands of pipelined frames is cut in linear time.
"""

from __future__ import annotations

import struct

from protocol.constants import DEFAULT_MAX_FRAME_BYTES, FRAME_PREFIX_BYTES, MAX_BODY_BYTES
from protocol.errors import ErrorCode, LocalProtocolError, ProtocolError

_PREFIX = struct.Struct(">I")
_COMPACT_MIN_BYTES = 64 * 1024
"""Consumed bytes below this are not worth a memmove before the buffer empties."""


def encode_frame(body: bytes) -> bytes:
    """Put the 4-byte length prefix in front of a body."""
    if len(body) > MAX_BODY_BYTES:
        raise LocalProtocolError(f"body of {len(body)} bytes does not fit a frame")
    return _PREFIX.pack(len(body)) + body


class FrameDecoder:
    """Cut a byte stream into frame bodies; refuse a frame longer than `max_frame_bytes`."""

    def __init__(self, max_frame_bytes: int = DEFAULT_MAX_FRAME_BYTES) -> None:
        if not 0 < max_frame_bytes <= MAX_BODY_BYTES:
            raise ValueError(f"max_frame_bytes must be in 1..{MAX_BODY_BYTES}")
        self.max_frame_bytes = max_frame_bytes
        self._buffer = bytearray()
        self._offset = 0
        self._refused_size: int | None = None

    @property
    def buffered_bytes(self) -> int:
        """Bytes received and not yet returned as frames."""
        return len(self._buffer) - self._offset

    def feed(self, data: bytes) -> None:
        """Append received bytes; after a refused frame, bytes are dropped."""
        if self._refused_size is not None:
            return
        if self._offset and (
            self._offset == len(self._buffer)
            or (self._offset >= _COMPACT_MIN_BYTES and self._offset * 2 >= len(self._buffer))
        ):
            del self._buffer[: self._offset]
            self._offset = 0
        self._buffer += data

    def next_frame(self) -> bytes | None:
        """The next whole frame body, or None until more bytes arrive.

        Raises `ProtocolError` FrameTooLarge as soon as a prefix announces a body longer
        than `max_frame_bytes`, and again on every later call: the stream cannot be
        resynchronised after that.
        """
        if self._refused_size is not None:
            raise self._too_large(self._refused_size)
        buffer, start = self._buffer, self._offset
        if len(buffer) - start < FRAME_PREFIX_BYTES:
            return None
        (size,) = _PREFIX.unpack_from(buffer, start)
        if size > self.max_frame_bytes:
            self._refused_size = size
            self._buffer = bytearray()
            self._offset = 0
            raise self._too_large(size)
        body_start = start + FRAME_PREFIX_BYTES
        end = body_start + size
        if len(buffer) < end:
            return None
        self._offset = end
        return bytes(buffer[body_start:end])

    def _too_large(self, size: int) -> ProtocolError:
        return ProtocolError(
            ErrorCode.FrameTooLarge,
            f"frame of {size} bytes exceeds the limit of {self.max_frame_bytes} bytes",
        )
