"""Every refusal with its code and a description naming the field; the order of precedence."""

from __future__ import annotations

import pytest
from engine_support import CAMPAIGN, GROUP, LIST, inline

from protocol.errors import ErrorCode
from statsrv.engine import (
    InlineDefinition,
    NotificationSpec,
    StatisticRefused,
    StatisticsEngine,
)

E = ErrorCode


def refusal(engine: StatisticsEngine, **overrides: object) -> StatisticRefused:
    request: dict[str, object] = {
        "object_type": "Campaign",
        "object_id": CAMPAIGN,
        "tenant": "Environment",
        "tenant_password": None,
        "statistic": "DialsMade",
        "profile": None,
        "notification": None,
    }
    request.update(overrides)
    for_get = bool(request.pop("for_get", False))
    with pytest.raises(StatisticRefused) as caught:
        engine.resolve(**request, for_get=for_get)  # type: ignore[arg-type]
    return caught.value


CASES = [
    (
        {"statistic": InlineDefinition("TotalNumber", ("DialMade",), None, "AgentAction")},
        E.InvalidRequest,
        "StatisticMetricEx.Subject: must be 'CampaignAction', got 'AgentAction'",
    ),
    (
        {"tenant": "Locked", "tenant_password": "guess"},
        E.TenantAccessDenied,
        "StatisticObject.TenantPassword: wrong password for tenant 'Locked'",
    ),
    (
        {"tenant": "Locked"},
        E.TenantAccessDenied,
        "StatisticObject.TenantPassword: wrong password for tenant 'Locked'",
    ),
    (
        {"object_type": "Campaing"},
        E.UnknownObjectType,
        "StatisticObject.ObjectType: unknown object type 'Campaing'; "
        "known: Campaign, CampaignGroup, CampaignCallingList, CallingList",
    ),
    (
        {"tenant": "Nobody"},
        E.UnknownObject,
        "StatisticObject.TenantName: unknown tenant 'Nobody'",
    ),
    (
        {"object_id": "Autumn2027"},
        E.UnknownObject,
        "StatisticObject.ObjectId: unknown Campaign 'Autumn2027' in tenant 'Environment'",
    ),
    (
        {"statistic": "Dials"},
        E.UnknownStatisticType,
        "StatisticMetric.StatisticType: unknown statistic type 'Dials'",
    ),
    (
        {"statistic": inline("TotalCount", ("DialMade",))},
        E.UnknownCategory,
        "StatisticMetricEx.Category: unknown category 'TotalCount'; known: CurrentState, "
        "CurrentNumber, CurrentTime, TotalNumber, TotalTime, AverageTime, MaxTime, MinTime, "
        "RelativeNumberPercentage, RelativeTimePercentage",
    ),
    (
        {"statistic": inline("TotalNumber", ("DialMad",))},
        E.InvalidMask,
        "StatisticMetricEx.MainMask: 'DialMad' matches no action",
    ),
    (
        {"statistic": inline("TotalNumber")},
        E.InvalidMask,
        "StatisticMetricEx.MainMask: required for category TotalNumber",
    ),
    (
        {"statistic": inline("RelativeNumberPercentage", ("DialAnswer",))},
        E.InvalidMask,
        "StatisticMetricEx.RelMask: required for category RelativeNumberPercentage",
    ),
    (
        {"statistic": inline("TotalNumber", ("DialMade",), ("DialMade",))},
        E.InvalidMask,
        "StatisticMetricEx.RelMask: only the Relative categories take one, not TotalNumber",
    ),
    (
        {"statistic": inline("RelativeNumberPercentage", ("DialAnswer",), ("Dail*",))},
        E.InvalidMask,
        "StatisticMetricEx.RelMask: 'Dail*' matches no action",
    ),
    (
        {"profile": "Yesterday"},
        E.UnknownTimeProfile,
        "StatisticMetric.TimeProfile: unknown time profile 'Yesterday'; "
        "known: Default, Last15Min, LastHour, Shift, SinceStart",
    ),
    (
        {"object_type": "CampaignGroup", "object_id": GROUP, "statistic": "RecordsScheduled"},
        E.NotApplicable,
        "StatisticMetric.StatisticType: 'RecordsScheduled' is not defined for object type "
        "'CampaignGroup'",
    ),
    (
        {"object_type": "CallingList", "object_id": LIST, "statistic": inline("CurrentState")},
        E.NotApplicable,
        "StatisticMetricEx.Category: CurrentState does not apply to object type 'CallingList'",
    ),
    (
        {
            "object_type": "CampaignGroup",
            "object_id": GROUP,
            "statistic": inline("TotalNumber", ("DialRemoteRelease",)),
        },
        E.NotApplicable,
        "StatisticMetricEx.MainMask: no action of the mask can count for TotalNumber on "
        "object type 'CampaignGroup'",
    ),
    (
        {"statistic": inline("TotalNumber", ("RecordsScheduled",))},
        E.NotApplicable,
        "StatisticMetricEx.MainMask: no action of the mask can count for TotalNumber",
    ),
    (
        {"statistic": inline("CurrentNumber", ("Dial*",))},
        E.NotApplicable,
        "StatisticMetricEx.MainMask: no action of the mask can count for CurrentNumber",
    ),
    (
        {"statistic": inline("TotalTime", ("DialMade",))},
        E.NotApplicable,
        "StatisticMetricEx.MainMask: no action of the mask can count for TotalTime",
    ),
    (
        {
            "object_type": "CampaignGroup",
            "object_id": GROUP,
            "statistic": inline("TotalNumber", ("RecordsNotProcessed",)),
        },
        E.NotApplicable,
        "StatisticMetricEx.MainMask: no action of the mask",
    ),
    (
        {"statistic": inline("TotalNumber", ("DialMade", "~DialMade"))},
        E.NotApplicable,
        "StatisticMetricEx.MainMask: no action of the mask",
    ),
    (
        {"notification": NotificationSpec("Sometimes")},
        E.InvalidNotification,
        "Notification.Mode: unknown mode 'Sometimes'; "
        "known: Immediate, Periodical, Reset, NoNotification",
    ),
    (
        {"notification": NotificationSpec("Periodical", 0.5)},
        E.InvalidNotification,
        "Notification.Frequency: must be at least 1 s, got 0.5",
    ),
    (
        {"notification": NotificationSpec("Immediate", None, -1.0)},
        E.InvalidNotification,
        "Notification.Insensitivity: must be a number >= 0, got -1.0",
    ),
    (
        {"notification": NotificationSpec("Immediate", 10.0)},
        E.InvalidNotification,
        "Notification.Frequency: not used by mode 'Immediate'",
    ),
    (
        {"notification": NotificationSpec("Reset", None, 1.0)},
        E.InvalidNotification,
        "Notification.Insensitivity: not used by mode 'Reset'",
    ),
    (
        {"profile": "LastHour", "notification": NotificationSpec("Reset")},
        E.InvalidNotification,
        "Notification.Mode: Reset needs a Growing time profile; 'LastHour' is Sliding",
    ),
    (
        {"statistic": "RecordsScheduled", "notification": NotificationSpec("Reset")},
        E.InvalidNotification,
        "Notification.Mode: Reset does not apply to the current category CurrentNumber",
    ),
]


@pytest.mark.parametrize(("overrides", "code", "description"), CASES)
def test_refusal(
    engine: StatisticsEngine, overrides: dict[str, object], code: ErrorCode, description: str
) -> None:
    refused = refusal(engine, **overrides)
    assert refused.code is code
    assert refused.description.startswith(description)


def test_refusal_changes_nothing(engine: StatisticsEngine) -> None:
    refusal(engine, statistic="Dials")
    assert engine.statistics()["cells"] == 0


def test_password_right_is_accepted(engine: StatisticsEngine) -> None:
    engine.resolve("Campaign", CAMPAIGN, "Locked", "s3cret", "DialsMade", None, None)


def test_open_tenant_allows_unknown_objects(engine: StatisticsEngine) -> None:
    engine.resolve("Campaign", "Anything", "Open", None, "DialsMade", None, None)


def test_get_ignores_the_notification(engine: StatisticsEngine) -> None:
    resolved = engine.resolve(
        "Campaign",
        CAMPAIGN,
        "Environment",
        None,
        "DialsMade",
        None,
        NotificationSpec("?"),
        for_get=True,
    )
    assert resolved.notification is None


def test_current_state_ignores_a_main_mask(engine: StatisticsEngine) -> None:
    with_mask = engine.resolve(
        "Campaign", CAMPAIGN, "Environment", None, inline("CurrentState", ("Whatever",)), None, None
    )
    named = engine.resolve("Campaign", CAMPAIGN, "Environment", None, "CampaignState", None, None)
    assert with_mask.key == named.key


PRECEDENCE = [
    ("InvalidRequest", {"statistic": InlineDefinition("Nope", None, None, "X")}),
    ("TenantAccessDenied", {"tenant": "Locked"}),
    ("UnknownObjectType", {"object_type": "Campaing"}),
    ("UnknownObject", {"object_id": "Nobody"}),
    ("UnknownStatisticType", {"statistic": "Dials"}),
    ("UnknownCategory", {"statistic": inline("Nope", ("DialMad",))}),
    ("InvalidMask", {"statistic": inline("TotalNumber", ("DialMad",))}),
    ("UnknownTimeProfile", {"profile": "Yesterday"}),
    ("NotApplicable", {"statistic": inline("TotalTime", ("DialMade",))}),
    ("InvalidNotification", {"notification": NotificationSpec("Reset", 5.0)}),
]


@pytest.mark.parametrize("first", range(len(PRECEDENCE)))
def test_the_first_fault_in_contract_order_wins(engine: StatisticsEngine, first: int) -> None:
    name, fault = PRECEDENCE[first]
    overrides = dict(fault)
    for _, later in PRECEDENCE[first + 1 :]:
        for key, value in later.items():
            overrides.setdefault(key, value)
    assert refusal(engine, **overrides).code.name == name
