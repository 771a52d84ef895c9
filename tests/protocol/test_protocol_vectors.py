"""The golden vectors in protocol/vectors/ hold for this implementation.

Accepted frames decode and re-encode canonically; refused frames (those refused by framing,
message decoding or connection state) give exactly the `EventError` the vector names.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import msgpack
import pytest

from protocol import (
    ClientConnection,
    DialerHello,
    DialerWelcome,
    EventBatch,
    EventClientRegistered,
    IngestConnection,
    ProtocolError,
    RequestRegisterClient,
    decode,
    encode,
)

VECTORS = Path(__file__).resolve().parents[2] / "protocol" / "vectors"
ACCEPTED: list[dict[str, Any]] = json.loads((VECTORS / "vectors.json").read_text())
REFUSED: list[dict[str, Any]] = [
    vector
    for vector in json.loads((VECTORS / "invalid.json").read_text())
    if vector["layer"] in {"frame", "message", "state"}
]


@pytest.mark.parametrize("vector", ACCEPTED, ids=[v["name"] for v in ACCEPTED])
def test_accepted_vector(vector: dict[str, Any]) -> None:
    frame = bytes.fromhex(vector["hex"])
    assert int.from_bytes(frame[:4], "big") == len(frame) - 4
    message = decode(frame[4:])
    reencoded = encode(message)
    assert msgpack.unpackb(reencoded[4:]) == vector.get("filled", vector["message"])
    if vector["canonical"]:
        assert reencoded == bytes.fromhex(vector.get("filled_hex", vector["hex"]))


def _connection(port: str, state: str) -> ClientConnection | IngestConnection:
    if port == "client":
        client = ClientConnection()
        if state == "registered":
            client.receive_data(
                encode(RequestRegisterClient(reference_id=1, client_name="v", protocol_version=1))
            )
            assert isinstance(client.next_event(), RequestRegisterClient)
            client.send(
                EventClientRegistered(
                    reference_id=1,
                    server_name="s",
                    protocol_version=1,
                    server_time=0.0,
                    server_mode="Primary",
                )
            )
        return client
    ingest = IngestConnection()
    if state == "streaming":
        ingest.receive_data(
            encode(DialerHello(dialer_name="v", protocol_version=1, tenant="Environment"))
        )
        assert isinstance(ingest.next_event(), DialerHello)
        ingest.send(DialerWelcome(last_seq=0))
    return ingest


def _errors(conn: ClientConnection | IngestConnection) -> list[ProtocolError]:
    events = []
    while (event := conn.next_event()) is not None:
        events.append(event)
    if len(events) == 1 and isinstance(events[0], EventBatch):
        return [item for item in events[0].events if isinstance(item, ProtocolError)]
    assert all(isinstance(event, ProtocolError) for event in events), events
    return events  # type: ignore[return-value]


@pytest.mark.parametrize("vector", REFUSED, ids=[v["name"] for v in REFUSED])
def test_refused_vector(vector: dict[str, Any]) -> None:
    conn = _connection(vector["port"], vector["state"])
    conn.receive_data(bytes.fromhex(vector["hex"]))
    [error] = _errors(conn)
    assert error.code.name == vector["ErrorName"]
    assert int(error.code) == vector["ErrorCode"]
    assert error.reference_id == vector.get("ReferenceId")
    assert error.seq == vector.get("Seq")
    assert error.closes_connection is vector["closes"]
    assert vector.get("DescriptionContains", "") in error.description
