"""The fake dialer against real in-process servers: determinism, validity, exactly once."""

from __future__ import annotations

import pytest
import trio
from dialer_support import START, StatClient, recorded, running_server

from statsrv.dialer import DEMO_LAYOUT, DialerSimulator, load_scenario
from statsrv.dialer.fake import FakeDialer
from statsrv.dialer.scenario import bundled_scenarios

DEMO_CAMPAIGNS = [entry.name for entry in DEMO_LAYOUT]


async def record_run(tmp_path, name: str, seed: int, events: int) -> list:
    path = tmp_path / f"{name}.jsonl"
    async with running_server(record=path) as running:
        simulator = DialerSimulator(seed=seed, start_time=START, rate=50.0, layout=DEMO_LAYOUT)
        fake = FakeDialer("127.0.0.1", running.ingest_port, simulator, events=events)
        await fake.run()
    return [(line["Tenant"], line["Body"]) for line in recorded(path)]


async def test_same_seed_gives_the_same_stream_over_the_wire(tmp_path):
    first = await record_run(tmp_path, "first", seed=7, events=1500)
    second = await record_run(tmp_path, "second", seed=7, events=1500)
    other = await record_run(tmp_path, "other", seed=8, events=1500)
    assert len(first) == 1500
    assert first == second
    assert first != other


LAYOUTS = [
    pytest.param(11, {"layout": DEMO_LAYOUT}, id="demo"),
    pytest.param(12, {"campaigns": 1, "groups_per_campaign": 1, "lists_per_campaign": 1}, id="1"),
    pytest.param(13, {"campaigns": 3, "groups_per_campaign": 3, "lists_per_campaign": 2}, id="3"),
    pytest.param(14, {"campaigns": 2, "groups_per_campaign": 2, "lists_per_campaign": 3}, id="2"),
]


@pytest.mark.parametrize(("seed", "shape"), LAYOUTS)
async def test_simulated_stream_is_never_refused_by_a_real_server(seed, shape):
    async with running_server() as running:
        simulator = DialerSimulator(seed=seed, start_time=START, rate=100.0, **shape)
        fake = FakeDialer("127.0.0.1", running.ingest_port, simulator, events=5000)
        await fake.run()
        assert fake.progress().refused == 0
        assert fake.link.counters.errors == []
        assert (running.hub.core.events_applied, running.hub.core.events_refused) == (5000, 0)


@pytest.mark.parametrize("name", sorted(bundled_scenarios()))
async def test_bundled_scenarios_are_accepted_whole(name):
    scenario = load_scenario(bundled_scenarios()[name])
    async with running_server() as running:
        fake = FakeDialer("127.0.0.1", running.ingest_port, scenario)
        await fake.run()
        count = len(scenario.events(0.0))
        assert fake.progress()[:3] == (count, count, 0)
        assert running.hub.core.events_applied == count


async def server_totals(running) -> dict[str, int]:
    client = await StatClient.connect(running)
    totals = {"DialsMade": 0, "Answers": 0, "LeadsProcessed": 0, "CallbacksScheduled": 0}
    for campaign in DEMO_CAMPAIGNS:
        for statistic in totals:
            totals[statistic] += await client.get("Campaign", campaign, statistic, "SinceStart")
    await client.aclose()
    return totals


def simulator_totals(simulator: DialerSimulator) -> dict[str, int]:
    counts = simulator.counts()
    return {
        "DialsMade": counts.events.get("DialResult", 0),
        "Answers": counts.dial_results.get(33, 0),
        "LeadsProcessed": counts.events.get("ChainProcessed", 0),
        "CallbacksScheduled": counts.callbacks.get("Scheduled", 0),
    }


async def test_killed_dialer_restarted_from_its_outbox_counts_every_event_once():
    simulator = DialerSimulator(seed=3, start_time=START, rate=100.0, layout=DEMO_LAYOUT)
    async with running_server() as running:
        first = FakeDialer(
            "127.0.0.1",
            running.ingest_port,
            simulator,
            dialer_name="d",
            link_options={"window": 1000},
        )
        with trio.CancelScope() as killed:
            async with trio.open_nursery() as nursery:
                nursery.start_soon(first.run)
                while first.progress().acked < 2000 or first.link.pending == 0:
                    await first.link.wait_change()
                killed.cancel()
        outbox = first.outstanding()
        assert outbox.events  # some were in flight when it was killed
        second = FakeDialer(
            "127.0.0.1", running.ingest_port, simulator, dialer_name="d", resume=outbox, events=500
        )
        with trio.fail_after(20):
            await second.run()
        drawn = sum(simulator.counts().events.values())
        assert running.hub.core.events_applied == drawn
        assert running.hub.core.events_refused == 0
        assert await server_totals(running) == simulator_totals(simulator)


async def test_connection_dropped_by_the_server_is_resumed_from_last_seq():
    simulator = DialerSimulator(seed=5, start_time=START, rate=100.0, layout=DEMO_LAYOUT)
    drops: list[int] = []

    def dropping(running):
        for number, item in enumerate(simulator, 1):
            session = running.hub.dialers["d"].stream if number in (2000, 4000) else None
            if session is not None:
                session.replace("dropped by the test")
                drops.append(number)
            yield item

    async with running_server() as running:
        fake = FakeDialer(
            "127.0.0.1",
            running.ingest_port,
            dropping(running),
            dialer_name="d",
            events=6000,
            link_options={"window": 1000},
        )
        with trio.fail_after(20):
            await fake.run()
        assert drops == [2000, 4000]
        assert fake.progress().connects == 3
        assert running.hub.core.events_applied == 6000
        assert await server_totals(running) == simulator_totals(simulator)


async def test_dialer_waits_for_a_server_that_is_down_and_follows_its_restart():
    simulator = DialerSimulator(seed=9, start_time=START, rate=100.0, layout=DEMO_LAYOUT)
    async with running_server() as first_server:
        port = first_server.ingest_port
        fake = FakeDialer("127.0.0.1", port, simulator, dialer_name="d", events=1000)
        await fake.run()
    assert fake.progress().acked == 1000
    # The server is gone: the dialer retries with backoff; a fresh server forgot its Seq.
    fake.events = 2000
    async with trio.open_nursery() as nursery:
        nursery.start_soon(fake.run)
        while fake.link.pending == 0 or fake.link.counters.connect_failures < 2:
            await fake.link.wait_change()
        assert not fake.progress().connected
        async with running_server(port=port) as second_server:
            with trio.fail_after(20):
                await fake.wait_acked()
            core = second_server.hub.core
            # A fresh server knows no group, so some of the continued stream is refused; but
            # every event is numbered after its LastSeq (0), never refused for a Seq gap.
            assert core.events_applied + core.events_refused == 1000
            assert not [e for e in fake.link.counters.errors if "Seq" in e.description]
    assert fake.progress().acked == 2000
