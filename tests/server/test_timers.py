"""The timer task: Periodical ticks and Growing resets reach clients on the server's clock."""

from __future__ import annotations

import trio
from server_support import T0, rig

from protocol import (
    EventInfo,
    EventStatisticOpened,
    Notification,
    RequestOpenStatistic,
    StatisticMetric,
    StatisticObject,
)

SPRING = StatisticObject(object_id="Spring2027", object_type="Campaign")
DIALS = StatisticMetric(statistic_type="DialsMade")
SECONDS_TO_MIDNIGHT = 12 * 3600  # T0 is noon UTC; the rig's zone is UTC


async def dial(dialer, record: int, at: float) -> None:
    await dialer.event(
        "DialResult",
        "Spring2027",
        at,
        CallingList="LeadsEast",
        RecordId=record,
        ChainId=record,
        CallResult=33,
    )


async def test_periodical_sends_changed_values_every_frequency_seconds(autojump_clock):
    async with rig() as r:
        dialer = await r.dialer()
        client = await r.client()
        await client.send(
            RequestOpenStatistic(
                reference_id=1,
                statistic_object=SPRING,
                statistic_metric=DIALS,
                notification=Notification(mode="Periodical", frequency=5.0),
            )
        )
        await client.expect(EventStatisticOpened)
        assert (await client.expect(EventInfo)).value == 0
        opened_at = r.now()
        await dial(dialer, 1, r.now())
        await dial(dialer, 2, r.now())
        await dialer.sync()
        tick = await client.expect(EventInfo)
        assert tick.value == 2
        assert 5.0 <= r.now() - opened_at <= 5.5
        await trio.sleep(30)  # nothing changed: no more ticks
        assert [m for m in await client.nothing_pending() if isinstance(m, EventInfo)] == []


async def test_growing_reset_reaches_reset_and_immediate_subscribers(autojump_clock):
    async with rig() as r:
        dialer = await r.dialer()
        for record in range(3):
            await dial(dialer, record, T0)
        await dialer.sync()
        client = await r.client()
        await client.send(
            RequestOpenStatistic(
                reference_id=1,
                statistic_object=SPRING,
                statistic_metric=DIALS,
                notification=Notification(mode="Reset"),
            )
        )
        await client.send(
            RequestOpenStatistic(reference_id=2, statistic_object=SPRING, statistic_metric=DIALS)
        )
        await client.expect(EventStatisticOpened, reference_id=2)
        assert (await client.expect(EventInfo, statistic_id=2)).value == 3
        final = await client.expect(EventInfo, statistic_id=1)
        assert final.value == 3
        assert abs(r.now() - (T0 + SECONDS_TO_MIDNIGHT)) < 1.0
        assert (await client.expect(EventInfo, statistic_id=2)).value == 0
