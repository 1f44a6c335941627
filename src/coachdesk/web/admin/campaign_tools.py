"""Around a campaign in Coach Mode: live preview for a chosen contact, "send me a test",
WhatsApp by hand, progress while sending, and the report as CSV."""

from __future__ import annotations

from datetime import datetime

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response
from sqlalchemy.ext.asyncio import AsyncSession

from coachdesk.campaigns import by_hand, export, preview, sending, service
from coachdesk.campaigns.preview import chosen_contact, preview_of
from coachdesk.errors import AppError
from coachdesk.kit.ids import IdPath
from coachdesk.models import Coach, DeliveryStatus
from coachdesk.web.deps import DB, Now, Owner, Site, State
from coachdesk.web.downloads import csv_download
from coachdesk.web.forms import read_form
from coachdesk.web.outlets import outlet
from coachdesk.web.templating import render

router = APIRouter(prefix="/campaigns")


@router.post("/preview")
async def live_preview(
    request: Request, db: DB, now: Now, owner: Owner, site: Site, state: State
) -> Response:
    """The editor's live preview: the message as written in the form, not yet saved."""
    form = await read_form(request)
    try:
        draft = preview.draft(
            str(form.get("body", "")),
            str(form.get("subject", "")),
            str(form.get("media_url", "")),
            str(form.get("name", "")),
        )
    except AppError as exc:
        return JSONResponse({"error": exc.translated()})
    contact = await chosen_contact(db, str(form.get("contact", "")), now)
    shown = await preview_of(db, draft, contact, owner, outlet(state, site), now)
    return JSONResponse(
        {
            "error": "",
            "contact": contact.name if contact else "",
            "subject": shown.subject,
            "text": shown.email.text,
            "whatsapp": shown.whatsapp.text,
        }
    )


@router.get("/{campaign_id}/progress")
async def progress(request: Request, campaign_id: IdPath, db: DB, owner: Owner) -> Response:
    """The report card as it stands (Coach Mode reloads it when the worker tells of
    progress)."""
    campaign = await service.get(db, campaign_id)
    context = {
        "campaign": campaign,
        "report": await sending.report(db, campaign_id),
        "waiting_by_hand": await by_hand.waiting_count(db, campaign_id),
        "failures": await sending.deliveries(
            db, campaign_id, status=DeliveryStatus.failed, limit=100
        ),
    }
    return render(request, "coach/_campaign_report.html", context)


@router.get("/{campaign_id}/report.csv")
async def report_csv(campaign_id: IdPath, db: DB, owner: Owner) -> Response:
    campaign = await service.get(db, campaign_id)
    rows = await sending.deliveries(db, campaign_id, limit=1_000_000)
    return csv_download(export.deliveries_csv(rows), f"campagne-{campaign.id}.csv")


@router.get("/{campaign_id}/whatsapp")
async def whatsapp_by_hand(
    request: Request, campaign_id: IdPath, db: DB, now: Now, owner: Owner, site: Site, state: State
) -> Response:
    campaign = await service.get(db, campaign_id)
    step = await by_hand.next_step(db, campaign_id, outlet(state, site), now)
    context = {"campaign": campaign, "step": step, "tab": "campaigns"}
    return render(request, "coach/campaign_whatsapp.html", context)


@router.post("/{campaign_id}/whatsapp/{delivery_id}/sent")
async def sent_by_hand(
    campaign_id: IdPath, delivery_id: IdPath, db: DB, now: Now, owner: Owner
) -> Response:
    return await _by_hand(db, campaign_id, delivery_id, sent=True, owner=owner, now=now)


@router.post("/{campaign_id}/whatsapp/{delivery_id}/skip")
async def skipped_by_hand(
    campaign_id: IdPath, delivery_id: IdPath, db: DB, now: Now, owner: Owner
) -> Response:
    return await _by_hand(db, campaign_id, delivery_id, sent=False, owner=owner, now=now)


async def _by_hand(
    db: AsyncSession, campaign_id: int, delivery_id: int, *, sent: bool, owner: Coach, now: datetime
) -> Response:
    await by_hand.mark(
        db, campaign_id=campaign_id, delivery_id=delivery_id, sent=sent, actor=owner, now=now
    )
    return RedirectResponse(f"/coach/campaigns/{campaign_id}/whatsapp", status_code=303)
