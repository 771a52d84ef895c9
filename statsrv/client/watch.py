"""`statsrv watch`: a live table of statistics in the terminal, or one snapshot with `--once`.

    statsrv watch Campaign:Spring2027 CampaignGroup:Spring2027@Sales \\
        --stat DialsMade --stat AnswerRate --profile Default --host 127.0.0.1 --port 7070
    statsrv watch --view board.toml --once

Exit status: 0 after `--once` (or Ctrl-C), 1 when the server cannot be reached or the
connection ends, 2 for bad arguments or a bad view file.
"""

from __future__ import annotations

import argparse
import logging
import sys
import tomllib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import structlog
import trio
from rich.console import Console
from rich.live import Live

from protocol import Notification, StatisticObject
from statsrv.client.board import Board, plain_table, rich_table
from statsrv.client.client import StatClient, connect
from statsrv.client.errors import ConnectionClosed, StatClientError, StatServerError
from statsrv.client.objects import parse_object

EXIT_OK, EXIT_CONNECTION, EXIT_USAGE = 0, 1, 2
DEFAULT_HOST, DEFAULT_PORT = "127.0.0.1", 7070
REFRESH_SECONDS = 0.1
"""Shortest time between two redraws of the live table."""

_VIEW_KEYS = {
    "objects": list,
    "stats": list,
    "profile": str,
    "host": str,
    "port": int,
    "frequency": float,
    "title": str,
}


class UsageError(ValueError):
    """A bad argument or view file: the message names it."""


@dataclass(frozen=True, slots=True)
class WatchPlan:
    """What to watch and where, from the command line and the view file."""

    objects: tuple[StatisticObject, ...]
    stats: tuple[str, ...]
    host: str = DEFAULT_HOST
    port: int = DEFAULT_PORT
    profile: str | None = None
    frequency: float | None = None
    title: str | None = None
    token: str | None = None

    def notification(self) -> Notification | None:
        """Periodical every `frequency` seconds when given, else the default (Immediate)."""
        if self.frequency is None:
            return None
        return Notification(mode="Periodical", frequency=self.frequency)


def add_command(commands: Any) -> None:
    """Add `watch` to the `statsrv` subcommands."""
    parser = commands.add_parser(
        "watch",
        help="show statistics live in the terminal",
        description=__doc__.split("\n\n")[0],
    )
    parser.add_argument("objects", nargs="*", metavar="OBJECT", help="[Tenant/]Type:Id")
    parser.add_argument("--stat", action="append", default=[], help="statistic type (repeat)")
    parser.add_argument("--profile", help="time profile (default: the server's Default)")
    parser.add_argument("--view", type=Path, help="TOML view file with objects and stats")
    parser.add_argument("--host", help=f"server address (default {DEFAULT_HOST})")
    parser.add_argument("--port", type=int, help=f"client port (default {DEFAULT_PORT})")
    parser.add_argument("--token", help="client token, when the server requires one")
    parser.add_argument("--frequency", type=float, help="Periodical notification every N s")
    parser.add_argument("--once", action="store_true", help="print one snapshot and exit")
    parser.set_defaults(command=run)


def run(args: argparse.Namespace) -> int:
    """The `watch` command."""
    try:
        plan = plan_from_args(args)
    except UsageError as exc:
        sys.stderr.write(f"statsrv watch: error: {exc}\n")
        return EXIT_USAGE
    console = Console()
    try:
        with _warnings_only_on_stderr():
            return trio.run(watch, plan, args.once, console)
    except KeyboardInterrupt:
        return EXIT_OK
    except (OSError, StatClientError) as exc:
        sys.stderr.write(f"statsrv watch: {plan.host}:{plan.port}: {_reason(exc)}\n")
        return EXIT_CONNECTION


@contextmanager
def _warnings_only_on_stderr() -> Iterator[None]:
    """Keep the client's info logs out of the table (stdout); restore the logging after."""
    previous = structlog.get_config()
    structlog.configure(
        wrapper_class=structlog.make_filtering_bound_logger(logging.WARNING),
        logger_factory=lambda *_args: structlog.PrintLogger(sys.stderr),
    )
    try:
        yield
    finally:
        structlog.configure(**previous)


def _reason(exc: BaseException) -> str:
    if isinstance(exc, ConnectionClosed):
        return exc.reason
    if isinstance(exc, OSError) and not str(exc):
        return type(exc).__name__
    return f"cannot connect: {exc}"


# --- the plan --------------------------------------------------------------------------------


def plan_from_args(args: argparse.Namespace) -> WatchPlan:
    """Merge the command line over the view file; raises UsageError naming the fault."""
    view = load_view(args.view) if args.view is not None else {}
    object_texts = [*view.get("objects", []), *args.objects]
    stats = tuple(dict.fromkeys([*view.get("stats", []), *args.stat]))
    if not object_texts:
        raise UsageError("no objects: give OBJECT arguments or `objects` in the view file")
    if not stats:
        raise UsageError("no statistics: give --stat NAME or `stats` in the view file")
    try:
        objects = tuple(dict.fromkeys(parse_object(text) for text in object_texts))
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    frequency = args.frequency if args.frequency is not None else view.get("frequency")
    if frequency is not None and frequency < 1:
        raise UsageError(f"frequency: must be at least 1 second, got {frequency:g}")
    port = args.port if args.port is not None else view.get("port", DEFAULT_PORT)
    if not 0 < port < 65536:
        raise UsageError(f"port: must be 1..65535, got {port}")
    return WatchPlan(
        objects=objects,
        stats=stats,
        host=args.host or view.get("host", DEFAULT_HOST),
        port=port,
        profile=args.profile or view.get("profile"),
        frequency=frequency,
        title=view.get("title"),
        token=args.token,
    )


def load_view(path: Path) -> dict[str, Any]:
    """Read a view file: `objects`, `stats` (lists of strings), and optional `profile`,
    `host`, `port`, `frequency`, `title`."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise UsageError(f"view file {path}: cannot read it: {exc.strerror}") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise UsageError(f"view file {path}: not valid TOML: {exc}") from None
    known = ", ".join(_VIEW_KEYS)
    view: dict[str, Any] = {}
    for key, raw in data.items():
        expected = _VIEW_KEYS.get(key)
        if expected is None:
            raise UsageError(f"view file {path}: {key}: unknown key; known: {known}")
        value = float(raw) if expected is float and type(raw) is int else raw
        if not isinstance(value, expected) or isinstance(value, bool):
            raise UsageError(f"view file {path}: {key}: expected {expected.__name__}")
        if expected is list and not all(isinstance(item, str) for item in value):
            raise UsageError(f"view file {path}: {key}: expected a list of strings")
        view[key] = value
    return view


# --- watching --------------------------------------------------------------------------------


async def watch(plan: WatchPlan, once: bool, console: Console) -> int:
    """Open every cell's statistic, then print one snapshot or keep a live table."""
    board = Board(plan.objects, plan.stats, plan.title)
    async with connect(
        plan.host, plan.port, client_name="statsrv-watch", token=plan.token, reconnect=not once
    ) as client:
        await _open_all(client, board, plan)
        if once:
            await _first_values(board)
            _print_snapshot(board, console)
            return EXIT_OK
        await _live(client, board, console)
    return EXIT_OK


async def _open_all(client: StatClient, board: Board, plan: WatchPlan) -> None:
    async def open_cell(row: int, col: int) -> None:
        cell = board.cells[row, col]
        try:
            cell.statistic = await client.open_statistic(
                plan.objects[row], plan.stats[col], plan.profile, plan.notification()
            )
        except StatServerError as exc:
            cell.error = exc.error_name

    async with trio.open_nursery() as nursery:
        for row, col in board.positions():
            nursery.start_soon(open_cell, row, col)


async def _first_values(board: Board) -> None:
    for cell in board.cells.values():
        if cell.statistic is not None:
            await cell.statistic.wait_for(lambda _value: True)


def _print_snapshot(board: Board, console: Console) -> None:
    if console.is_terminal:
        console.print(rich_table(board))
    else:
        sys.stdout.write(plain_table(board))
        sys.stdout.flush()


async def _live(client: StatClient, board: Board, console: Console) -> None:
    changed = trio.Event()

    def on_value(_stat: object, _value: object) -> None:
        changed.set()

    client.add_listener(on_value)
    with Live(rich_table(board), console=console, auto_refresh=False) as live:
        while client.ended is None:
            with trio.move_on_after(1.0):
                await changed.wait()
            changed = trio.Event()
            live.update(rich_table(board), refresh=True)
            await trio.sleep(REFRESH_SECONDS)
    raise client.ended
