"""The async client against a real in-process server: every request and what it changes."""

from __future__ import annotations

import pytest
import trio

from protocol import EventPong, EventStatisticProfile, Notification, StatisticMetricEx
from statsrv.client import Invalid, connect
from statsrv.testing import open_fake_dialer


async def load_and_dial(dialer, *results: int) -> None:
    """Load Spring2027 on Sales and send one DialResult per call result."""
    await dialer.send("GroupLoaded", "Spring2027", Group="Sales")
    for n, result in enumerate(results, 1):
        await dialer.send(
            "DialResult",
            "Spring2027",
            Group="Sales",
            CallingList="LeadsEast",
            RecordId=n,
            ChainId=n,
            CallResult=result,
        )
    await dialer.sync()


async def test_registration_reports_the_server(statsrv_client):
    registration = statsrv_client.registration
    assert registration.server_name == "statsrv"
    assert registration.protocol_version == 1
    assert registration.server_mode == "Primary"
    assert statsrv_client.connected


async def test_open_yields_the_initial_value_then_each_change(statsrv_client, fake_dialer):
    dials = await statsrv_client.open_statistic("Campaign:Spring2027", "DialsMade", tag=7)
    assert (dials.statistic_id, dials.tag) == (1, 7)
    values = aiter(dials)
    assert await anext(values) == 0
    await load_and_dial(fake_dialer, 33, 7)
    seen = [await anext(values)]
    while seen[-1] != 2:
        seen.append(await anext(values))
    assert seen == sorted(seen)
    assert dials.value == 2 and dials.valid and dials.has_value


async def test_open_with_an_inline_definition_and_a_profile(statsrv_client, fake_dialer):
    metric = StatisticMetricEx(
        category="RelativeNumberPercentage",
        subject="CampaignAction",
        main_mask=("DialAnswer",),
        rel_mask=("DialMade",),
    )
    rate = await statsrv_client.open_statistic(
        "CampaignGroup:Spring2027@Sales", metric, profile="LastHour"
    )
    assert rate.metric.time_profile == "LastHour"
    await load_and_dial(fake_dialer, 33, 7, 7, 33)
    assert await rate.wait_for(lambda value: value == 50.0) == 50.0


async def test_get_and_get_ex_leave_nothing_open(statsrv_client, fake_dialer):
    await load_and_dial(fake_dialer, 33, 6, 33)
    assert await statsrv_client.get("Campaign:Spring2027", "Answers") == 2
    inline = StatisticMetricEx(
        category="TotalNumber", subject="CampaignAction", main_mask=("DialBusy",)
    )
    assert await statsrv_client.get("CallingList:LeadsEast", inline, tag=3) == 1
    assert statsrv_client.statistics == {}


async def test_peek_answers_a_statistic_without_notification(statsrv_client, fake_dialer):
    quiet = await statsrv_client.open_statistic(
        "Campaign:Spring2027", "DialsMade", notification="NoNotification"
    )
    await load_and_dial(fake_dialer, 7, 7, 7)
    assert await quiet.peek() == 3
    assert quiet.value == 3
    assert len(quiet._buffer) == 0, "a peek answer is not a pushed value"


async def test_close_ends_the_value_stream(statsrv_client):
    dials = await statsrv_client.open_statistic("Campaign:Spring2027", "DialsMade")
    await dials.close()
    assert dials.closed
    assert [value async for value in dials] == [0]
    assert statsrv_client.statistics == {}


async def test_suspend_and_resume_one_statistic(statsrv_client, fake_dialer):
    dials = await statsrv_client.open_statistic("Campaign:Spring2027", "DialsMade")
    answers = await statsrv_client.open_statistic("Campaign:Spring2027", "Answers")
    await dials.suspend()
    assert dials.suspended and not answers.suspended
    await load_and_dial(fake_dialer, 33)
    await statsrv_client.ping()
    assert dials.value == 0, "a suspended statistic gets no pushed value"
    assert answers.value == 1
    await dials.resume()
    assert await dials.wait_for(lambda value: value == 1) == 1


async def test_suspend_and_resume_all(statsrv_client, fake_dialer):
    stats = [
        await statsrv_client.open_statistic("Campaign:Spring2027", name)
        for name in ("DialsMade", "NoAnswer")
    ]
    await statsrv_client.suspend()
    assert all(stat.suspended for stat in stats)
    await load_and_dial(fake_dialer, 7)
    await statsrv_client.ping()
    assert [stat.value for stat in stats] == [0, 0]
    await statsrv_client.resume()
    assert [await stat.wait_for(lambda value: value == 1) for stat in stats] == [1, 1]
    assert not any(stat.suspended for stat in stats)


async def test_profile_lists_what_the_server_offers(statsrv_client):
    profile = await statsrv_client.profile()
    assert isinstance(profile, EventStatisticProfile)
    assert "DialsMade" in profile.statistic_types
    assert "LastHour" in profile.time_profiles
    assert "CampaignGroup" in profile.object_types


async def test_ping_and_explicit_reference_ids(statsrv_client):
    pong = await statsrv_client.ping(reference_id=4242)
    assert isinstance(pong, EventPong) and pong.reference_id == 4242
    stat = await statsrv_client.open_statistic("Campaign:Spring2027", "DialsMade", reference_id=900)
    assert stat.statistic_id == 900
    auto = await statsrv_client.open_statistic("Campaign:Spring2027", "DialsMade")
    assert auto.statistic_id not in (900, 4242)


async def test_periodical_notification_is_passed_on(statsrv_client):
    stat = await statsrv_client.open_statistic(
        "CampaignGroup:Spring2027@Sales",
        "WaitingForAgentsNow",
        notification=Notification(mode="Periodical", frequency=1.0),
    )
    assert stat.notification.mode == "Periodical"
    assert await anext(aiter(stat)) == 0


@pytest.mark.statsrv_config(validity={"grace_seconds": 0.05})
async def test_validity_follows_the_dialer_feed(statsrv_server):
    async with connect(statsrv_server.host, statsrv_server.client_port) as client:
        stat = await client.open_statistic("Campaign:Spring2027", "DialsMade")
        values = aiter(stat)
        first = await anext(values)
        if not isinstance(first, Invalid):  # opened before the grace period ran out
            assert first == 0
            first = await anext(values)
        assert isinstance(first, Invalid)
        assert not stat.valid and stat.invalid_reason == first.reason
        async with open_fake_dialer(statsrv_server.host, statsrv_server.ingest_port) as dialer:
            await dialer.sync()
            assert await anext(values) == 0
            assert stat.valid


async def test_the_listener_sees_every_pushed_value(statsrv_client, fake_dialer):
    seen: list[tuple[int, object]] = []
    remove = statsrv_client.add_listener(
        lambda stat, value: seen.append((stat.statistic_id, value))
    )
    dials = await statsrv_client.open_statistic("Campaign:Spring2027", "DialsMade")
    await load_and_dial(fake_dialer, 7)
    await dials.wait_for(lambda value: value == 1)
    remove()
    assert seen[0] == (dials.statistic_id, 0) and seen[-1] == (dials.statistic_id, 1)


async def test_requests_from_many_tasks_get_their_own_answers(statsrv_client, fake_dialer):
    await load_and_dial(fake_dialer, 33, 7, 6)
    answers: dict[str, object] = {}

    async def get(name: str) -> None:
        answers[name] = await statsrv_client.get("Campaign:Spring2027", name)

    async with trio.open_nursery() as nursery:
        for name in ("DialsMade", "Answers", "NoAnswer", "Busy", "AnswerRate"):
            nursery.start_soon(get, name)
    assert answers == {
        "DialsMade": 3,
        "Answers": 1,
        "NoAnswer": 1,
        "Busy": 1,
        "AnswerRate": pytest.approx(100 / 3),
    }
