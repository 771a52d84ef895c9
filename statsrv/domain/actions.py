"""The action vocabulary of the CampaignAction subject, the call-result tables, and occurrences.

Names are exactly those of the Stat Server user's guide (note `DialNUTone` but `LeadNuTone`).
An `Occurrence` is the only thing the statistics engine consumes from the domain.
"""

from __future__ import annotations

from enum import IntEnum, StrEnum
from typing import NamedTuple


class ObjectType(StrEnum):
    """The four statistic object types of the outbound domain."""

    CAMPAIGN = "Campaign"
    CAMPAIGN_GROUP = "CampaignGroup"
    CAMPAIGN_CALLING_LIST = "CampaignCallingList"
    CALLING_LIST = "CallingList"


class Kind(IntEnum):
    """How an occurrence acts: a durable action starts or ends; an instant one happens."""

    START = 0
    END = 1
    INSTANT = 2


class Occurrence(NamedTuple):
    """One action on one object at one time (weight: the count an instant action carries)."""

    tenant: str
    object_type: ObjectType
    object_id: str
    action: str
    kind: Kind
    time: float
    weight: int = 1


DEFAULT_TENANT = "Environment"

# --- durable actions -------------------------------------------------------------------------

STATUS_ACTIONS: tuple[str, ...] = ("StatusDeactivated", "StatusActivated", "StatusRunning")

CONDITIONS: tuple[str, ...] = ("WaitingRecords", "WaitingPorts", "WaitingAgents", "SystemError")
"""`Condition` values of a `GroupCondition` event; the action is `Status` + the condition."""

CONDITION_ACTIONS: tuple[str, ...] = tuple(f"Status{c}" for c in CONDITIONS)

DIAL_MODES: tuple[str, ...] = (
    "NoDial",
    "Predict",
    "PredictAndSeize",
    "PredictGVP",
    "Preview",
    "Power",
    "PowerAndSeize",
    "PowerGVP",
    "Progress",
    "ProgressAndSeize",
    "ProgressGVP",
    "PushPreview",
)
"""`DialMode` values; each is also the name of the durable dial-mode action."""

DURABLE_ACTIONS: frozenset[str] = frozenset(STATUS_ACTIONS + CONDITION_ACTIONS + DIAL_MODES)

# --- call results ----------------------------------------------------------------------------

# code: (dial action, lead action), per the Genesys call-result enumeration.
CALL_RESULTS: dict[int, tuple[str, str]] = {
    0: ("DialUnknown", "LeadOk"),
    3: ("DialGeneralError", "LeadGeneralError"),
    4: ("DialSystemError", "LeadSystemError"),
    5: ("DialRemoteRelease", "LeadUnknown"),
    6: ("DialBusy", "LeadBusy"),
    7: ("DialNoAnswer", "LeadNoAnswer"),
    8: ("DialSITDetected", "LeadSITDetected"),
    9: ("DialAnswMachine", "LeadAnswMachine"),
    10: ("DialAllTrunksBusy", "LeadAllTrunksBusy"),
    11: ("DialSITInvalidNum", "LeadSITInvalidNum"),
    12: ("DialSITVacant", "LeadSITVacant"),
    13: ("DialSITOperIntercept", "LeadSITOperIntercept"),
    14: ("DialSITUnknown", "LeadSITUnknown"),
    15: ("DialSITNoCircuit", "LeadSITNoCircuit"),
    16: ("DialSITReorder", "LeadSITReorder"),
    17: ("DialFaxDetected", "LeadFaxDetected"),
    21: ("DialAbandoned", "LeadAbandoned"),
    26: ("DialDropped", "LeadDropped"),
    27: ("DialDroppedNoAnswer", "LeadDroppedNoAnswer"),
    28: ("DialUnknown", "LeadUnknown"),
    32: ("DialSilence", "LeadSilence"),
    33: ("DialAnswer", "LeadAnswer"),
    34: ("DialNUTone", "LeadNuTone"),
    35: ("DialNoDialTone", "LeadNoDialTone"),
    36: ("DialNoProgress", "LeadNoProgress"),
    37: ("DialNoRingBack", "LeadNoRingBack"),
    38: ("DialNoEstablished", "LeadNoEstablished"),
    39: ("DialPagerDetected", "LeadPagerDetected"),
    40: ("DialWrongParty", "LeadWrongParty"),
    41: ("DialError", "LeadError"),
    42: ("DialCallDropError", "LeadCallDropError"),
    43: ("DialSwitchError", "LeadSwitchError"),
    44: ("DialNoFreePortError", "LeadNoFreePortError"),
    45: ("DialTransferError", "LeadTransferError"),
    46: ("DialStale", "LeadStale"),
    47: ("DialAgentCallbackError", "LeadAgentCallbackError"),
    48: ("DialGroupCallbackError", "LeadGroupCallbackError"),
    51: ("DialDoNotCall", "LeadDoNotCall"),
    52: ("DialCancel", "LeadCancel"),
    53: ("DialWrongNumber", "LeadWrongNumber"),
}
REMOTE_RELEASE_CODE = 5
UNKNOWN_RESULT: tuple[str, str] = ("DialUnknown", "LeadUnknown")

DIAL_RESULT_ACTIONS: frozenset[str] = frozenset(
    dial for dial, _ in CALL_RESULTS.values() if dial != "DialRemoteRelease"
)
"""The 38 `Dial*` result actions (without `DialMade` and `DialRemoteRelease`)."""

LEAD_RESULT_ACTIONS: frozenset[str] = frozenset(lead for _, lead in CALL_RESULTS.values())
"""The 39 `Lead*` result actions (without `LeadProcessed`)."""

# --- other instant actions -------------------------------------------------------------------

CALLBACK_KINDS: tuple[str, ...] = ("Scheduled", "Completed", "Missed")
CALLBACK_ACTIONS: tuple[str, ...] = tuple(f"Callback{k}" for k in CALLBACK_KINDS) + tuple(
    f"PersonalCallback{k}" for k in CALLBACK_KINDS
)

INSTANT_ACTIONS: frozenset[str] = (
    DIAL_RESULT_ACTIONS
    | LEAD_RESULT_ACTIONS
    | frozenset(CALLBACK_ACTIONS)
    | frozenset(
        {
            "DialMade",
            "DialRemoteRelease",
            "LeadProcessed",
            "AgentError",
            "RecordsScheduled",
            "RecordsNotProcessed",
        }
    )
)

ALL_ACTIONS: frozenset[str] = DURABLE_ACTIONS | INSTANT_ACTIONS

# --- applicability ---------------------------------------------------------------------------

_OPERATIONAL: frozenset[str] = INSTANT_ACTIONS - {
    "DialRemoteRelease",
    "RecordsScheduled",
    "RecordsNotProcessed",
}

ACTIONS_BY_OBJECT_TYPE: dict[ObjectType, frozenset[str]] = {
    ObjectType.CAMPAIGN: ALL_ACTIONS,
    ObjectType.CAMPAIGN_GROUP: DURABLE_ACTIONS | _OPERATIONAL,
    ObjectType.CAMPAIGN_CALLING_LIST: _OPERATIONAL,
    ObjectType.CALLING_LIST: _OPERATIONAL | {"DialRemoteRelease", "RecordsNotProcessed"},
}
"""Which actions can ever occur on each object type (statistics refuse masks outside it)."""


def dial_action(code: int, object_type: ObjectType) -> str:
    """The dial result action of call result `code` on an object of `object_type`."""
    dial = CALL_RESULTS.get(code, UNKNOWN_RESULT)[0]
    if dial == "DialRemoteRelease" and object_type not in (
        ObjectType.CAMPAIGN,
        ObjectType.CALLING_LIST,
    ):
        return "DialUnknown"
    return dial


def lead_action(code: int) -> str:
    """The lead action of call result `code` (the same on every object type)."""
    return CALL_RESULTS.get(code, UNKNOWN_RESULT)[1]
