"""`--threshold name=value`: limits a run must meet, else the command exits non-zero."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

Getter = Callable[[dict[str, Any]], Any]


def _path(*keys: str) -> Getter:
    def get(report: dict[str, Any]) -> Any:
        value: Any = report
        for key in keys:
            if not isinstance(value, dict):
                return None
            value = value.get(key)
        return value

    return get


METRICS: dict[str, tuple[Getter, Literal["max", "min"], str]] = {
    "p50_ms": (_path("statsrv", "latency_ms", "p50"), "max", "push latency p50 (ms)"),
    "p90_ms": (_path("statsrv", "latency_ms", "p90"), "max", "push latency p90 (ms)"),
    "p99_ms": (_path("statsrv", "latency_ms", "p99"), "max", "push latency p99 (ms)"),
    "p999_ms": (_path("statsrv", "latency_ms", "p99_9"), "max", "push latency p99.9 (ms)"),
    "max_ms": (_path("statsrv", "latency_ms", "max"), "max", "push latency max (ms)"),
    "notify_rate": (_path("statsrv", "notifications", "per_s"), "min", "notifications/s"),
    "event_rate": (_path("statsrv", "dialer", "acked_per_s"), "min", "dialer events acked/s"),
    "open_rate": (_path("statsrv", "requests", "opens_per_s"), "min", "opens/s at start"),
    "request_rate": (_path("statsrv", "requests", "answers_per_s"), "min", "answers/s"),
    "gaps": (_path("statsrv", "notifications", "marker_gaps"), "max", "marker values skipped"),
    "errors": (_path("statsrv", "clients", "errors"), "max", "EventErrors received"),
    "disconnects": (_path("statsrv", "clients", "disconnects"), "max", "clients cut off"),
    "cpu_us_per_notification": (
        _path("statsrv", "server", "cpu_us_per_notification"),
        "max",
        "server CPU µs per notification",
    ),
    "bytes_per_statistic": (
        _path("statsrv", "server", "bytes_per_statistic"),
        "max",
        "server memory per open statistic (bytes)",
    ),
    "peak_rss_kib": (_path("statsrv", "server", "peak_rss_kib"), "max", "server peak RSS (KiB)"),
    "p99_ratio": (_path("ratios_to_redis", "p99"), "max", "p99 / Redis p99"),
    "notify_rate_ratio": (
        _path("ratios_to_redis", "notify_rate"),
        "min",
        "notifications/s / Redis's",
    ),
}


@dataclass(frozen=True, slots=True)
class Threshold:
    """One limit: a metric and the value it must not pass."""

    metric: str
    limit: float

    @classmethod
    def parse(cls, text: str) -> Threshold:
        """Parse `name=value`; raises ValueError naming the option and the reason."""
        name, sep, value = text.partition("=")
        name = name.strip()
        if not sep:
            raise ValueError(f"--threshold: expected name=value, got {text!r}")
        if name not in METRICS:
            raise ValueError(f"--threshold: unknown metric {name!r}; known: {', '.join(METRICS)}")
        try:
            return cls(name, float(value))
        except ValueError:
            raise ValueError(f"--threshold {name}: {value!r} is not a number") from None

    def check(self, report: dict[str, Any]) -> dict[str, Any]:
        """The outcome: the measured value and whether it meets the limit."""
        getter, direction, meaning = METRICS[self.metric]
        value = getter(report)
        if value is None:
            ok = False
        elif direction == "max":
            ok = value <= self.limit
        else:
            ok = value >= self.limit
        relation = "<=" if direction == "max" else ">="
        return {
            "metric": self.metric,
            "meaning": meaning,
            "limit": f"{relation} {self.limit:g}",
            "value": value,
            "ok": ok,
        }
