"""One TCP connection to the client port: a writer task, a reader task, requests in flight.

Requests from any number of tasks are encoded by their callers and queued on a bounded channel;
one writer task sends them, many frames per write. One reader task decodes the server's frames
and hands each message to the client's dispatcher. Requests waiting for an answer are kept by
ReferenceId; when the connection ends they all fail with the same `ConnectionClosed`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import trio

from protocol import CLIENT_EVENTS, FrameDecoder, ProtocolError, decode
from statsrv.client.errors import ConnectionClosed, ServerClosing, StatServerError

if TYPE_CHECKING:
    from statsrv.client.statistic import Statistic

RECEIVE_BYTES = 65536
OUTGOING_FRAMES = 4096
"""Frames queued for the writer before senders wait."""
FRAMES_PER_WRITE = 1024
DEFAULT_MAX_FRAME_BYTES = 16 * 1024 * 1024
"""Largest frame the client accepts from the server (above any server's default limit)."""


@dataclass(eq=False, slots=True)
class Pending:
    """A request waiting for its direct answer."""

    reference_id: int
    statistic: Statistic | None = None
    done: trio.Event = field(default_factory=trio.Event)
    answer: Any = None
    error: BaseException | None = None
    abandoned: bool = False

    def resolve(self, answer: Any) -> None:
        """Hand the answer to the waiting task."""
        self.answer = answer
        self.done.set()

    def fail(self, error: BaseException) -> None:
        """Hand an error to the waiting task."""
        self.error = error
        self.done.set()

    async def outcome(self) -> Any:
        """Wait for the answer; raise the error instead, if there is one."""
        try:
            await self.done.wait()
        except BaseException:
            self.abandoned = True
            raise
        if self.error is not None:
            raise self.error
        return self.answer


class Link:
    """One connection: its stream, outgoing frames, pending requests and how it ended."""

    def __init__(self, stream: trio.abc.Stream, max_frame_bytes: int) -> None:
        self.stream = stream
        self.pending: dict[int, Pending] = {}
        self.ready = False
        """Registered (and, after a reconnect, every statistic reopened)."""
        self.closing_reason: str | None = None
        self.connection_error: StatServerError | None = None
        self.ended: ConnectionClosed | None = None
        self.done = trio.Event()
        self.cancel_scope = trio.CancelScope()
        self._decoder = FrameDecoder(max_frame_bytes)
        self._out, self._out_queue = trio.open_memory_channel[bytes](OUTGOING_FRAMES)
        self._lost_reason = "the connection was closed"

    async def send(self, frame: bytes) -> None:
        """Queue a frame for the writer; raises the link's `ConnectionClosed` once it ended."""
        try:
            await self._out.send(frame)
        except (trio.ClosedResourceError, trio.BrokenResourceError):
            raise self.end_error() from None

    def send_nowait(self, frame: bytes) -> bool:
        """Queue a frame if there is room right now; False otherwise."""
        try:
            self._out.send_nowait(frame)
        except (trio.WouldBlock, trio.ClosedResourceError, trio.BrokenResourceError):
            return False
        return True

    def abort(self) -> None:
        """End the connection now."""
        self.cancel_scope.cancel()

    def end_error(self) -> ConnectionClosed:
        """The exception that tells callers why this connection ended."""
        if self.ended is not None:
            return self.ended
        if self.closing_reason is not None:
            return ServerClosing(f"the server is closing the connection: {self.closing_reason}")
        if self.connection_error is not None:
            error = ConnectionClosed(f"the server closed the connection: {self.connection_error}")
            error.__cause__ = self.connection_error
            return error
        return ConnectionClosed(self._lost_reason)

    async def run(self, dispatch: Callable[[Link, Any], None]) -> ConnectionClosed:
        """Read and write until the connection ends; returns why it ended."""
        try:
            with self.cancel_scope:
                async with trio.open_nursery() as nursery:
                    nursery.start_soon(self._write, nursery.cancel_scope)
                    await self._read(dispatch)
                    nursery.cancel_scope.cancel()
        finally:
            self._out.close()
            with trio.CancelScope(shield=True):
                await self.stream.aclose()
            self.ended = self.end_error()
            for pending in self.pending.values():
                pending.fail(self.ended)
            self.pending.clear()
            self.done.set()
        return self.ended

    async def _read(self, dispatch: Callable[[Link, Any], None]) -> None:
        try:
            while True:
                data = await self.stream.receive_some(RECEIVE_BYTES)
                if not data:
                    self._lost_reason = "the server closed the connection"
                    return
                self._decoder.feed(data)
                while (body := self._decoder.next_frame()) is not None:
                    dispatch(self, decode(body, CLIENT_EVENTS))
        except (trio.BrokenResourceError, trio.ClosedResourceError) as exc:
            self._lost_reason = f"the connection was lost: {exc}"
        except ProtocolError as exc:
            self._lost_reason = f"the server sent a frame this client cannot read: {exc}"

    async def _write(self, scope: trio.CancelScope) -> None:
        try:
            async for frame in self._out_queue:
                frames = [frame]
                while len(frames) < FRAMES_PER_WRITE:
                    try:
                        frames.append(self._out_queue.receive_nowait())
                    except trio.WouldBlock:
                        break
                await self.stream.send_all(b"".join(frames))
        except (trio.BrokenResourceError, trio.ClosedResourceError) as exc:
            self._lost_reason = f"the connection was lost: {exc}"
            scope.cancel()
