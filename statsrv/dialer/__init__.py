"""The fake dialer's pure core: a seeded event simulator and scripted scenarios (no I/O)."""

from statsrv.dialer.scenario import Scenario, Step, bundled_scenarios, load_scenario, parse_scenario
from statsrv.dialer.simulator import (
    DEMO_LAYOUT,
    Body,
    CampaignLayout,
    DialerSimulator,
    DialerState,
    SimulatorCounts,
    TimedEvent,
    numbered_layout,
)

__all__ = [
    "DEMO_LAYOUT",
    "Body",
    "CampaignLayout",
    "DialerSimulator",
    "DialerState",
    "Scenario",
    "SimulatorCounts",
    "Step",
    "TimedEvent",
    "bundled_scenarios",
    "load_scenario",
    "numbered_layout",
    "parse_scenario",
]
