"""A `statsrv serve` subprocess on free ports, with its JSON log followed on a thread."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
from collections import Counter, deque
from pathlib import Path
from typing import Any

START_TIMEOUT_S = 30.0
STOP_TIMEOUT_S = 30.0
KEEP_LINES = 20


class ServerFailed(Exception):
    """The server did not start, or did not stop cleanly."""


class ServerProcess:
    """Runs the server until `stop`; learns its ports and final counters from its log."""

    def __init__(self, config: Path | None = None) -> None:
        command = [sys.executable, "-m", "statsrv", "serve", "--client-port", "0"]
        command += ["--ingest-port", "0", "--log-format", "json"]
        if config is not None:
            command += ["--config", str(config)]
        self.process = subprocess.Popen(  # noqa: S603 - our own interpreter and module
            command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
        )
        self.listening: dict[str, Any] = {}
        self.stopped: dict[str, Any] = {}
        self.events: Counter[str] = Counter()
        self.levels: Counter[str] = Counter()
        self.last_lines: deque[str] = deque(maxlen=KEEP_LINES)
        self._listening = threading.Event()
        self._follower = threading.Thread(target=self._follow, daemon=True)
        self._follower.start()

    @property
    def pid(self) -> int:
        """The server's process id."""
        return self.process.pid

    def wait_listening(self) -> tuple[int, int]:
        """(client port, ingest port) once the server listens."""
        if not self._listening.wait(START_TIMEOUT_S) or not self.listening:
            self.kill()
            raise ServerFailed("the server did not start:\n" + "\n".join(self.last_lines))
        return self.listening["client_port"], self.listening["ingest_port"]

    def stop(self) -> dict[str, Any]:
        """SIGTERM, wait for the exit; the fields of its `server_stopped` line."""
        if self.process.poll() is None:
            self.process.terminate()
        try:
            code = self.process.wait(timeout=STOP_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            self.kill()
            raise ServerFailed("the server did not stop within the timeout") from None
        self._follower.join(timeout=5)
        if code != 0:
            raise ServerFailed(f"the server exited with {code}:\n" + "\n".join(self.last_lines))
        return self.stopped

    def kill(self) -> None:
        """Stop it hard (after a failure)."""
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()

    def _follow(self) -> None:
        assert self.process.stderr is not None
        for line in self.process.stderr:
            self.last_lines.append(line.rstrip())
            try:
                record = json.loads(line)
            except ValueError:
                continue
            event = record.get("event", "")
            self.events[event] += 1
            self.levels[record.get("level", "")] += 1
            if event == "server_listening":
                self.listening = record
                self._listening.set()
            elif event == "server_stopped":
                self.stopped = record
        self._listening.set()
