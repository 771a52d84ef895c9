"""Every client request and its answer, over the real session and hub (memory streams)."""

from __future__ import annotations

import trio.testing
from server_support import T0, rig

from protocol import (
    EventClientRegistered,
    EventError,
    EventInfo,
    EventNotificationResumed,
    EventNotificationSuspended,
    EventPong,
    EventStatisticClosed,
    EventStatisticOpened,
    EventStatisticProfile,
    Notification,
    RequestCloseStatistic,
    RequestGetStatistic,
    RequestGetStatisticEx,
    RequestGetStatisticProfile,
    RequestOpenStatistic,
    RequestOpenStatisticEx,
    RequestPeekStatistic,
    RequestPing,
    RequestRegisterClient,
    RequestResumeNotification,
    RequestSuspendNotification,
    StatisticMetric,
    StatisticMetricEx,
    StatisticObject,
    encode,
)

SPRING = StatisticObject(object_id="Spring2027", object_type="Campaign")
DIALS = StatisticMetric(statistic_type="DialsMade")
NO_PUSH = Notification(mode="NoNotification")


def dial_made_ex() -> StatisticMetricEx:
    return StatisticMetricEx(
        category="TotalNumber", subject="CampaignAction", main_mask=("DialMade",)
    )


async def feed_dials(rig_, count: int, campaign: str = "Spring2027") -> None:
    dialer = await rig_.dialer()
    await dialer.event("GroupLoaded", campaign, T0, Group="Sales")
    await dialer.event("DialingStarted", campaign, T0, Group="Sales", DialMode="Predict")
    for record in range(count):
        await dialer.event(
            "DialResult",
            campaign,
            T0,
            Group="Sales",
            CallingList="LeadsEast",
            RecordId=record,
            ChainId=record,
            CallResult=33,
        )
    await dialer.sync()


async def test_registration_answers_with_server_identity():
    async with rig() as r:
        client = await r.client(register=False)
        await client.send(
            RequestRegisterClient(reference_id=5, client_name="wallboard", protocol_version=1)
        )
        answer = await client.expect(EventClientRegistered)
        assert answer.reference_id == 5
        assert answer.server_name == "statsrv"
        assert answer.protocol_version == 1
        assert answer.server_mode == "Primary"
        assert T0 <= answer.server_time < T0 + 60


async def test_open_statistic_answers_opened_then_initial_value():
    async with rig() as r:
        await feed_dials(r, 3)
        client = await r.client()
        await client.send(
            RequestOpenStatistic(
                reference_id=10, tag=77, statistic_object=SPRING, statistic_metric=DIALS
            )
        )
        opened = await client.receive()
        assert opened == EventStatisticOpened(reference_id=10, statistic_id=10, tag=77)
        info = await client.receive()
        assert isinstance(info, EventInfo)
        assert (info.statistic_id, info.tag, info.value, info.reference_id) == (10, 77, 3, None)


async def test_open_statistic_ex_pushes_each_change():
    async with rig() as r:
        client = await r.client()
        await feed_dials(r, 1)
        await client.send(
            RequestOpenStatisticEx(
                reference_id=1, statistic_object=SPRING, statistic_metric_ex=dial_made_ex()
            )
        )
        assert (await client.expect(EventInfo, statistic_id=1)).value == 1
        dialer = await r.dialer()
        await dialer.event(
            "DialResult",
            "Spring2027",
            T0,
            Group="Sales",
            CallingList="LeadsEast",
            RecordId=9,
            ChainId=9,
            CallResult=7,
        )
        await dialer.sync()
        pushed = await client.expect(EventInfo, statistic_id=1)
        assert (pushed.value, pushed.tag, pushed.reference_id) == (2, -1, None)


async def test_get_statistic_answers_once_and_keeps_nothing_open():
    async with rig() as r:
        await feed_dials(r, 2)
        client = await r.client()
        await client.send(
            RequestGetStatistic(
                reference_id=3, tag=4, statistic_object=SPRING, statistic_metric=DIALS
            )
        )
        info = await client.receive()
        assert (info.reference_id, info.statistic_id, info.tag, info.value) == (3, None, 4, 2)
        await client.send(
            RequestGetStatisticEx(
                reference_id=4, statistic_object=SPRING, statistic_metric_ex=dial_made_ex()
            )
        )
        assert (await client.receive()).value == 2
        assert r.hub.core.statistics.statistics()["subscriptions"] == 0
        await client.send(RequestPeekStatistic(reference_id=5, statistic_id=3))
        error = await client.receive()
        assert error.error_name == "UnknownStatistic"


async def test_peek_answers_current_value_with_both_ids():
    async with rig() as r:
        client = await r.client()
        await feed_dials(r, 4)
        await client.send(
            RequestOpenStatistic(
                reference_id=8,
                tag=2,
                statistic_object=SPRING,
                statistic_metric=DIALS,
                notification=NO_PUSH,
            )
        )
        await client.expect(EventStatisticOpened)
        await client.send(RequestPeekStatistic(reference_id=9, statistic_id=8))
        info = await client.expect(EventInfo)
        assert (info.reference_id, info.statistic_id, info.tag, info.value) == (9, 8, 2, 4)


async def test_close_statistic_answers_and_stops_values():
    async with rig() as r:
        client = await r.client()
        await client.send(
            RequestOpenStatistic(
                reference_id=1, tag=6, statistic_object=SPRING, statistic_metric=DIALS
            )
        )
        await client.expect(EventInfo, statistic_id=1)
        await client.send(RequestCloseStatistic(reference_id=2, statistic_id=1))
        closed = await client.expect(EventStatisticClosed)
        assert closed == EventStatisticClosed(reference_id=2, statistic_id=1, tag=6)
        await feed_dials(r, 2)
        assert [m for m in await client.nothing_pending() if isinstance(m, EventInfo)] == []
        assert r.hub.core.statistics.statistics()["subscriptions"] == 0


async def test_suspend_one_then_resume_sends_current_value():
    async with rig() as r:
        client = await r.client()
        await client.send(
            RequestOpenStatistic(reference_id=1, statistic_object=SPRING, statistic_metric=DIALS)
        )
        await client.expect(EventStatisticOpened, reference_id=1)
        await client.expect(EventInfo, statistic_id=1)
        await client.send(RequestSuspendNotification(reference_id=2, statistic_id=1))
        assert await client.receive() == EventNotificationSuspended(reference_id=2, statistic_id=1)
        await feed_dials(r, 3)
        assert [m for m in await client.nothing_pending() if isinstance(m, EventInfo)] == []
        await client.send(RequestResumeNotification(reference_id=3, statistic_id=1))
        assert await client.receive() == EventNotificationResumed(reference_id=3, statistic_id=1)
        assert (await client.receive()).value == 3


async def test_suspend_all_and_resume_all():
    async with rig() as r:
        client = await r.client()
        for ref in (1, 2):
            await client.send(
                RequestOpenStatistic(
                    reference_id=ref, statistic_object=SPRING, statistic_metric=DIALS
                )
            )
            await client.expect(EventStatisticOpened, reference_id=ref)
            await client.expect(EventInfo, statistic_id=ref)
        await client.send(RequestSuspendNotification(reference_id=3))
        assert await client.receive() == EventNotificationSuspended(reference_id=3)
        await feed_dials(r, 1)
        await client.send(RequestResumeNotification(reference_id=4))
        assert await client.receive() == EventNotificationResumed(reference_id=4)
        values = {(await client.receive()).statistic_id for _ in range(2)}
        assert values == {1, 2}


async def test_profile_lists_types_profiles_categories_and_actions():
    async with rig() as r:
        client = await r.client()
        await client.send(RequestGetStatisticProfile(reference_id=11))
        profile = await client.receive()
        assert isinstance(profile, EventStatisticProfile)
        assert profile.reference_id == 11
        assert "DialsMade" in profile.statistic_types
        assert "Default" in profile.time_profiles
        assert "CampaignGroup" in profile.object_types
        assert "RelativeNumberPercentage" in profile.categories
        assert "DialNUTone" in profile.actions and "LeadNuTone" in profile.actions


async def test_ping_answers_pong_with_server_time():
    async with rig() as r:
        client = await r.client()
        await client.send(RequestPing(reference_id=42))
        pong = await client.receive()
        assert pong.reference_id == 42 and T0 <= pong.server_time < T0 + 60


async def test_pipelined_ten_thousand_opens_are_answered_in_order():
    async with rig() as r:
        client = await r.client()
        count = 10_000
        batch = b"".join(
            encode(
                RequestOpenStatistic(
                    reference_id=ref,
                    statistic_object=SPRING,
                    statistic_metric=DIALS,
                    notification=NO_PUSH,
                )
            )
            for ref in range(1, count + 1)
        )
        await client.send_raw(batch)
        answers = [await client.receive() for _ in range(count)]
        assert [a.reference_id for a in answers] == list(range(1, count + 1))
        assert all(isinstance(a, EventStatisticOpened) for a in answers)


async def test_closing_the_socket_releases_every_statistic():
    async with rig() as r:
        client = await r.client()
        for ref in range(1, 6):
            await client.send(
                RequestOpenStatistic(
                    reference_id=ref, statistic_object=SPRING, statistic_metric=DIALS
                )
            )
        await client.expect(EventStatisticOpened, reference_id=5)
        assert r.hub.core.statistics.statistics()["subscriptions"] == 5
        await client.stream.aclose()
        await trio.testing.wait_all_tasks_blocked()
        assert r.hub.core.statistics.statistics()["subscriptions"] == 0
        assert r.hub.clients == set()


async def test_errors_answer_with_reference_id_and_keep_the_connection():
    async with rig() as r:
        client = await r.client()
        await client.send(RequestPeekStatistic(reference_id=7, statistic_id=99))
        error = await client.receive()
        assert isinstance(error, EventError)
        assert (error.reference_id, error.error_code, error.error_name) == (
            7,
            17,
            "UnknownStatistic",
        )
        assert "StatisticId" in error.description
        await client.send(RequestPing(reference_id=8))
        assert isinstance(await client.receive(), EventPong)
