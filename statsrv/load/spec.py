"""What a load run does: the statistics each client opens, the dialer's rate, the timing.

A statistic *kind* is a statistic type on a time profile, opened on a campaign or on its one
group, with a notification mode; every campaign offers every kind of the mix, so the cells of a
run are (campaign, kind) pairs. Clients' statistics are dealt round-robin over the cells, so each
cell has about `clients × statistics_per_client / cells` subscribers.

Kind 0 is always the *marker*: `DialsMade` on the campaign, `SinceStart` (EverGrowing),
Immediate. Its value k means "the k-th dial result of this campaign was applied", which is what
lets a client tell which event caused a value it receives (see docs/load.md).
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass
from typing import Literal

ObjectKind = Literal["Campaign", "CampaignGroup"]
RateMode = Literal["constant", "max", "off"]
RunMode = Literal["push", "open-storm"]

NOTIFICATION_MODES = ("Immediate", "Periodical", "Reset", "NoNotification")
GROUP_PREFIX = "group:"
GROUP_NAME = "G1"
CALLING_LIST = "LoadList"
DIAL_COUNTER = "DialsMade"


class SpecError(ValueError):
    """A load option that cannot work, naming the option and the reason."""


@dataclass(frozen=True, slots=True)
class StatisticKind:
    """One statistic type on one profile and object, with its notification mode."""

    statistic_type: str
    time_profile: str | None = None
    object_type: ObjectKind = "Campaign"
    mode: str = "Immediate"
    frequency_s: float | None = None

    @property
    def text(self) -> str:
        """The kind in the `--mix` syntax."""
        prefix = GROUP_PREFIX if self.object_type == "CampaignGroup" else ""
        profile = f"/{self.time_profile}" if self.time_profile else ""
        mode = "" if self.mode == "Immediate" else f"@{self.mode}"
        freq = f":{self.frequency_s:g}" if self.frequency_s is not None else ""
        return f"{prefix}{self.statistic_type}{profile}{mode}{freq}"

    @property
    def changes_on_every_dial(self) -> bool:
        """True when each dial result changes the value and each change is pushed."""
        return self.statistic_type == DIAL_COUNTER and self.mode == "Immediate"

    def object_id(self, campaign: str) -> str:
        """The ObjectId of this kind on `campaign`."""
        return f"{campaign}@{GROUP_NAME}" if self.object_type == "CampaignGroup" else campaign

    def open_fields(self, campaign: str) -> dict[str, object]:
        """The fields of a RequestOpenStatistic for this kind on `campaign` (no ReferenceId)."""
        metric: dict[str, object] = {"StatisticType": self.statistic_type}
        if self.time_profile:
            metric["TimeProfile"] = self.time_profile
        notification: dict[str, object] = {"Mode": self.mode}
        if self.frequency_s is not None:
            notification["Frequency"] = self.frequency_s
        return {
            "StatisticObject": {
                "ObjectId": self.object_id(campaign),
                "ObjectType": self.object_type,
            },
            "StatisticMetric": metric,
            "Notification": notification,
        }


MARKER = StatisticKind(DIAL_COUNTER, "SinceStart")


def parse_kind(text: str) -> StatisticKind:
    """Parse `[group:]Type[/Profile][@Mode[:Frequency]]` (`group:Answers/LastHour@Periodical:2`)."""
    spec = text.strip()
    object_type: ObjectKind = "Campaign"
    if spec.startswith(GROUP_PREFIX):
        object_type, spec = "CampaignGroup", spec[len(GROUP_PREFIX) :]
    spec, _, mode_part = spec.partition("@")
    statistic_type, _, profile = spec.partition("/")
    mode, _, freq_text = (mode_part or "Immediate").partition(":")
    if not statistic_type:
        raise SpecError(f"--mix: {text!r}: missing statistic type")
    if mode not in NOTIFICATION_MODES:
        raise SpecError(f"--mix: {text!r}: unknown mode {mode!r}; known: {NOTIFICATION_MODES}")
    frequency = None
    if freq_text:
        try:
            frequency = float(freq_text)
        except ValueError:
            raise SpecError(f"--mix: {text!r}: frequency {freq_text!r} is not a number") from None
    return StatisticKind(statistic_type, profile or None, object_type, mode, frequency)


def parse_mix(text: str) -> tuple[StatisticKind, ...]:
    """A comma-separated list of kinds, with the marker first (added when missing)."""
    kinds = [parse_kind(item) for item in text.split(",") if item.strip()]
    return with_marker(kinds)


def with_marker(
    kinds: list[StatisticKind] | tuple[StatisticKind, ...],
) -> tuple[StatisticKind, ...]:
    """The marker kind first, then the others in order, without duplicates."""
    ordered = [MARKER]
    for kind in kinds:
        if kind not in ordered:
            ordered.append(kind)
    return tuple(ordered)


@dataclass(frozen=True, slots=True)
class LoadSpec:
    """Everything a load run needs to know; the same for statsrv and the Redis baseline."""

    scenario: str = "custom"
    clients: int = 4
    statistics_per_client: int = 10
    campaigns: int = 10
    mix: tuple[StatisticKind, ...] = (MARKER,)
    rate_mode: RateMode = "constant"
    rate: float = 200.0
    duration_s: float = 2.0
    warmup_s: float = 1.0
    workers: int = 1
    run_mode: RunMode = "push"
    max_outstanding_events: int = 5000
    max_rate_events_per_s: float = 100_000.0
    drain_timeout_s: float = 30.0
    connect_concurrency: int = 64
    run_id: str = "load"

    def __post_init__(self) -> None:
        checks = (
            (self.clients >= 1, "--clients: must be at least 1"),
            (self.statistics_per_client >= 0, "--statistics: must be at least 0"),
            (self.campaigns >= 1, "--campaigns: must be at least 1"),
            (self.workers >= 1, "--workers: must be at least 1"),
            (self.duration_s > 0, "--duration: must be above 0"),
            (self.warmup_s >= 0, "--warmup: must be at least 0"),
            (self.rate_mode != "constant" or self.rate > 0, "--rate: must be above 0"),
            (bool(self.mix) and self.mix[0] == MARKER, "mix: the marker kind must come first"),
        )
        for ok, message in checks:
            if not ok:
                raise SpecError(message)

    def replace(self, **changes: object) -> LoadSpec:
        """A copy with some fields changed (None values are ignored)."""
        given = {k: v for k, v in changes.items() if v is not None}
        return dataclasses.replace(self, **given)  # type: ignore[arg-type]

    @property
    def cells(self) -> int:
        """Distinct statistics a run can open: campaigns × kinds."""
        return self.campaigns * len(self.mix)

    @property
    def drives_events(self) -> bool:
        """False when the dialer only makes the campaigns known and sends nothing more."""
        return self.rate_mode != "off"

    def campaign_name(self, index: int) -> str:
        """The name of campaign `index` (unique per run, so a targeted server starts at zero)."""
        return f"{self.run_id}-C{index:05d}"

    def cell(self, client: int, slot: int) -> tuple[int, int]:
        """(campaign index, kind index) of a client's `slot`-th statistic."""
        index = (client * self.statistics_per_client + slot) % self.cells
        return divmod(index, len(self.mix))

    def event_capacity(self) -> int:
        """How many driven events the shared send-time table must hold."""
        seconds = self.warmup_s + self.duration_s + 1.0
        rate = self.rate if self.rate_mode == "constant" else self.max_rate_events_per_s
        return 0 if self.rate_mode == "off" else math.ceil(rate * seconds) + 16

    def event_number(self, campaign: int, k: int) -> int:
        """The run-wide number (1-based) of campaign `campaign`'s k-th dial result."""
        return (k - 1) * self.campaigns + campaign + 1

    def subscribers_per_event(self) -> float:
        """Pushed values one dial result causes, when every kind changes on every dial."""
        return self.clients * self.statistics_per_client / self.campaigns


def split_clients(clients: int, workers: int) -> list[range]:
    """Client numbers for each worker process, as even as possible."""
    workers = min(workers, clients)
    bounds = [clients * w // workers for w in range(workers + 1)]
    return [range(bounds[w], bounds[w + 1]) for w in range(workers)]
