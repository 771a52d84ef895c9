"""The load harness's pure parts: options, kinds, expectations, thresholds, frame readers."""

from __future__ import annotations

import pytest

from protocol import EventInfo, EventPong, encode
from statsrv.cli import main
from statsrv.load.report import expected_pushes
from statsrv.load.resp import PubSubReader, RespError, RespReader, command
from statsrv.load.scenarios import FANOUT_MIX, SCENARIOS, scenario_spec
from statsrv.load.spec import (
    MARKER,
    LoadSpec,
    SpecError,
    StatisticKind,
    parse_kind,
    parse_mix,
    split_clients,
)
from statsrv.load.thresholds import Threshold
from statsrv.load.wire import FrameReader


def test_a_kind_is_parsed_from_the_mix_syntax() -> None:
    kind = parse_kind("group:AnswerRate/LastHour@Periodical:2")
    assert kind == StatisticKind("AnswerRate", "LastHour", "CampaignGroup", "Periodical", 2.0)
    assert parse_kind(kind.text) == kind
    assert parse_kind("DialsMade") == StatisticKind("DialsMade")


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("@Immediate", "missing statistic type"),
        ("Answers@Sometimes", "unknown mode"),
        ("Answers@Periodical:often", "is not a number"),
    ],
)
def test_a_bad_kind_is_refused_naming_the_reason(text: str, reason: str) -> None:
    with pytest.raises(SpecError, match=reason):
        parse_kind(text)


def test_the_marker_always_comes_first_in_a_mix() -> None:
    mix = parse_mix("Answers/Default, DialsMade/SinceStart")
    assert mix == (MARKER, StatisticKind("Answers", "Default"))


def test_a_spec_refuses_impossible_numbers() -> None:
    with pytest.raises(SpecError, match="--clients"):
        LoadSpec(clients=0)
    with pytest.raises(SpecError, match="--rate"):
        LoadSpec(rate=0.0)
    with pytest.raises(SpecError, match="unknown 'nope'"):
        scenario_spec("nope")


def test_clients_are_split_evenly_over_workers() -> None:
    parts = split_clients(10, 3)
    assert [len(p) for p in parts] == [3, 3, 4]
    assert sorted(n for p in parts for n in p) == list(range(10))
    assert split_clients(2, 4) == [range(1), range(1, 2)]


def test_statistics_are_dealt_evenly_over_the_cells() -> None:
    spec = LoadSpec(clients=6, statistics_per_client=5, campaigns=3, mix=FANOUT_MIX[:5])
    cells = [spec.cell(c, s) for c in range(6) for s in range(5)]
    assert sorted(set(cells)) == [(c, k) for c in range(3) for k in range(5)]
    assert all(cells.count(cell) == 2 for cell in set(cells))


def test_expected_pushes_count_initial_values_and_every_change() -> None:
    spec = LoadSpec(clients=2, statistics_per_client=3, campaigns=2, mix=FANOUT_MIX[:3])
    # 6 statistics = the 6 cells once each; each event changes its campaign's 3 cells.
    expected = expected_pushes(spec, 5, initial_values=True)
    assert expected == {"total": 6 + 5 * 3, "initial": 6, "exact": True}
    mixed = LoadSpec(mix=(MARKER, StatisticKind("Answers")))
    assert expected_pushes(mixed, 5, initial_values=False)["exact"] is False


def test_a_threshold_is_checked_in_its_direction() -> None:
    report = {"statsrv": {"latency_ms": {"p99": 12.0}, "notifications": {"per_s": 100.0}}}
    assert Threshold.parse("p99_ms=50").check(report)["ok"] is True
    assert Threshold.parse("p99_ms=10").check(report)["ok"] is False
    assert Threshold.parse("notify_rate=250000").check(report)["ok"] is False
    assert Threshold.parse("p50_ms=1").check(report)["ok"] is False  # not measured: missed
    with pytest.raises(ValueError, match="unknown metric 'p98_ms'"):
        Threshold.parse("p98_ms=3")
    with pytest.raises(ValueError, match="expected name=value"):
        Threshold.parse("p99_ms")


def test_bad_options_exit_with_2_before_anything_runs(capsys: pytest.CaptureFixture) -> None:
    assert main(["load", "smoke", "--threshold", "p99_ms=fast"]) == 2
    assert "--threshold p99_ms: 'fast' is not a number" in capsys.readouterr().err
    assert main(["load", "smoke", "--target", "localhost:7070"]) == 2
    assert main(["load", "smoke", "--rate", "lots"]) == 2


def test_every_scenario_is_a_valid_spec() -> None:
    for name in SCENARIOS:
        assert scenario_spec(name).scenario == name


def test_the_frame_reader_counts_unwanted_pushed_values_without_decoding() -> None:
    frames = [
        encode(EventInfo(statistic_id=i, tag=-1, value=i, server_time=1.0))
        for i in (1, 2, 300, 70_000)
    ]
    peek = encode(EventInfo(statistic_id=3, tag=-1, value=5, server_time=1.0, reference_id=9))
    data = b"".join([*frames, peek, encode(EventPong(reference_id=1, server_time=2.0))])
    reader = FrameReader()
    skipped, decoded = reader.feed(data[:50], {300})
    more_skipped, more = reader.feed(data[50:], {300})
    assert (skipped + more_skipped, len(decoded + more)) == (3, 3)
    assert [m.get("StatisticId") for m in decoded + more] == [300, 3, None]


def test_the_resp_reader_handles_pushes_split_anywhere() -> None:
    data = b"*3\r\n$7\r\nmessage\r\n$3\r\na:b\r\n$2\r\n42\r\n:7\r\n+OK\r\n"
    for cut in range(len(data)):
        reader = RespReader()
        values = reader.feed(data[:cut]) + reader.feed(data[cut:])
        assert values == [[b"message", b"a:b", b"42"], 7, b"OK"]
    assert command("INCR", "k") == b"*2\r\n$4\r\nINCR\r\n$1\r\nk\r\n"
    with pytest.raises(RespError, match="ERR wrong"):
        RespReader().feed(b"-ERR wrong\r\n")


def test_the_pubsub_reader_takes_messages_fast_and_the_rest_as_values() -> None:
    data = (
        b"*3\r\n$9\r\nsubscribe\r\n$3\r\na:b\r\n:1\r\n"
        b"*3\r\n$7\r\nmessage\r\n$3\r\na:b\r\n$2\r\n42\r\n"
        b"*3\r\n$7\r\nmessage\r\n$4\r\nc:10\r\n$1\r\n7\r\n"
        b"*2\r\n$4\r\npong\r\n$0\r\n\r\n"
    )
    for cut in range(len(data)):
        reader = PubSubReader()
        first, first_others = reader.feed_pushes(data[:cut])
        second, second_others = reader.feed_pushes(data[cut:])
        assert first + second == [(b"a:b", b"42"), (b"c:10", b"7")]
        assert first_others + second_others == [[b"subscribe", b"a:b", 1], [b"pong", b""]]
