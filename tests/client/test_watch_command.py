"""`statsrv watch --once`: a snapshot table of a known scenario, and its exit statuses."""

from __future__ import annotations

import argparse

import pytest
from client_support import load_and_dial

from statsrv.cli import main
from statsrv.client.watch import UsageError, load_view, plan_from_args
from statsrv.testing import ServerThread, server_settings


def test_once_prints_the_table_of_a_known_scenario(capsys):
    with ServerThread() as server:
        load_and_dial(server, 33, 7)
        status = main([
            "watch", "Campaign:Spring2027", "CampaignGroup:Spring2027@Sales",
            "CallingList:LeadsEast", "--stat", "DialsMade", "--stat", "AnswerRate",
            "--stat", "CampaignState", "--port", str(server.client_port), "--once",
        ])  # fmt: skip
    out = capsys.readouterr().out
    assert status == 0
    assert out.splitlines() == [
        "Object                          DialsMade  AnswerRate  CampaignState",
        "------------------------------  ---------  ----------  -------------",
        "Campaign:Spring2027                     2        50.0      Activated",
        "CampaignGroup:Spring2027@Sales          2        50.0      Activated",
        "CallingList:LeadsEast                   2        50.0  NotApplicable",
    ]


def test_a_view_file_and_invalid_statistics(tmp_path, capsys):
    view = tmp_path / "board.toml"
    view.write_text(
        'title = "Spring"\nobjects = ["CampaignGroup:Spring2027@Sales"]\n'
        'stats = ["CampaignState", "TimeRunning"]\nfrequency = 5\n'
    )
    settings = server_settings(validity={"grace_seconds": 0.0})
    with ServerThread(settings) as server:
        status = main(["watch", "--view", str(view), "--port", str(server.client_port), "--once"])
    out = capsys.readouterr().out.splitlines()
    assert status == 0
    assert out[0] == "Spring"
    assert out[3].split() == ["CampaignGroup:Spring2027@Sales", "Deactivated?", "0?"]


def test_bad_arguments_exit_2(tmp_path, capsys):
    assert main(["watch", "Campaign:Spring2027"]) == 2
    assert "no statistics" in capsys.readouterr().err
    assert main(["watch", "Spring2027", "--stat", "DialsMade"]) == 2
    assert "expected ObjectType:ObjectId" in capsys.readouterr().err
    bad = tmp_path / "bad.toml"
    bad.write_text('objects = ["Campaign:Spring2027"]\ncolour = "red"\n')
    assert main(["watch", "--view", str(bad), "--stat", "DialsMade"]) == 2
    assert "colour: unknown key" in capsys.readouterr().err
    with pytest.raises(SystemExit) as exit_info:
        main(["watch", "--port", "seventy"])
    assert exit_info.value.code == 2


def test_an_unreachable_server_exits_1(capsys):
    with ServerThread() as server:
        port = server.client_port
    status = main(
        ["watch", "Campaign:Spring2027", "--stat", "DialsMade", "--port", str(port), "--once"]
    )
    assert status == 1
    assert f"127.0.0.1:{port}" in capsys.readouterr().err


def test_the_command_line_adds_to_the_view(tmp_path):
    view = tmp_path / "v.toml"
    view.write_text('objects = ["Campaign:Spring2027"]\nstats = ["DialsMade"]\nport = 9000\n')
    args = argparse.Namespace(
        view=view, objects=["Acme/Campaign:Autumn2027"], stat=["Answers", "DialsMade"],
        host=None, port=None, profile="Shift", frequency=None, token=None,
    )  # fmt: skip
    plan = plan_from_args(args)
    assert [obj.tenant_name for obj in plan.objects] == ["Environment", "Acme"]
    assert plan.stats == ("DialsMade", "Answers")
    assert (plan.port, plan.profile, plan.notification()) == (9000, "Shift", None)
    view.write_text("stats = [1]\n")
    with pytest.raises(UsageError, match="stats: expected a list of strings"):
        load_view(view)
