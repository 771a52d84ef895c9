"""Helpers of the client tests that run without an event loop."""

from __future__ import annotations

from statsrv.testing import ServerThread


def load_and_dial(server: ServerThread, *results: int, group: str = "Sales") -> None:
    """Through a fake dialer on the server's thread: load Spring2027 on `group`, then dial."""
    dialer = server.dialer()
    server.call(dialer.send, "GroupLoaded", "Spring2027", Group=group)
    for n, result in enumerate(results, 1):
        server.call(
            dialer.send, "DialResult", "Spring2027", Group=group, CallingList="LeadsEast",
            RecordId=n, ChainId=n, CallResult=result,
        )  # fmt: skip
    server.call(dialer.sync)
