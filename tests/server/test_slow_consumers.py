"""Slow consumers are cut off; nobody else is slowed; the engine never waits for a client."""

from __future__ import annotations

import trio
import trio.testing
from server_support import T0, rig, settings
from structlog.testing import capture_logs

from protocol import (
    EventError,
    EventInfo,
    EventStatisticOpened,
    RequestOpenStatistic,
    StatisticMetric,
    StatisticObject,
)

SPRING = StatisticObject(object_id="Spring2027", object_type="Campaign")
DIALS = StatisticMetric(statistic_type="DialsMade")


async def open_dials(client, ref: int, *, read: bool = True) -> None:
    await client.send(
        RequestOpenStatistic(reference_id=ref, statistic_object=SPRING, statistic_metric=DIALS)
    )
    if read:
        await client.expect(EventStatisticOpened, reference_id=ref)
        await client.expect(EventInfo, statistic_id=ref)


async def test_client_that_never_reads_is_cut_off_and_the_other_gets_every_value(autojump_clock):
    config = settings(limits={"slow_consumer_grace_seconds": 2.0})
    async with rig(config) as r:
        stuck = await r.client(lockstep=True, name="stuck")
        healthy = await r.client(name="healthy")
        await open_dials(stuck, 1, read=False)
        await open_dials(healthy, 1)
        dialer = await r.dialer()
        seen = []
        with capture_logs() as logs:
            for record in range(1, 41):
                await dialer.event(
                    "DialResult",
                    "Spring2027",
                    T0,
                    CallingList="LeadsEast",
                    RecordId=record,
                    ChainId=record,
                    CallResult=9,
                )
                seen.append((await healthy.expect(EventInfo, statistic_id=1)).value)
            await trio.sleep(5)  # the autojump clock passes the grace period at once
        assert seen == list(range(1, 41))
        assert {c.client_name for c in r.hub.clients} == {"healthy"}
        slow = [entry for entry in logs if entry["event"] == "slow_consumer"]
        assert len(slow) == 1
        assert slow[0]["behind_seconds"] >= 0 and "pending_bytes" in slow[0]


async def test_burst_past_the_byte_bound_gets_slow_consumer_error_then_close():
    config = settings(limits={"max_pending_output_bytes": 4096})
    async with rig(config) as r:
        greedy = await r.client(name="greedy")
        modest = await r.client(name="modest")
        for ref in range(1, 121):
            await open_dials(greedy, ref)
        await open_dials(modest, 1)
        dialer = await r.dialer()
        await dialer.event(
            "DialResult",
            "Spring2027",
            T0,
            CallingList="LeadsEast",
            RecordId=1,
            ChainId=1,
            CallResult=33,
        )
        messages = await greedy.all_until_closed()
        assert len(messages) == 1 and isinstance(messages[0], EventError)
        assert (messages[0].error_code, messages[0].error_name) == (19, "SlowConsumer")
        assert (await modest.expect(EventInfo, statistic_id=1)).value == 1
        await trio.testing.wait_all_tasks_blocked()
        assert {c.client_name for c in r.hub.clients} == {"modest"}
