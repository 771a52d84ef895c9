"""The protocol package stands alone: importing it pulls in no server code or I/O library."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[2]


def test_importing_protocol_loads_no_trio_structlog_or_statsrv() -> None:
    script = (
        "import sys, protocol\n"
        "loaded = sorted(m for m in sys.modules if m.split('.')[0] in "
        "{'trio', 'structlog', 'statsrv'})\n"
        "print(','.join(loaded))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=PROJECT, capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == ""
