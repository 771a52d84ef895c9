"""`statsrv fake-dialer`, `statsrv replay` and `statsrv demo`.

Exit codes: 0 when every event was acknowledged and none refused; 1 when the server refused the
hello or some events, or cannot be served; 2 for bad options or a bad scenario or recording file.
"""

from __future__ import annotations

import argparse
import signal
import sys
import threading
import time
from collections.abc import Awaitable, Callable
from functools import partial
from pathlib import Path
from typing import Any

import trio

from statsrv.config_error import ConfigError
from statsrv.core import CoreConfig
from statsrv.dialer.fake import FakeDialer, Progress
from statsrv.dialer.layout import DEMO_LAYOUT
from statsrv.dialer.link import DialerRefused
from statsrv.dialer.progress import show_progress
from statsrv.dialer.replay import Replay, ReplayError
from statsrv.dialer.scenario import Scenario, bundled_scenarios, load_scenario
from statsrv.dialer.simulator import DialerSimulator
from statsrv.logs import configure_logging
from statsrv.server.app import RunningServer, load_core_config, serve
from statsrv.settings import Settings, load_settings

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2
UNPACED_START_BEFORE_SECONDS = 86_400.0
"""Unpaced, simulated event times start this long ago, so they never run ahead of the server."""

SIMULATOR_DEFAULTS = {
    "rate": 20.0,
    "seed": 1,
    "campaigns": 2,
    "groups_per_campaign": 2,
    "lists_per_campaign": 2,
}


class UsageError(Exception):
    """Options that do not fit together, or a value out of range."""


def register(commands: Any) -> None:
    """Add fake-dialer, replay and demo to the `statsrv` subcommands."""
    _fake_dialer_parser(commands)
    _replay_parser(commands)
    _demo_parser(commands)


# --- option types ------------------------------------------------------------------------------


def _number(kind: type, minimum: float, above: bool = False) -> Callable[[str], Any]:
    def parse(text: str) -> Any:
        try:
            value = kind(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"expected a number, got {text!r}") from None
        if value < minimum or (above and value == minimum):
            relation = "above" if above else "at least"
            raise argparse.ArgumentTypeError(f"must be {relation} {minimum:g}, got {text}")
        return value

    return parse


_positive = _number(float, 0, above=True)
_not_negative = _number(float, 0)
_count = _number(int, 0)
_at_least_one = _number(int, 1)
_port = _number(int, 1)
_listen_port = _number(int, 0)


def _connection_options(parser: argparse.ArgumentParser, dialer_name: str) -> None:
    parser.add_argument("--host", default="127.0.0.1", help="server address (127.0.0.1)")
    parser.add_argument("--port", type=_port, default=7071, help="ingest port (7071)")
    parser.add_argument("--dialer-name", default=dialer_name, help=f"DialerName ({dialer_name})")
    parser.add_argument("--token", help="dialer access token, when the server requires one")
    parser.add_argument("--log-format", choices=["json", "console", "auto"], default="auto")


# --- fake-dialer -------------------------------------------------------------------------------


def _fake_dialer_parser(commands: Any) -> None:
    parser = commands.add_parser(
        "fake-dialer",
        help="drive campaigns into a server's ingest port like a dialer",
        description="Simulated campaigns (seeded) or a scenario, sent to a server's ingest port.",
    )
    _connection_options(parser, "fake-dialer")
    parser.add_argument("--tenant", default="Environment", help="tenant served (Environment)")
    simulator = parser.add_argument_group("simulated campaigns")
    simulator.add_argument("--rate", type=_positive, help="events per second (20)")
    simulator.add_argument("--seed", type=int, help="same seed, same event stream (1)")
    simulator.add_argument("--campaigns", type=_at_least_one, help="campaigns (2)")
    simulator.add_argument("--groups-per-campaign", type=_at_least_one, help="groups (2)")
    simulator.add_argument("--lists-per-campaign", type=_at_least_one, help="calling lists (2)")
    simulator.add_argument(
        "--demo-layout",
        action="store_true",
        help="the bundled catalogue's campaigns, groups and lists (Spring2027, Autumn2027)",
    )
    parser.add_argument(
        "--scenario",
        help=f"a scenario file, or a bundled one: {', '.join(bundled_scenarios())}",
    )
    parser.add_argument(
        "--speed",
        type=_not_negative,
        default=1.0,
        help="times faster than real time (1); 0 sends as fast as the server takes them",
    )
    parser.add_argument("--events", type=_count, help="stop after this many events")
    parser.add_argument("--duration", type=_not_negative, help="stop after this many seconds")
    parser.set_defaults(command=_fake_dialer)


def _fake_dialer(args: argparse.Namespace) -> int:
    try:
        source = _source(args)
    except (UsageError, ConfigError) as exc:
        return _usage("fake-dialer", exc)
    configure_logging(args.log_format)
    fake = FakeDialer(
        args.host,
        args.port,
        source,
        dialer_name=args.dialer_name,
        tenant=args.tenant,
        token=args.token,
        speed=args.speed,
        events=args.events,
        duration=args.duration,
    )
    return _finish(_run(fake.run, fake.progress), fake.progress())


def _source(args: argparse.Namespace) -> DialerSimulator | Scenario:
    given = [name for name in SIMULATOR_DEFAULTS if getattr(args, name) is not None]
    if args.demo_layout:
        given.append("demo_layout")
    if args.scenario is not None:
        if given:
            flag = "--" + given[0].replace("_", "-")
            raise UsageError(f"{flag}: not used with --scenario (a scenario says what happens)")
        return _scenario(args.scenario)
    values = {name: getattr(args, name) for name in SIMULATOR_DEFAULTS}
    values = {k: SIMULATOR_DEFAULTS[k] if v is None else v for k, v in values.items()}
    shaped = ("campaigns", "groups_per_campaign", "lists_per_campaign")
    if args.demo_layout and any(getattr(args, name) is not None for name in shaped):
        raise UsageError(
            "--demo-layout: not used with --campaigns, --groups-per-campaign or "
            "--lists-per-campaign"
        )
    now = time.time()
    start = now if args.speed > 0 else now - UNPACED_START_BEFORE_SECONDS
    return DialerSimulator(
        seed=values["seed"],
        campaigns=values["campaigns"],
        groups_per_campaign=values["groups_per_campaign"],
        lists_per_campaign=values["lists_per_campaign"],
        start_time=start,
        rate=values["rate"],
        layout=DEMO_LAYOUT if args.demo_layout else None,
    )


def _scenario(name: str) -> Scenario:
    bundled = bundled_scenarios()
    if name in bundled:
        return load_scenario(bundled[name])
    if not Path(name).is_file():
        raise UsageError(
            f"--scenario: {name!r} is neither a file nor a bundled scenario ({', '.join(bundled)})"
        )
    return load_scenario(name)


# --- replay ------------------------------------------------------------------------------------


def _replay_parser(commands: Any) -> None:
    parser = commands.add_parser(
        "replay",
        help="feed a recording (serve --record) back through a server's ingest port",
        description="Send the events of a recording to a server, one connection per tenant.",
    )
    parser.add_argument("file", type=Path, help="a JSON Lines recording of `statsrv serve`")
    _connection_options(parser, "replay")
    parser.add_argument(
        "--speed",
        type=_not_negative,
        default=0.0,
        help="times faster than recorded; 0 (the default) sends as fast as possible",
    )
    parser.set_defaults(command=_replay)


def _replay(args: argparse.Namespace) -> int:
    try:
        replay = Replay(
            args.file,
            args.host,
            args.port,
            speed=args.speed,
            dialer_name=args.dialer_name,
            token=args.token,
        )
    except ReplayError as exc:
        return _usage("replay", exc)
    configure_logging(args.log_format)
    return _finish(_run(replay.run, replay.progress), replay.progress())


# --- demo --------------------------------------------------------------------------------------


def _demo_parser(commands: Any) -> None:
    parser = commands.add_parser(
        "demo",
        help="run the server with the bundled configuration and a fake dialer feeding it",
        description="The server and a fake dialer on the demo catalogue, in one process.",
    )
    parser.add_argument("--config", type=Path, help="statsrv.toml (default: the bundled one)")
    parser.add_argument("--host", help="address to listen on (127.0.0.1)")
    parser.add_argument("--client-port", type=_listen_port, default=7070, help="(7070)")
    parser.add_argument("--ingest-port", type=_listen_port, default=7071, help="(7071)")
    parser.add_argument("--rate", type=_positive, default=20.0, help="events per second (20)")
    parser.add_argument("--seed", type=int, default=1, help="simulator seed (1)")
    parser.add_argument("--record", type=Path, help="record accepted events to this file")
    parser.add_argument("--log-format", choices=["json", "console", "auto"], default="auto")
    parser.set_defaults(command=_demo)


def _demo(args: argparse.Namespace) -> int:
    try:
        settings = load_settings(args.config).with_overrides(
            host=args.host, client_port=args.client_port, ingest_port=args.ingest_port
        )
        config = load_core_config(settings)
    except ConfigError as exc:
        return _usage("demo", exc)
    configure_logging(args.log_format)
    failure = None
    try:
        trio.run(_run_demo, settings, config, args)
    except* OSError as group:
        failure = group.exceptions[0]
    if failure is not None:
        sys.stderr.write(f"statsrv demo: {failure}\n")
        return EXIT_FAILED
    return EXIT_OK


async def _run_demo(settings: Settings, config: CoreConfig, args: argparse.Namespace) -> None:
    async with trio.open_nursery() as nursery:
        running: RunningServer = await nursery.start(
            partial(serve, settings, config=config, record=args.record)
        )
        simulator = DialerSimulator(
            seed=args.seed, layout=DEMO_LAYOUT, start_time=time.time(), rate=args.rate
        )
        fake = FakeDialer(
            settings.server.host,
            running.ingest_port,
            simulator,
            dialer_name="demo-dialer",
            speed=1.0,
        )
        sys.stdout.write(demo_banner(settings.server.host, running, args.rate))
        sys.stdout.flush()
        with trio.CancelScope() as feeding:
            async with trio.open_nursery() as feeders:
                feeders.start_soon(fake.run)
                feeders.start_soon(show_progress, fake.progress)
                await _until_signal()
                feeding.cancel()
        running.shutdown()


def demo_banner(host: str, running: RunningServer, rate: float) -> str:
    """What `statsrv demo` prints once it listens: where, what is fed, how to watch."""
    client = f"{host}:{running.client_port}"
    return f"""\
statsrv demo: clients on {client}, dialers on {host}:{running.ingest_port}.
A fake dialer feeds about {rate:g} events/s: Spring2027 on groups Sales and Retention
(lists LeadsEast, LeadsWest) and Autumn2027 on Sales (list LeadsWest), tenant Environment.

Watch values from another terminal:

  statsrv watch Campaign:Spring2027 --stat DialsMade --stat AnswerRate

or from Python (the `protocol` package of this project):

  import socket
  from protocol import (FrameDecoder, RequestOpenStatistic, RequestRegisterClient,
                        StatisticMetric, StatisticObject, decode, encode)
  sock = socket.create_connection(("{host}", {running.client_port}))
  sock.sendall(encode(RequestRegisterClient(reference_id=0, client_name="me",
                                            protocol_version=1)))
  sock.sendall(encode(RequestOpenStatistic(
      reference_id=1, statistic_object=StatisticObject(object_id="Spring2027",
      object_type="Campaign"), statistic_metric=StatisticMetric(statistic_type="DialsMade"))))
  frames = FrameDecoder()
  while data := sock.recv(65536):
      frames.feed(data)
      while (body := frames.next_frame()) is not None:
          print(decode(body))

Ctrl-C stops the demo.
"""


# --- running -----------------------------------------------------------------------------------


class _Outcome:
    refused: DialerRefused | None = None
    interrupted = False


def _run(run: Callable[[], Awaitable[None]], read: Callable[[], Progress]) -> _Outcome:
    outcome = _Outcome()
    trio.run(_drive, run, read, outcome)
    return outcome


async def _drive(
    run: Callable[[], Awaitable[None]], read: Callable[[], Progress], outcome: _Outcome
) -> None:
    async with trio.open_nursery() as nursery:
        nursery.start_soon(show_progress, read)

        async def stop_on_signal() -> None:
            await _until_signal()
            outcome.interrupted = True
            nursery.cancel_scope.cancel()

        nursery.start_soon(stop_on_signal)
        try:
            await run()
        except DialerRefused as exc:
            outcome.refused = exc
        nursery.cancel_scope.cancel()


async def _until_signal() -> None:
    """Until SIGINT or SIGTERM (forever off the main thread, where signals cannot be caught)."""
    if threading.current_thread() is not threading.main_thread():
        await trio.sleep_forever()
    with trio.open_signal_receiver(signal.SIGINT, signal.SIGTERM) as signals:
        async for _ in signals:
            return


def _finish(outcome: _Outcome, progress: Progress) -> int:
    sys.stderr.write(
        f"{progress.queued:,} events sent, {progress.acked:,} acked, {progress.refused:,} refused\n"
    )
    if outcome.refused is not None:
        sys.stderr.write(f"statsrv: the server refused the dialer: {outcome.refused}\n")
        return EXIT_FAILED
    if progress.refused:
        sys.stderr.write(f"statsrv: {progress.refused} events were refused (see the log)\n")
        return EXIT_FAILED
    return EXIT_OK


def _usage(command: str, error: Exception) -> int:
    sys.stderr.write(f"statsrv {command}: error: {error}\n")
    return EXIT_USAGE
