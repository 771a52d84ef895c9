"""The progress line of `statsrv fake-dialer`, `replay` and `demo`: sent, acked, rate.

On a terminal it is one live line (rich); off a terminal, a plain line every few seconds.
"""

from __future__ import annotations

import sys
from collections.abc import AsyncIterator, Callable
from typing import IO

import trio
from rich.console import Console
from rich.live import Live
from rich.text import Text

from statsrv.dialer.fake import Progress

TTY_INTERVAL_SECONDS = 0.5
PLAIN_INTERVAL_SECONDS = 5.0


def describe(progress: Progress, rate: float) -> str:
    """One line: events sent, acknowledged and refused, the acknowledged rate, the connection."""
    state = "connected" if progress.connected else "connecting"
    refused = f", {progress.refused:,} refused" if progress.refused else ""
    return (
        f"{progress.queued:,} events sent, {progress.acked:,} acked{refused}, "
        f"{rate:,.0f} events/s, {state}"
    )


async def show_progress(read: Callable[[], Progress], stream: IO[str] | None = None) -> None:
    """Show `read()` until cancelled: live on a terminal, a line every 5 s otherwise."""
    stream = stream or sys.stderr
    if stream.isatty():
        await _live(read, Console(file=stream))
    else:
        await _plain(read, stream)


async def _live(read: Callable[[], Progress], console: Console) -> None:
    with Live(Text(""), console=console, transient=False, auto_refresh=False) as live:
        async for line in _lines(read, TTY_INTERVAL_SECONDS):
            live.update(Text(line), refresh=True)


async def _plain(read: Callable[[], Progress], stream: IO[str]) -> None:
    async for line in _lines(read, PLAIN_INTERVAL_SECONDS):
        stream.write(line + "\n")
        stream.flush()


async def _lines(read: Callable[[], Progress], interval: float) -> AsyncIterator[str]:
    last = read().acked
    while True:
        await trio.sleep(interval)
        now = read()
        yield describe(now, (now.acked - last) / interval)
        last = now.acked
