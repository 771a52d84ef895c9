"""CPU time and memory of a process, from /proc (Linux)."""

from __future__ import annotations

import os
from pathlib import Path

CLOCK_TICKS_PER_S = os.sysconf("SC_CLK_TCK")
_UTIME_AFTER_COMM = 11  # field 14 of /proc/<pid>/stat, counted after the ")" of the name


def cpu_seconds(pid: int) -> float | None:
    """User + system CPU seconds used so far; None when the process is gone."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = text.rsplit(")", 1)[1].split()
    utime, stime = int(fields[_UTIME_AFTER_COMM]), int(fields[_UTIME_AFTER_COMM + 1])
    return (utime + stime) / CLOCK_TICKS_PER_S


def memory_kib(pid: int) -> dict[str, int]:
    """Resident set now (`rss_kib`) and at its peak (`peak_rss_kib`); empty when gone."""
    try:
        lines = Path(f"/proc/{pid}/status").read_text().splitlines()
    except OSError:
        return {}
    out = {}
    for line in lines:
        key, _, value = line.partition(":")
        if key == "VmRSS":
            out["rss_kib"] = int(value.split()[0])
        elif key == "VmHWM":
            out["peak_rss_kib"] = int(value.split()[0])
    return out


def load_average() -> tuple[float, float, float]:
    """The machine's 1, 5 and 15 minute load averages."""
    return os.getloadavg()
