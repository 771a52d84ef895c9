"""The harness's side of its child processes: start them, read their messages, end them."""

from __future__ import annotations

import contextlib
import multiprocessing
import time
from collections.abc import Callable
from multiprocessing.connection import Connection, wait
from typing import Any

JOIN_TIMEOUT_S = 10.0


class ChildFailed(Exception):
    """A child process ended without reporting what the harness waited for."""


class Child:
    """One load process and its control pipe."""

    def __init__(self, name: str, target: Callable[..., None], *args: Any) -> None:
        context = multiprocessing.get_context("spawn")
        self.name = name
        self.pipe, child_end = context.Pipe()
        self.process = context.Process(target=target, args=(*args, child_end), name=name)
        self.process.start()
        child_end.close()
        self.received: dict[str, dict[str, Any]] = {}

    def send(self, kind: str, payload: dict[str, Any] | None = None) -> None:
        """Give the child a command."""
        with contextlib.suppress(OSError):  # a child that is gone needs no command
            self.pipe.send((kind, payload or {}))

    def end(self) -> None:
        """Wait for the child to exit; terminate it if it does not."""
        self.process.join(JOIN_TIMEOUT_S)
        if self.process.is_alive():
            self.process.terminate()
            self.process.join(JOIN_TIMEOUT_S)
        self.pipe.close()


def pump(
    children: list[Child], timeout_s: float, on_message: Callable[[Child, str, dict], None]
) -> None:
    """Deliver the messages that arrive within `timeout_s`; raise if a child died."""
    by_pipe: dict[Connection, Child] = {child.pipe: child for child in children}
    for pipe in wait(list(by_pipe), timeout=max(0.0, timeout_s)):
        child = by_pipe[pipe]  # type: ignore[index]
        try:
            kind, payload = pipe.recv()  # type: ignore[union-attr]
        except EOFError:
            if "final" in child.received:
                continue  # it said all it had to say and exited
            child.process.join(1.0)
            raise ChildFailed(f"{child.name} ended (exit code {child.process.exitcode})") from None
        child.received[kind] = payload
        on_message(child, kind, payload)


def wait_for(
    children: list[Child],
    kind: str,
    timeout_s: float,
    on_message: Callable[[Child, str, dict], None],
) -> None:
    """Until every child has sent a message of `kind`."""
    deadline = time.monotonic() + timeout_s
    while any(kind not in child.received for child in children):
        left = deadline - time.monotonic()
        if left <= 0:
            names = [c.name for c in children if kind not in c.received]
            raise ChildFailed(f"no {kind!r} from {', '.join(names)} within {timeout_s:g} s")
        missing = [child for child in children if kind not in child.received]
        pump(missing, min(left, 0.5), on_message)
