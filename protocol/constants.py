"""Numbers and names fixed by the wire contract."""

from __future__ import annotations

PROTOCOL_VERSION = 1
"""The only `ProtocolVersion` this package speaks."""

DEFAULT_MAX_FRAME_BYTES = 1_048_576
"""Largest frame body accepted unless configured otherwise (1 MiB)."""

FRAME_PREFIX_BYTES = 4
"""Size of the big-endian unsigned length prefix in front of every frame body."""

MAX_BODY_BYTES = 2**32 - 1
"""Largest body a 4-byte length prefix can announce."""

DEFAULT_TENANT = "Environment"
"""`TenantName` of a statistic object, and tenant of a dialer event, when none is given."""

DEFAULT_TAG = -1
"""`Tag` of a statistic opened or read without one."""

DEFAULT_NOTIFICATION_MODE = "Immediate"
"""`Notification.Mode` when none is given."""
