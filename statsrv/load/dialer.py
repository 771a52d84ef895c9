"""The dialer process: makes the run's campaigns known, then drives dial results at a pace."""

from __future__ import annotations

import random
import time
from multiprocessing.connection import Connection
from typing import Any

import trio

from statsrv.dialer.mix import CALL_RESULT_MIX
from statsrv.load.pacing import DialerCounters, drive_and_measure
from statsrv.load.shared import ControlPipe, StopRequested, Times, Window
from statsrv.load.spec import CALLING_LIST, GROUP_NAME, LoadSpec
from statsrv.load.wire import FrameReader, frame

SETUP_BATCH_EVENTS = 1000
KEEP_ERRORS = 5
RESULT_CODES = 997


def call_results(seed: int = 1) -> list[int]:
    """A seeded cycle of call-result codes in the simulator's realistic mix."""
    rng = random.Random(seed)
    codes = [code for code, _ in CALL_RESULT_MIX]
    weights = [weight for _, weight in CALL_RESULT_MIX]
    return rng.choices(codes, weights, k=RESULT_CODES)


class IngestSink:
    """Sends driven events as `EventBatch` frames and follows the server's `DialerAck`s."""

    def __init__(self, spec: LoadSpec, stream: trio.SocketStream) -> None:
        self.spec = spec
        self.stream = stream
        self.names = [spec.campaign_name(c) for c in range(spec.campaigns)]
        self.codes = call_results()
        self.sync_each_batch = spec.rate_mode == "max"
        self.first_driven_seq = 0
        self.next_seq = 0
        self.acked_seq = 0
        self.refused = 0
        self.errors: list[str] = []
        self._changed = trio.Event()

    def acked(self) -> int:
        """Driven events acknowledged so far."""
        return max(0, self.acked_seq - self.first_driven_seq + 1) if self.first_driven_seq else 0

    async def acked_changed(self) -> None:
        """Until the next `DialerAck`."""
        await self._changed.wait()

    async def send(self, first: int, stamps: list[float]) -> None:
        """Dial results `first`, `first + 1`, … with these intended times, in one frame."""
        if not self.first_driven_seq:
            self.first_driven_seq = self.next_seq + 1
        campaigns, names, codes = self.spec.campaigns, self.names, self.codes
        events = []
        for n, stamp in enumerate(stamps, first):
            self.next_seq += 1
            events.append(
                {
                    "Seq": self.next_seq,
                    "Event": "DialResult",
                    "Time": stamp,
                    "Campaign": names[(n - 1) % campaigns],
                    "Group": GROUP_NAME,
                    "CallingList": CALLING_LIST,
                    "RecordId": n,
                    "ChainId": n,
                    "CallResult": codes[n % RESULT_CODES],
                }
            )
        data = frame({"Message": "EventBatch", "Events": events})
        if self.sync_each_batch:
            data += frame({"Message": "DialerSync", "Seq": self.next_seq})
        await self.stream.send_all(data)

    async def send_setup(self) -> int:
        """Load and start each campaign on its group (names the objects); returns the count."""
        now = time.time()
        bodies = []
        for name in self.names:
            for event, extra in (("GroupLoaded", {}), ("DialingStarted", {"DialMode": "Predict"})):
                self.next_seq += 1
                bodies.append(
                    {"Seq": self.next_seq, "Event": event, "Time": now, "Campaign": name}
                    | {"Group": GROUP_NAME}
                    | extra
                )
        for start in range(0, len(bodies), SETUP_BATCH_EVENTS):
            batch = bodies[start : start + SETUP_BATCH_EVENTS]
            await self.stream.send_all(frame({"Message": "EventBatch", "Events": batch}))
        return len(bodies)

    async def sync(self, timeout_s: float) -> bool:
        """Ask for an ack of everything sent; True once it came within the timeout."""
        await self.stream.send_all(frame({"Message": "DialerSync", "Seq": self.next_seq}))
        with trio.move_on_after(timeout_s):
            while self.acked_seq < self.next_seq:
                await self._changed.wait()
        return self.acked_seq >= self.next_seq

    async def hello(self, dialer_name: str) -> None:
        """Say hello; the next Seq follows the welcome's LastSeq."""
        hello = {
            "Message": "DialerHello",
            "DialerName": dialer_name,
            "ProtocolVersion": 1,
            "Tenant": "Environment",
        }
        await self.stream.send_all(frame(hello))

    async def read(self, welcomed: trio.Event) -> None:
        """Follow welcome, acks and refusals until the connection ends."""
        reader = FrameReader()
        while data := await self.stream.receive_some(65536):
            for message in reader.feed(data)[1]:
                self._on_message(message, welcomed)

    def _on_message(self, message: dict[str, Any], welcomed: trio.Event) -> None:
        match message.get("Message"):
            case "DialerWelcome":
                self.next_seq = self.acked_seq = message["LastSeq"]
                welcomed.set()
            case "DialerAck":
                self.acked_seq = max(self.acked_seq, message["Seq"])
                self._changed.set()
                self._changed = trio.Event()
            case "EventError":
                self.refused += 1
                if len(self.errors) < KEEP_ERRORS:
                    self.errors.append(f"{message.get('ErrorName')}: {message.get('Description')}")


def dialer_main(spec: LoadSpec, host: str, port: int, times: Times, connection: Connection) -> None:
    """Entry point of the dialer process."""
    control = ControlPipe(connection)
    try:
        trio.run(_dialer, spec, host, port, times, control)
    except* StopRequested:
        pass  # the harness ended the run early


async def _dialer(spec: LoadSpec, host: str, port: int, times: Times, control: ControlPipe) -> None:
    stream = await trio.open_tcp_stream(host, port)
    sink = IngestSink(spec, stream)
    counters = DialerCounters()
    async with stream, trio.open_nursery() as nursery:
        welcomed = trio.Event()
        nursery.start_soon(sink.read, welcomed)
        await sink.hello(f"{spec.run_id}-dialer")
        await welcomed.wait()
        started = time.time()
        setup_events = await sink.send_setup()
        setup_acked = await sink.sync(spec.drain_timeout_s)
        control.send(
            "ready",
            {
                "setup_events": setup_events,
                "setup_acked": setup_acked,
                "setup_seconds": time.time() - started,
                "refused": sink.refused,
            },
        )
        go = await control.expect("go")
        window = Window.after(go["go"], spec.warmup_s, spec.duration_s)
        await drive_and_measure(spec, window, times, sink, counters)
        all_acked = await sink.sync(spec.drain_timeout_s)
        control.send("final", _final(counters, sink, all_acked))
        await control.expect("close")
        nursery.cancel_scope.cancel()


def _final(counters: DialerCounters, sink: IngestSink, all_acked: bool) -> dict[str, Any]:
    return {
        "sent": counters.sent,
        "acked": sink.acked(),
        "all_acked": all_acked,
        "refused": sink.refused,
        "errors": sink.errors,
        "max_lag_s": counters.max_lag_s,
        "snapshots": counters.snapshots,
    }
