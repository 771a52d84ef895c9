"""Recording accepted events and replaying them into a fresh server gives the same values."""

from __future__ import annotations

import json

import pytest
import trio
from dialer_support import START, StatClient, recorded, running_server

from statsrv.dialer import DEMO_LAYOUT, DialerSimulator, load_scenario
from statsrv.dialer.fake import FakeDialer
from statsrv.dialer.replay import Replay, ReplayError, read_recording
from statsrv.dialer.scenario import bundled_scenarios

OBJECTS = [
    ("Campaign", "Spring2027"),
    ("Campaign", "Autumn2027"),
    ("CampaignGroup", "Spring2027@Sales"),
    ("CampaignGroup", "Spring2027@Retention"),
    ("CampaignGroup", "Autumn2027@Sales"),
    ("CampaignCallingList", "Spring2027@LeadsEast"),
    ("CampaignCallingList", "Autumn2027@LeadsWest"),
    ("CallingList", "LeadsWest"),
]
COUNTS = ["DialsMade", "Answers", "AnswerRate", "Busy", "LeadsProcessed", "CallbacksScheduled"]
PROFILES = ["Default", "SinceStart"]


async def snapshot(running) -> dict:
    client = await StatClient.connect(running)
    values = {}
    for object_type, object_id in OBJECTS:
        for statistic in COUNTS:
            for profile in PROFILES:
                key = (object_id, statistic, profile)
                values[key] = await client.get(object_type, object_id, statistic, profile)
    for campaign in ("Spring2027", "Autumn2027"):
        for statistic in ("RecordsScheduled", "RecordsNotProcessed"):
            values[campaign, statistic] = await client.get("Campaign", campaign, statistic)
    await client.aclose()
    return values


async def test_replayed_recording_gives_the_live_values(tmp_path):
    path = tmp_path / "live.jsonl"
    simulator = DialerSimulator(seed=21, start_time=START, rate=50.0, layout=DEMO_LAYOUT)
    async with running_server(record=path) as live:
        fake = FakeDialer("127.0.0.1", live.ingest_port, simulator, events=4000)
        await fake.run()
        live_values = await snapshot(live)
    assert len(recorded(path)) == 4000
    async with running_server() as fresh:
        await Replay(path, "127.0.0.1", fresh.ingest_port).run()
        assert fresh.hub.core.events_applied == 4000
        assert await snapshot(fresh) == live_values
    assert live_values["Spring2027", "DialsMade", "SinceStart"] > 0


async def test_recording_keeps_the_effective_time_and_the_body(tmp_path):
    path = tmp_path / "live.jsonl"
    scenario = load_scenario(bundled_scenarios()["morning-start"])
    async with running_server(record=path) as live:
        await FakeDialer("127.0.0.1", live.ingest_port, scenario, dialer_name="x").run()
        started = live.hub.core.time
    lines = recorded(path)
    assert len(lines) == len(scenario.events(0.0))
    assert {line["Tenant"] for line in lines} == {"Environment"}
    assert [line["Body"]["Event"] for line in lines] == [
        body["Event"] for _, body in scenario.events(0.0)
    ]
    times = [line["Time"] for line in lines]
    assert times == sorted(times) and times[-1] <= started
    assert all(line["Time"] >= line["Body"]["Time"] for line in lines)
    assert all("Seq" not in line["Body"] and "Message" not in line["Body"] for line in lines)


async def test_paced_replay_sends_in_recorded_rhythm_stamped_now(tmp_path):
    path = tmp_path / "rec.jsonl"
    lines = [
        {"Tenant": "Environment", "Time": START + offset, "Body": body}
        for offset, body in (
            (0.0, {"Event": "GroupLoaded", "Time": START, "Campaign": "C", "Group": "G"}),
            (20.0, {"Event": "RecordsScheduled", "Time": START, "Campaign": "C", "Count": 5}),
        )
    ]
    path.write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")
    again = tmp_path / "again.jsonl"
    async with running_server(record=again) as fresh:
        began = trio.current_time()
        await Replay(path, "127.0.0.1", fresh.ingest_port, speed=100.0).run()
        assert trio.current_time() - began >= 0.2
    first, second = recorded(again)
    assert second["Body"]["Time"] - first["Body"]["Time"] == pytest.approx(0.2, abs=0.01)
    assert first["Body"]["Time"] > START + 86_400


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        ("{not json}\n", "line 2: not valid JSON"),
        ('{"Tenant": "E", "Time": 1.0}\n', "line 2: Body: required"),
        ('{"Tenant": "", "Time": 1.0, "Body": {"Event": "X"}}\n', "line 2: Tenant: required"),
        ('{"Tenant": "E", "Time": "x", "Body": {"Event": "X"}}\n', "line 2: Time: required"),
        ('{"Tenant": "E", "Time": 1, "Body": {"Event": "X"}, "Seq": 1}\n', "line 2: Seq: unknown"),
        ("[1, 2]\n", "line 2: expected a JSON object"),
    ],
)
def test_bad_recording_line_is_named(tmp_path, content, reason):
    path = tmp_path / "bad.jsonl"
    good = '{"Tenant": "E", "Time": 1.0, "Body": {"Event": "GroupLoaded"}}\n'
    path.write_text(good + content, encoding="utf-8")
    with pytest.raises(ReplayError, match=reason):
        Replay(path, "127.0.0.1", 7071)


def test_missing_recording_is_named(tmp_path):
    with pytest.raises(ReplayError, match=r"missing\.jsonl: cannot read the file"):
        list(read_recording(tmp_path / "missing.jsonl"))
