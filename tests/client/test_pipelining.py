"""Pipelined requests: a thousand opens from one client at once, each answered to its task."""

from __future__ import annotations

import trio

OPENS = 1000


async def test_a_thousand_concurrent_opens(statsrv_client, fake_dialer):
    names = ("DialsMade", "Answers", "NoAnswer", "Busy")
    opened = []

    async def open_one(n: int) -> None:
        stat = await statsrv_client.open_statistic(
            "Campaign:Spring2027", names[n % len(names)], tag=n
        )
        opened.append(stat)

    async with trio.open_nursery() as nursery:
        for n in range(OPENS):
            nursery.start_soon(open_one, n)

    assert len({stat.statistic_id for stat in opened}) == OPENS
    assert sorted(stat.tag for stat in opened) == list(range(OPENS))
    assert set(statsrv_client.statistics) == {stat.statistic_id for stat in opened}
    assert all(stat.has_value and stat.value == 0 for stat in opened)

    await fake_dialer.send("GroupLoaded", "Spring2027", Group="Sales")
    await fake_dialer.send(
        "DialResult",
        "Spring2027",
        Group="Sales",
        CallingList="LeadsEast",
        RecordId=1,
        ChainId=1,
        CallResult=33,
    )
    await fake_dialer.sync()
    await statsrv_client.ping()  # every value pushed before the pong has arrived
    by_name = {
        name: {stat.value for stat in opened if stat.metric.statistic_type == name}
        for name in names
    }
    assert by_name == {"DialsMade": {1}, "Answers": {1}, "NoAnswer": {0}, "Busy": {0}}
