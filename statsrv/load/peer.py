"""What a statsrv load client and a Redis subscriber share: one stream, its loss, a ping drain."""

from __future__ import annotations

from typing import TYPE_CHECKING

import trio

if TYPE_CHECKING:
    from statsrv.load.clients import WorkerCounters


class LoadPeer:
    """One connection of a worker: sends that notice a lost peer, and drain-by-ping."""

    def __init__(self, counters: WorkerCounters) -> None:
        self.counters = counters
        self.stream: trio.SocketStream | None = None
        self.ponged = trio.Event()

    async def close(self) -> None:
        """Close the connection."""
        if self.stream is not None:
            stream, self.stream = self.stream, None
            with trio.move_on_after(1):
                await stream.aclose()

    async def _send(self, data: bytes) -> bool:
        if self.stream is None:
            return False
        try:
            await self.stream.send_all(data)
        except (trio.BrokenResourceError, trio.ClosedResourceError):
            self._lost()
            return False
        return True

    async def _ping_and_wait(self, ping: bytes) -> bool:
        """Send `ping` and wait for its answer: everything pushed before it has then arrived."""
        if not await self._send(ping):
            return False
        await self.ponged.wait()
        return True

    def _lost(self) -> None:
        if self.stream is not None:
            self.counters.disconnects += 1
            self.stream = None
        self._wake_waiters()
        self.ponged.set()

    def _wake_waiters(self) -> None:
        """Release whatever a subclass's tasks wait for, now that the peer is gone."""
