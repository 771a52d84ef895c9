"""Push latency: counted cheaply per value, kept as an HdrHistogram (microseconds)."""

from __future__ import annotations

from hdrh.histogram import HdrHistogram

LOWEST_US = 1
HIGHEST_US = 600_000_000
SIGNIFICANT_DIGITS = 3
PERCENTILES = (("p50", 50.0), ("p90", 90.0), ("p99", 99.0), ("p99_9", 99.9))
_FLUSH_DISTINCT = 100_000


def new_histogram() -> HdrHistogram:
    """An empty histogram from 1 µs to 10 minutes at 3 significant digits."""
    return HdrHistogram(LOWEST_US, HIGHEST_US, SIGNIFICANT_DIGITS)


class LatencyRecorder:
    """Adds latencies to a dict of counts (fast), folded into an HdrHistogram on demand."""

    __slots__ = ("_counts", "_histogram")

    def __init__(self) -> None:
        self._counts: dict[int, int] = {}
        self._histogram = new_histogram()

    def add(self, seconds: float) -> None:
        """Record one latency."""
        micros = int(seconds * 1e6)
        counts = self._counts
        counts[micros] = counts.get(micros, 0) + 1
        if len(counts) > _FLUSH_DISTINCT:
            self._fold()

    def histogram(self) -> HdrHistogram:
        """Everything recorded so far."""
        self._fold()
        return self._histogram

    def encoded(self) -> bytes:
        """The histogram in HdrHistogram's portable encoding, for another process to merge."""
        return self.histogram().encode()

    def _fold(self) -> None:
        record = self._histogram.record_value
        for micros, count in self._counts.items():
            record(min(max(micros, LOWEST_US), HIGHEST_US), count)
        self._counts.clear()


def merge(encoded: list[bytes]) -> HdrHistogram:
    """One histogram holding every encoded one."""
    total = new_histogram()
    for item in encoded:
        total.add(HdrHistogram.decode(item))
    return total


def summary_ms(histogram: HdrHistogram) -> dict[str, float | int]:
    """Count, mean, p50/p90/p99/p99.9 and max, in milliseconds."""
    count = histogram.get_total_count()
    out: dict[str, float | int] = {"count": count}
    if count == 0:
        return out
    for name, percentile in PERCENTILES:
        out[name] = round(histogram.get_value_at_percentile(percentile) / 1000.0, 3)
    out["max"] = round(histogram.get_max_value() / 1000.0, 3)
    out["mean"] = round(histogram.get_mean_value() / 1000.0, 3)
    return out
