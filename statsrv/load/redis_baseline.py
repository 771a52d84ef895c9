"""The Redis pub/sub baseline: the same fan-out, through a Redis server the harness runs.

Per dial result on campaign c, the publisher INCRs one counter per kind of the mix and PUBLISHes
the new value on the channel of (c, kind); each client SUBSCRIBEs to the channels of the
statistics it would hold, so one event delivers as many messages as statsrv pushes values when
every kind changes on every dial (the fan-out mix). The marker kind's value numbers the event,
as in statsrv, so latency is measured the same way.
"""

from __future__ import annotations

import contextlib
import shutil
import socket
import subprocess
import time
from multiprocessing.connection import Connection
from typing import Any

import trio

from statsrv.load.clients import Marker, WorkerCounters
from statsrv.load.pacing import DialerCounters, drive_and_measure
from statsrv.load.peer import LoadPeer
from statsrv.load.resp import PubSubReader, RespReader, command
from statsrv.load.shared import ControlPipe, StopRequested, Times, Window
from statsrv.load.spec import LoadSpec

RECEIVE_BYTES = 262_144
START_TIMEOUT_S = 10.0


class RedisUnavailable(Exception):
    """No redis-server to run the baseline with."""


def channel(spec: LoadSpec, campaign: int, kind: int) -> bytes:
    """The channel (and counter key) of one cell."""
    return f"{spec.run_id}:{campaign}:{kind}".encode()


class RedisServer:
    """A redis-server on 127.0.0.1, a free port, persistence off; stopped by `stop`."""

    def __init__(self, executable: str = "redis-server") -> None:
        path = shutil.which(executable)
        if path is None:
            raise RedisUnavailable(f"{executable} not found on PATH (apt-get install redis-server)")
        self.port = _free_port()
        arguments = ["--port", str(self.port), "--bind", "127.0.0.1", "--save", ""]
        arguments += ["--appendonly", "no", "--daemonize", "no", "--loglevel", "warning"]
        self.process = subprocess.Popen(  # noqa: S603 - a fixed command line of our own
            [path, *arguments], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        self._wait_ready()

    @property
    def pid(self) -> int:
        """The server's process id."""
        return self.process.pid

    def _wait_ready(self) -> None:
        deadline = time.monotonic() + START_TIMEOUT_S
        while time.monotonic() < deadline:
            with (
                contextlib.suppress(OSError),
                socket.create_connection(("127.0.0.1", self.port), timeout=0.5) as probe,
            ):
                probe.sendall(command("PING"))
                if probe.recv(64).startswith(b"+PONG"):
                    return
            if self.process.poll() is not None:
                break
            time.sleep(0.05)
        self.stop()
        raise RedisUnavailable("redis-server did not start")

    def stop(self) -> None:
        """Terminate the server and wait for it."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class RedisSubscriber(LoadPeer):
    """A client of the baseline: subscribes to its cells' channels, counts every message."""

    def __init__(self, spec: LoadSpec, number: int, counters: WorkerCounters, times: Times) -> None:
        super().__init__(counters)
        self.spec = spec
        self.times = times
        self.window: Window | None = None
        self.reader = PubSubReader()
        self.markers: dict[bytes, Marker] = {}
        self.channels: list[bytes] = []
        for slot in range(spec.statistics_per_client):
            campaign, kind = spec.cell(number, slot)
            name = channel(spec, campaign, kind)
            self.channels.append(name)
            if kind == 0:
                self.markers[name] = Marker(campaign, base=0)
        self.subscribed = 0
        self._subscribed_changed = trio.Event()

    def marker_counts(self) -> list[tuple[int, int]]:
        """(campaign, last counter value) for each marker channel."""
        return [(m.campaign, m.last) for m in self.markers.values()]

    async def connect(self, host: str, port: int) -> None:
        """Connect (Redis needs no registration)."""
        self.stream = await trio.open_tcp_stream(host, port)
        self.counters.connected += 1

    async def open_all(self) -> None:
        """SUBSCRIBE to every channel at once; wait for each confirmation."""
        if not self.channels:
            return
        await self._send(command("SUBSCRIBE", *self.channels))
        while self.subscribed < len(self.channels) and self.stream is not None:
            await self._subscribed_changed.wait()

    async def wait_answers(self, target: int) -> None:
        """Nothing to wait for: Redis has no registration answer."""

    async def storm(self, window: Window) -> None:
        """Open-storm has no Redis equivalent."""
        raise NotImplementedError("the Redis baseline runs push scenarios only")

    async def drain(self) -> bool:
        """PING on the subscribed connection; its pong follows every message sent before."""
        return await self._ping_and_wait(command("PING"))

    async def read(self) -> None:
        """Handle pushes until the connection ends."""
        assert self.stream is not None
        try:
            while data := await self.stream.receive_some(RECEIVE_BYTES):
                now = time.time()
                messages, others = self.reader.feed_pushes(data)
                self.counters.notifications += len(messages)
                markers = self.markers
                for channel_name, payload in messages:
                    marker = markers.get(channel_name)
                    if marker is not None:
                        self._marker_value(marker, int(payload), now)
                for item in others:
                    self._on_push(item)
        except (trio.BrokenResourceError, trio.ClosedResourceError):
            pass
        self._lost()

    def _wake_waiters(self) -> None:
        self._subscribed_changed.set()

    def _on_push(self, item: Any) -> None:
        kind = item[0]
        if kind == b"subscribe":
            self.subscribed += 1
            self.counters.opened += 1
            self.counters.answers += 1
            self._subscribed_changed.set()
            self._subscribed_changed = trio.Event()
        elif kind == b"pong":
            self.ponged.set()

    def _marker_value(self, marker: Marker, value: int, now: float) -> None:
        if value <= marker.last:
            return
        if value > marker.last + 1:
            self.counters.gaps += value - marker.last - 1
        marker.last = value
        window = self.window
        number = self.spec.event_number(marker.campaign, value)
        if window is None or number >= len(self.times):
            return
        intended = self.times[number]
        if window.start <= intended < window.end:
            self.counters.latency.add(now - intended)


class RedisSink:
    """The publisher: INCR and PUBLISH per kind for each driven event, pipelined."""

    def __init__(self, spec: LoadSpec, stream: trio.SocketStream) -> None:
        self.spec = spec
        self.stream = stream
        kinds = len(spec.mix)
        self.replies_per_event = 2 * kinds
        self.incr = [
            [command("INCR", channel(spec, c, k)) for k in range(kinds)]
            for c in range(spec.campaigns)
        ]
        self.publish_head = [
            [b"*3\r\n$7\r\nPUBLISH\r\n" + _bulk(channel(spec, c, k)) for k in range(kinds)]
            for c in range(spec.campaigns)
        ]
        self.values = [0] * spec.campaigns
        self.replies = 0
        self.delivered = 0
        self.mismatches = 0
        self.errors: list[str] = []
        self._changed = trio.Event()
        self._expected: list[int] = []

    def acked(self) -> int:
        """Events whose every reply has arrived."""
        return self.replies // self.replies_per_event

    async def acked_changed(self) -> None:
        """Until more replies arrive."""
        await self._changed.wait()

    async def send(self, first: int, stamps: list[float]) -> None:
        """INCR + PUBLISH for each kind of each event's campaign."""
        campaigns = self.spec.campaigns
        out = []
        for n in range(first, first + len(stamps)):
            c = (n - 1) % campaigns
            self.values[c] += 1
            value = _bulk(str(self.values[c]).encode())
            self._expected.append(self.values[c])
            for incr, head in zip(self.incr[c], self.publish_head[c], strict=True):
                out.append(incr)
                out.append(head)
                out.append(value)
        await self.stream.send_all(b"".join(out))

    async def read(self) -> None:
        """Count replies: INCR's new value (checked) and PUBLISH's number of receivers."""
        reader = RespReader()
        per_event = self.replies_per_event
        while data := await self.stream.receive_some(RECEIVE_BYTES):
            for reply in reader.feed(data):
                position = self.replies % per_event
                if position % 2:
                    self.delivered += int(reply)  # type: ignore[arg-type]
                elif reply != self._expected[self.replies // per_event]:
                    self.mismatches += 1
                self.replies += 1
            self._changed.set()
            self._changed = trio.Event()

    async def sync(self, timeout_s: float) -> bool:
        """Until every reply has arrived (or the timeout)."""
        target = len(self._expected) * self.replies_per_event
        with trio.move_on_after(timeout_s):
            while self.replies < target:
                await self._changed.wait()
        return self.replies >= target


def _bulk(data: bytes) -> bytes:
    return b"$%d\r\n%s\r\n" % (len(data), data)


def publisher_main(
    spec: LoadSpec, host: str, port: int, times: Times, connection: Connection
) -> None:
    """Entry point of the baseline's dialer process."""
    control = ControlPipe(connection)
    try:
        trio.run(_publisher, spec, host, port, times, control)
    except* StopRequested:
        pass  # the harness ended the run early


async def _publisher(
    spec: LoadSpec, host: str, port: int, times: Times, control: ControlPipe
) -> None:
    stream = await trio.open_tcp_stream(host, port)
    sink = RedisSink(spec, stream)
    counters = DialerCounters()
    async with stream, trio.open_nursery() as nursery:
        nursery.start_soon(sink.read)
        control.send("ready", {"setup_events": 0, "setup_acked": True, "setup_seconds": 0.0})
        go = await control.expect("go")
        window = Window.after(go["go"], spec.warmup_s, spec.duration_s)
        await drive_and_measure(spec, window, times, sink, counters)
        all_acked = await sink.sync(spec.drain_timeout_s)
        control.send(
            "final",
            {
                "sent": counters.sent,
                "acked": sink.acked(),
                "all_acked": all_acked,
                "refused": sink.mismatches,
                "errors": sink.errors,
                "max_lag_s": counters.max_lag_s,
                "snapshots": counters.snapshots,
                "delivered": sink.delivered,
            },
        )
        await control.expect("close")
        nursery.cancel_scope.cancel()
