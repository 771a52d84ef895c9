"""An open statistic as the caller sees it: its latest value, validity, and a stream of values.

The connection's reader task feeds each statistic without ever waiting: values go into a
bounded buffer (the oldest are dropped when nobody reads, so the latest always arrives, as on
the wire). `async for value in statistic` yields each value in order, and an `Invalid` marker
when the statistic turns invalid (its dialer feed is lost, or the connection is down).
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import trio

from protocol import Notification, StatisticMetric, StatisticMetricEx, StatisticObject
from statsrv.client.errors import ConnectionClosed

if TYPE_CHECKING:
    from statsrv.client.client import StatClient

DEFAULT_BUFFER_VALUES = 1000
"""Values kept for a statistic nobody iterates; older ones are dropped."""


@dataclass(frozen=True, slots=True)
class Invalid:
    """In a value stream: from here on the statistic is invalid, for `reason`."""

    reason: str


class Statistic:
    """A handle on one open statistic of a `StatClient`."""

    def __init__(
        self,
        client: StatClient,
        statistic_id: int,
        tag: int,
        statistic_object: StatisticObject,
        metric: StatisticMetric | StatisticMetricEx,
        notification: Notification | None,
        buffer_values: int = DEFAULT_BUFFER_VALUES,
    ) -> None:
        self._client = client
        self.statistic_id = statistic_id
        self.tag = tag
        self.object = statistic_object
        self.metric = metric
        self.notification = notification
        self.value: Any = None
        """The latest value received (pushed or peeked); None before the first."""
        self.server_time: float | None = None
        """When the server computed `value`, Unix seconds."""
        self.has_value = False
        self.valid = True
        self.invalid_reason: str | None = None
        self.suspended = False
        self.closed = False
        self._buffer: deque[Any] = deque(maxlen=buffer_values)
        self._ended: ConnectionClosed | None = None
        self._changed = trio.Event()

    def __repr__(self) -> str:
        state = "closed" if self.closed else ("valid" if self.valid else "invalid")
        return f"<Statistic {self.statistic_id} tag={self.tag} {state} value={self.value!r}>"

    # --- reading -----------------------------------------------------------------------------

    def __aiter__(self) -> _ValueIterator:
        return _ValueIterator(self)

    async def wait_for(self, predicate: Callable[[Any], bool]) -> Any:
        """The first value (the current one included) for which `predicate` is true."""
        while True:
            if self.has_value and predicate(self.value):
                return self.value
            self._raise_if_ended()
            await self._changed.wait()

    # --- requests ----------------------------------------------------------------------------

    async def peek(self) -> Any:
        """Ask the server for the current value (whatever the notification mode)."""
        return await self._client.peek(self)

    async def close(self) -> None:
        """Close the statistic; its value iterator then ends."""
        await self._client.close(self)

    async def suspend(self) -> None:
        """Stop pushed values until `resume`."""
        await self._client.suspend(self)

    async def resume(self) -> None:
        """Resume pushed values (the current one is sent again for Immediate and Periodical)."""
        await self._client.resume(self)

    # --- fed by the client's reader (never waits) --------------------------------------------

    def _set_value(self, value: Any, server_time: float, *, push: bool = True) -> None:
        self.value = value
        self.server_time = server_time
        self.has_value = True
        if push:
            self._push(value)
        else:
            self._notify()

    def _set_invalid(self, reason: str) -> None:
        was_valid = self.valid
        self.valid = False
        self.invalid_reason = reason
        if was_valid:
            self._push(Invalid(reason))

    def _set_valid(self) -> None:
        self.valid = True
        self.invalid_reason = None
        self._notify()

    def _set_closed(self) -> None:
        self.closed = True
        self._notify()

    def _set_ended(self, error: ConnectionClosed) -> None:
        self._ended = error
        self.valid = False
        self.invalid_reason = error.reason
        self._notify()

    def _push(self, item: Any) -> None:
        self._buffer.append(item)
        self._client._deliver(self, item)
        self._notify()

    def _notify(self) -> None:
        self._changed.set()
        self._changed = trio.Event()

    def _raise_if_ended(self) -> None:
        if self._ended is not None:
            raise self._ended
        if self.closed:
            raise ConnectionClosed(f"statistic {self.statistic_id} is closed")


class _ValueIterator:
    """Yields a statistic's values and `Invalid` markers; ends when it is closed."""

    def __init__(self, statistic: Statistic) -> None:
        self._statistic = statistic

    def __aiter__(self) -> _ValueIterator:
        return self

    async def __anext__(self) -> Any:
        statistic = self._statistic
        while True:
            if statistic._buffer:
                return statistic._buffer.popleft()
            if statistic.closed:
                raise StopAsyncIteration
            if statistic._ended is not None:
                raise statistic._ended
            await statistic._changed.wait()
