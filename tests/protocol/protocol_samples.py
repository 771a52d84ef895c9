"""One fully populated and one minimal instance of every message, for the protocol tests."""

from __future__ import annotations

from protocol import (
    CampaignEvent,
    DialerAck,
    DialerHello,
    DialerSync,
    DialerWelcome,
    EventBatch,
    EventClientRegistered,
    EventError,
    EventInfo,
    EventNotificationResumed,
    EventNotificationSuspended,
    EventPong,
    EventServerClosing,
    EventStatisticClosed,
    EventStatisticInvalid,
    EventStatisticOpened,
    EventStatisticProfile,
    EventStatisticValid,
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
)

OBJECT = StatisticObject(
    object_id="Spring Sale", object_type="Campaign", tenant_name="Acme", tenant_password="pw"
)
METRIC = StatisticMetric(statistic_type="CampaignCallsAnswered", time_profile="Default")
METRIC_EX = StatisticMetricEx(
    category="TotalNumber",
    subject="CampaignAction",
    main_mask=("CallAnswered", "CallAnsweringMachine"),
    rel_mask=("CallAbandoned",),
    time_profile="Sliding15",
)
NOTIFICATION = Notification(mode="Periodical", frequency=5.0, insensitivity=1.5)
BODY = {
    "Event": "GroupStatusChanged",
    "Time": 1700000000.25,
    "Campaign": "Spring Sale",
    "Group": "Sales",
    "Status": "Running",
}

FULL = [
    RequestRegisterClient(reference_id=1, client_name="wallboard", protocol_version=1, token="t"),
    RequestOpenStatistic(
        reference_id=2,
        statistic_object=OBJECT,
        statistic_metric=METRIC,
        tag=7,
        notification=NOTIFICATION,
    ),
    RequestOpenStatisticEx(
        reference_id=3,
        statistic_object=OBJECT,
        statistic_metric_ex=METRIC_EX,
        tag=8,
        notification=NOTIFICATION,
    ),
    RequestGetStatistic(reference_id=4, statistic_object=OBJECT, statistic_metric=METRIC, tag=9),
    RequestGetStatisticEx(
        reference_id=5, statistic_object=OBJECT, statistic_metric_ex=METRIC_EX, tag=10
    ),
    RequestPeekStatistic(reference_id=6, statistic_id=2),
    RequestCloseStatistic(reference_id=7, statistic_id=2),
    RequestSuspendNotification(reference_id=8, statistic_id=2),
    RequestResumeNotification(reference_id=9, statistic_id=2),
    RequestGetStatisticProfile(reference_id=10),
    RequestPing(reference_id=11),
    EventClientRegistered(
        reference_id=1,
        server_name="statsrv",
        protocol_version=1,
        server_time=1700000000.5,
        server_mode="Primary",
    ),
    EventStatisticOpened(reference_id=2, statistic_id=2, tag=7),
    EventInfo(statistic_id=2, tag=7, value=42, server_time=1700000001.0, reference_id=6),
    EventStatisticClosed(reference_id=7, statistic_id=2, tag=7),
    EventNotificationSuspended(reference_id=8, statistic_id=2),
    EventNotificationResumed(reference_id=9, statistic_id=2),
    EventStatisticProfile(
        reference_id=10,
        statistic_types={"Calls": {"Category": "TotalNumber", "MainMask": ["CallAnswered"]}},
        time_profiles={"Default": {"Type": "Growing", "Reset": "00:00"}},
        object_types=("Campaign", "CampaignGroup"),
        categories=("TotalNumber", "CurrentNumber"),
        actions=("CallAnswered", "StatusRunning"),
    ),
    EventPong(reference_id=11, server_time=1700000002.0),
    EventStatisticInvalid(statistic_id=2, tag=7, reason="dialer feed lost"),
    EventStatisticValid(statistic_id=2, tag=7),
    EventError(
        error_code=24, error_name="InvalidEvent", description="Time: missing", reference_id=3, seq=4
    ),
    EventServerClosing(reason="shutting down"),
    DialerHello(dialer_name="dialer-1", protocol_version=1, tenant="Acme", token="secret"),
    CampaignEvent(seq=1, body=BODY),
    EventBatch(events=(CampaignEvent(seq=2, body=BODY), CampaignEvent(seq=3, body={"X": [1]}))),
    DialerSync(seq=3),
    DialerWelcome(last_seq=0),
    DialerAck(seq=3),
]
"""Every message with every optional field set."""

MINIMAL_OBJECT = StatisticObject(object_id="C1", object_type="Campaign")

MINIMAL = [
    RequestRegisterClient(reference_id=1, client_name="c", protocol_version=1),
    RequestOpenStatistic(
        reference_id=2,
        statistic_object=MINIMAL_OBJECT,
        statistic_metric=StatisticMetric(statistic_type="T"),
    ),
    RequestOpenStatisticEx(
        reference_id=3,
        statistic_object=MINIMAL_OBJECT,
        statistic_metric_ex=StatisticMetricEx(category="TotalNumber", subject="CampaignAction"),
        notification=Notification(),
    ),
    RequestSuspendNotification(reference_id=8),
    RequestResumeNotification(reference_id=9),
    EventInfo(statistic_id=2, tag=-1, value=None, server_time=1.0),
    EventInfo(tag=-1, value={"nested": [1, 2.5, "x", None, True, b"bin"]}, server_time=1.0),
    EventNotificationSuspended(reference_id=8),
    EventNotificationResumed(reference_id=9),
    EventError(error_code=3, error_name="UnknownMessage", description="Message: unknown"),
    DialerHello(dialer_name="d", protocol_version=1, tenant="Environment"),
    CampaignEvent(seq=5, body={}),
    EventBatch(events=()),
]
"""Messages with their optional fields left out."""
