"""Refusals become typed exceptions; connection ends become ConnectionClosed / ServerClosing."""

from __future__ import annotations

import pytest
import trio

from protocol import ErrorCode, EventError, Notification, StatisticMetricEx, StatisticObject
from statsrv.client import (
    ERROR_CLASSES,
    AuthenticationFailed,
    ConnectionClosed,
    DuplicateReferenceId,
    InvalidMask,
    InvalidNotification,
    InvalidRequest,
    NotApplicable,
    ServerClosing,
    StatServerError,
    UnknownCategory,
    UnknownObject,
    UnknownObjectType,
    UnknownStatistic,
    UnknownStatisticType,
    UnknownTimeProfile,
    connect,
    error_from_event,
)
from statsrv.settings import hash_token
from statsrv.testing import running_server, server_settings


def ex(category: str, *mask: str, subject: str = "CampaignAction") -> StatisticMetricEx:
    return StatisticMetricEx(category=category, subject=subject, main_mask=mask or None)


def test_every_error_code_has_its_class():
    assert set(ERROR_CLASSES) == {int(code) for code in ErrorCode}
    for code, cls in ERROR_CLASSES.items():
        assert cls.__name__ == ErrorCode(code).name
        assert issubclass(cls, StatServerError)


def test_an_event_error_becomes_its_class_with_every_field():
    error = error_from_event(
        EventError(error_code=9, error_name="UnknownObject", description="d", reference_id=5)
    )
    assert type(error) is UnknownObject
    assert (error.error_code, error.error_name, error.description, error.reference_id) == (
        9,
        "UnknownObject",
        "d",
        5,
    )
    unknown = error_from_event(EventError(error_code=99, error_name="Future", description="?"))
    assert type(unknown) is StatServerError


@pytest.mark.parametrize(
    ("obj", "statistic", "expected"),
    [
        ("Campaign:Nope", "DialsMade", UnknownObject),
        ("Campaing:Spring2027", "DialsMade", UnknownObjectType),
        ("Campaign:Spring2027", "NoSuchType", UnknownStatisticType),
        ("CallingList:LeadsEast", "CampaignState", NotApplicable),
        ("Campaign:Spring2027", ex("Everything", "DialMade"), UnknownCategory),
        ("Campaign:Spring2027", ex("TotalNumber", "DialMde"), InvalidMask),
        ("Campaign:Spring2027", ex("TotalNumber", "DialMade", subject="Agent"), InvalidRequest),
    ],
)
async def test_refused_opens_raise_their_class(statsrv_client, obj, statistic, expected):
    with pytest.raises(expected) as caught:
        await statsrv_client.open_statistic(obj, statistic)
    assert caught.value.error_code == int(expected.wire_error)
    assert caught.value.description
    assert statsrv_client.statistics == {}


async def test_unknown_time_profile_and_bad_notification(statsrv_client):
    with pytest.raises(UnknownTimeProfile):
        await statsrv_client.get("Campaign:Spring2027", "DialsMade", profile="Fortnight")
    with pytest.raises(InvalidNotification, match="Frequency"):
        await statsrv_client.open_statistic(
            "Campaign:Spring2027",
            "DialsMade",
            notification=Notification(mode="Periodical", frequency=0.5),
        )


async def test_duplicate_and_unknown_statistic_ids(statsrv_client):
    stat = await statsrv_client.open_statistic("Campaign:Spring2027", "DialsMade", reference_id=3)
    with pytest.raises(DuplicateReferenceId):
        await statsrv_client.open_statistic("Campaign:Spring2027", "Answers", reference_id=3)
    await stat.close()
    for request in (statsrv_client.peek, statsrv_client.close, statsrv_client.suspend):
        with pytest.raises(UnknownStatistic):
            await request(3)
    assert (await statsrv_client.ping()).reference_id > 0, "the connection stays usable"


async def test_bad_arguments_are_refused_before_sending(statsrv_client):
    with pytest.raises(ValueError, match="expected ObjectType:ObjectId"):
        await statsrv_client.open_statistic("Spring2027", "DialsMade")
    with pytest.raises(ValueError, match="unknown mode 'Sometimes'"):
        await statsrv_client.open_statistic(
            "Campaign:Spring2027", "DialsMade", notification="Sometimes"
        )
    with pytest.raises(TypeError, match="statistic: expected"):
        await statsrv_client.get("Campaign:Spring2027", 42)
    with pytest.raises(TypeError, match="reference_id"):
        await statsrv_client.ping(reference_id="7")


async def test_tenant_prefix_reaches_the_server(statsrv_client):
    with pytest.raises(UnknownObject, match="Acme"):
        await statsrv_client.get("Acme/Campaign:Spring2027", "DialsMade")
    obj = StatisticObject(object_id="Spring2027", object_type="Campaign")
    assert await statsrv_client.get(obj, "DialsMade") == 0


async def test_a_wrong_token_fails_the_connect():
    settings = server_settings(auth={"client_token_sha256": (hash_token("s3cret"),)})
    async with running_server(settings) as server:
        with pytest.raises(AuthenticationFailed):
            async with connect(server.host, server.client_port, token="wrong"):
                pass  # pragma: no cover - never reached
        async with connect(server.host, server.client_port, token="s3cret") as client:
            assert client.connected


async def test_an_unreachable_server_raises_oserror():
    with trio.socket.socket() as sock:
        await sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]  # bound, never listening: connections are refused
        with pytest.raises(OSError, match="connect"):
            async with connect("127.0.0.1", port):
                pass  # pragma: no cover - never reached


async def test_server_shutdown_ends_requests_and_streams_with_server_closing():
    async with (
        running_server(server_settings()) as server,
        connect(server.host, server.client_port) as client,
    ):
        stat = await client.open_statistic("Campaign:Spring2027", "DialsMade")
        server.running.shutdown()
        values = [value async for value in _until_error(stat)]
        assert values[0] == 0
        assert isinstance(client.ended, ServerClosing)
        assert "shutting down" in client.ended.reason
        assert not stat.valid
        with pytest.raises(ConnectionClosed):
            await client.ping()


async def _until_error(stat):
    try:
        async for value in stat:
            yield value
    except ServerClosing:
        return
    raise AssertionError("the stream ended without ServerClosing")
