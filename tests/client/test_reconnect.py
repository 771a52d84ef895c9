"""Reconnect: after a server restart on the same ports, every statistic is reopened as it was."""

from __future__ import annotations

import dataclasses

from statsrv.client import Invalid, connect
from statsrv.testing import open_fake_dialer, running_server, server_settings


async def test_statistics_come_back_after_a_server_restart():
    settings = server_settings()
    async with running_server(settings) as first:
        ports = {"client_port": first.client_port, "ingest_port": first.ingest_port}
        async with connect(
            first.host,
            first.client_port,
            reconnect=True,
            backoff_initial_seconds=0.01,
            backoff_max_seconds=0.05,
        ) as client:
            dials = await client.open_statistic("Campaign:Spring2027", "DialsMade", tag=11)
            state = await client.open_statistic("CampaignGroup:Spring2027@Sales", "CampaignState")
            await state.suspend()
            values = aiter(dials)
            assert await anext(values) == 0
            async with open_fake_dialer(first.host, first.ingest_port) as dialer:
                await dialer.send("GroupLoaded", "Spring2027", Group="Sales")
                await dialer.send(
                    "DialResult",
                    "Spring2027",
                    Group="Sales",
                    CallingList="LeadsEast",
                    RecordId=1,
                    ChainId=1,
                    CallResult=7,
                )
                await dialer.sync()
            assert await dials.wait_for(lambda value: value == 1) == 1
            first.running.shutdown()

            while not isinstance(await anext(values), Invalid):
                pass
            assert not dials.valid and not state.valid

            restarted = dataclasses.replace(
                settings, server=dataclasses.replace(settings.server, **ports)
            )
            async with running_server(restarted) as second:
                assert await anext(values) == 0, "reopened on the new server: a fresh count"
                await client.wait_connected()
                assert dials.valid and client.connected and client.connects == 2
                assert (dials.statistic_id, dials.tag) == (1, 11)
                assert set(client.statistics) == {dials.statistic_id, state.statistic_id}
                async with open_fake_dialer(second.host, second.ingest_port) as dialer:
                    await dialer.send("GroupLoaded", "Spring2027", Group="Sales")
                    for n in (1, 2):
                        await dialer.send(
                            "DialResult",
                            "Spring2027",
                            Group="Sales",
                            CallingList="LeadsEast",
                            RecordId=n,
                            ChainId=n,
                            CallResult=33,
                        )
                    await dialer.sync()
                    assert await dials.wait_for(lambda value: value == 2) == 2
                    await client.ping()
                    assert state.suspended
                    assert state.value["Status"] == "StatusDeactivated", "still suspended"
                    assert (await state.peek())["Status"] == "StatusActivated"
                    assert await client.get("Campaign:Spring2027", "Answers") == 2
