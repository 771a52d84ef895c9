"""`statsrv load`: run a load scenario and report.

Exit codes: 0 when the run completed, its counts add up and every threshold is met; 1 when a
threshold is missed, a count does not add up, or the run failed; 2 for bad options.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from statsrv.load.scenarios import SCENARIOS, scenario_spec
from statsrv.load.spec import LoadSpec, SpecError, parse_mix
from statsrv.load.target import Target
from statsrv.load.thresholds import METRICS, Threshold

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


def register(commands: Any) -> None:
    """Add `load` to the `statsrv` subcommands."""
    scenarios = "; ".join(f"{name}: {text}" for name, (text, _) in SCENARIOS.items())
    parser = commands.add_parser(
        "load",
        help="load-test a server and report throughput, latency, CPU and memory",
        description=f"Scenarios — {scenarios}.",
    )
    parser.add_argument("scenario", choices=list(SCENARIOS), help="the workload to run")
    parser.add_argument("--target", help="host:client_port:ingest_port of a running server")
    parser.add_argument("--server-config", type=Path, help="statsrv.toml for the started server")
    parser.add_argument("--clients", type=int, help="client connections")
    parser.add_argument("--statistics", type=int, help="statistics each client opens")
    parser.add_argument("--campaigns", type=int, help="campaigns the dialer feeds")
    parser.add_argument(
        "--mix", help="statistic kinds, comma-separated: [group:]Type[/Profile][@Mode[:Freq]]"
    )
    parser.add_argument("--rate", help="dial results per second, 'max' or 'off'")
    parser.add_argument("--duration", type=float, help="measured seconds")
    parser.add_argument("--warmup", type=float, help="seconds before measuring")
    parser.add_argument("--workers", type=int, help="client worker processes")
    parser.add_argument("--baseline", choices=["redis"], help="also run the Redis baseline")
    parser.add_argument(
        "--threshold",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help=f"a limit to meet; names: {', '.join(METRICS)}",
    )
    parser.add_argument("--report", type=Path, help="write the JSON report to this file")
    parser.add_argument("--quiet", action="store_true", help="no progress lines")
    parser.set_defaults(command=_load)


def _rate(text: str | None) -> dict[str, Any]:
    if text is None:
        return {}
    if text in ("max", "off"):
        return {"rate_mode": text}
    try:
        rate = float(text)
    except ValueError:
        raise SpecError(f"--rate: expected a number, 'max' or 'off', got {text!r}") from None
    return {"rate_mode": "constant", "rate": rate}


def spec_from_args(args: argparse.Namespace, run_id: str) -> LoadSpec:
    """The scenario's spec with the options applied; raises SpecError naming the option."""
    spec = scenario_spec(args.scenario)
    return spec.replace(
        clients=args.clients,
        statistics_per_client=args.statistics,
        campaigns=args.campaigns,
        mix=parse_mix(args.mix) if args.mix else None,
        duration_s=args.duration,
        warmup_s=args.warmup,
        workers=args.workers,
        run_id=run_id,
        **_rate(args.rate),
    )


def _load(args: argparse.Namespace) -> int:
    try:
        spec = spec_from_args(args, _run_id())
        target = Target.parse(args.target) if args.target else None
        thresholds = [Threshold.parse(text) for text in args.threshold]
    except ValueError as exc:
        sys.stderr.write(f"statsrv load: {exc}\n")
        return EXIT_USAGE
    try:  # imported here: the rest of `statsrv` must work without the load extra installed
        from statsrv.load.children import ChildFailed  # noqa: PLC0415
        from statsrv.load.harness import run_load  # noqa: PLC0415
        from statsrv.load.redis_baseline import RedisUnavailable  # noqa: PLC0415
        from statsrv.load.server_process import ServerFailed  # noqa: PLC0415
        from statsrv.load.summary import summary  # noqa: PLC0415
    except ImportError as exc:
        sys.stderr.write(
            f"statsrv load: {exc}; install the bench extra: pip install 'statsrv[bench]'\n"
        )
        return EXIT_FAILED
    progress = None if args.quiet else _say
    try:
        report = run_load(
            spec,
            target=target,
            baseline=args.baseline == "redis",
            server_config=args.server_config,
            progress=progress,
        )
    except (ChildFailed, ServerFailed, RedisUnavailable, OSError) as exc:
        sys.stderr.write(f"statsrv load: the run failed: {exc}\n")
        return EXIT_FAILED
    report["thresholds"] = [t.check(report) for t in thresholds]
    if args.report is not None:
        args.report.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    sys.stdout.write(summary(report) + "\n")
    return EXIT_OK if passed(report) else EXIT_FAILED


def passed(report: dict[str, Any]) -> bool:
    """Every threshold met and every count check of every backend true (or not applicable)."""
    checks_ok = all(
        ok is not False
        for backend in ("statsrv", "redis")
        for ok in report.get(backend, {}).get("checks", {}).values()
    )
    return checks_ok and all(t["ok"] for t in report.get("thresholds", []))


def _say(line: str) -> None:
    sys.stderr.write(line + "\n")
    sys.stderr.flush()


def _run_id() -> str:
    import secrets  # noqa: PLC0415 - only for a run's unique campaign prefix

    return f"L{secrets.token_hex(3)}"
