"""Lean framing for the load generator: its clients must cost less than the server they load."""

from __future__ import annotations

import struct
from collections.abc import Container
from typing import Any

import msgpack

_PREFIX = struct.Struct(">I")
_unpack_prefix = _PREFIX.unpack_from
_packb = msgpack.Packer(use_bin_type=True, autoreset=True).pack
_unpackb = msgpack.unpackb


def frame(message: dict[str, Any]) -> bytes:
    """One frame: the 4-byte length prefix, then the msgpack map."""
    body = _packb(message)
    return _PREFIX.pack(len(body)) + body


PUSHED_INFO_HEAD = b"\x85\xa7Message\xa9EventInfo\xabStatisticId"
"""How every pushed `EventInfo` body starts: the server writes `Message` first, then the fields
in the contract's order (SPEC.md §3.3), and a pushed value has exactly five of them."""
_HEAD_SIZE = len(PUSHED_INFO_HEAD)
_UINT_SIZES = {0xCC: 1, 0xCD: 2, 0xCE: 4, 0xCF: 8}


class FrameReader:
    """Cut received bytes into frames; keeps an incomplete tail for the next chunk.

    Pushed `EventInfo` frames about statistics the caller does not want decoded are only
    counted, which keeps a client process cheaper than the server it loads.
    """

    __slots__ = ("_tail",)

    def __init__(self) -> None:
        self._tail = b""

    def feed(self, data: bytes, wanted: Container[int] = ()) -> tuple[int, list[dict[str, Any]]]:
        """(pushed values skipped undecoded, every other whole frame decoded)."""
        buffer = self._tail + data if self._tail else data
        view = memoryview(buffer)
        size = len(buffer)
        position = 0
        skipped = 0
        out = []
        while size - position >= 4:
            start = position + 4
            end = start + _unpack_prefix(buffer, position)[0]
            if end > size:
                break
            if buffer.startswith(PUSHED_INFO_HEAD, start):
                statistic_id = _uint_at(buffer, start + _HEAD_SIZE)
                if statistic_id is not None and statistic_id not in wanted:
                    skipped += 1
                    position = end
                    continue
            out.append(_unpackb(view[start:end], raw=False))
            position = end
        self._tail = bytes(view[position:]) if position < size else b""
        return skipped, out


def _uint_at(buffer: bytes, position: int) -> int | None:
    """The unsigned msgpack int at `position`, or None if it is something else."""
    first = buffer[position]
    if first < 0x80:
        return first
    width = _UINT_SIZES.get(first)
    if width is None:
        return None
    return int.from_bytes(buffer[position + 1 : position + 1 + width], "big")
