"""WhatsApp campaigns through Twilio and the Cloud API (local stand-ins, driven by the real
adapter over HTTP), and by hand from wa.me links when no provider is configured."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from fastapi import FastAPI
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from coachdesk.campaigns import by_hand, service
from coachdesk.campaigns.service import CampaignIn
from coachdesk.contacts import crm
from coachdesk.contacts.crm import ContactIn
from coachdesk.errors import Conflict
from coachdesk.integrations.whatsapp import CloudWhatsApp, Endpoints, WhatsAppMessage
from coachdesk.kit.clock import FixedClock
from coachdesk.models import Campaign, CampaignStatus, Coach, Delivery
from coachdesk.site import service as site_service
from coachdesk.worker.loop import Worker
from tests.campaigns.test_sending import outlet
from tests.conftest import BASE_URL
from tests.factories import make_coach
from tests.fakes.server import serving
from tests.fakes.whatsapp_api import (
    CLOUD_PHONE_ID,
    CLOUD_TOKEN,
    TWILIO_SID,
    TWILIO_TOKEN,
    FakeCloud,
    FakeTwilio,
)

PEOPLE = (
    ("Léa Martin", "079 123 45 67", True),
    ("Marc", "078 765 43 21", False),  # no WhatsApp consent
    ("Nina", "032 721 00 00", True),  # a landline: WhatsApp can't reach it
    ("Zoé", "076 555 44 33", True),
)
TWILIO = {
    "whatsapp_provider": "twilio",
    "twilio_account_sid": TWILIO_SID,
    "twilio_auth_token": TWILIO_TOKEN,
    "whatsapp_from": "+41325550000",
}
CLOUD = {
    "whatsapp_provider": "cloud",
    "whatsapp_phone_number_id": CLOUD_PHONE_ID,
    "whatsapp_access_token": CLOUD_TOKEN,
}


async def launched(db: AsyncSession, clock: FixedClock) -> tuple[int, Coach]:
    coach = await make_coach(db, now=clock.now())
    for name, phone, consent in PEOPLE:
        data = ContactIn(name=name, phone=phone, consent_whatsapp=consent)
        await crm.create(db, data=data, actor=coach, now=clock.now())
    data = CampaignIn(
        name="Soirée",
        body="Salut {prénom} ! Soirée disco vendredi.",
        media_url="https://studio.ch/affiche.jpg",
        email=False,
        whatsapp=True,
    )
    campaign = await service.create(db, data=data, actor=coach, now=clock.now())
    await service.launch(db, campaign=campaign, times=[], actor=coach, now=clock.now())
    await db.commit()
    return campaign.id, coach


async def rows(db: AsyncSession) -> dict[str, Delivery]:
    found = await db.scalars(
        select(Delivery).order_by(Delivery.id).execution_options(populate_existing=True)
    )
    return {row.contact.name: row for row in found.all()}


def worker(app: FastAPI, clock: FixedClock, endpoints: Endpoints) -> Worker:
    core = app.state.core
    return Worker(core.sessions, clock, base_url=BASE_URL, secret=core.secret, whatsapp=endpoints)


async def test_twilio_sends_to_swiss_numbers_retries_and_reports_refusals(
    app: FastAPI, db: AsyncSession, clock: FixedClock
) -> None:
    campaign_id, _ = await launched(db, clock)
    await site_service.change(db, changes=TWILIO, actor=None, now=clock.now())
    await db.commit()
    twilio = FakeTwilio(invalid={"+41765554433"}, busy=1)
    with serving(twilio.app()) as url:
        work = worker(app, clock, Endpoints(twilio=url))
        await work.run_once()  # Léa: 503, tried again later; Zoé: refused for good
        found = await rows(db)
        assert found["Léa Martin"].status.value == "pending"
        assert found["Léa Martin"].error.startswith("503")
        assert found["Zoé"].status.value == "failed"
        assert "(21211)" in found["Zoé"].error  # the provider's own words and code
        clock.advance(timedelta(minutes=1))
        await work.run_once()
    found = await rows(db)
    assert {name: row.status.value for name, row in found.items()} == {
        "Léa Martin": "sent",
        "Marc": "skipped",
        "Nina": "skipped",
        "Zoé": "failed",
    }
    assert (found["Marc"].reason, found["Nina"].reason) == ("no_consent", "invalid_number")
    assert found["Léa Martin"].provider_id.startswith("SM")
    [message] = twilio.received  # once, though the first try failed
    assert message["From"] == "whatsapp:+41325550000"
    assert message["To"] == "whatsapp:+41791234567"  # 079 123 45 67, normalised
    assert message["Body"].startswith("Salut Léa ! Soirée disco vendredi.")
    assert f"{BASE_URL}/u/" in message["Body"]  # how to stop receiving them
    assert message["MediaUrl"] == "https://studio.ch/affiche.jpg"
    campaign = await db.get_one(Campaign, campaign_id, populate_existing=True)
    assert campaign.status == CampaignStatus.sent


async def test_wrong_twilio_credentials_fail_with_the_providers_answer(
    app: FastAPI, db: AsyncSession, clock: FixedClock
) -> None:
    await launched(db, clock)
    wrong = {**TWILIO, "twilio_auth_token": "not-the-token"}
    await site_service.change(db, changes=wrong, actor=None, now=clock.now())
    await db.commit()
    twilio = FakeTwilio()
    with serving(twilio.app()) as url:
        await worker(app, clock, Endpoints(twilio=url)).run_once()
    found = await rows(db)
    assert found["Léa Martin"].status.value == "failed"
    assert found["Léa Martin"].error == "401 Authenticate (20003)"
    assert twilio.received == []


async def test_cloud_api_sends_the_picture_with_the_text_as_caption(
    app: FastAPI, db: AsyncSession, clock: FixedClock
) -> None:
    await launched(db, clock)
    await site_service.change(db, changes=CLOUD, actor=None, now=clock.now())
    await db.commit()
    cloud = FakeCloud(invalid={"41765554433"})
    with serving(cloud.app()) as url:
        await worker(app, clock, Endpoints(cloud=url)).run_once()
    found = await rows(db)
    assert found["Léa Martin"].status.value == "sent"
    assert found["Léa Martin"].provider_id == "wamid.1"
    assert found["Zoé"].status.value == "failed"
    assert "(131030)" in found["Zoé"].error
    [message] = cloud.received
    assert message["to"] == "41791234567" and message["type"] == "image"
    assert message["image"]["link"] == "https://studio.ch/affiche.jpg"
    assert message["image"]["caption"].startswith("Salut Léa !")


def test_cloud_api_templates_carry_the_text_as_their_parameter() -> None:
    sender = CloudWhatsApp(phone_number_id="1", access_token="t", template="news", api_url="x")
    payload = sender.payload(WhatsAppMessage(to="+41791234567", text="Salut Léa"))
    assert payload["type"] == "template"
    assert payload["template"]["name"] == "news"
    assert payload["template"]["language"] == {"code": "fr"}
    [body] = payload["template"]["components"]
    assert body["parameters"] == [{"type": "text", "text": "Salut Léa"}]


async def test_without_a_provider_the_coach_sends_each_message_by_hand(
    app: FastAPI, db: AsyncSession, clock: FixedClock
) -> None:
    campaign_id, coach = await launched(db, clock)
    await worker(app, clock, Endpoints()).run_once()
    found = await rows(db)
    assert found["Léa Martin"].status.value == "pending"  # waits for the coach, not lost
    recorder_outlet = outlet(recorder=None)  # type: ignore[arg-type]
    step = await by_hand.next_step(db, campaign_id, recorder_outlet, clock.now())
    assert step is not None and step.left == 2
    assert step.delivery.contact.name == "Léa Martin"
    link = urlsplit(step.link)
    assert (link.netloc, link.path) == ("wa.me", "/41791234567")
    text = parse_qs(link.query)["text"][0]
    assert text.startswith("Salut Léa ! Soirée disco vendredi.")
    assert text.endswith("https://studio.ch/affiche.jpg")  # the picture as a link
    lea = step.delivery.id
    await by_hand.mark(
        db, campaign_id=campaign_id, delivery_id=lea, sent=True, actor=coach, now=clock.now()
    )
    with pytest.raises(Conflict):  # marked once only
        await by_hand.mark(
            db, campaign_id=campaign_id, delivery_id=lea, sent=True, actor=coach, now=clock.now()
        )
    step = await by_hand.next_step(db, campaign_id, recorder_outlet, clock.now())
    assert step is not None and step.left == 1 and step.delivery.contact.name == "Zoé"
    await by_hand.mark(
        db,
        campaign_id=campaign_id,
        delivery_id=step.delivery.id,
        sent=False,
        actor=coach,
        now=clock.now(),
    )
    await db.commit()
    assert await by_hand.next_step(db, campaign_id, recorder_outlet, clock.now()) is None
    found = await rows(db)
    assert (found["Léa Martin"].status.value, found["Zoé"].status.value) == ("sent", "skipped")
    assert found["Zoé"].reason == "by_coach"
    campaign = await db.get_one(Campaign, campaign_id, populate_existing=True)
    assert campaign.status == CampaignStatus.sent
