"""The `statsrv` command: serve, and the tools around it."""

from __future__ import annotations

import argparse
import importlib
import signal
import sys
from collections.abc import Callable, Sequence
from functools import partial
from pathlib import Path

import structlog
import trio

from statsrv.config_error import ConfigError
from statsrv.core import CoreConfig
from statsrv.logs import configure_logging
from statsrv.server.app import RunningServer, load_core_config, serve
from statsrv.settings import Settings, hash_token, load_settings

EXIT_CONFIG_ERROR = 2
Command = Callable[[argparse.Namespace], int]


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `statsrv` console script."""
    parser = _parser()
    args = parser.parse_args(argv)
    command: Command = args.command
    return command(args)


COMMAND_MODULES: tuple[str, ...] = (
    "statsrv.dialer.commands",
    "statsrv.client.commands",
    "statsrv.load.commands",
)
"""Modules that add subcommands: each has `register(commands)` taking the subparsers object."""


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="statsrv", description=__doc__)
    commands = parser.add_subparsers(required=True, metavar="COMMAND")
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(commands)

    serve_cmd = commands.add_parser("serve", help="run the statistics server")
    serve_cmd.add_argument("--config", type=Path, help="statsrv.toml (default: the bundled one)")
    serve_cmd.add_argument("--host", help="address to listen on (default 127.0.0.1)")
    serve_cmd.add_argument("--client-port", type=int, help="client protocol port; 0 = any free")
    serve_cmd.add_argument("--ingest-port", type=int, help="dialer ingest port; 0 = any free")
    serve_cmd.add_argument("--log-format", choices=["json", "console", "auto"], default="auto")
    serve_cmd.add_argument(
        "--record", type=Path, help="write every accepted dialer event to this JSON Lines file"
    )
    serve_cmd.set_defaults(command=_serve)

    token_cmd = commands.add_parser(
        "hash-token", help="print the SHA-256 digest to store in [auth]"
    )
    token_cmd.add_argument("token")
    token_cmd.set_defaults(command=_hash_token)
    return parser


def _load(args: argparse.Namespace) -> tuple[Settings, CoreConfig] | None:
    """Settings with the command line's overrides, and the files they name; None if wrong."""
    try:
        settings = load_settings(args.config).with_overrides(
            host=args.host, client_port=args.client_port, ingest_port=args.ingest_port
        )
        return settings, load_core_config(settings)
    except ConfigError as exc:
        print(f"statsrv: configuration error: {exc}", file=sys.stderr)
        return None


def _serve(args: argparse.Namespace) -> int:
    configure_logging(args.log_format)
    loaded = _load(args)
    if loaded is None:
        return EXIT_CONFIG_ERROR
    failure = None
    try:
        trio.run(_serve_until_signal, *loaded, args.record)
    except* OSError as group:
        failure = str(group.exceptions[0])
    if failure is not None:
        structlog.get_logger("statsrv").error("listen_failed", error=failure)
        return 1
    return 0


async def _serve_until_signal(
    settings: Settings, config: CoreConfig, record: Path | None = None
) -> None:
    with trio.open_signal_receiver(signal.SIGINT, signal.SIGTERM) as signals:
        async with trio.open_nursery() as nursery:
            running: RunningServer = await nursery.start(
                partial(serve, settings, config=config, record=record)
            )
            async for signum in signals:
                structlog.get_logger("statsrv").info("signal", signal=signal.Signals(signum).name)
                running.shutdown()
                break


def _hash_token(args: argparse.Namespace) -> int:
    print(hash_token(args.token))
    return 0


if __name__ == "__main__":
    sys.exit(main())
