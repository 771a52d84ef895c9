"""`statsrv fake-dialer`, `statsrv replay` and `statsrv demo` as a user runs them."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys

import pytest
import trio
from dialer_support import START, recorded, running_server, server_settings

from protocol import (
    EventInfo,
    FrameDecoder,
    RequestOpenStatistic,
    RequestRegisterClient,
    StatisticMetric,
    StatisticObject,
    decode,
    encode,
)
from statsrv.cli import main
from statsrv.dialer import DEMO_LAYOUT, DialerSimulator
from statsrv.dialer.fake import FakeDialer
from statsrv.settings import hash_token


async def run_cli(*argv: str) -> int:
    """`statsrv ARGV` in a worker thread (its own trio.run), as the command line would."""
    return await trio.to_thread.run_sync(main, list(argv))


async def test_fake_dialer_sends_its_events_and_exits_0_once_all_are_acked(capfd):
    async with running_server() as running:
        port = str(running.ingest_port)
        code = await run_cli(
            "fake-dialer", "--port", port, "--events", "300", "--speed", "0", "--demo-layout"
        )
        assert code == 0
        assert running.hub.core.events_applied == 300
    assert "300 events sent, 300 acked, 0 refused" in capfd.readouterr().err


async def test_fake_dialer_plays_a_bundled_scenario():
    async with running_server() as running:
        port = str(running.ingest_port)
        code = await run_cli("fake-dialer", "--port", port, "--scenario", "morning-start",
                             "--speed", "0")  # fmt: skip
        assert code == 0
        assert running.hub.core.events_applied == 49


async def test_fake_dialer_exits_1_when_events_are_refused(capfd):
    async with running_server() as running:
        port = str(running.ingest_port)
        args = ("fake-dialer", "--port", port, "--scenario", "morning-start", "--speed", "0")
        assert await run_cli(*args, "--dialer-name", "first") == 0
        assert await run_cli(*args, "--dialer-name", "second") == 1
    assert "events were refused" in capfd.readouterr().err


async def test_fake_dialer_without_the_token_is_refused_and_exits_1(capfd):
    config = server_settings(auth={"dialer_token_sha256": (hash_token("s3cret"),)})
    async with running_server(config) as running:
        port = str(running.ingest_port)
        assert await run_cli("fake-dialer", "--port", port, "--events", "5", "--speed", "0") == 1
        assert "AuthenticationFailed" in capfd.readouterr().err
        args = ("fake-dialer", "--port", port, "--events", "5", "--speed", "0")
        assert await run_cli(*args, "--token", "s3cret") == 0


async def test_replay_command_feeds_a_recording_to_a_fresh_server(tmp_path):
    path = tmp_path / "day.jsonl"
    simulator = DialerSimulator(seed=2, start_time=START, layout=DEMO_LAYOUT)
    async with running_server(record=path) as live:
        await FakeDialer("127.0.0.1", live.ingest_port, simulator, events=800).run()
    async with running_server() as fresh:
        assert await run_cli("replay", str(path), "--port", str(fresh.ingest_port)) == 0
        assert fresh.hub.core.events_applied == len(recorded(path)) == 800


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["fake-dialer", "--rate", "0"], "argument --rate: must be above 0, got 0"),
        (["fake-dialer", "--events", "-3"], "argument --events: must be at least 0, got -3"),
        (["fake-dialer", "--port", "0"], "argument --port: must be at least 1, got 0"),
        (["fake-dialer", "--speed", "fast"], "argument --speed: expected a number, got 'fast'"),
        (["fake-dialer", "--campaigns", "0"], "argument --campaigns: must be at least 1, got 0"),
        (["fake-dialer", "--scenario", "nope"], "--scenario: 'nope' is neither a file nor"),
        (["fake-dialer", "--scenario", "trouble", "--rate", "5"], "--rate: not used with"),
        (["fake-dialer", "--demo-layout", "--campaigns", "3"], "--demo-layout: not used with"),
        (["replay"], "the following arguments are required: file"),
        (["replay", "missing.jsonl"], "missing.jsonl: cannot read the file"),
        (["demo", "--client-port", "-1"], "argument --client-port: must be at least 0"),
    ],
)
def test_bad_options_get_a_clear_message_and_exit_2(argv, message, capsys, monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    try:
        code = main(argv)
    except SystemExit as exit_:
        code = exit_.code
    assert code == 2
    assert message in capsys.readouterr().err


def test_bad_scenario_file_is_named_and_exits_2(tmp_path, capsys):
    scenario = tmp_path / "bad.toml"
    scenario.write_text('name = "bad"\nstep = [{ at = 0, event = "Nope", Campaign = "C" }]\n')
    assert main(["fake-dialer", "--scenario", str(scenario)]) == 2
    err = capsys.readouterr().err
    assert "bad.toml" in err and "Nope" in err


def _open_dials(port: int) -> socket.socket:
    sock = socket.create_connection(("127.0.0.1", port), timeout=10)
    sock.sendall(encode(RequestRegisterClient(reference_id=0, client_name="t", protocol_version=1)))
    spring = StatisticObject(object_id="Spring2027", object_type="Campaign")
    metric = StatisticMetric(statistic_type="DialsMade")
    sock.sendall(
        encode(
            RequestOpenStatistic(reference_id=1, statistic_object=spring, statistic_metric=metric)
        )
    )
    return sock


def _dial_values(sock: socket.socket, wanted: int) -> list[int]:
    decoder, values = FrameDecoder(), []
    while len(values) < wanted:
        decoder.feed(sock.recv(65536))
        while (body := decoder.next_frame()) is not None:
            message = decode(body)
            if isinstance(message, EventInfo) and message.statistic_id == 1 and message.value:
                values.append(message.value)
    return values


def test_demo_serves_moving_values_on_the_catalogue_and_stops_on_sigint(tmp_path):
    record = tmp_path / "demo.jsonl"
    command = [sys.executable, "-m", "statsrv", "demo", "--client-port", "0", "--ingest-port",
               "0", "--rate", "200", "--record", str(record), "--log-format", "json"]  # fmt: skip
    env = dict(os.environ, TZ="UTC")
    with subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=env
    ) as proc:
        try:
            banner = "".join(iter(proc.stdout.readline, "Ctrl-C stops the demo.\n"))
            client_port = int(re.search(r"clients on 127\.0\.0\.1:(\d+)", banner).group(1))
            sock = _open_dials(client_port)
            values = _dial_values(sock, 3)
            assert values == sorted(values) and values[-1] > values[0] > 0
            sock.close()
            proc.send_signal(signal.SIGINT)
            assert proc.wait(timeout=10) == 0
        finally:
            proc.kill()
    assert "statsrv watch Campaign:Spring2027 --stat DialsMade --stat AnswerRate" in banner
    lines = recorded(record)
    assert {line["Body"]["Campaign"] for line in lines} <= {"Spring2027", "Autumn2027"}
    assert sum(line["Body"]["Event"] == "DialResult" for line in lines) >= values[-1]
