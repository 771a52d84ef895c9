"""The pure core of the server: the campaign domain and the statistics engine, with engine time.

Dialer event bodies and `now` go in; statistic updates come out. No I/O, no clock reads: the
server hands in its clock's reading, so a replay with the same times gives the same values.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from statsrv.domain import (
    CampaignDomain,
    Catalogue,
    DialerEvent,
    InvalidEvent,
    load_catalogue,
    parse_event,
)
from statsrv.engine import StatisticsConfig, StatisticsEngine, Update, load_statistics_config

FUTURE_LIMIT_SECONDS = 60.0


@dataclass(frozen=True, slots=True)
class CoreConfig:
    """The loaded objects and statistics files and the zone of Growing resets."""

    catalogue: Catalogue
    statistics: StatisticsConfig
    zone: ZoneInfo

    @classmethod
    def load(cls, statistics_path: Path, objects_path: Path, zone: ZoneInfo) -> CoreConfig:
        """Load both files; raises ConfigError naming the file, section and key of a mistake."""
        return cls(load_catalogue(objects_path), load_statistics_config(statistics_path), zone)


@dataclass(frozen=True, slots=True)
class Applied:
    """An accepted dialer event and the statistic updates it caused."""

    event: DialerEvent
    updates: list[Update]


class StatCore:
    """Domain + statistics; engine time never goes back (DOMAIN.md §2, "Time")."""

    def __init__(
        self,
        domain: CampaignDomain,
        statistics: StatisticsEngine,
        started_at: float,
        max_event_lead_seconds: float = FUTURE_LIMIT_SECONDS,
    ) -> None:
        self.domain = domain
        self.statistics = statistics
        self.time = started_at
        self.max_event_lead_seconds = max_event_lead_seconds
        self.events_applied = 0
        self.events_refused = 0
        statistics.apply(domain.configured_occurrences(started_at), started_at)

    @classmethod
    def build(
        cls,
        config: CoreConfig,
        started_at: float,
        max_event_lead_seconds: float = FUTURE_LIMIT_SECONDS,
    ) -> StatCore:
        """A core over loaded configuration, starting at `started_at`."""
        domain = CampaignDomain(config.catalogue)
        engine = StatisticsEngine(config.statistics, config.zone, domain)
        return cls(domain, engine, started_at, max_event_lead_seconds)

    def now(self, clock_now: float) -> float:
        """Engine time at the server clock's reading `clock_now` (never earlier than before)."""
        self.time = max(self.time, clock_now)
        return self.time

    def apply_event(self, body: Mapping[str, Any], tenant: str, clock_now: float) -> Applied:
        """Parse, check and apply one event of `tenant` (the dialer connection's).

        Raises InvalidEvent, changing nothing, when the event is refused.
        """
        try:
            event = self._checked(body, tenant, clock_now)
            at = max(self.now(clock_now), event.time)
            occurrences = self.domain.apply(event, at)
        except InvalidEvent:
            self.events_refused += 1
            raise
        self.time = at
        self.events_applied += 1
        return Applied(event, self.statistics.apply(occurrences, at))

    def _checked(self, body: Mapping[str, Any], tenant: str, clock_now: float) -> DialerEvent:
        event = parse_event(body, tenant)
        if event.tenant != tenant:
            raise InvalidEvent("Tenant", f"{event.tenant!r} is not this connection's ({tenant!r})")
        if event.time > clock_now + self.max_event_lead_seconds:
            raise InvalidEvent(
                "Time",
                f"{event.time:.3f} is more than {self.max_event_lead_seconds:g} s ahead "
                f"of the server's clock ({clock_now:.3f})",
            )
        return event

    def on_timer(self, clock_now: float) -> list[Update]:
        """Updates due at `clock_now` (Periodical ticks, resets, sliding steps)."""
        return self.statistics.on_timer(self.now(clock_now))

    def next_deadline(self) -> float | None:
        """The engine time of the next timer-driven update, if any."""
        return self.statistics.next_deadline()
