"""End to end over real sockets on 127.0.0.1: in process, and `statsrv serve` as a process."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time

import trio
from server_support import Peer, settings

from protocol import CampaignEvent as WireEvent
from protocol import (
    DialerAck,
    DialerHello,
    DialerSync,
    EventClientRegistered,
    EventInfo,
    EventServerClosing,
    EventStatisticOpened,
    FrameDecoder,
    RequestOpenStatistic,
    RequestRegisterClient,
    StatisticMetric,
    StatisticObject,
    decode,
    encode,
)
from statsrv.server.app import serve

OPEN_DIALS = RequestOpenStatistic(
    reference_id=1,
    statistic_object=StatisticObject(object_id="Spring2027", object_type="Campaign"),
    statistic_metric=StatisticMetric(statistic_type="DialsMade"),
)


def dial_body(record: int) -> dict:
    return {
        "Event": "DialResult",
        "Time": time.time(),
        "Campaign": "Spring2027",
        "CallingList": "LeadsEast",
        "RecordId": record,
        "ChainId": record,
        "CallResult": 33,
    }


async def test_in_process_server_serves_clients_and_dialers_then_shuts_down_gracefully():
    config = settings(server={"client_port": 0, "ingest_port": 0})
    async with trio.open_nursery() as nursery:
        running = await nursery.start(serve, config)
        client = Peer(await trio.open_tcp_stream("127.0.0.1", running.client_port))
        await client.send(
            RequestRegisterClient(reference_id=0, client_name="e2e", protocol_version=1)
        )
        assert isinstance(await client.receive(), EventClientRegistered)
        await client.send(OPEN_DIALS)
        assert isinstance(await client.receive(), EventStatisticOpened)
        assert (await client.receive()).value == 0
        dialer = Peer(await trio.open_tcp_stream("127.0.0.1", running.ingest_port))
        await dialer.send(DialerHello(dialer_name="e2e", protocol_version=1, tenant="Environment"))
        await dialer.receive()
        await dialer.send(WireEvent(seq=1, body=dial_body(1)))
        await dialer.send(DialerSync(seq=1))
        assert await dialer.expect(DialerAck, seq=1)
        assert (await client.expect(EventInfo, statistic_id=1)).value == 1
        running.shutdown()
        rest = await client.all_until_closed()
        assert isinstance(rest[-1], EventServerClosing)
    assert running.hub.clients == set()


class BlockingPeer:
    """A plain blocking socket speaking the protocol, as a script would."""

    def __init__(self, port: int) -> None:
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=10)
        self.decoder = FrameDecoder()

    def send(self, message) -> None:
        self.sock.sendall(encode(message))

    def receive(self):
        while (body := self.decoder.next_frame()) is None:
            data = self.sock.recv(65536)
            if not data:
                raise EOFError
            self.decoder.feed(data)
        return decode(body)


def test_statsrv_serve_as_the_readme_says_then_sigterm(tmp_path):
    command = [
        sys.executable,
        "-m",
        "statsrv",
        "serve",
        "--client-port",
        "0",
        "--ingest-port",
        "0",
        "--log-format",
        "json",
    ]
    env = dict(os.environ, TZ="UTC")
    with subprocess.Popen(
        command, stderr=subprocess.PIPE, text=True, env=env, cwd=tmp_path
    ) as proc:
        try:
            ports = _wait_for_listening(proc)
            client = BlockingPeer(ports["client_port"])
            client.send(
                RequestRegisterClient(reference_id=0, client_name="proc", protocol_version=1)
            )
            assert isinstance(client.receive(), EventClientRegistered)
            client.send(OPEN_DIALS)
            assert isinstance(client.receive(), EventStatisticOpened)
            assert client.receive().value == 0
            dialer = BlockingPeer(ports["ingest_port"])
            dialer.send(DialerHello(dialer_name="proc", protocol_version=1, tenant="Environment"))
            dialer.receive()
            for record in (1, 2):
                dialer.send(WireEvent(seq=record, body=dial_body(record)))
            values = [client.receive().value for _ in range(1)]
            while values[-1] != 2:
                values.append(client.receive().value)
            proc.send_signal(signal.SIGTERM)
            assert isinstance(_last_before_close(client), EventServerClosing)
            assert proc.wait(timeout=20) == 0
        finally:
            if proc.poll() is None:
                proc.kill()


def _wait_for_listening(proc: subprocess.Popen) -> dict:
    assert proc.stderr is not None
    for line in proc.stderr:
        entry = json.loads(line)
        if entry.get("event") == "server_listening":
            return entry
    raise AssertionError(f"server exited {proc.wait()} before listening")


def _last_before_close(peer: BlockingPeer):
    last = None
    try:
        while True:
            last = peer.receive()
    except (EOFError, ConnectionError):
        return last
