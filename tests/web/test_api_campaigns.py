"""The admin campaigns API: write, reach, launch, follow deliveries, settle an
interrupted row; bad input refused before launch with a clear message."""

from __future__ import annotations

from datetime import timedelta

import httpx
from fastapi import FastAPI
from sqlalchemy.ext.asyncio import AsyncSession

from coachdesk.campaigns import sending
from coachdesk.kit.clock import FixedClock
from coachdesk.models import ConsentChannel
from tests.campaigns.test_sending import Recorder, outlet
from tests.factories import login, make_coach

PEOPLE = [
    {"name": "Léa Martin", "email": "lea@example.ch", "consent_email": True},
    {"name": "Marc", "email": "marc@example.ch"},
]


async def coach(client: httpx.AsyncClient, db: AsyncSession, clock: FixedClock) -> dict[str, str]:
    await make_coach(db, now=clock.now())
    headers = {"X-CSRF-Token": await login(client)}
    for person in PEOPLE:
        made = await client.post("/api/v1/admin/contacts", json=person, headers=headers)
        assert made.status_code == 201
    return headers


async def test_write_reach_launch_and_follow_a_campaign(
    app: FastAPI, client: httpx.AsyncClient, db: AsyncSession, clock: FixedClock
) -> None:
    headers = await coach(client, db, clock)
    made = await client.post(
        "/api/v1/admin/campaigns",
        json={"name": "Rentrée", "subject": "Ça reprend", "body": "Salut {prénom} !"},
        headers=headers,
    )
    assert made.status_code == 201 and made.json()["status"] == "draft"
    url = f"/api/v1/admin/campaigns/{made.json()['id']}"
    reach = (await client.get(f"{url}/reach")).json()
    assert reach == {"recipients": 1, "per_channel": {"email": 1}, "skipped": {"no_consent": 1}}
    when = (clock.now() + timedelta(minutes=2)).isoformat()
    launched = await client.post(f"{url}/launch", json={"times": [when]}, headers=headers)
    assert launched.json()["status"] == "scheduled" and len(launched.json()["sends"]) == 1

    clock.advance(timedelta(minutes=2))
    await sending.start_due(db, clock.now())
    await db.commit()
    # a worker dies holding the row
    await sending._claim(db, clock.now(), 10, ConsentChannel.email)
    await db.commit()
    clock.advance(sending.LEASE + timedelta(minutes=1))
    recorder = Recorder()
    await sending.deliver_due(db, outlet=outlet(recorder), now=clock.now())
    await db.commit()
    assert recorder.sent == []
    report = (await client.get(f"{url}/report")).json()
    assert report == {"email": {"interrupted": 1, "skipped": 1}}
    stuck = (await client.get(f"{url}/deliveries", params={"status": "interrupted"})).json()
    assert [(d["name"], d["address"]) for d in stuck] == [("Léa Martin", "lea@example.ch")]

    again = await client.post(
        f"/api/v1/admin/campaigns/deliveries/{stuck[0]['id']}/resend", headers=headers
    )
    assert again.json()["status"] == "pending"
    twice = await client.post(
        f"/api/v1/admin/campaigns/deliveries/{stuck[0]['id']}/drop", headers=headers
    )
    assert twice.status_code == 409 and twice.json()["error"]["code"] == "not_interrupted"
    await sending.deliver_due(db, outlet=outlet(recorder), now=clock.now())
    await db.commit()
    assert [e.to for e in recorder.sent] == ["lea@example.ch"]
    assert (await client.get(url)).json()["status"] == "sent"


async def test_bad_campaigns_are_refused_with_a_clear_message(
    client: httpx.AsyncClient, db: AsyncSession, clock: FixedClock
) -> None:
    headers = await coach(client, db, clock)
    unknown = await client.post(
        "/api/v1/admin/campaigns",
        json={"name": "X", "body": "Salut {firstname}"},
        headers=headers,
    )
    assert unknown.status_code == 422
    assert unknown.json()["error"]["message"].startswith("Variable inconnue : {firstname}.")
    made = await client.post(
        "/api/v1/admin/campaigns",
        json={"name": "Sans canal", "body": "Salut", "email": False},
        headers=headers,
    )
    url = f"/api/v1/admin/campaigns/{made.json()['id']}"
    refused = await client.post(f"{url}/launch", json={}, headers=headers)
    assert refused.status_code == 422 and refused.json()["error"]["code"] == "no_channel"
    past = (clock.now() - timedelta(hours=1)).isoformat()
    await client.put(url, json={"name": "Sans canal", "body": "Salut"}, headers=headers)
    late = await client.post(f"{url}/launch", json={"times": [past]}, headers=headers)
    assert late.json()["error"]["code"] == "past_schedule"
    assert (await client.get(url)).json()["status"] == "draft"


async def test_preview_test_whatsapp_by_hand_and_csv_through_the_api(
    client: httpx.AsyncClient, db: AsyncSession, clock: FixedClock
) -> None:
    headers = await coach(client, db, clock)
    people = await client.get("/api/v1/admin/contacts", params={"q": "lea@"})
    lea_id = people.json()[0]["id"]
    await client.put(
        f"/api/v1/admin/contacts/{lea_id}",
        json={
            "name": "Léa Martin",
            "email": "lea@example.ch",
            "phone": "079 123 45 67",
            "consent_email": True,
            "consent_whatsapp": True,
        },
        headers=headers,
    )
    made = await client.post(
        "/api/v1/admin/campaigns",
        json={"name": "Soirée", "body": "Salut {prénom} !", "email": False, "whatsapp": True},
        headers=headers,
    )
    url = f"/api/v1/admin/campaigns/{made.json()['id']}"
    shown = (await client.get(f"{url}/preview", params={"contact_id": lea_id})).json()
    assert shown["whatsapp"].startswith("Salut Léa !") and shown["contact_id"] == lea_id
    missing = await client.get(f"{url}/preview", params={"contact_id": 99999})
    assert missing.status_code == 404
    test = await client.post(
        f"{url}/test", json={"channel": "whatsapp", "to": "0791112233"}, headers=headers
    )
    assert test.json()["sent"] is False
    assert test.json()["link"].startswith("https://wa.me/41791112233?text=%5BTest%5D%20Salut")
    bad = await client.post(f"{url}/test", json={"channel": "email", "to": "x"}, headers=headers)
    assert bad.status_code == 422 and bad.json()["error"]["code"] == "bad_test_address"
    await client.post(f"{url}/launch", json={}, headers=headers)
    await sending.start_due(db, clock.now())
    await db.commit()
    step = (await client.get(f"{url}/whatsapp/next")).json()
    assert step["name"] == "Léa Martin" and step["phone"] == "+41791234567"
    assert step["left"] == 1 and step["link"].startswith("https://wa.me/41791234567?text=")
    marked = await client.post(f"{url}/whatsapp/{step['delivery_id']}/sent", headers=headers)
    assert marked.status_code == 204
    again = await client.post(f"{url}/whatsapp/{step['delivery_id']}/sent", headers=headers)
    assert again.status_code == 409
    assert (await client.get(f"{url}/whatsapp/next")).json() is None
    csv = await client.get(f"{url}/deliveries.csv")
    assert "Léa Martin;whatsapp;+41791234567;sent" in csv.content.decode("utf-8-sig")
    assert (await client.get(url)).json()["status"] == "sent"
