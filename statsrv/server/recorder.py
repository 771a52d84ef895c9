"""Recording of accepted dialer events to a JSON Lines file, for `statsrv replay`.

One line per accepted event, in the order the server applied them:

    {"Tenant": "Environment", "Time": 1805112000.25, "Body": {"Event": "DialResult", ...}}

`Time` is the effective time the event was applied at (the later of the engine's time and the
event's own `Time`); `Body` is the event's map as it arrived, without `Message` and `Seq`.
"""

from __future__ import annotations

import json
import time
from collections.abc import Mapping
from pathlib import Path
from typing import IO, Any, Protocol

FLUSH_INTERVAL_SECONDS = 1.0


class _EngineTime(Protocol):
    time: float


class EventRecorder:
    """Appends each accepted event to a JSON Lines file; flushed every second and at close."""

    def __init__(self, file: IO[str], core: _EngineTime) -> None:
        self.file = file
        self.core = core
        self.recorded = 0
        self._flushed_at = time.monotonic()

    @classmethod
    def open(cls, path: Path, core: _EngineTime) -> EventRecorder:
        """Create (or truncate) `path` and record into it."""
        return cls(path.open("w", encoding="utf-8"), core)

    def record(self, body: Mapping[str, Any], tenant: str, applied: object) -> None:
        """Write one accepted event (called by the hub right after it was applied)."""
        del applied
        line = {"Tenant": tenant, "Time": self.core.time, "Body": _plain(body)}
        self.file.write(json.dumps(line, separators=(",", ":")) + "\n")
        self.recorded += 1
        now = time.monotonic()
        if now - self._flushed_at >= FLUSH_INTERVAL_SECONDS:
            self.file.flush()
            self._flushed_at = now

    def close(self) -> None:
        """Flush and close the file."""
        self.file.close()


def _plain(body: Mapping[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in body.items() if key not in ("Message", "Seq")}
