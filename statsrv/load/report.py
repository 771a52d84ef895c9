"""The run's report: figures per backend, checks that the counts add up, ratios, thresholds."""

from __future__ import annotations

import os
from collections import Counter
from typing import TYPE_CHECKING, Any

from statsrv.load.latency import merge, summary_ms
from statsrv.load.shared import Window
from statsrv.load.spec import LoadSpec

if TYPE_CHECKING:
    from statsrv.load.children import Child
    from statsrv.load.harness import Observed

PUSHED_MODES = ("Immediate", "Periodical")


def _rate(snapshots: list[dict[str, dict[str, float]]], key: str) -> float | None:
    """Sum over processes of (end − start) / elapsed for one counter."""
    total = 0.0
    for snaps in snapshots:
        start, end = snaps.get("start"), snaps.get("end")
        if not start or not end or end["time"] <= start["time"]:
            return None
        total += (end[key] - start[key]) / (end["time"] - start["time"])
    return round(total, 1)


def _sum(items: list[dict[str, Any]], key: str) -> int:
    return sum(int(item.get(key, 0)) for item in items)


def expected_pushes(spec: LoadSpec, events: int, *, initial_values: bool) -> dict[str, Any]:
    """Values the clients get if no change is conflated; exact when every kind counts dials."""
    subscribers: Counter[tuple[int, int]] = Counter(
        spec.cell(client, slot)
        for client in range(spec.clients)
        for slot in range(spec.statistics_per_client)
    )
    per_campaign = [0] * spec.campaigns
    initial = 0
    for (campaign, kind_index), count in subscribers.items():
        kind = spec.mix[kind_index]
        if initial_values and kind.mode in PUSHED_MODES:
            initial += count
        if kind.changes_on_every_dial:
            per_campaign[campaign] += count
    full, extra = divmod(events, spec.campaigns)
    changes = sum((full + (c < extra)) * n for c, n in enumerate(per_campaign))
    exact = all(kind.changes_on_every_dial for kind in spec.mix)
    return {"total": initial + changes, "initial": initial, "exact": exact}


def collect_backend(
    backend: str, spec: LoadSpec, window: Window, dialer: Child, workers: list[Child]
) -> dict[str, Any]:
    """One backend's figures, from what its processes reported."""
    dialer_ready, dialer_final = dialer.received["ready"], dialer.received["final"]
    ready = [w.received["ready"] for w in workers]
    finals = [w.received["final"] for w in workers]
    received = _sum(finals, "notifications")
    expected = expected_pushes(spec, dialer_final["acked"], initial_values=backend == "statsrv")
    if spec.run_mode == "open-storm":  # each round's opens send initial values again
        expected = {"total": None, "exact": False}
    open_seconds = max((r["open_seconds"] for r in ready), default=0.0)
    opened = _sum(ready, "opened")
    marker_finals: dict[int, int] = {}
    for final in finals:
        for campaign, count in final["marker_finals"].items():
            marker_finals[campaign] = min(marker_finals.get(campaign, count), count)
    return {
        "backend": backend,
        "campaigns": spec.campaigns,
        "marker_finals": marker_finals,
        "window_s": round(window.end - window.start, 3),
        "dialer": {
            "offered_rate": spec.rate if spec.rate_mode == "constant" else spec.rate_mode,
            "setup_events": dialer_ready.get("setup_events", 0),
            "sent": dialer_final["sent"],
            "acked": dialer_final["acked"],
            "all_acked": dialer_final["all_acked"],
            "refused": dialer_final["refused"],
            "errors": dialer_final["errors"],
            "sent_per_s": _rate([dialer_final["snapshots"]], "sent"),
            "acked_per_s": _rate([dialer_final["snapshots"]], "acked"),
            "max_lag_s": round(dialer_final["max_lag_s"], 4),
            "publisher_delivered": dialer_final.get("delivered"),
        },
        "notifications": {
            "received": received,
            "per_s": _rate([f["snapshots"] for f in finals], "notifications"),
            "expected_without_conflation": expected["total"],
            "expectation_exact": expected["exact"],
            "marker_gaps": _sum(finals, "gaps"),
            "every_change_delivered": (
                received == expected["total"] if expected["exact"] else None
            ),
        },
        "latency_ms": summary_ms(merge([f["latency"] for f in finals])),
        "requests": {
            "opened": opened,
            "open_errors": _sum(finals, "open_errors"),
            "open_seconds": round(open_seconds, 3),
            "opens_per_s": round(opened / open_seconds, 1) if open_seconds else None,
            "answers_per_s": _rate([f["snapshots"] for f in finals], "answers"),
        },
        "clients": {
            "connected": _sum(finals, "connected"),
            "disconnects": _sum(finals, "disconnects"),
            "slow_consumers": _sum(finals, "slow_consumers"),
            "errors": _sum(finals, "errors"),
            "error_names": dict(sum((Counter(f["error_names"]) for f in finals), Counter())),
            "error_samples": [s for f in finals for s in f["error_samples"]][:5],
            "drained": _sum(finals, "drained"),
        },
    }


def server_part(result: dict[str, Any], observed: Observed) -> dict[str, Any]:
    """CPU, memory and the server's own counters."""
    part: dict[str, Any] = {"pid": observed.pid}
    cpu = observed.cpu
    if "start" in cpu and "end" in cpu:
        used = cpu["end"] - cpu["start"]
        wall = cpu["end_time"] - cpu["start_time"]
        part["cpu_s"] = round(used, 3)
        part["cpu_percent"] = round(100 * used / wall, 1) if wall > 0 else None
        per_s = result["notifications"]["per_s"]
        if per_s:
            part["cpu_us_per_notification"] = round(used * 1e6 / (per_s * wall), 3)
        events_per_s = result["dialer"]["acked_per_s"]
        if events_per_s:
            part["cpu_us_per_event"] = round(used * 1e6 / (events_per_s * wall), 3)
    if "start_generator" in cpu and "end_generator" in cpu and observed.window_s:
        generator = cpu["end_generator"] - cpu["start_generator"]
        part["load_generator_cpu_percent"] = round(100 * generator / observed.window_s, 1)
    memory = observed.memory
    part["memory_kib"] = memory
    part["peak_rss_kib"] = memory.get("end", {}).get("peak_rss_kib")
    opened = result["requests"]["opened"]
    before, after = memory.get("after_setup", {}), memory.get("after_open", {})
    if opened and "rss_kib" in before and "rss_kib" in after:
        grown = (after["rss_kib"] - before["rss_kib"]) * 1024
        part["bytes_per_statistic"] = round(grown / opened, 1)
    if observed.stopped:
        keep = {k: v for k, v in observed.stopped.items() if k not in ("timestamp", "level")}
        part["stopped"] = keep
        part["slow_consumer_log_lines"] = observed.log_events.get("slow_consumer", 0)
    return part


def _checks(result: dict[str, Any]) -> dict[str, bool | None]:
    """Do the counts add up?"""
    dialer, notes = result["dialer"], result["notifications"]
    stopped = result.get("server", {}).get("stopped")
    checks: dict[str, bool | None] = {
        "every_event_acked": dialer["all_acked"] and dialer["acked"] == dialer["sent"],
        "no_event_refused": dialer["refused"] == 0,
        "every_client_drained": result["clients"]["drained"] == result["clients"]["connected"],
    }
    finals: dict[int, int] = result.pop("marker_finals")
    full, extra = divmod(dialer["acked"], result["campaigns"])
    checks["latest_value_delivered"] = all(
        count == full + (campaign < extra) for campaign, count in finals.items()
    )
    if stopped:
        applied = dialer["setup_events"] + dialer["acked"]
        checks["server_applied_every_acked_event"] = stopped.get("events_applied") == applied
        checks["received_equals_server_sent"] = stopped.get("values_written") == notes["received"]
    elif dialer["publisher_delivered"] is not None:
        checks["received_equals_server_sent"] = dialer["publisher_delivered"] == notes["received"]
    return checks


def _ratio(ours: float | None, theirs: float | None) -> float | None:
    if not ours or not theirs:
        return None
    return round(ours / theirs, 3)


def _ratios(ours: dict[str, Any], redis: dict[str, Any]) -> dict[str, float | None]:
    return {
        "notify_rate": _ratio(ours["notifications"]["per_s"], redis["notifications"]["per_s"]),
        "event_rate": _ratio(ours["dialer"]["acked_per_s"], redis["dialer"]["acked_per_s"]),
        "p50": _ratio(ours["latency_ms"].get("p50"), redis["latency_ms"].get("p50")),
        "p99": _ratio(ours["latency_ms"].get("p99"), redis["latency_ms"].get("p99")),
        "cpu_per_notification": _ratio(
            ours["server"].get("cpu_us_per_notification"),
            redis["server"].get("cpu_us_per_notification"),
        ),
    }


def build_report(
    spec: LoadSpec,
    results: list[dict[str, Any]],
    load_before: tuple[float, float, float],
    load_after: tuple[float, float, float],
) -> dict[str, Any]:
    """The whole report: spec, machine, each backend with its checks, ratios."""
    report: dict[str, Any] = {
        "scenario": spec.scenario,
        "spec": _spec_dict(spec),
        "machine": {
            "cpus": os.cpu_count(),
            "load_average_before": [round(x, 2) for x in load_before],
            "load_average_after": [round(x, 2) for x in load_after],
        },
    }
    for result in results:
        result["checks"] = _checks(result)
        report[result["backend"]] = result
    if "redis" in report:
        report["ratios_to_redis"] = _ratios(report["statsrv"], report["redis"])
    return report


def _spec_dict(spec: LoadSpec) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name in spec.__dataclass_fields__:
        value = getattr(spec, name)
        out[name] = [kind.text for kind in value] if name == "mix" else value
    out["cells"] = spec.cells
    out["pushes_per_event"] = spec.subscribers_per_event()
    return out
