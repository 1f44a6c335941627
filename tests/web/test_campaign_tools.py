"""Around a campaign in Coach Mode: WhatsApp credentials kept write-only, the preview for a
chosen contact (live too), "send me a test" on each channel, chosen contacts as audience,
WhatsApp by hand, progress told over the hub, the report as CSV."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import httpx
from fastapi import FastAPI
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from coachdesk.kit.clock import FixedClock
from coachdesk.models import Campaign, EmailMessage
from coachdesk.realtime.hub import COACH
from coachdesk.site import service as site_service
from coachdesk.worker.loop import Worker
from tests.campaigns.test_sending import Recorder
from tests.conftest import BASE_URL
from tests.factories import login, make_coach
from tests.fakes.server import serving
from tests.fakes.whatsapp_api import TWILIO_SID, TWILIO_TOKEN, FakeTwilio

PEOPLE = (
    ("Léa Martin", "lea@example.ch", "079 123 45 67"),
    ("Marc Weber", "marc@example.ch", "078 765 43 21"),
)


async def studio(client: httpx.AsyncClient, db: AsyncSession, clock: FixedClock) -> str:
    await make_coach(db, now=clock.now())
    token = await login(client)
    for name, email, phone in PEOPLE:
        data = {"csrf_token": token, "name": name, "email": email, "phone": phone}
        made = await client.post(
            "/coach/contacts", data={**data, "consent_email": "1", "consent_whatsapp": "1"}
        )
        assert made.status_code == 303
    return token


async def campaign(client: httpx.AsyncClient, token: str, **fields: str) -> int:
    data = {"csrf_token": token, "name": "Soirée", "subject": "Vendredi", "email": "1"}
    made = await client.post("/coach/campaigns", data={**data, **fields})
    assert made.status_code == 303, made.text
    return int(made.headers["location"].split("/")[-1].split("?")[0])


async def test_whatsapp_credentials_are_write_only(
    client: httpx.AsyncClient, db: AsyncSession, clock: FixedClock
) -> None:
    token = await studio(client, db, clock)
    base = {"csrf_token": token, "pay_on_site_enabled": "1", "weeks_ahead": "4"}
    for name in ("pending_minutes", "link_pending_hours", "cancel_deadline_hours"):
        base[name] = "30"
    base.update(reminder_hours="24", waitlist_hold_hours="2", whatsapp_template_language="fr")
    incomplete = await client.post("/coach/settings", data={**base, "whatsapp_provider": "twilio"})
    assert incomplete.status_code == 422
    assert "Il manque des informations pour ce fournisseur WhatsApp." in incomplete.text
    twilio = {
        "whatsapp_provider": "twilio",
        "twilio_account_sid": TWILIO_SID,
        "twilio_auth_token": TWILIO_TOKEN,
        "whatsapp_from": "032 555 00 00",
    }
    saved = await client.post("/coach/settings", data={**base, **twilio})
    assert saved.status_code == 303
    page = await client.get("/coach/settings")
    assert TWILIO_TOKEN not in page.text and TWILIO_SID in page.text
    assert "enregistrée — laisser vide pour la garder" in page.text
    kept = {**twilio, "twilio_auth_token": ""}
    assert (await client.post("/coach/settings", data={**base, **kept})).status_code == 303
    stored = await site_service.load(db)
    assert stored.twilio_auth_token == TWILIO_TOKEN  # left empty: kept
    assert stored.whatsapp_from == "+41325550000"  # normalised


async def test_preview_for_a_chosen_contact_and_live_while_typing(
    client: httpx.AsyncClient, db: AsyncSession, clock: FixedClock
) -> None:
    token = await studio(client, db, clock)
    campaign_id = await campaign(client, token, body="Salut {prénom} {nom} !")
    page = await client.get(f"/coach/campaigns/{campaign_id}", params={"contact": "marc@"})
    assert "Salut Marc Weber !" in page.text
    assert "Se désabonner" not in page.text  # the text part: the footer is in words
    assert "Ne plus recevoir ces messages" in page.text
    live = await client.post(
        "/coach/campaigns/preview",
        data={"csrf_token": token, "body": "Coucou {prénom}", "subject": "Hop", "contact": "Léa"},
    )
    assert live.json()["text"].startswith("Coucou Léa")
    assert live.json()["contact"] == "Léa Martin"
    wrong = await client.post(
        "/coach/campaigns/preview", data={"csrf_token": token, "body": "Coucou {name}"}
    )
    assert wrong.json()["error"].startswith("Variable inconnue : {name}.")
    refused = await client.post("/coach/campaigns/preview", data={"body": "x"})
    assert refused.status_code == 403  # no CSRF token: refused


async def test_send_me_a_test_by_email_and_whatsapp(
    app: FastAPI, client: httpx.AsyncClient, db: AsyncSession, clock: FixedClock
) -> None:
    token = await studio(client, db, clock)
    campaign_id = await campaign(client, token, body="Salut {prénom} !", whatsapp="1")
    url = f"/coach/campaigns/{campaign_id}/test"
    bad = await client.post(url, data={"csrf_token": token, "channel": "email", "test_to": "x@"})
    assert bad.status_code == 422 and "adresse e-mail valable" in bad.text
    sent = await client.post(
        url,
        data={"csrf_token": token, "channel": "email", "test_to": "coach@studio.ch"},
    )
    assert sent.status_code == 200 and "le test est dans l'onglet E-mails" in sent.text
    kept = await db.scalar(select(EmailMessage).where(EmailMessage.kind == "campaign_test"))
    assert kept is not None and kept.subject == "[Test] Vendredi"
    by_hand = await client.post(
        url, data={"csrf_token": token, "channel": "whatsapp", "test_phone": "079 111 22 33"}
    )
    link = re.search(r'href="(https://wa\.me/[^"]+)"', by_hand.text)
    assert link is not None
    parts = urlsplit(link.group(1).replace("&amp;", "&"))
    assert parts.path == "/41791112233"
    assert parse_qs(parts.query)["text"][0].startswith("[Test] Salut")
    settings = {
        "whatsapp_provider": "twilio",
        "twilio_account_sid": TWILIO_SID,
        "twilio_auth_token": TWILIO_TOKEN,
        "whatsapp_from": "+41325550000",
    }
    await site_service.change(db, changes=settings, actor=None, now=clock.now())
    await db.commit()
    twilio = FakeTwilio()
    with serving(twilio.app()) as api:
        app.state.core.whatsapp = type(app.state.core.whatsapp)(twilio=api)
        done = await client.post(
            url,
            data={"csrf_token": token, "channel": "whatsapp", "test_phone": "079 111 22 33"},
        )
    assert "Test envoyé par WhatsApp." in done.text
    [message] = twilio.received
    assert message["To"] == "whatsapp:+41791112233"
    assert message["Body"].startswith("[Test] Salut")


async def test_chosen_contacts_whatsapp_by_hand_progress_and_csv(
    app: FastAPI, client: httpx.AsyncClient, db: AsyncSession, clock: FixedClock
) -> None:
    token = await studio(client, db, clock)
    unknown = await client.post(
        "/coach/campaigns",
        data={
            "csrf_token": token,
            "name": "Privé",
            "body": "Salut {prénom}",
            "whatsapp": "1",
            "kind": "contacts",
            "people": "078 765 43 21\nnobody@example.ch",
        },
    )
    assert unknown.status_code == 422
    assert "Personne ne correspond à : nobody@example.ch" in unknown.text
    campaign_id = await campaign(
        client, token, body="Salut {prénom}", whatsapp="1", kind="contacts", people="0787654321"
    )
    page = await client.get(f"/coach/campaigns/{campaign_id}")
    assert "marc@example.ch</textarea>" in page.text and "1 personne" in page.text
    launched = await client.post(
        f"/coach/campaigns/{campaign_id}/launch", data={"csrf_token": token}
    )
    assert launched.status_code == 303
    core = app.state.core
    worker = Worker(core.sessions, clock, base_url=BASE_URL, secret=core.secret, hub=core.hub)
    await worker.run_once()  # no e-mail server, no WhatsApp provider: all waits
    report = await client.get(f"/coach/campaigns/{campaign_id}/progress")
    assert "Envoyer 1 message WhatsApp à la main" in report.text
    step = await client.get(f"/coach/campaigns/{campaign_id}/whatsapp")
    assert "Marc Weber" in step.text and "https://wa.me/41787654321?text=Salut%20Marc" in step.text
    delivery = re.search(r"/whatsapp/(\d+)/sent", step.text)
    assert delivery is not None
    marked = await client.post(
        f"/coach/campaigns/{campaign_id}/whatsapp/{delivery.group(1)}/sent",
        data={"csrf_token": token},
    )
    assert marked.status_code == 303
    done = await client.get(f"/coach/campaigns/{campaign_id}/whatsapp")
    assert "Aucun message WhatsApp n'attend" in done.text
    csv = await client.get(f"/coach/campaigns/{campaign_id}/report.csv")
    lines = csv.content.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("nom;canal;adresse;statut")
    assert any(line.startswith("Marc Weber;whatsapp;+41787654321;sent") for line in lines), lines
    assert any(line.startswith("Marc Weber;email;marc@example.ch;pending") for line in lines)
    stored = await db.get_one(Campaign, campaign_id, populate_existing=True)
    assert stored.status.value == "sending"  # the e-mail still waits for a server


async def test_the_worker_tells_coach_mode_of_progress(
    app: FastAPI, client: httpx.AsyncClient, db: AsyncSession, clock: FixedClock
) -> None:
    token = await studio(client, db, clock)
    campaign_id = await campaign(client, token, body="Salut {prénom}")
    await client.post(f"/coach/campaigns/{campaign_id}/launch", data={"csrf_token": token})
    core = app.state.core
    async with core.hub.listen(COACH) as events:
        worker = Worker(
            core.sessions,
            clock,
            email=Recorder(),
            base_url=BASE_URL,
            secret=core.secret,
            hub=core.hub,
        )
        await worker.run_once()
        told = events.get_nowait()
    assert told == {"type": "campaign", "campaign_id": campaign_id}
    report = await client.get(f"/coach/campaigns/{campaign_id}/progress")
    assert "envoyés 2" in report.text and "Envoyée" in report.text


async def test_the_report_lists_failures_with_the_providers_reason(
    app: FastAPI, client: httpx.AsyncClient, db: AsyncSession, clock: FixedClock
) -> None:
    token = await studio(client, db, clock)
    campaign_id = await campaign(client, token, body="Salut {prénom}", email="", whatsapp="1")
    settings = {
        "whatsapp_provider": "twilio",
        "twilio_account_sid": TWILIO_SID,
        "twilio_auth_token": TWILIO_TOKEN,
        "whatsapp_from": "+41325550000",
    }
    await site_service.change(db, changes=settings, actor=None, now=clock.now())
    await db.commit()
    await client.post(f"/coach/campaigns/{campaign_id}/launch", data={"csrf_token": token})
    twilio = FakeTwilio(invalid={"+41787654321"})
    core = app.state.core
    with serving(twilio.app()) as api:
        endpoints = type(core.whatsapp)(twilio=api)
        worker = Worker(
            core.sessions, clock, base_url=BASE_URL, secret=core.secret, whatsapp=endpoints
        )
        await worker.run_once()
    report = await client.get(f"/coach/campaigns/{campaign_id}/progress")
    assert "envoyés 1" in report.text and "échecs 1" in report.text
    assert "Marc Weber · +41787654321" in report.text
    assert "The &#39;To&#39; number is not a valid phone number. (21211)" in report.text


async def test_without_contacts_the_preview_speaks_to_the_coach_by_name(
    client: httpx.AsyncClient, db: AsyncSession, clock: FixedClock
) -> None:
    await make_coach(db, now=clock.now())  # an account made with an e-mail only
    token = await login(client)
    campaign_id = await campaign(client, token, body="Salut {prénom} !")
    page = await client.get(f"/coach/campaigns/{campaign_id}")
    assert "Salut coach !" in page.text and "Salut coach@" not in page.text
