"""Codec throughput: frames encoded, and frame bodies decoded into checked messages, per second.

Run: .venv/bin/python bench/codec.py
Each figure is the median of 5 runs of about 0.5 s on one core. "decode" is msgpack
unpacking plus validation into the typed message; "stream" feeds one chunk of 10,000
pipelined frames to a server-side connection and takes every event (framing, decoding
and the registration table).
"""

from __future__ import annotations

import platform
import statistics
import time
from collections.abc import Callable

from protocol import (
    CampaignEvent,
    ClientConnection,
    DialerHello,
    DialerWelcome,
    EventClientRegistered,
    EventInfo,
    IngestConnection,
    Notification,
    RequestOpenStatistic,
    RequestRegisterClient,
    StatisticMetric,
    StatisticObject,
    decode,
    encode,
)

RUNS = 5
RUN_SECONDS = 0.5
STREAM_FRAMES = 10_000

INFO = EventInfo(statistic_id=123456, tag=7, value=42.5, server_time=1_700_000_000.125)
OPEN = RequestOpenStatistic(
    reference_id=123456,
    statistic_object=StatisticObject(object_id="Spring Sale", object_type="Campaign"),
    statistic_metric=StatisticMetric(
        statistic_type="CampaignCallsAnswered", time_profile="Default"
    ),
    tag=7,
    notification=Notification(mode="Periodical", frequency=5.0),
)
EVENT = CampaignEvent(
    seq=123456,
    body={
        "Event": "RecordProcessed",
        "Time": 1_700_000_000.125,
        "Campaign": "Spring Sale",
        "Group": "Sales",
        "CallResult": "Answer",
        "Record": 987654,
    },
)


def rate(operation: Callable[[], int]) -> float:
    """Median operations per second; `operation` does a batch and returns its size."""
    rates = []
    for _ in range(RUNS):
        done, start = 0, time.perf_counter()
        while (elapsed := time.perf_counter() - start) < RUN_SECONDS:
            done += operation()
        rates.append(done / elapsed)
    return statistics.median(rates)


def encoding(message: object, batch: int = 1000) -> Callable[[], int]:
    def run() -> int:
        for _ in range(batch):
            encode(message)  # type: ignore[arg-type]
        return batch

    return run


def decoding(message: object, batch: int = 1000) -> Callable[[], int]:
    body = encode(message)[4:]  # type: ignore[arg-type]

    def run() -> int:
        for _ in range(batch):
            decode(body)
        return batch

    return run


def client_stream() -> Callable[[], int]:
    chunk = encode(OPEN) * STREAM_FRAMES
    registered = EventClientRegistered(
        reference_id=1, server_name="s", protocol_version=1, server_time=0.0, server_mode="Primary"
    )

    def run() -> int:
        conn = ClientConnection()
        conn.receive_data(
            encode(RequestRegisterClient(reference_id=1, client_name="b", protocol_version=1))
        )
        conn.next_event()
        conn.send(registered)
        conn.receive_data(chunk)
        count = 0
        while conn.next_event() is not None:
            count += 1
        return count

    return run


def ingest_stream() -> Callable[[], int]:
    chunk = encode(EVENT) * STREAM_FRAMES

    def run() -> int:
        conn = IngestConnection()
        conn.receive_data(encode(DialerHello(dialer_name="d", protocol_version=1, tenant="t")))
        conn.next_event()
        conn.send(DialerWelcome(last_seq=0))
        conn.receive_data(chunk)
        count = 0
        while conn.next_event() is not None:
            count += 1
        return count

    return run


def main() -> None:
    rows = [
        ("EventInfo", INFO, None),
        ("RequestOpenStatistic", OPEN, client_stream),
        ("CampaignEvent", EVENT, ingest_stream),
    ]
    print(f"Python {platform.python_version()} on {platform.machine()}; median of {RUNS} runs")
    print(f"{'message':<22}{'bytes':>7}{'encode/s':>12}{'decode/s':>12}{'stream/s':>12}")
    for name, message, stream in rows:
        size = len(encode(message))  # type: ignore[arg-type]
        encoded = rate(encoding(message))
        decoded = rate(decoding(message))
        streamed = f"{rate(stream()):>12,.0f}" if stream else f"{'-':>12}"
        print(f"{name:<22}{size:>7}{encoded:>12,.0f}{decoded:>12,.0f}{streamed}")


if __name__ == "__main__":
    main()
