"""Sans-I/O connections: bytes in, messages out; messages in, bytes out.

The server owns the sockets. It hands received bytes to `receive_data`, then calls
`next_event` until it returns None (more bytes needed), and writes what `send` returns.
A received message is either a message this port accepts or the `ProtocolError` to
answer with; after a closing error the connection is CLOSED and yields nothing more.
The registration rule comes from the tables in `protocol.states`; a registration must be
answered (`send`) before the next event is taken, since the answer is what moves the state.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import Enum
from typing import ClassVar

from protocol.codec import decode, encode
from protocol.constants import DEFAULT_MAX_FRAME_BYTES
from protocol.errors import ErrorCode, LocalProtocolError, ProtocolError
from protocol.framing import FrameDecoder
from protocol.messages import (
    CLIENT_EVENTS,
    CLIENT_REQUESTS,
    DIALER_MESSAGES,
    DIALER_REPLIES,
    Message,
)
from protocol.states import (
    CLIENT_RECEIVE_RULES,
    CLIENT_SEND_TRANSITIONS,
    INGEST_RECEIVE_RULES,
    INGEST_SEND_TRANSITIONS,
    ClientState,
    IngestState,
    Verdict,
)


@dataclass(frozen=True, slots=True)
class ConnectionStatistics:
    """Traffic counters of one connection."""

    frames_in: int
    bytes_in: int
    frames_out: int
    bytes_out: int
    errors_in: int
    buffered_bytes: int


class _Connection:
    """What both ports share; a subclass names its tables, states and message sets."""

    _accepted: ClassVar[frozenset[type]]
    _sendable: ClassVar[frozenset[type]]
    _receive_rules: ClassVar[Mapping[tuple[Enum, type], Verdict]]
    _send_transitions: ClassVar[Mapping[tuple[Enum, type], Enum]]
    _initial: ClassVar[Enum]
    _closed: ClassVar[Enum]
    _hello: ClassVar[str]

    def __init__(self, max_frame_bytes: int = DEFAULT_MAX_FRAME_BYTES) -> None:
        self._frames = FrameDecoder(max_frame_bytes)
        self._state = self._initial
        self._transition_messages = frozenset(cls for _, cls in self._send_transitions)
        self._frames_in = self._bytes_in = self._frames_out = self._bytes_out = 0
        self._errors_in = 0

    @property
    def state(self) -> Enum:
        """The connection's current state."""
        return self._state

    def receive_data(self, data: bytes) -> None:
        """Hand over bytes read from the socket; ignored once the connection is CLOSED."""
        if self._state is self._closed:
            return
        self._bytes_in += len(data)
        self._frames.feed(data)

    def next_event(self) -> Message | ProtocolError | None:
        """The next received message or the error to answer, or None until more bytes come."""
        if self._state is self._closed:
            return None
        try:
            body = self._frames.next_frame()
            if body is None:
                return None
            self._frames_in += 1
            message = decode(body, self._accepted)
        except ProtocolError as error:
            return self._refused(error)
        verdict = self._receive_rules[self._state, type(message)]
        if verdict is None:
            return message
        return self._refused(self._state_error(verdict, message))

    def send(self, message: Message) -> bytes:
        """Encode a message this side sends and apply the state transition it makes.

        In CLOSED the message is still encoded, so a farewell EventError can be written.
        """
        cls = type(message)
        if cls not in self._sendable:
            raise LocalProtocolError(f"{cls.__name__} is not sent on this port")
        if cls in self._transition_messages:
            self._state = self._after_sending(cls)
        frame = encode(message)
        self._frames_out += 1
        self._bytes_out += len(frame)
        return frame

    def close(self) -> None:
        """Stop taking input: further bytes are ignored and no more events come."""
        self._state = self._closed

    def statistics(self) -> ConnectionStatistics:
        """A snapshot of the connection's traffic counters."""
        return ConnectionStatistics(
            frames_in=self._frames_in,
            bytes_in=self._bytes_in,
            frames_out=self._frames_out,
            bytes_out=self._bytes_out,
            errors_in=self._errors_in,
            buffered_bytes=self._frames.buffered_bytes,
        )

    def _after_sending(self, cls: type) -> Enum:
        try:
            return self._send_transitions[self._state, cls]
        except KeyError:
            raise LocalProtocolError(
                f"{cls.__name__} cannot be sent in state {self._state.name}"
            ) from None

    def _refused(self, error: ProtocolError) -> ProtocolError:
        self._errors_in += 1
        if error.closes_connection:
            self.close()
        return error

    def _state_error(self, code: ErrorCode, message: Message) -> ProtocolError:
        name = type(message).__name__
        if code is ErrorCode.NotRegistered:
            description = f"{name}: the first message on this connection must be {self._hello}"
        else:
            description = f"{name}: this connection is already registered"
        return ProtocolError(code, description, reference_id=getattr(message, "reference_id", None))


class ClientConnection(_Connection):
    """The server side of a client-port connection.

    States: UNREGISTERED -> (send EventClientRegistered) -> REGISTERED; CLOSED after a
    closing error or `close()`.
    """

    _accepted = CLIENT_REQUESTS
    _sendable = CLIENT_EVENTS
    _receive_rules = CLIENT_RECEIVE_RULES
    _send_transitions = CLIENT_SEND_TRANSITIONS
    _initial = ClientState.UNREGISTERED
    _closed = ClientState.CLOSED
    _hello = "RequestRegisterClient"


class IngestConnection(_Connection):
    """The server side of an ingest-port (dialer) connection.

    States: AWAITING_HELLO -> (send DialerWelcome) -> STREAMING; CLOSED after a closing
    error or `close()`.
    """

    _accepted = DIALER_MESSAGES
    _sendable = DIALER_REPLIES
    _receive_rules = INGEST_RECEIVE_RULES
    _send_transitions = INGEST_SEND_TRANSITIONS
    _initial = IngestState.AWAITING_HELLO
    _closed = IngestState.CLOSED
    _hello = "DialerHello"
