"""Named load scenarios, each answering a question users ask."""

from __future__ import annotations

from statsrv.load.spec import LoadSpec, SpecError, StatisticKind, with_marker

DIAL_PROFILES = ("SinceStart", "Default", "Shift", "LastHour", "Last15Min")

FANOUT_MIX = with_marker(
    [StatisticKind("DialsMade", p) for p in DIAL_PROFILES]
    + [StatisticKind("DialsMade", p, "CampaignGroup") for p in DIAL_PROFILES]
)
"""Ten kinds that all change on every dial result: what the Redis baseline mirrors exactly."""

BIG_TYPES = (
    "DialsMade",
    "Answers",
    "Busy",
    "NoAnswer",
    "AnsweringMachine",
    "Abandoned",
    "AnswerRate",
    "AbandonRate",
    "LeadsProcessed",
    "CallbacksScheduled",
)
BIG_MIX = with_marker(
    [
        StatisticKind(t, p, o)
        for o in ("Campaign", "CampaignGroup")
        for t in BIG_TYPES
        for p in DIAL_PROFILES
    ]
)
"""A hundred kinds (categories × profiles × objects), so 300,000 statistics are distinct cells."""

SCENARIOS: dict[str, tuple[str, LoadSpec]] = {
    "fanout": (
        "100 clients x 100 statistics, 5,000 dial results/s, every change pushed",
        LoadSpec(
            clients=100,
            statistics_per_client=100,
            campaigns=200,
            mix=FANOUT_MIX,
            rate=5000.0,
            duration_s=20.0,
            warmup_s=5.0,
            workers=2,
        ),
    ),
    "ingest": (
        "the highest dialer rate the server acknowledges, with 10 clients x 100 statistics",
        LoadSpec(
            clients=10,
            statistics_per_client=100,
            campaigns=200,
            mix=FANOUT_MIX,
            rate_mode="max",
            duration_s=20.0,
            warmup_s=5.0,
            workers=1,
        ),
    ),
    "connections": (
        "1,000 clients holding 5 statistics each, 1,000 dial results/s",
        LoadSpec(
            clients=1000,
            statistics_per_client=5,
            campaigns=200,
            mix=FANOUT_MIX,
            rate=1000.0,
            duration_s=20.0,
            warmup_s=5.0,
            workers=2,
        ),
    ),
    "open-storm": (
        "1,000 clients each opening and closing 300 statistics, pipelined, as fast as answered",
        LoadSpec(
            clients=1000,
            statistics_per_client=300,
            campaigns=200,
            mix=FANOUT_MIX,
            rate_mode="off",
            run_mode="open-storm",
            duration_s=20.0,
            warmup_s=5.0,
            workers=2,
        ),
    ),
    "big": (
        "300,000 open statistics (10 clients x 30,000, distinct cells): memory per statistic",
        LoadSpec(
            clients=10,
            statistics_per_client=30_000,
            campaigns=3000,
            mix=BIG_MIX,
            rate=200.0,
            duration_s=10.0,
            warmup_s=2.0,
            workers=2,
            drain_timeout_s=60.0,
        ),
    ),
    "smoke": (
        "4 clients x 10 statistics, 200 dial results/s for 2 s (the test suite's run)",
        LoadSpec(
            clients=4,
            statistics_per_client=10,
            campaigns=4,
            mix=FANOUT_MIX[:3],
            rate=200.0,
            duration_s=2.0,
            warmup_s=0.5,
            workers=1,
        ),
    ),
}


def scenario_spec(name: str) -> LoadSpec:
    """The spec of a named scenario; raises SpecError naming the known ones."""
    try:
        return SCENARIOS[name][1].replace(scenario=name)
    except KeyError:
        raise SpecError(f"scenario: unknown {name!r}; known: {', '.join(SCENARIOS)}") from None
