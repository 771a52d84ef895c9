"""The blocking client, used from plain threads with no event loop."""

from __future__ import annotations

import threading

import pytest
from client_support import load_and_dial

from statsrv.client import BlockingClient, ConnectionClosed, Invalid, UnknownObject
from statsrv.testing import ServerThread


def test_values_arrive_on_the_queue_and_the_callback():
    called: list[object] = []
    with (
        ServerThread() as server,
        BlockingClient(
            server.host, server.client_port, client_name="script", on_update=called.append
        ) as client,
    ):
        assert client.connected
        dials = client.open_statistic("Campaign:Spring2027", "DialsMade", tag=5)
        first = client.updates.get(timeout=5)
        assert (first.statistic, first.value, first.valid) == (dials, 0, True)
        load_and_dial(server, 33, 7)
        last = first
        while last.value != 2:
            last = client.updates.get(timeout=5)
        assert last.statistic is dials and dials.value == 2 and dials.tag == 5
        assert called[0] == first and called[-1] == last
        assert dials.peek() == 2
        assert client.get("Campaign:Spring2027", "Answers") == 1


def test_every_request_blocks_until_answered():
    with ServerThread() as server, BlockingClient(server.host, server.client_port) as client:
        stat = client.open_statistic("Campaign:Spring2027", "DialsMade")
        stat.suspend()
        client.resume(stat)
        client.suspend()
        client.resume()
        assert client.ping().reference_id > 0
        assert "DialsMade" in client.profile().statistic_types
        with pytest.raises(UnknownObject):
            client.open_statistic("Campaign:Nope", "DialsMade")
        stat.close()
        assert stat.closed


def test_many_threads_share_one_client():
    with ServerThread() as server, BlockingClient(server.host, server.client_port) as client:
        results: list[int] = []

        def worker() -> None:
            results.append(client.open_statistic("Campaign:Spring2027", "DialsMade").statistic_id)

        threads = [threading.Thread(target=worker) for _ in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert len(set(results)) == 8


def test_server_shutdown_marks_statistics_invalid_and_close_is_clean():
    with ServerThread() as server:
        client = BlockingClient(server.host, server.client_port)
        dials = client.open_statistic("Campaign:Spring2027", "DialsMade")
        assert client.updates.get(timeout=5).value == 0
        server.call(_shutdown, server)
        update = client.updates.get(timeout=5)
        assert isinstance(update.value, Invalid) and not update.valid
        assert not dials.valid
        with pytest.raises(ConnectionClosed):
            client.ping()
        client.close()
        assert not client._thread.is_alive()
        with pytest.raises(ConnectionClosed):
            client.ping()


async def _shutdown(server: ServerThread) -> None:
    server.server.running.shutdown()


def test_an_unreachable_server_fails_the_constructor():
    with ServerThread() as server:
        port = server.client_port
    with pytest.raises(OSError, match="connect"):
        BlockingClient("127.0.0.1", port)
