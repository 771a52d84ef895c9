"""Replay of a recording (`statsrv serve --record FILE`) through a server's ingest port.

Each tenant's events go over their own dialer connection (a connection serves one tenant), in
file order, stamped with the time they were applied at when recorded. Unpaced (`speed` 0) they
go as fast as the server takes them; paced, each is sent when its time comes, `speed` times
faster than recorded, and stamped with that moment.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import trio

from statsrv.dialer.fake import FakeDialer, Progress
from statsrv.dialer.link import DialerRefused
from statsrv.dialer.simulator import TimedEvent


class ReplayError(Exception):
    """A recording that cannot be replayed: names the file, the line and the reason."""

    def __init__(self, file: str, line: int, reason: str) -> None:
        where = f"{file}, line {line}" if line else file
        super().__init__(f"{where}: {reason}")


@dataclass(frozen=True, slots=True)
class RecordedEvent:
    """One line of a recording."""

    tenant: str
    time: float
    body: dict[str, Any]


def read_recording(path: Path) -> Iterator[RecordedEvent]:
    """The recording's events in file order; a bad line raises ReplayError naming it."""
    try:
        file = path.open(encoding="utf-8")
    except OSError as exc:
        raise ReplayError(str(path), 0, f"cannot read the file: {exc.strerror}") from exc
    with file:
        for number, line in enumerate(file, 1):
            if line.strip():
                yield _parse_line(str(path), number, line)


def _parse_line(file: str, number: int, line: str) -> RecordedEvent:
    try:
        data = json.loads(line)
    except ValueError as exc:
        raise ReplayError(file, number, f"not valid JSON: {exc}") from exc
    if not isinstance(data, dict):
        raise ReplayError(file, number, "expected a JSON object with Tenant, Time and Body")
    unknown = sorted(set(data) - {"Tenant", "Time", "Body"})
    if unknown:
        raise ReplayError(file, number, f"{unknown[0]}: unknown key")
    tenant, at, body = data.get("Tenant"), data.get("Time"), data.get("Body")
    if not isinstance(tenant, str) or not tenant:
        raise ReplayError(file, number, "Tenant: required, a non-empty string")
    if isinstance(at, bool) or not isinstance(at, int | float) or not math.isfinite(at):
        raise ReplayError(file, number, "Time: required, a finite number of Unix seconds")
    if not isinstance(body, dict) or not isinstance(body.get("Event"), str):
        raise ReplayError(file, number, "Body: required, an event map with its Event name")
    return RecordedEvent(tenant, float(at), body)


def recording_tenants(path: Path) -> tuple[list[str], float | None]:
    """Check the whole recording; its tenants in order of appearance, and its first time."""
    tenants: dict[str, None] = {}
    first: float | None = None
    for event in read_recording(path):
        tenants.setdefault(event.tenant)
        first = event.time if first is None else first
    return list(tenants), first


def tenant_events(path: Path, tenant: str) -> Iterator[TimedEvent]:
    """One tenant's events as `(time, body)`, each body stamped with its recorded time."""
    for event in read_recording(path):
        if event.tenant == tenant:
            yield event.time, {**event.body, "Time": event.time}


class Replay:
    """Feeds a recording to the ingest port at `host:port`, one dialer connection per tenant.

    The whole file is checked when the Replay is made (ReplayError names a bad line). With one
    tenant the connection's DialerName is `dialer_name`; with several, `dialer_name-tenant`.
    """

    def __init__(
        self,
        path: Path,
        host: str,
        port: int,
        *,
        speed: float = 0.0,
        dialer_name: str = "replay",
        token: str | None = None,
    ) -> None:
        tenants, first = recording_tenants(path)
        self.path = path
        self.dialers = [
            FakeDialer(
                host,
                port,
                tenant_events(path, tenant),
                dialer_name=dialer_name if len(tenants) == 1 else f"{dialer_name}-{tenant}",
                tenant=tenant,
                token=token,
                speed=speed,
                origin_time=first,
            )
            for tenant in tenants
        ]

    def progress(self) -> Progress:
        """The dialers' counters added up (connected: every one of them)."""
        parts = [dialer.progress() for dialer in self.dialers]
        return Progress(
            queued=sum(p.queued for p in parts),
            acked=sum(p.acked for p in parts),
            refused=sum(p.refused for p in parts),
            connects=sum(p.connects for p in parts),
            connected=all(p.connected for p in parts),
        )

    async def run(self, *, task_status: trio.TaskStatus[None] = trio.TASK_STATUS_IGNORED) -> None:
        """Send everything; returns once every event is acknowledged."""
        refusal: list[DialerRefused] = []
        async with trio.open_nursery() as nursery:
            for dialer in self.dialers:
                nursery.start_soon(_run_dialer, dialer, refusal, nursery.cancel_scope)
            task_status.started()
        if refusal:
            raise refusal[0]


async def _run_dialer(
    dialer: FakeDialer, refusal: list[DialerRefused], scope: trio.CancelScope
) -> None:
    try:
        await dialer.run()
    except DialerRefused as exc:
        refusal.append(exc)
        scope.cancel()
