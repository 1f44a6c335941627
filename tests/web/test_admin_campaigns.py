"""The Campagnes tab: write a campaign, see who it reaches, launch it at a moment."""

from __future__ import annotations

import httpx
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from coachdesk.kit.clock import FixedClock, to_local
from coachdesk.models import Campaign, CampaignStatus
from tests.factories import login, make_coach


async def test_write_check_and_schedule_a_campaign_from_coach_mode(
    client: httpx.AsyncClient, db: AsyncSession, clock: FixedClock
) -> None:
    await make_coach(db, now=clock.now())
    token = await login(client)
    for name, consent in (("Léa", "1"), ("Marc", "")):
        data = {"csrf_token": token, "name": name, "email": f"{name.lower()}@example.ch"}
        await client.post("/coach/contacts", data={**data, "consent_email": consent})
    bad = await client.post(
        "/coach/campaigns",
        data={"csrf_token": token, "name": "Rentrée", "body": "Salut {firstname}", "email": "1"},
    )
    assert bad.status_code == 422 and "Variable inconnue : {firstname}." in bad.text
    made = await client.post(
        "/coach/campaigns",
        data={"csrf_token": token, "name": "Rentrée", "body": "Salut {prénom}", "email": "1"},
    )
    assert made.status_code == 303
    page = await client.get(made.headers["location"])
    assert "1 personne" in page.text and "sans accord 1" in page.text
    campaign = await db.scalar(select(Campaign))
    assert campaign is not None
    past = to_local(clock.now()).strftime("%Y-%m-%dT%H:%M")
    late = await client.post(
        f"/coach/campaigns/{campaign.id}/launch",
        data={"csrf_token": token, "when": past.replace(past[:4], "2020")},
    )
    assert late.status_code == 422 and "déjà passé" in late.text
    later = to_local(clock.now()).replace(hour=23, minute=0).strftime("%Y-%m-%dT%H:%M")
    launched = await client.post(
        f"/coach/campaigns/{campaign.id}/launch", data={"csrf_token": token, "when": later}
    )
    assert launched.status_code == 303
    await db.refresh(campaign)
    assert campaign.status == CampaignStatus.scheduled
    listing = await client.get("/coach/campaigns")
    assert "Rentrée" in listing.text and "Programmée" in listing.text
