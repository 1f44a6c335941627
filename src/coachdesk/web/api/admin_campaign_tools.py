"""Admin API around a campaign: preview for a contact, a test to the coach, WhatsApp by
hand (next message, mark sent or skipped), and the deliveries as CSV."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from fastapi import APIRouter, Response
from pydantic import BaseModel, Field
from sqlalchemy.ext.asyncio import AsyncSession

from coachdesk.campaigns import by_hand, export, preview, sending, service
from coachdesk.campaigns.preview import chosen_contact, preview_of
from coachdesk.contacts.crm import CONTACT_NOT_FOUND
from coachdesk.errors import NotFound
from coachdesk.kit.ids import Id, IdPath, IdQuery
from coachdesk.models import Contact
from coachdesk.web.api.common import ERRORS
from coachdesk.web.deps import DB, Now, Owner, Site, State
from coachdesk.web.downloads import csv_download
from coachdesk.web.outlets import outlet

router = APIRouter(prefix="/campaigns", tags=["admin: campaigns"], responses=ERRORS)


class PreviewOut(BaseModel):
    contact_id: Id | None
    subject: str
    text: str
    html: str
    whatsapp: str


class TestIn(BaseModel):
    channel: Literal["email", "whatsapp"]
    to: str = Field(max_length=254, description="E-mail address or phone number")
    contact_id: Id | None = Field(None, description="Whose values fill the variables")


class TestOut(BaseModel):
    sent: bool  # False: no provider — open `link` to send it by hand
    link: str = ""


class StepOut(BaseModel):
    delivery_id: Id
    contact_id: Id
    name: str
    phone: str
    text: str
    link: str
    left: int


async def _contact(db: AsyncSession, contact_id: int | None, now: datetime) -> Contact | None:
    if contact_id is None:
        return None
    found = await chosen_contact(db, str(contact_id), now)
    if found is None or found.id != contact_id:
        raise NotFound(CONTACT_NOT_FOUND)
    return found


@router.get("/{campaign_id}/preview", response_model=PreviewOut)
async def preview_campaign(
    campaign_id: IdPath,
    db: DB,
    now: Now,
    owner: Owner,
    site: Site,
    state: State,
    contact_id: IdQuery = None,
) -> PreviewOut:
    """The message as this contact (or, without one, the coach) will receive it."""
    campaign = await service.get(db, campaign_id)
    contact = await _contact(db, contact_id, now)
    shown = await preview_of(db, campaign, contact, owner, outlet(state, site), now)
    return PreviewOut(
        contact_id=contact.id if contact else None,
        subject=shown.subject,
        text=shown.email.text,
        html=shown.email.html,
        whatsapp=shown.whatsapp.text,
    )


@router.post("/{campaign_id}/test", response_model=TestOut)
async def send_test(
    campaign_id: IdPath, data: TestIn, db: DB, now: Now, owner: Owner, site: Site, state: State
) -> TestOut:
    campaign = await service.get(db, campaign_id)
    contact = await _contact(db, data.contact_id, now)
    out = outlet(state, site)
    shown = await preview_of(db, campaign, contact, owner, out, now)
    if data.channel == "email":
        await preview.test_email(db, shown, data.to, out, now)
        return TestOut(sent=out.email.delivers)
    link = await preview.test_whatsapp(shown, data.to, out)
    return TestOut(sent=not link, link=link)


@router.get("/{campaign_id}/whatsapp/next", response_model=StepOut | None)
async def next_by_hand(
    campaign_id: IdPath, db: DB, now: Now, owner: Owner, site: Site, state: State
) -> StepOut | None:
    """The next WhatsApp message to send by hand (null when none waits)."""
    await service.get(db, campaign_id)
    step = await by_hand.next_step(db, campaign_id, outlet(state, site), now)
    if step is None:
        return None
    row = step.delivery
    return StepOut(
        delivery_id=row.id,
        contact_id=row.contact_id,
        name=row.contact.name,
        phone=row.address,
        text=step.text,
        link=step.link,
        left=step.left,
    )


@router.post("/{campaign_id}/whatsapp/{delivery_id}/{choice}", status_code=204)
async def mark_by_hand(
    campaign_id: IdPath,
    delivery_id: IdPath,
    choice: Literal["sent", "skip"],
    db: DB,
    now: Now,
    owner: Owner,
) -> Response:
    await by_hand.mark(
        db,
        campaign_id=campaign_id,
        delivery_id=delivery_id,
        sent=choice == "sent",
        actor=owner,
        now=now,
    )
    return Response(status_code=204)


@router.get("/{campaign_id}/deliveries.csv", response_class=Response)
async def deliveries_csv(campaign_id: IdPath, db: DB, owner: Owner) -> Response:
    await service.get(db, campaign_id)
    rows = await sending.deliveries(db, campaign_id, limit=1_000_000)
    return csv_download(export.deliveries_csv(rows), f"campagne-{campaign_id}.csv")
