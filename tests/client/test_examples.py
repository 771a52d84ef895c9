"""The examples: the raw-socket client against a server, the wallboard's model without a display."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

from client_support import load_and_dial

from statsrv.client import BlockingClient, Invalid
from statsrv.testing import ServerThread

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def load_example(name: str):
    spec = importlib.util.spec_from_file_location(f"example_{name}", EXAMPLES / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def test_the_raw_client_is_short_and_needs_only_socket_struct_and_msgpack():
    lines = (EXAMPLES / "raw_client.py").read_text().splitlines()
    assert len(lines) < 60
    imports = {line.split()[1] for line in lines if line.startswith("import ")}
    assert imports == {"socket", "struct", "msgpack", "argparse"}
    assert not any(line.startswith("from ") for line in lines)


def test_the_raw_client_prints_values_from_a_real_server():
    with ServerThread() as server:
        load_and_dial(server, 33, 7, 6)
        done = subprocess.run(
            [sys.executable, str(EXAMPLES / "raw_client.py"), "--port", str(server.client_port),
             "--object", "CampaignGroup:Spring2027@Sales", "--stat", "DialsMade", "--count", "1"],
            capture_output=True, text=True, timeout=20, check=False,
        )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == [
        "EventClientRegistered",
        "EventStatisticOpened",
        "CampaignGroup:Spring2027@Sales DialsMade = 3",
    ]


def test_the_raw_client_reports_a_refusal():
    with ServerThread() as server:
        done = subprocess.run(
            [sys.executable, str(EXAMPLES / "raw_client.py"), "--port", str(server.client_port),
             "--object", "Campaign:Nope", "--count", "1"],
            capture_output=True, text=True, timeout=20, check=False,
        )  # fmt: skip
    assert done.returncode == 1
    assert "refused: UnknownObject" in done.stderr


def test_the_wallboard_model_shows_values_validity_and_refusals():
    wallboard = load_example("wallboard")
    model = wallboard.WallboardModel(["Campaign:Spring2027", "CallingList:LeadsEast"],
                                     ["DialsMade", "CampaignState"])  # fmt: skip
    model.bind("Campaign:Spring2027", "DialsMade", 1)
    model.bind("Campaign:Spring2027", "CampaignState", 2)
    model.refuse("CallingList:LeadsEast", "CampaignState", "NotApplicable")
    assert model.apply(1, 12, True).text == "12"
    state = {"Status": "StatusRunning", "DialMode": "Predict", "DialModes": ["Predict"],
             "Conditions": ["StatusWaitingAgents"], "Since": 0.0}  # fmt: skip
    assert model.apply(2, state, True).text == "Running Predict [WaitingAgents]"
    assert model.apply(99, 5, True) is None
    tile = model.apply(1, Invalid("no dialer"), False)
    assert (tile.text, tile.valid, tile.colour) == ("12", False, wallboard.INVALID_COLOUR)
    grid = model.grid()
    assert [[t.text for t in row] for row in grid] == [
        ["12", "Running Predict [WaitingAgents]"],
        ["-", "NotApplicable"],
    ]
    assert grid[1][1].colour == wallboard.ERROR_COLOUR
    assert grid[0][1].colour == wallboard.VALID_COLOUR


def test_the_wallboard_model_with_a_live_blocking_client():
    wallboard = load_example("wallboard")
    model = wallboard.WallboardModel(["Campaign:Spring2027", "CallingList:LeadsEast"],
                                     ["DialsMade", "CampaignState"])  # fmt: skip
    with ServerThread() as server, BlockingClient(server.host, server.client_port) as client:
        model.open_all(client)
        load_and_dial(server, 33, 7)
        while model.tiles["Campaign:Spring2027", "DialsMade"].text != "2":
            update = client.updates.get(timeout=5)
            model.apply(update.statistic.statistic_id, update.value, update.valid)
            model.drain(client.updates)
    assert model.tiles["Campaign:Spring2027", "CampaignState"].text == "Activated"
    assert model.tiles["CallingList:LeadsEast", "CampaignState"].error == "NotApplicable"
    assert model.tiles["CallingList:LeadsEast", "DialsMade"].text == "2"
