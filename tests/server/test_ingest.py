"""The dialer ingest protocol: hello, Seq rules, refusals that keep the stream, acks."""

from __future__ import annotations

import struct

import msgpack
from server_support import T0, rig, settings

from protocol import CampaignEvent as WireEvent
from protocol import (
    DialerAck,
    DialerHello,
    DialerSync,
    DialerWelcome,
    EventBatch,
    EventError,
    EventInfo,
    RequestOpenStatistic,
    StatisticMetric,
    StatisticObject,
)
from statsrv.settings import hash_token

SPRING = StatisticObject(object_id="Spring2027", object_type="Campaign")


def dial(record: int, result: int = 33) -> dict:
    return {
        "Event": "DialResult",
        "Time": T0,
        "Campaign": "Spring2027",
        "Group": "Sales",
        "CallingList": "LeadsEast",
        "RecordId": record,
        "ChainId": record,
        "CallResult": result,
    }


async def dials_made(r) -> int:
    client = await r.client()
    await client.send(
        RequestOpenStatistic(
            reference_id=1,
            statistic_object=SPRING,
            statistic_metric=StatisticMetric(statistic_type="DialsMade"),
        )
    )
    return (await client.expect(EventInfo, statistic_id=1)).value


async def test_welcome_carries_last_seq_per_dialer_name():
    async with rig() as r:
        dialer = await r.dialer("d1")
        assert dialer.seq == 0
        for record in range(3):
            await dialer.event(
                "DialResult",
                "Spring2027",
                T0,
                CallingList="LeadsEast",
                RecordId=record,
                ChainId=record,
                CallResult=7,
            )
        await dialer.sync()
        again = await r.dialer("d1")
        assert again.seq == 3
        other = await r.dialer("d2")
        assert other.seq == 0


async def test_resent_events_after_reconnect_count_once():
    async with rig() as r:
        first = await r.dialer("d1")
        for record in range(5):
            await first.send(WireEvent(seq=record + 1, body=dial(record)))
        await first.sync()
        second = await r.dialer("d1")
        assert second.seq == 5
        for record in range(7):  # a dialer unsure of what landed resends everything
            await second.send(WireEvent(seq=record + 1, body=dial(record)))
        second.seq = 7
        await second.sync()
        assert await dials_made(r) == 7


async def test_a_gap_is_refused_naming_the_expected_seq_and_uses_nothing():
    async with rig() as r:
        dialer = await r.dialer()
        await dialer.send(WireEvent(seq=1, body=dial(1)))
        await dialer.send(WireEvent(seq=5, body=dial(5)))
        error = await dialer.expect(EventError)
        assert (error.error_code, error.error_name, error.seq) == (24, "InvalidEvent", 5)
        assert "expected 2" in error.description
        await dialer.send(WireEvent(seq=2, body=dial(2)))
        await dialer.send(DialerSync(seq=2))
        assert await dialer.expect(DialerAck) == DialerAck(seq=2)


async def test_bad_event_is_refused_uses_its_seq_and_the_stream_goes_on():
    async with rig() as r:
        dialer = await r.dialer()
        await dialer.event("DialingStarted", "Spring2027", T0, Group="Ghost", DialMode="Predict")
        error = await dialer.expect(EventError)
        assert (error.error_name, error.seq) == ("InvalidEvent", 1)
        bad_field = dict(dial(1), CallResult="thirty-three")
        await dialer.send(WireEvent(seq=2, body=bad_field))
        error = await dialer.expect(EventError)
        assert error.seq == 2 and "CallResult" in error.description
        dialer.seq = 2
        await dialer.event(
            "DialResult",
            "Spring2027",
            T0,
            CallingList="LeadsEast",
            RecordId=1,
            ChainId=1,
            CallResult=33,
        )
        assert (await dialer.sync()).seq == 3
        assert await dials_made(r) == 1


async def test_event_without_seq_in_a_batch_spoils_only_itself():
    async with rig() as r:
        dialer = await r.dialer()
        raw = {
            "Message": "EventBatch",
            "Events": [
                dict(dial(1), Seq=1),
                {"Event": "DialResult"},
                dict(dial(2), Seq=2, Message="CampaignEvent"),
            ],
        }
        body = msgpack.packb(raw)
        await dialer.send_raw(struct.pack(">I", len(body)) + body)
        error = await dialer.expect(EventError)
        assert error.error_name == "InvalidEvent" and "Seq" in error.description
        dialer.seq = 2
        await dialer.sync()
        assert await dials_made(r) == 2


async def test_batch_of_events_is_applied_in_order():
    async with rig() as r:
        dialer = await r.dialer()
        events = tuple(WireEvent(seq=n + 1, body=dial(n)) for n in range(50))
        await dialer.send(EventBatch(events=events))
        dialer.seq = 50
        await dialer.sync()
        assert await dials_made(r) == 50


async def test_server_acks_on_its_own_after_events(autojump_clock):
    async with rig() as r:
        dialer = await r.dialer()
        await dialer.event("GroupLoaded", "Spring2027", T0, Group="Sales")
        await dialer.event("GroupLoaded", "Spring2027", T0, Group="Retention")
        ack = await dialer.expect(DialerAck)
        assert ack.seq == 2
        assert r.now() - T0 <= 1.0


async def test_sync_answers_the_smaller_of_asked_and_used_up():
    async with rig() as r:
        dialer = await r.dialer()
        await dialer.event("GroupLoaded", "Spring2027", T0, Group="Sales")
        await dialer.send(DialerSync(seq=10))
        assert await dialer.expect(DialerAck) == DialerAck(seq=1)


async def test_event_far_in_the_future_is_refused():
    async with rig() as r:
        dialer = await r.dialer()
        await dialer.event("GroupLoaded", "Spring2027", T0 + 3600, Group="Sales")
        error = await dialer.expect(EventError)
        assert error.error_name == "InvalidEvent" and "Time" in error.description


async def test_anything_before_hello_is_not_registered():
    async with rig() as r:
        dialer = await r.dialer(hello=False)
        await dialer.send(DialerSync(seq=1))
        error = await dialer.receive()
        assert (error.error_code, error.error_name) == (5, "NotRegistered")
        await dialer.hello()


async def test_unsupported_version_and_wrong_token_close():
    config = settings(auth={"dialer_token_sha256": (hash_token("dial-secret"),)})
    async with rig(config) as r:
        dialer = await r.dialer(hello=False)
        await dialer.send(
            DialerHello(
                dialer_name="d", protocol_version=7, tenant="Environment", token="dial-secret"
            )
        )
        assert [m.error_name for m in await dialer.all_until_closed()] == [
            "UnsupportedProtocolVersion"
        ]
        dialer = await r.dialer(hello=False)
        await dialer.send(
            DialerHello(dialer_name="d", protocol_version=1, tenant="Environment", token="nope")
        )
        assert [m.error_name for m in await dialer.all_until_closed()] == ["AuthenticationFailed"]
        dialer = await r.dialer(hello=False)
        await dialer.send(
            DialerHello(
                dialer_name="d", protocol_version=1, tenant="Environment", token="dial-secret"
            )
        )
        assert isinstance(await dialer.receive(), DialerWelcome)


async def test_a_reconnecting_dialer_closes_its_predecessor():
    async with rig() as r:
        old = await r.dialer("d1")
        new = await r.dialer("d1")
        assert await old.all_until_closed() == []
        await new.event("GroupLoaded", "Spring2027", T0, Group="Sales")
        assert (await new.sync()).seq == 1


async def test_malformed_and_oversize_frames_from_a_dialer():
    async with rig(settings(server={"max_frame_bytes": 1024})) as r:
        dialer = await r.dialer()
        await dialer.send_raw(b"\x00\x00\x00\x03abc")
        assert [m.error_name for m in await dialer.all_until_closed()] == ["InvalidFrame"]
        dialer = await r.dialer()
        await dialer.send_raw(struct.pack(">I", 5000))
        assert [m.error_name for m in await dialer.all_until_closed()] == ["FrameTooLarge"]


async def test_event_of_another_tenant_is_refused():
    async with rig() as r:
        dialer = await r.dialer(tenant="Environment")
        await dialer.event("GroupLoaded", "Spring2027", T0, Group="Sales", Tenant="Acme")
        error = await dialer.expect(EventError)
        assert (error.error_name, error.seq) == ("InvalidEvent", 1)
        assert "Tenant" in error.description
        assert not r.hub.core.domain.tenant_exists("Acme")
