"""Statistic validity (DOMAIN.md §7) on trio's MockClock: grace, invalid, valid, values kept."""

from __future__ import annotations

import trio
import trio.testing
from server_support import T0, rig, settings

from protocol import (
    EventInfo,
    EventStatisticInvalid,
    EventStatisticOpened,
    EventStatisticValid,
    Notification,
    RequestOpenStatistic,
    RequestSuspendNotification,
    StatisticMetric,
    StatisticObject,
    decode,
)
from statsrv.paths import bundled_config_dir
from statsrv.server.validity import FEED_LOST

GRACE = 5.0  # the bundled default
SPRING = StatisticObject(object_id="Spring2027", object_type="Campaign")
DIALS = StatisticMetric(statistic_type="DialsMade")


async def open_dials(client, ref: int, *, tenant_object=SPRING, mode: str = "Immediate") -> None:
    await client.send(
        RequestOpenStatistic(
            reference_id=ref,
            statistic_object=tenant_object,
            statistic_metric=DIALS,
            notification=Notification(mode=mode),
        )
    )


async def dial(dialer, record: int) -> None:
    await dialer.event(
        "DialResult",
        "Spring2027",
        T0,
        CallingList="LeadsEast",
        RecordId=record,
        ChainId=record,
        CallResult=33,
    )


async def pending(peer) -> list:
    """Everything that has arrived once all tasks are blocked (the clock moves 1 ms per read)."""
    await trio.testing.wait_all_tasks_blocked()
    out = list(peer.backlog)
    peer.backlog = []
    while True:
        while (body := peer.decoder.next_frame()) is not None:
            out.append(decode(body))
        with trio.move_on_after(0.001):
            data = await peer.stream.receive_some(65536)
            if not data:
                return out
            peer.decoder.feed(data)
            continue
        return out


def kinds(messages) -> list[tuple[str, int]]:
    return [(type(m).__name__, m.statistic_id) for m in messages]


async def sleep_until(seconds_after_start: float) -> None:
    await trio.sleep_until(seconds_after_start)


async def test_loss_is_announced_once_after_the_grace_and_not_before(autojump_clock):
    async with rig() as r:
        dialer = await r.dialer()
        client = await r.client()
        await open_dials(client, 1)
        assert kinds(await pending(client)) == [
            ("EventStatisticOpened", 1),
            ("EventInfo", 1),
        ]
        await dial(dialer, 1)
        await dialer.sync()
        await dialer.stream.aclose()
        lost_at = trio.current_time()
        await trio.testing.wait_all_tasks_blocked()
        await sleep_until(lost_at + GRACE - 0.01)
        assert kinds(await pending(client)) == [("EventInfo", 1)]  # the dial, no more
        await sleep_until(lost_at + GRACE + 0.01)
        invalid = await pending(client)
        assert kinds(invalid) == [("EventStatisticInvalid", 1)]
        assert invalid[0].reason == FEED_LOST
        await sleep_until(lost_at + 10 * GRACE)
        assert await pending(client) == []


async def test_at_start_the_feed_counts_as_lost_since_the_server_started(autojump_clock):
    async with rig() as r:
        client = await r.client()
        await sleep_until(1.0)
        await open_dials(client, 1)
        assert kinds(await pending(client)) == [
            ("EventStatisticOpened", 1),
            ("EventInfo", 1),
        ]
        await sleep_until(GRACE - 0.01)
        assert await pending(client) == []
        await sleep_until(GRACE + 0.01)
        assert kinds(await pending(client)) == [("EventStatisticInvalid", 1)]


async def test_feed_back_sends_valid_then_the_kept_value(autojump_clock):
    async with rig() as r:
        dialer = await r.dialer("d1")
        client = await r.client()
        await open_dials(client, 1)
        for record in range(3):
            await dial(dialer, record)
        await dialer.sync()
        await dialer.stream.aclose()
        await sleep_until(trio.current_time() + GRACE + 1)
        before = await pending(client)
        assert isinstance(before[-1], EventStatisticInvalid)
        again = await r.dialer("d1")
        messages = await pending(client)
        assert kinds(messages) == [("EventStatisticValid", 1), ("EventInfo", 1)]
        assert messages[1].value == 3  # kept, not zeroed
        await dial(again, 10)
        await again.sync()
        assert (await client.expect(EventInfo, statistic_id=1)).value == 4


async def test_statistic_opened_while_the_feed_is_lost_is_invalid_right_after_opened(
    autojump_clock,
):
    async with rig() as r:
        client = await r.client()
        await open_dials(client, 1)
        await sleep_until(GRACE + 1)
        await pending(client)
        await open_dials(client, 2)
        assert kinds(await pending(client)) == [
            ("EventStatisticOpened", 2),
            ("EventStatisticInvalid", 2),
            ("EventInfo", 2),
        ]


async def test_first_statistic_of_a_tenant_opened_past_the_grace_is_invalid_once(autojump_clock):
    async with rig() as r:
        client = await r.client()
        await sleep_until(GRACE * 3)
        await open_dials(client, 1)
        assert kinds(await pending(client)) == [
            ("EventStatisticOpened", 1),
            ("EventStatisticInvalid", 1),
            ("EventInfo", 1),
        ]
        await sleep_until(GRACE * 6)
        assert await pending(client) == []


async def test_outage_shorter_than_the_grace_sends_nothing(autojump_clock):
    async with rig() as r:
        dialer = await r.dialer("d1")
        client = await r.client()
        await open_dials(client, 1)
        await pending(client)
        await dialer.stream.aclose()
        await sleep_until(trio.current_time() + GRACE - 1)
        await r.dialer("d1")
        await sleep_until(trio.current_time() + 10 * GRACE)
        assert await pending(client) == []


async def test_one_of_two_connections_of_a_tenant_keeps_it_valid(autojump_clock):
    async with rig() as r:
        first = await r.dialer("d1")
        await r.dialer("d2")
        client = await r.client()
        await open_dials(client, 1)
        await pending(client)
        await first.stream.aclose()
        await sleep_until(trio.current_time() + 10 * GRACE)
        assert await pending(client) == []


async def test_valid_again_sends_values_only_to_statistics_that_push_them(autojump_clock):
    async with rig() as r:
        client = await r.client()
        await open_dials(client, 1, mode="Periodical")
        await open_dials(client, 2, mode="NoNotification")
        await open_dials(client, 3)
        await client.send(RequestSuspendNotification(reference_id=9, statistic_id=3))
        await sleep_until(GRACE + 1)
        invalid = [m for m in await pending(client) if type(m) is EventStatisticInvalid]
        assert sorted(m.statistic_id for m in invalid) == [1, 2, 3]
        await r.dialer()
        messages = await pending(client)
        assert sorted(kinds(messages)) == [
            ("EventInfo", 1),
            ("EventStatisticValid", 1),
            ("EventStatisticValid", 2),
            ("EventStatisticValid", 3),
        ]
        assert kinds(messages).index(("EventStatisticValid", 1)) < kinds(messages).index(
            ("EventInfo", 1)
        )


async def test_only_the_tenant_without_a_feed_turns_invalid(autojump_clock, tmp_path):
    objects = tmp_path / "objects.toml"
    objects.write_text(
        "[tenants.Environment.campaigns.Spring2027]\n"
        'groups = ["Sales"]\ncalling_lists = ["LeadsEast"]\n'
        "[tenants.Other.campaigns.Spring2027]\n"
        'groups = ["Sales"]\ncalling_lists = ["LeadsEast"]\n',
        encoding="utf-8",
    )
    statistics = str(bundled_config_dir() / "statistics.toml")
    config = settings(files={"objects": str(objects), "statistics": statistics})
    other = StatisticObject(object_id="Spring2027", object_type="Campaign", tenant_name="Other")
    async with rig(config) as r:
        await r.dialer("env", tenant="Environment")
        client = await r.client()
        await open_dials(client, 1)
        await open_dials(client, 2, tenant_object=other)
        await sleep_until(GRACE + 1)
        messages = await pending(client)
        assert [m.statistic_id for m in messages if type(m) is EventStatisticInvalid] == [2]
        assert not [m for m in messages if type(m) is EventStatisticValid]
        assert {type(m) for m in messages} <= {
            EventStatisticOpened,
            EventInfo,
            EventStatisticInvalid,
        }
