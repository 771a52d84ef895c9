"""Pushed `EventInfo` frames, encoded without building a message object per value.

The bytes are exactly those `protocol.encode(EventInfo(statistic_id=…, tag=…, value=…,
server_time=…))` produces: `Message`, `StatisticId`, `Tag`, `Value`, `ServerTime`, in that order.
One `ValueFrames` serves one batch of updates at one server time: the time is packed once, and a
value shared by many subscriptions of one cell is packed once.
"""

from __future__ import annotations

import struct
from typing import Any

import msgpack

_pack = msgpack.Packer(use_bin_type=True, autoreset=True).pack
_prefix = struct.Struct(">I").pack

_HEAD = b"\x85" + _pack("Message") + _pack("EventInfo") + _pack("StatisticId")
_TAG = _pack("Tag")
_VALUE = _pack("Value")
_SERVER_TIME = _pack("ServerTime")


def pushed_head(statistic_id: int, tag: int) -> bytes:
    """The part of a pushed `EventInfo` body that never changes for one open statistic."""
    return b"".join((_HEAD, _pack(statistic_id), _TAG, _pack(tag)))


class ValueFrames:
    """Encoder of pushed values at one server time."""

    __slots__ = ("_tails", "_time_tail")

    def __init__(self, server_time: float) -> None:
        self._time_tail = _SERVER_TIME + _pack(float(server_time))
        self._tails: dict[int, tuple[Any, bytes]] = {}

    def frame(self, statistic_id: int, tag: int, value: Any) -> bytes:
        """The whole frame (length prefix included) of one pushed value."""
        return self.frame_with_head(pushed_head(statistic_id, tag), value)

    def frame_with_head(self, head: bytes, value: Any) -> bytes:
        """The whole frame of one pushed value, given its statistic's `pushed_head`."""
        cached = self._tails.get(id(value))
        if cached is not None and cached[0] is value:
            tail = cached[1]
        else:
            tail = b"".join((_VALUE, _pack(value), self._time_tail))
            self._tails[id(value)] = (value, tail)
        return b"".join((_prefix(len(head) + len(tail)), head, tail))
