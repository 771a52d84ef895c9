"""The integration test the README shows, verbatim, run through the installed pytest plugin."""


async def test_answers_are_counted(statsrv_server, fake_dialer, statsrv_client):
    await fake_dialer.send("GroupLoaded", "Spring2027", Group="Sales")
    await fake_dialer.send("DialingStarted", "Spring2027", Group="Sales", DialMode="Predict")
    for record in range(3):
        await fake_dialer.send(
            "DialResult",
            "Spring2027",
            Group="Sales",
            CallingList="LeadsEast",
            RecordId=record,
            ChainId=record,
            CallResult=33,
        )
    await fake_dialer.sync()
    answers = await statsrv_client.get("Campaign:Spring2027", "Answers")
    assert answers == 3
