"""`statsrv load`: a load generator and performance report for a statsrv server.

A run starts (or targets) a server, opens N client connections spread over worker processes,
drives a dialer at a constant offered rate in its own process, and reports throughput, push
latency measured against each event's intended send time, and the server's CPU and memory.
"""

from statsrv.load.scenarios import SCENARIOS, scenario_spec
from statsrv.load.spec import LoadSpec, StatisticKind, parse_kind

__all__ = ["SCENARIOS", "LoadSpec", "StatisticKind", "parse_kind", "scenario_spec"]
