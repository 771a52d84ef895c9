"""The client's `statsrv` subcommands."""

from __future__ import annotations

from typing import Any

from statsrv.client import watch


def register(commands: Any) -> None:
    """Add the client's subcommands (`watch`) to the `statsrv` argparse subparsers."""
    watch.add_command(commands)
