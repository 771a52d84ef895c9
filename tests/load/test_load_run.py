"""A short `statsrv load` run end to end: the report is complete and its counts add up."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from statsrv.cli import main
from statsrv.load.scenarios import scenario_spec

EXIT_THRESHOLD_MISSED = 1


@pytest.fixture(scope="module")
def smoke_report(tmp_path_factory: pytest.TempPathFactory) -> tuple[int, dict]:
    """One smoke run (4 clients x 10 statistics, 200 events/s, 2 s, 1 worker) for every test."""
    path: Path = tmp_path_factory.mktemp("load") / "report.json"
    code = main(
        [
            "load",
            "smoke",
            "--quiet",
            "--report",
            str(path),
            "--threshold",
            "p99_ms=60000",
            "--threshold",
            "notify_rate=1e12",
        ]
    )
    return code, json.loads(path.read_text())


def test_a_missed_threshold_sets_the_exit_code(smoke_report: tuple[int, dict]) -> None:
    code, report = smoke_report
    outcomes = {t["metric"]: t["ok"] for t in report["thresholds"]}
    assert code == EXIT_THRESHOLD_MISSED
    assert outcomes == {"p99_ms": True, "notify_rate": False}


def test_every_acked_event_is_accounted_for(smoke_report: tuple[int, dict]) -> None:
    _, report = smoke_report
    spec = scenario_spec("smoke")
    dialer = report["statsrv"]["dialer"]
    stopped = report["statsrv"]["server"]["stopped"]
    planned = int(spec.rate * (spec.warmup_s + spec.duration_s))
    assert dialer["sent"] == dialer["acked"] == planned
    assert dialer["refused"] == 0 and dialer["all_acked"]
    assert stopped["events_applied"] == dialer["setup_events"] + dialer["acked"]
    assert stopped["events_refused"] == 0
    assert report["statsrv"]["checks"]["latest_value_delivered"] is True


def test_notifications_received_equal_those_the_server_sent(
    smoke_report: tuple[int, dict],
) -> None:
    _, report = smoke_report
    result = report["statsrv"]
    notes = result["notifications"]
    assert notes["received"] == result["server"]["stopped"]["values_written"]
    assert notes["received"] <= notes["expected_without_conflation"]
    assert result["clients"]["connected"] == result["clients"]["drained"] == 4
    assert result["clients"]["errors"] == result["clients"]["disconnects"] == 0
    assert all(ok is not False for ok in result["checks"].values())


def test_the_report_holds_every_figure(smoke_report: tuple[int, dict]) -> None:
    _, report = smoke_report
    result = report["statsrv"]
    latency = result["latency_ms"]
    assert latency["count"] > 0
    assert 0 < latency["p50"] <= latency["p90"] <= latency["p99"] <= latency["p99_9"]
    assert latency["p99_9"] <= latency["max"]
    assert result["dialer"]["acked_per_s"] > 0 and result["notifications"]["per_s"] > 0
    assert result["requests"]["opened"] == 40
    server = result["server"]
    assert server["cpu_s"] >= 0 and server["peak_rss_kib"] > 0
    assert {"start", "after_setup", "after_open", "end"} <= set(server["memory_kib"])
    assert report["spec"]["clients"] == 4 and report["machine"]["cpus"] >= 1
