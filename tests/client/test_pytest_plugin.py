"""The pytest plugin, used by test files written as a user would write them (run by pytest)."""

from __future__ import annotations

import subprocess
import sys
from importlib.metadata import entry_points
from pathlib import Path

USER_TESTS = """
import pytest

from statsrv.client import TooManyStatistics
from statsrv.testing import EventsRefused


async def test_answers_are_counted(fake_dialer, statsrv_client):
    await fake_dialer.send("GroupLoaded", "Spring2027", Group="Sales")
    await fake_dialer.send("DialResult", "Spring2027", Group="Sales", CallingList="LeadsEast",
                           RecordId=1, ChainId=1, CallResult=33)
    await fake_dialer.sync()
    assert await statsrv_client.get("Campaign:Spring2027", "Answers") == 1


async def test_a_bundled_scenario(fake_dialer, statsrv_client):
    dials = await statsrv_client.open_statistic("Campaign:Spring2027", "DialsMade")
    await fake_dialer.play("morning-start")
    await fake_dialer.sync()
    assert await dials.wait_for(lambda value: value == 20) == 20


async def test_refused_events_fail_the_sync(fake_dialer):
    await fake_dialer.send("DialingStarted", "Spring2027", Group="Sales", DialMode="Predict")
    with pytest.raises(EventsRefused, match="DialingStarted"):
        await fake_dialer.sync()


@pytest.mark.statsrv_config(limits={"max_statistics_per_client": 1})
async def test_the_marker_changes_the_settings(statsrv_client):
    await statsrv_client.open_statistic("Campaign:Spring2027", "DialsMade")
    with pytest.raises(TooManyStatistics):
        await statsrv_client.open_statistic("Campaign:Spring2027", "Answers")


async def test_the_server_handle(statsrv_server):
    assert statsrv_server.host == "127.0.0.1"
    assert 0 < statsrv_server.client_port != statsrv_server.ingest_port
    assert statsrv_server.hub.clients == set()
"""

OVERRIDDEN_SETTINGS = """
import pytest

from statsrv.testing import server_settings


@pytest.fixture
def statsrv_settings():
    return server_settings(server={"name": "board-test"})


async def test_the_settings_fixture_can_be_overridden(statsrv_client):
    assert statsrv_client.registration.server_name == "board-test"


async def test_a_wrong_expectation_fails(fake_dialer, statsrv_client):
    await fake_dialer.send("GroupLoaded", "Spring2027", Group="Sales")
    await fake_dialer.sync()
    assert await statsrv_client.get("Campaign:Spring2027", "DialsMade") == 1
"""


def run_user_suite(folder: Path) -> subprocess.CompletedProcess[str]:
    (folder / "pytest.ini").write_text("[pytest]\ntrio_mode = true\n")
    plugin = [] if entry_points(group="pytest11", name="statsrv") else ["-p", "statsrv.testing"]
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *plugin, str(folder)],
        capture_output=True, text=True, timeout=60, cwd=folder, check=False,
    )  # fmt: skip


def test_a_user_suite_passes_with_the_plugin(tmp_path):
    (tmp_path / "test_board.py").write_text(USER_TESTS)
    (tmp_path / "test_settings_override.py").write_text(OVERRIDDEN_SETTINGS)
    done = run_user_suite(tmp_path)
    summary = done.stdout.strip().splitlines()[-1]
    assert done.returncode == 1, done.stdout + done.stderr
    assert "1 failed, 6 passed" in summary, done.stdout
    assert "test_a_wrong_expectation_fails" in done.stdout
    assert "assert 0 == 1" in done.stdout
