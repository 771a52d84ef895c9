"""The two ways a dialer event is turned away: malformed, or impossible in the current state."""

from __future__ import annotations


class InvalidEvent(Exception):
    """A dialer event is malformed; `field` is spelled as on the wire, str() is "Field: reason"."""

    def __init__(self, field: str, reason: str) -> None:
        super().__init__(f"{field}: {reason}")
        self.field = field
        self.reason = reason


class EventRefused(InvalidEvent):
    """A well-formed dialer event is impossible in the current state; it changed nothing."""
