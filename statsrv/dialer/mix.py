"""How the simulated dialer behaves: the call-result mix, dial modes, conditions and weights."""

from __future__ import annotations

# --- the mix ---------------------------------------------------------------------------------

CALL_RESULT_MIX: tuple[tuple[int, float], ...] = (
    (33, 30.0),  # answer
    (7, 25.0),  # no answer
    (6, 10.0),  # busy
    (9, 12.0),  # answering machine
    (17, 2.0),  # fax
    (8, 1.0),  # SIT tones: 8, 11-16
    (11, 1.2),
    (12, 0.8),
    (13, 0.4),
    (14, 0.4),
    (15, 0.3),
    (16, 0.3),
    (21, 2.0),  # abandoned
    (26, 1.5),  # dropped
    (27, 1.0),
    (3, 0.5),  # errors
    (4, 0.3),
    (41, 0.4),
    (42, 0.4),
    (43, 0.3),
    (44, 0.6),
    (45, 0.3),
    (5, 1.5),  # remote release
    (10, 1.0),  # all trunks busy
    (32, 0.5),
    (34, 0.3),
    (35, 0.3),
    (36, 0.2),
    (37, 0.2),
    (38, 0.2),
    (39, 0.1),
    (40, 0.8),
    (46, 0.2),
    (51, 0.3),
    (52, 0.2),
    (53, 0.6),
    (0, 0.2),
    (28, 0.1),
    (1, 0.1),  # codes outside the table
    (19, 0.1),
    (30, 0.05),
    (49, 0.05),
    (60, 0.05),
)
"""Call result codes and their relative weights in the simulated dial results."""

FINAL_RESULTS: frozenset[int] = frozenset(
    {0, 8, 11, 12, 13, 14, 15, 16, 17, 33, 39, 40, 46, 51, 52, 53}
)
"""Results after which a chain needs no further dial; other results are retried."""

ANSWER = 33
AGENT_CALLBACK_ERROR, GROUP_CALLBACK_ERROR = 47, 48

DIAL_MODE_MIX: tuple[tuple[str, float], ...] = (
    ("Predict", 30.0),
    ("Progress", 20.0),
    ("Power", 15.0),
    ("Preview", 10.0),
    ("PushPreview", 5.0),
    ("PredictAndSeize", 4.0),
    ("ProgressAndSeize", 4.0),
    ("PowerAndSeize", 3.0),
    ("PredictGVP", 3.0),
    ("ProgressGVP", 2.0),
    ("PowerGVP", 2.0),
    ("NoDial", 1.0),
)

RANDOM_CONDITION_MIX: tuple[tuple[str, float], ...] = (
    ("WaitingAgents", 5.0),
    ("WaitingPorts", 2.0),
    ("SystemError", 1.0),
)
"""Conditions raised at random; `WaitingRecords` follows the campaign's records instead."""

WAITING_RECORDS = "WaitingRecords"
CALLBACK_SHARE = 0.06  # answered calls that schedule a callback
PERSONAL_SHARE = 0.3  # callbacks that are personal
CALLBACK_COMPLETED_SHARE = 0.8
RETRY_SHARE = 0.35  # dials that retry an open chain rather than start a new one
OPTIONAL_GROUP_SHARE = 0.95  # operational events after a dial that name the group
BATCH_RECORDS = (400, 1500)  # records per calling list per batch
CHAIN_SIZES = (1, 1, 1, 2, 2, 3)  # records (phone numbers) per chain
MAX_ATTEMPTS = (1, 2, 3, 3, 4)  # dial attempts before a chain is given up
DRAINING_CALLS = (0, 3)  # calls that still finish after dialing stops


class Weight:
    """Relative weights of the simulator's next move (per candidate kind, not per target)."""

    DIAL = 60.0
    FINALIZE_PER_CHAIN = 10.0
    SCHEDULE_CALLBACK = 8.0
    RESOLVE_PER_CALLBACK = 0.05
    AGENT_ERROR = 0.4
    RECORDS_SCHEDULED = 2.0
    MODE_CHANGE = 0.15
    STOP = 0.12
    START = 2.0
    UNLOAD = 0.05
    LOAD = 1.0
    RAISE_CONDITION = 0.4
    CLEAR_CONDITION = 3.0
    WAITING_RECORDS = 8.0
    COMPLETE = 10.0
    NEW_BATCH = 0.3
