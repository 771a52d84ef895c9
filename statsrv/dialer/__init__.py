"""The fake dialer's pure core: a seeded event simulator and scripted scenarios (no I/O)."""

from statsrv.dialer.layout import DEMO_LAYOUT, CampaignLayout, numbered_layout
from statsrv.dialer.rules import Body, DialerState
from statsrv.dialer.scenario import Scenario, Step, bundled_scenarios, load_scenario, parse_scenario
from statsrv.dialer.simulator import DialerSimulator, SimulatorCounts, TimedEvent

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
