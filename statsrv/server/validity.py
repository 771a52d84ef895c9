"""Statistic validity (DOMAIN.md §7): a tenant's statistics are valid while a dialer feeds it.

At start every tenant's feed counts as lost since the server started. When no dialer has served a
tenant for longer than the grace period, each open statistic of that tenant gets one
EventStatisticInvalid; when a dialer is back, EventStatisticValid and the current value. Values
are kept while invalid: nothing here touches the engine's state.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import structlog
import trio

from protocol import EventStatisticInvalid, EventStatisticValid

if TYPE_CHECKING:
    from statsrv.server.hub import Hub, OpenStatistic

log = structlog.get_logger("statsrv")

FEED_LOST = "no dialer connection serves this tenant"


@dataclass(slots=True)
class TenantFeed:
    """How many dialer connections serve a tenant, and since when none has."""

    connections: int
    lost_since: float
    announced_invalid: bool = False

    def due(self, grace_seconds: float) -> float | None:
        """When the loss must be announced, or None when there is nothing to announce."""
        if self.connections or self.announced_invalid:
            return None
        return self.lost_since + grace_seconds


class Validity:
    """Tracks feeds per tenant and announces invalid/valid transitions to open statistics."""

    def __init__(self, hub: Hub, grace_seconds: float, started_at: float) -> None:
        self.hub = hub
        self.grace_seconds = grace_seconds
        self.started_at = started_at
        self.feeds: dict[str, TenantFeed] = {}
        self._changed = trio.Event()

    def _feed(self, tenant: str) -> TenantFeed:
        feed = self.feeds.get(tenant)
        if feed is None:
            feed = self.feeds[tenant] = TenantFeed(connections=0, lost_since=self.started_at)
            self._changed.set()
        return feed

    def is_valid(self, tenant: str) -> bool:
        """Whether a statistic of `tenant` that was just opened needs no EventStatisticInvalid.

        Called right after the statistic joined its client's open statistics and its
        EventStatisticOpened was queued. A loss that is due but not yet announced (the validity
        task has not run yet, or the tenant is seen for the first time) is announced here first;
        that announcement reaches the new statistic too, right after its EventStatisticOpened,
        so the answer is then True and the statistic gets exactly one EventStatisticInvalid.
        False only when the loss was announced before this call (until a feed is back).
        """
        feed = self._feed(tenant)
        if feed.announced_invalid:
            return False
        self._announce_due(self.hub.clock.now())
        return True

    def reason(self, tenant: str) -> str:
        """Why the tenant's statistics are invalid."""
        del tenant
        return FEED_LOST

    def feed_up(self, tenant: str) -> None:
        """A dialer connection now serves `tenant`."""
        feed = self._feed(tenant)
        feed.connections += 1
        if feed.announced_invalid:
            feed.announced_invalid = False
            self._announce_valid(tenant)
        self._changed.set()

    def feed_lost(self, tenant: str) -> None:
        """A dialer connection serving `tenant` ended."""
        feed = self._feed(tenant)
        feed.connections = max(0, feed.connections - 1)
        if feed.connections == 0:
            feed.lost_since = self.hub.clock.now()
        self._changed.set()

    async def run(self) -> None:
        """Announce each tenant whose feed has been lost for longer than the grace period."""
        while True:
            self._changed = trio.Event()
            deadline = self._next_deadline()
            with trio.move_on_at(self.hub.clock.trio_deadline(deadline)):
                await self._changed.wait()
                continue
            self._announce_due(self.hub.clock.now())

    def _next_deadline(self) -> float | None:
        pending = [d for f in self.feeds.values() if (d := f.due(self.grace_seconds)) is not None]
        return min(pending, default=None)

    def _announce_due(self, now: float) -> None:
        for tenant, feed in self.feeds.items():
            due = feed.due(self.grace_seconds)
            if due is not None and due <= now:
                feed.announced_invalid = True
                log.warning("feed_lost", tenant=tenant, since=feed.lost_since)
                for owner in self._statistics_of(tenant):
                    owner.sink.push_event(
                        EventStatisticInvalid(
                            statistic_id=owner.statistic_id, tag=owner.tag, reason=FEED_LOST
                        )
                    )

    def _announce_valid(self, tenant: str) -> None:
        log.info("feed_restored", tenant=tenant)
        now = self.hub.core.now(self.hub.clock.now())
        for owner in self._statistics_of(tenant):
            owner.sink.push_event(
                EventStatisticValid(statistic_id=owner.statistic_id, tag=owner.tag)
            )
            subscription = owner.subscription
            if subscription.sends_initial_value and not subscription.suspended:
                value = subscription.value(now)
                subscription.last_sent = value
                owner.sink.push_value(owner.statistic_id, owner.tag, value)

    def _statistics_of(self, tenant: str) -> list[OpenStatistic]:
        return [
            owner
            for client in self.hub.clients
            for owner in client.open.values()
            if owner.tenant == tenant
        ]
