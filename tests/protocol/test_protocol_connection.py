"""Connection state machines of both ports: registration tables, closing, counters."""

from __future__ import annotations

import msgpack
import pytest
from protocol_samples import FULL

from protocol import (
    CLIENT_EVENTS,
    CLIENT_REQUESTS,
    DIALER_MESSAGES,
    DIALER_REPLIES,
    CampaignEvent,
    ClientConnection,
    ClientState,
    DialerHello,
    DialerSync,
    DialerWelcome,
    ErrorCode,
    EventBatch,
    EventClientRegistered,
    EventPong,
    IngestConnection,
    IngestState,
    LocalProtocolError,
    ProtocolError,
    RequestPing,
    RequestRegisterClient,
    encode,
    encode_frame,
)
from protocol.states import CLIENT_RECEIVE_RULES, INGEST_RECEIVE_RULES

SAMPLE = {type(message): message for message in FULL}
REGISTER = RequestRegisterClient(reference_id=1, client_name="c", protocol_version=1)
REGISTERED = EventClientRegistered(
    reference_id=1, server_name="s", protocol_version=1, server_time=1.0, server_mode="Primary"
)
HELLO = DialerHello(dialer_name="d", protocol_version=1, tenant="Environment")


def events(conn: ClientConnection | IngestConnection) -> list[object]:
    out = []
    while (event := conn.next_event()) is not None:
        out.append(event)
    return out


def registered_client() -> ClientConnection:
    conn = ClientConnection()
    conn.receive_data(encode(REGISTER))
    assert events(conn) == [REGISTER]
    conn.send(REGISTERED)
    assert conn.state is ClientState.REGISTERED
    return conn


def streaming_ingest() -> IngestConnection:
    conn = IngestConnection()
    conn.receive_data(encode(HELLO))
    assert events(conn) == [HELLO]
    conn.send(DialerWelcome(last_seq=0))
    assert conn.state is IngestState.STREAMING
    return conn


def test_the_tables_cover_every_state_and_message_of_each_port() -> None:
    assert set(CLIENT_RECEIVE_RULES) == {
        (state, cls)
        for state in (ClientState.UNREGISTERED, ClientState.REGISTERED)
        for cls in CLIENT_REQUESTS
    }
    assert set(INGEST_RECEIVE_RULES) == {
        (state, cls)
        for state in (IngestState.AWAITING_HELLO, IngestState.STREAMING)
        for cls in DIALER_MESSAGES
    }


@pytest.mark.parametrize(
    "cls", sorted(CLIENT_REQUESTS - {RequestRegisterClient}, key=lambda c: c.__name__)
)
def test_a_request_before_registration_is_not_registered(cls: type) -> None:
    conn = ClientConnection()
    conn.receive_data(encode(SAMPLE[cls]))
    [error] = events(conn)
    assert isinstance(error, ProtocolError)
    assert error.code is ErrorCode.NotRegistered
    assert error.reference_id == SAMPLE[cls].reference_id
    assert not error.closes_connection
    assert conn.state is ClientState.UNREGISTERED


@pytest.mark.parametrize("cls", sorted(CLIENT_REQUESTS, key=lambda c: c.__name__))
def test_after_registration_every_request_but_a_second_registration_passes(cls: type) -> None:
    conn = registered_client()
    conn.receive_data(encode(SAMPLE[cls]))
    [event] = events(conn)
    if cls is RequestRegisterClient:
        assert isinstance(event, ProtocolError)
        assert event.code is ErrorCode.AlreadyRegistered
        assert event.reference_id == SAMPLE[cls].reference_id
        assert event.description == "RequestRegisterClient: this connection is already registered"
    else:
        assert event == SAMPLE[cls]


def test_pipelined_registration_and_requests_pass_when_each_is_answered_in_turn() -> None:
    conn = ClientConnection()
    conn.receive_data(encode(REGISTER) + encode(RequestPing(reference_id=2)))
    assert conn.next_event() == REGISTER
    conn.send(REGISTERED)
    assert conn.next_event() == RequestPing(reference_id=2)
    assert conn.next_event() is None


@pytest.mark.parametrize("cls", sorted(DIALER_MESSAGES - {DialerHello}, key=lambda c: c.__name__))
def test_a_dialer_message_before_hello_is_not_registered(cls: type) -> None:
    conn = IngestConnection()
    conn.receive_data(encode(SAMPLE[cls]))
    [error] = events(conn)
    assert isinstance(error, ProtocolError)
    assert error.code is ErrorCode.NotRegistered
    assert error.description.endswith("must be DialerHello")
    assert error.seq is None
    assert conn.state is IngestState.AWAITING_HELLO


def test_streaming_dialer_messages_pass_and_a_second_hello_is_refused() -> None:
    conn = streaming_ingest()
    stream = [SAMPLE[CampaignEvent], SAMPLE[EventBatch], SAMPLE[DialerSync], HELLO]
    conn.receive_data(b"".join(map(encode, stream)))
    *passed, error = events(conn)
    assert passed == stream[:3]
    assert isinstance(error, ProtocolError)
    assert error.code is ErrorCode.AlreadyRegistered
    assert conn.state is IngestState.STREAMING


def test_each_port_takes_only_its_own_messages() -> None:
    client = ClientConnection()
    client.receive_data(encode(HELLO))
    [error] = events(client)
    assert isinstance(error, ProtocolError)
    assert error.code is ErrorCode.UnknownMessage
    assert not error.closes_connection

    ingest = IngestConnection()
    ingest.receive_data(encode(RequestPing(reference_id=4)))
    [error] = events(ingest)
    assert isinstance(error, ProtocolError)
    assert error.code is ErrorCode.UnknownMessage
    assert error.reference_id == 4


def test_a_closing_error_closes_and_later_bytes_are_ignored() -> None:
    conn = registered_client()
    ping = encode(RequestPing(reference_id=2))
    conn.receive_data(ping + encode_frame(b"\xc1") + ping)
    first, error = events(conn)
    assert first == RequestPing(reference_id=2)
    assert isinstance(error, ProtocolError)
    assert error.code is ErrorCode.InvalidFrame
    assert conn.state is ClientState.CLOSED
    conn.receive_data(ping)
    assert conn.next_event() is None
    farewell = conn.send(error.to_event())
    assert msgpack.unpackb(farewell[4:])["ErrorName"] == "InvalidFrame"


def test_an_oversize_frame_closes_before_its_body_arrives() -> None:
    conn = IngestConnection(max_frame_bytes=100)
    conn.receive_data((101).to_bytes(4, "big"))
    error = conn.next_event()
    assert isinstance(error, ProtocolError)
    assert error.code is ErrorCode.FrameTooLarge
    assert conn.state is IngestState.CLOSED
    assert conn.next_event() is None


def test_a_non_closing_error_keeps_the_stream_going() -> None:
    conn = registered_client()
    teleport = encode_frame(msgpack.packb({"Message": "RequestTeleport", "ReferenceId": 3}))
    conn.receive_data(teleport + encode(RequestPing(reference_id=4)))
    error, ping = events(conn)
    assert isinstance(error, ProtocolError)
    assert error.code is ErrorCode.UnknownMessage
    assert ping == RequestPing(reference_id=4)
    assert conn.state is ClientState.REGISTERED


def test_close_stops_events() -> None:
    conn = ClientConnection()
    conn.receive_data(encode(REGISTER))
    conn.close()
    assert conn.state is ClientState.CLOSED
    assert conn.next_event() is None


def test_sending_what_this_side_never_sends_is_a_local_error() -> None:
    for conn, foreign in [
        (ClientConnection(), DialerWelcome(last_seq=0)),
        (ClientConnection(), RequestPing(reference_id=1)),
        (IngestConnection(), EventPong(reference_id=1, server_time=1.0)),
        (IngestConnection(), HELLO),
    ]:
        with pytest.raises(LocalProtocolError, match="is not sent on this port"):
            conn.send(foreign)  # type: ignore[arg-type]


def test_registering_twice_is_a_local_error() -> None:
    conn = registered_client()
    with pytest.raises(LocalProtocolError, match="cannot be sent in state REGISTERED"):
        conn.send(REGISTERED)
    ingest = streaming_ingest()
    with pytest.raises(LocalProtocolError, match="cannot be sent in state STREAMING"):
        ingest.send(DialerWelcome(last_seq=1))


def test_every_server_message_can_be_sent_on_its_port() -> None:
    client, ingest = registered_client(), streaming_ingest()
    for cls in CLIENT_EVENTS - {EventClientRegistered}:
        assert client.send(SAMPLE[cls]) == encode(SAMPLE[cls])
    for cls in DIALER_REPLIES - {DialerWelcome}:
        assert ingest.send(SAMPLE[cls]) == encode(SAMPLE[cls])


def test_statistics_count_frames_and_bytes_both_ways() -> None:
    conn = ClientConnection()
    register, ping = encode(REGISTER), encode(RequestPing(reference_id=2))
    conn.receive_data(register + ping[:3])
    events(conn)
    sent = conn.send(REGISTERED)
    conn.receive_data(ping[3:] + encode_frame(b"\x90"))
    events(conn)
    stats = conn.statistics()
    assert stats.frames_in == 3
    assert stats.bytes_in == len(register) + len(ping) + 5
    assert stats.frames_out == 1
    assert stats.bytes_out == len(sent)
    assert stats.errors_in == 1
    assert stats.buffered_bytes == 0


def test_the_server_loop_as_the_server_writes_it() -> None:
    conn = ClientConnection(max_frame_bytes=4096)
    conn.receive_data(
        encode(REGISTER)
        + encode(RequestPing(reference_id=5))
        + encode_frame(msgpack.packb({"Message": "RequestPing"}))
        + encode_frame(b"not msgpack")
        + encode(RequestPing(reference_id=6))
    )
    out, closed = b"", False
    while (ev := conn.next_event()) is not None:
        match ev:
            case ProtocolError():
                out += conn.send(ev.to_event())
                closed = closed or ev.closes_connection
            case RequestRegisterClient():
                out += conn.send(REGISTERED)
            case RequestPing(reference_id=ref):
                out += conn.send(EventPong(reference_id=ref, server_time=2.0))
    replies = _frames(out)
    assert [r["Message"] for r in replies] == [
        "EventClientRegistered",
        "EventPong",
        "EventError",
        "EventError",
    ]
    assert replies[2]["ErrorName"] == "InvalidRequest"
    assert replies[3]["ErrorName"] == "InvalidFrame"
    assert closed
    assert conn.state is ClientState.CLOSED


def _frames(data: bytes) -> list[dict[str, object]]:
    frames = []
    while data:
        size = int.from_bytes(data[:4], "big")
        frames.append(msgpack.unpackb(data[4 : 4 + size]))
        data = data[4 + size :]
    return frames
