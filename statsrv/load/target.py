"""`--target`: a server that is already running."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Target:
    """A server that is already running: `host:client_port:ingest_port`."""

    host: str
    client_port: int
    ingest_port: int

    @classmethod
    def parse(cls, text: str) -> Target:
        """Parse `host:client_port:ingest_port`; raises ValueError naming the option."""
        parts = text.rsplit(":", 2)
        if len(parts) != 3 or not parts[0]:
            raise ValueError(f"--target: expected host:client_port:ingest_port, got {text!r}")
        try:
            return cls(parts[0], int(parts[1]), int(parts[2]))
        except ValueError:
            raise ValueError(f"--target: ports must be integers, got {text!r}") from None
