"""The human summary of a report."""

from __future__ import annotations

from typing import Any


def _fmt(value: Any, unit: str = "") -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:,.1f}{unit}" if abs(value) >= 100 else f"{value:,.3g}{unit}"
    if isinstance(value, int):
        return f"{value:,}{unit}"
    return f"{value}{unit}"


def _backend_lines(result: dict[str, Any]) -> list[str]:
    dialer, notes, lat = result["dialer"], result["notifications"], result["latency_ms"]
    req, clients, server = result["requests"], result["clients"], result.get("server", {})
    failed = [name for name, ok in result["checks"].items() if ok is False]
    return [
        f"[{result['backend']}] window {result['window_s']:g} s",
        f"  dialer     offered {_fmt(dialer['offered_rate'])}/s, sent {_fmt(dialer['sent_per_s'])}"
        f"/s, acked {_fmt(dialer['acked_per_s'])}/s ({_fmt(dialer['acked'])} of "
        f"{_fmt(dialer['sent'])}; refused {dialer['refused']}; max lag "
        f"{_fmt(dialer['max_lag_s'])} s)",
        f"  pushed     {_fmt(notes['per_s'])}/s, received {_fmt(notes['received'])} "
        f"(expected without conflation {_fmt(notes['expected_without_conflation'])}; "
        f"marker gaps {notes['marker_gaps']})",
        f"  latency    p50 {_fmt(lat.get('p50'))} p90 {_fmt(lat.get('p90'))} "
        f"p99 {_fmt(lat.get('p99'))} p99.9 {_fmt(lat.get('p99_9'))} max {_fmt(lat.get('max'))} "
        f"ms ({_fmt(lat.get('count'))} samples)",
        f"  requests   opened {_fmt(req['opened'])} in {_fmt(req['open_seconds'])} s "
        f"({_fmt(req['opens_per_s'])}/s); answers in window {_fmt(req['answers_per_s'])}/s",
        f"  clients    {clients['connected']} connected, {clients['disconnects']} cut off, "
        f"{clients['slow_consumers']} slow consumers, {clients['errors']} errors "
        f"{clients['error_names'] or ''}",
        f"  server     CPU {_fmt(server.get('cpu_percent'), '%')} (load generator "
        f"{_fmt(server.get('load_generator_cpu_percent'), '%')}), "
        f"{_fmt(server.get('cpu_us_per_notification'))} µs/notification, peak RSS "
        f"{_fmt(server.get('peak_rss_kib'))} KiB, {_fmt(server.get('bytes_per_statistic'))} "
        "B/statistic",
        f"  checks     {'all passed' if not failed else 'FAILED: ' + ', '.join(failed)}",
    ]


def summary(report: dict[str, Any]) -> str:
    """A few lines per backend, the ratios, and the thresholds."""
    lines = [
        f"statsrv load: scenario {report['scenario']} "
        f"(load average before {report['machine']['load_average_before']})"
    ]
    for backend in ("statsrv", "redis"):
        if backend in report:
            lines += _backend_lines(report[backend])
    ratios = report.get("ratios_to_redis")
    if ratios:
        lines.append(
            "  statsrv / redis: "
            + ", ".join(f"{name} {_fmt(value)}" for name, value in ratios.items())
        )
    for outcome in report.get("thresholds", []):
        mark = "ok  " if outcome["ok"] else "MISS"
        lines.append(f"  {mark} {outcome['metric']} {outcome['limit']}: {_fmt(outcome['value'])}")
    return "\n".join(lines)
