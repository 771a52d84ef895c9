"""The server's clock: Unix seconds derived from trio's clock, so MockClock drives it in tests."""

from __future__ import annotations

import math
import time

import trio


class ServerClock:
    """Unix time as `offset + trio.current_time()`; never reads the wall clock after creation."""

    def __init__(self, unix_at_trio_zero: float | None = None) -> None:
        if unix_at_trio_zero is None:
            unix_at_trio_zero = time.time() - trio.current_time()
        self.offset = unix_at_trio_zero

    def now(self) -> float:
        """The current Unix time."""
        return self.offset + trio.current_time()

    def trio_deadline(self, unix_time: float | None) -> float:
        """The trio clock reading at `unix_time` (inf for None)."""
        return math.inf if unix_time is None else unix_time - self.offset
