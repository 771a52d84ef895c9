"""Just enough of Redis's RESP protocol for the baseline: commands out, replies and pushes in."""

from __future__ import annotations

RespValue = bytes | int | list["RespValue"] | None


class RespError(Exception):
    """Redis answered `-ERR …`."""


def command(*parts: bytes | str | int) -> bytes:
    """One command as a RESP array of bulk strings."""
    out = [b"*%d\r\n" % len(parts)]
    for part in parts:
        data = part if isinstance(part, bytes) else str(part).encode()
        out.append(b"$%d\r\n%s\r\n" % (len(data), data))
    return b"".join(out)


class RespReader:
    """Cut received bytes into RESP values (arrays, bulk and simple strings, integers)."""

    __slots__ = ("_buffer",)

    def __init__(self) -> None:
        self._buffer = b""

    def feed(self, data: bytes) -> list[RespValue]:
        """Every whole value received so far."""
        buffer = self._buffer + data if self._buffer else data
        out = []
        position = 0
        while position < len(buffer):
            parsed = _parse(buffer, position)
            if parsed is None:
                break
            value, position = parsed
            out.append(value)
        self._buffer = buffer[position:]
        return out


_MESSAGE_HEAD = b"*3\r\n$7\r\nmessage\r\n$"


class PubSubReader(RespReader):
    """A subscriber's reader, with a fast path for the `message` pushes it gets by the million."""

    __slots__ = ()

    def feed_pushes(self, data: bytes) -> tuple[list[tuple[bytes, bytes]], list[RespValue]]:
        """(every `message` push as (channel, payload), every other value)."""
        buffer = self._buffer + data if self._buffer else data
        size = len(buffer)
        messages: list[tuple[bytes, bytes]] = []
        others: list[RespValue] = []
        position = 0
        while position < size:
            if buffer.startswith(_MESSAGE_HEAD, position):
                parsed = _message(buffer, position + len(_MESSAGE_HEAD), size)
                if parsed is None:
                    break
                channel, payload, position = parsed
                messages.append((channel, payload))
                continue
            value = _parse(buffer, position)
            if value is None:
                break
            others.append(value[0])
            position = value[1]
        self._buffer = buffer[position:]
        return messages, others


def _message(buffer: bytes, position: int, size: int) -> tuple[bytes, bytes, int] | None:
    """The channel and payload of a `message` push whose head ends at `position`."""
    line_end = buffer.find(b"\r\n", position)
    if line_end < 0:
        return None
    channel_start = line_end + 2
    channel_end = channel_start + int(buffer[position:line_end])
    size_start = channel_end + 3  # after "\r\n$"
    line_end = buffer.find(b"\r\n", size_start)
    if line_end < 0:
        return None
    payload_start = line_end + 2
    payload_end = payload_start + int(buffer[size_start:line_end])
    if payload_end + 2 > size:
        return None
    return buffer[channel_start:channel_end], buffer[payload_start:payload_end], payload_end + 2


def _parse(buffer: bytes, position: int) -> tuple[RespValue, int] | None:
    line_end = buffer.find(b"\r\n", position)
    if line_end < 0:
        return None
    kind = buffer[position : position + 1]
    head = buffer[position + 1 : line_end]
    after = line_end + 2
    if kind == b"$":
        return _bulk(buffer, int(head), after)
    if kind == b"*":
        return _array(buffer, int(head), after)
    if kind == b":":
        return int(head), after
    if kind == b"+":
        return head, after
    raise RespError(head.decode(errors="replace") if kind == b"-" else f"RESP type {kind!r}")


def _bulk(buffer: bytes, size: int, start: int) -> tuple[RespValue, int] | None:
    if size < 0:
        return None, start
    end = start + size
    if end + 2 > len(buffer):
        return None
    return buffer[start:end], end + 2


def _array(buffer: bytes, count: int, start: int) -> tuple[RespValue, int] | None:
    items: list[RespValue] = []
    for _ in range(count):
        parsed = _parse(buffer, start)
        if parsed is None:
            return None
        item, start = parsed
        items.append(item)
    return items, start
