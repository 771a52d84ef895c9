"""Connection states and every legal transition, as tables.

A connection's registration rule lives here and nowhere else: `RECEIVE_RULES` says, for
each (state, message class) a peer may send, whether the message is let through (None)
or refused with an error code; `SEND_TRANSITIONS` says which message our side sends moves
the connection to its next state. Closing is not in the tables: a closing error or
`close()` moves any state to CLOSED.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import Enum
from types import MappingProxyType

from protocol.errors import ErrorCode
from protocol.messages import (
    CLIENT_REQUESTS,
    DIALER_MESSAGES,
    DialerHello,
    DialerWelcome,
    EventClientRegistered,
    RequestRegisterClient,
)


class ClientState(Enum):
    """States of the server side of a client-port connection."""

    UNREGISTERED = "UNREGISTERED"
    REGISTERED = "REGISTERED"
    CLOSED = "CLOSED"


class IngestState(Enum):
    """States of the server side of an ingest-port connection."""

    AWAITING_HELLO = "AWAITING_HELLO"
    STREAMING = "STREAMING"
    CLOSED = "CLOSED"


Verdict = ErrorCode | None
"""None lets a received message through; an error code refuses it."""


def _registration_rules(
    before: Enum, after: Enum, hello: type, others: frozenset[type]
) -> Mapping[tuple[Enum, type], Verdict]:
    """Before registration only the hello passes; after it, everything but a second hello."""
    rules: dict[tuple[Enum, type], Verdict] = {
        (before, hello): None,
        (after, hello): ErrorCode.AlreadyRegistered,
    }
    for cls in others - {hello}:
        rules[before, cls] = ErrorCode.NotRegistered
        rules[after, cls] = None
    return MappingProxyType(rules)


CLIENT_RECEIVE_RULES = _registration_rules(
    ClientState.UNREGISTERED, ClientState.REGISTERED, RequestRegisterClient, CLIENT_REQUESTS
)
"""(state, request class) -> None (let through) or the error code that refuses it."""

CLIENT_SEND_TRANSITIONS: Mapping[tuple[Enum, type], Enum] = MappingProxyType(
    {(ClientState.UNREGISTERED, EventClientRegistered): ClientState.REGISTERED}
)
"""(state, sent message class) -> next state."""

INGEST_RECEIVE_RULES = _registration_rules(
    IngestState.AWAITING_HELLO, IngestState.STREAMING, DialerHello, DIALER_MESSAGES
)
"""(state, dialer message class) -> None (let through) or the error code that refuses it."""

INGEST_SEND_TRANSITIONS: Mapping[tuple[Enum, type], Enum] = MappingProxyType(
    {(IngestState.AWAITING_HELLO, DialerWelcome): IngestState.STREAMING}
)
"""(state, sent message class) -> next state."""
