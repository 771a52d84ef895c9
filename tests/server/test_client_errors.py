"""Every error a client can trigger, and whether the connection stays or closes."""

from __future__ import annotations

import struct

import msgpack
import pytest
from server_support import rig, settings

from protocol import (
    EventClientRegistered,
    EventError,
    EventInfo,
    EventPong,
    EventServerClosing,
    EventStatisticOpened,
    Notification,
    RequestOpenStatistic,
    RequestOpenStatisticEx,
    RequestPing,
    RequestRegisterClient,
    StatisticMetric,
    StatisticMetricEx,
    StatisticObject,
)
from statsrv.settings import hash_token

SPRING = StatisticObject(object_id="Spring2027", object_type="Campaign")
DIALS = StatisticMetric(statistic_type="DialsMade")


def frame(body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + body


async def still_alive(client) -> None:
    await client.send(RequestPing(reference_id=999))
    assert await client.expect(EventPong, reference_id=999)


async def test_request_before_registration_is_not_registered_and_keeps_connection():
    async with rig() as r:
        client = await r.client(register=False)
        await client.send(RequestPing(reference_id=1))
        error = await client.receive()
        assert (error.error_code, error.error_name, error.reference_id) == (5, "NotRegistered", 1)
        await client.send(
            RequestRegisterClient(reference_id=2, client_name="c", protocol_version=1)
        )
        assert isinstance(await client.receive(), EventClientRegistered)


async def test_second_registration_is_already_registered():
    async with rig() as r:
        client = await r.client()
        await client.send(
            RequestRegisterClient(reference_id=2, client_name="c", protocol_version=1)
        )
        error = await client.receive()
        assert (error.error_code, error.error_name) == (6, "AlreadyRegistered")
        await still_alive(client)


async def test_unsupported_protocol_version_closes():
    async with rig() as r:
        client = await r.client(register=False)
        await client.send(
            RequestRegisterClient(reference_id=1, client_name="c", protocol_version=2)
        )
        messages = await client.all_until_closed()
        assert [(m.error_code, m.error_name) for m in messages] == [
            (21, "UnsupportedProtocolVersion")
        ]


async def test_wrong_token_is_authentication_failed_and_closes():
    config = settings(auth={"client_token_sha256": (hash_token("s3cret"),)})
    async with rig(config) as r:
        client = await r.client(register=False)
        await client.send(
            RequestRegisterClient(
                reference_id=1, client_name="c", protocol_version=1, token="guess"
            )
        )
        messages = await client.all_until_closed()
        assert [(m.error_code, m.error_name) for m in messages] == [(7, "AuthenticationFailed")]
        good = await r.client(register=False)
        await good.send(
            RequestRegisterClient(
                reference_id=1, client_name="c", protocol_version=1, token="s3cret"
            )
        )
        assert isinstance(await good.receive(), EventClientRegistered)


async def test_silent_client_is_dropped_after_the_registration_timeout(autojump_clock):
    async with rig(settings(server={"registration_timeout_seconds": 3.0})) as r:
        client = await r.client(register=False)
        messages = await client.all_until_closed()
        assert len(messages) == 1 and isinstance(messages[0], EventServerClosing)
        assert "registration" in messages[0].reason


@pytest.mark.parametrize(
    ("body", "code"),
    [
        (b"\xc1\xc1 not msgpack", 1),
        (msgpack.packb([1, 2, 3]), 1),
        (msgpack.packb({1: "x"}), 1),
    ],
    ids=["not-msgpack", "not-a-map", "non-string-key"],
)
async def test_invalid_frame_is_reported_and_closes(body, code):
    async with rig() as r:
        client = await r.client()
        await client.send_raw(frame(body))
        messages = await client.all_until_closed()
        assert [(m.error_code, m.error_name) for m in messages] == [(code, "InvalidFrame")]


async def test_oversize_length_prefix_is_refused_before_the_body():
    async with rig(settings(server={"max_frame_bytes": 4096})) as r:
        client = await r.client()
        await client.send_raw(struct.pack(">I", 4097))
        messages = await client.all_until_closed()
        assert [(m.error_code, m.error_name) for m in messages] == [(2, "FrameTooLarge")]


async def test_unknown_message_keeps_the_connection():
    async with rig() as r:
        client = await r.client()
        await client.send_raw(
            frame(msgpack.packb({"Message": "RequestTeleport", "ReferenceId": 3}))
        )
        error = await client.receive()
        assert (error.error_code, error.error_name) == (3, "UnknownMessage")
        assert "RequestTeleport" in error.description
        await still_alive(client)


async def test_unknown_field_is_invalid_request_naming_it():
    async with rig() as r:
        client = await r.client()
        await client.send_raw(
            frame(msgpack.packb({"Message": "RequestPing", "ReferenceId": 3, "Colour": "blue"}))
        )
        error = await client.receive()
        assert (error.error_code, error.reference_id) == (4, 3)
        assert "Colour" in error.description
        await still_alive(client)


async def open_error(client, request) -> EventError:
    """The request's answer, which must be an error (pushed values met on the way are skipped)."""
    await client.send(request)
    while isinstance(answer := await client.receive(), EventInfo):
        pass
    assert isinstance(answer, EventError), answer
    assert answer.reference_id == request.reference_id
    return answer


def ex(category="TotalNumber", main=("DialMade",), rel=None, profile=None) -> StatisticMetricEx:
    return StatisticMetricEx(
        category=category,
        subject="CampaignAction",
        main_mask=main,
        rel_mask=rel,
        time_profile=profile,
    )


@pytest.mark.parametrize(
    ("obj", "metric", "notification", "name", "field"),
    [
        (
            StatisticObject(object_id="Spring2027", object_type="Campaing"),
            ex(),
            None,
            "UnknownObjectType",
            "ObjectType",
        ),
        (
            StatisticObject(object_id="Nope2027", object_type="Campaign"),
            ex(),
            None,
            "UnknownObject",
            "ObjectId",
        ),
        (
            StatisticObject(object_id="Spring2027", object_type="Campaign", tenant_name="Ghost"),
            ex(),
            None,
            "UnknownObject",
            "TenantName",
        ),
        (SPRING, ex(category="TotalCount"), None, "UnknownCategory", "Category"),
        (SPRING, ex(main=("DialMad",)), None, "InvalidMask", "MainMask"),
        (SPRING, ex(profile="Fortnight"), None, "UnknownTimeProfile", "TimeProfile"),
        (
            StatisticObject(object_id="Spring2027@Sales", object_type="CampaignGroup"),
            ex(main=("DialRemoteRelease",)),
            None,
            "NotApplicable",
            "MainMask",
        ),
        (
            SPRING,
            ex(),
            Notification(mode="Periodical", frequency=0.5),
            "InvalidNotification",
            "Frequency",
        ),
    ],
)
async def test_open_refusals_name_the_field(obj, metric, notification, name, field):
    async with rig() as r:
        client = await r.client()
        error = await open_error(
            client,
            RequestOpenStatisticEx(
                reference_id=1,
                statistic_object=obj,
                statistic_metric_ex=metric,
                notification=notification,
            ),
        )
        assert error.error_name == name
        assert field in error.description
        assert r.hub.core.statistics.statistics()["subscriptions"] == 0
        await still_alive(client)


async def test_unknown_statistic_type():
    async with rig() as r:
        client = await r.client()
        error = await open_error(
            client,
            RequestOpenStatistic(
                reference_id=1,
                statistic_object=SPRING,
                statistic_metric=StatisticMetric(statistic_type="Dials"),
            ),
        )
        assert (error.error_code, error.error_name) == (11, "UnknownStatisticType")
        assert "StatisticType" in error.description


async def test_duplicate_reference_id_of_an_open_statistic():
    async with rig() as r:
        client = await r.client()
        request = RequestOpenStatistic(
            reference_id=1, statistic_object=SPRING, statistic_metric=DIALS
        )
        await client.send(request)
        await client.expect(EventStatisticOpened)
        error = await open_error(client, request)
        assert (error.error_code, error.error_name) == (16, "DuplicateReferenceId")


async def test_duplicate_reference_id_comes_before_other_faults():
    async with rig() as r:
        client = await r.client()
        await client.send(
            RequestOpenStatistic(reference_id=1, statistic_object=SPRING, statistic_metric=DIALS)
        )
        await client.expect(EventStatisticOpened)
        bad = StatisticObject(object_id="Spring2027", object_type="Campaing")
        error = await open_error(
            client,
            RequestOpenStatistic(reference_id=1, statistic_object=bad, statistic_metric=DIALS),
        )
        assert error.error_name == "DuplicateReferenceId"


async def test_too_many_statistics_past_the_client_limit():
    async with rig(settings(limits={"max_statistics_per_client": 2})) as r:
        client = await r.client()
        for ref in (1, 2):
            await client.send(
                RequestOpenStatistic(
                    reference_id=ref, statistic_object=SPRING, statistic_metric=DIALS
                )
            )
            await client.expect(EventStatisticOpened, reference_id=ref)
        error = await open_error(
            client,
            RequestOpenStatistic(reference_id=3, statistic_object=SPRING, statistic_metric=DIALS),
        )
        assert (error.error_code, error.error_name) == (18, "TooManyStatistics")


async def test_too_many_comes_after_every_other_fault():
    async with rig(settings(limits={"max_statistics_per_client": 1})) as r:
        client = await r.client()
        await client.send(
            RequestOpenStatistic(reference_id=1, statistic_object=SPRING, statistic_metric=DIALS)
        )
        await client.expect(EventStatisticOpened)
        error = await open_error(
            client,
            RequestOpenStatistic(
                reference_id=2,
                statistic_object=SPRING,
                statistic_metric=StatisticMetric(statistic_type="Dials"),
            ),
        )
        assert error.error_name == "UnknownStatisticType"


async def test_tenant_password_is_required_when_configured(tmp_path):
    objects = tmp_path / "objects.toml"
    objects.write_text(
        '[tenants.Acme]\npassword = "open-sesame"\n'
        '[tenants.Acme.campaigns.Winter2027]\ngroups = ["Sales"]\ncalling_lists = ["Leads"]\n'
    )
    base = settings()
    config = settings(files={"objects": str(objects), "statistics": str(base.statistics_path)})
    winter = StatisticObject(object_id="Winter2027", object_type="Campaign", tenant_name="Acme")
    async with rig(config) as r:
        client = await r.client()
        error = await open_error(
            client,
            RequestOpenStatistic(reference_id=1, statistic_object=winter, statistic_metric=DIALS),
        )
        assert (error.error_code, error.error_name) == (8, "TenantAccessDenied")
        assert "TenantPassword" in error.description
        typo = StatisticObject(
            object_id="Winter2027",
            object_type="Campaing",
            tenant_name="Acme",
            tenant_password="wrong",
        )
        error = await open_error(
            client,
            RequestOpenStatistic(reference_id=2, statistic_object=typo, statistic_metric=DIALS),
        )
        assert error.error_name == "TenantAccessDenied"  # comes before UnknownObjectType
        right = StatisticObject(
            object_id="Winter2027",
            object_type="Campaign",
            tenant_name="Acme",
            tenant_password="open-sesame",
        )
        await client.send(
            RequestOpenStatistic(reference_id=3, statistic_object=right, statistic_metric=DIALS)
        )
        assert await client.expect(EventStatisticOpened, reference_id=3)


async def test_requests_during_shutdown_get_server_shutting_down():
    async with rig() as r:
        client = await r.client()
        r.hub.closing = True
        await client.send(RequestPing(reference_id=4))
        error = await client.receive()
        assert (error.error_code, error.error_name, error.reference_id) == (
            20,
            "ServerShuttingDown",
            4,
        )
