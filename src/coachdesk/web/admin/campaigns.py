"""Campaigns in Coach Mode: list, write (with who it reaches), launch now or at a moment,
pause / resume / cancel, the report, and interrupted rows to resend or drop."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from coachdesk.campaigns import sending, service
from coachdesk.campaigns.audience import AudienceKind
from coachdesk.campaigns.message import VARIABLES
from coachdesk.campaigns.service import EDITABLE, CampaignIn
from coachdesk.errors import AppError, Invalid
from coachdesk.kit.clock import ZURICH
from coachdesk.kit.i18n import N_
from coachdesk.models import Campaign, DeliveryStatus
from coachdesk.web.deps import DB, Now, Owner
from coachdesk.web.forms import app_error_fields, checkbox, read_form, rollback, validate
from coachdesk.web.templating import render

router = APIRouter(prefix="/campaigns")
KINDS = (
    AudienceKind.everyone,
    AudienceKind.tags,
    AudienceKind.booked_within,
    AudienceKind.never_booked,
    AudienceKind.pass_expiring,
)
BAD_MOMENT = N_("Date et heure invalides.")


def to_form(campaign: Campaign) -> dict[str, Any]:
    audience = campaign.audience or {}
    return {
        "name": campaign.name,
        "subject": campaign.subject,
        "body": campaign.body,
        "media_url": campaign.media_url,
        "email": campaign.email,
        "whatsapp": campaign.whatsapp,
        "kind": audience.get("kind", "everyone"),
        "tags": ", ".join(audience.get("tags", [])),
        "days": audience.get("days") or "",
    }


def from_form(form: dict[str, Any]) -> tuple[CampaignIn | None, dict[str, str]]:
    days = str(form.get("days", "")).strip()
    audience = {
        "kind": form.get("kind", "everyone"),
        "tags": [t for t in str(form.get("tags", "")).split(",") if t.strip()],
        "days": int(days) if days.isdigit() else None,
    }
    fields = ("name", "subject", "body", "media_url", "email", "whatsapp")
    return validate(CampaignIn, {**{k: form[k] for k in fields if k in form}, "audience": audience})


async def page(
    request: Request,
    db: DB,
    now: datetime,
    campaign: Campaign | None,
    *,
    form: dict[str, Any] | None = None,
    errors: dict[str, str] | None = None,
    status: int = 200,
) -> Response:
    context: dict[str, Any] = {
        "campaign": campaign,
        "form": form or (to_form(campaign) if campaign else {"email": True, "kind": "everyone"}),
        "errors": errors or {},
        "kinds": KINDS,
        "variables": VARIABLES,
        "editable": campaign is None or campaign.status in EDITABLE,
        "tab": "campaigns",
    }
    if campaign is not None:
        context["reach"] = await service.reach(db, campaign, now)
        context["report"] = await sending.report(db, campaign.id)
        context["stuck"] = await sending.deliveries(
            db, campaign.id, status=DeliveryStatus.interrupted, limit=200
        )
    return render(request, "coach/campaign.html", context, status=status)


def back(campaign_id: int, msg: str = "saved") -> RedirectResponse:
    return RedirectResponse(f"/coach/campaigns/{campaign_id}?msg={msg}", status_code=303)


@router.get("")
async def list_page(request: Request, db: DB, owner: Owner) -> Response:
    context = {"campaigns": await service.all_campaigns(db), "tab": "campaigns"}
    return render(request, "coach/campaigns.html", context)


@router.get("/new")
async def new_page(request: Request, db: DB, now: Now, owner: Owner) -> Response:
    return await page(request, db, now, None)


@router.post("")
async def create(request: Request, db: DB, now: Now, owner: Owner) -> Response:
    form = checkbox(await read_form(request), "email", "whatsapp")
    data, errors = from_form(form)
    try:
        if data is None:
            raise AppError(status=422)
        campaign = await service.create(db, data=data, actor=owner, now=now)
    except AppError as exc:
        await rollback(request, db)
        fields = errors or app_error_fields(exc)
        return await page(request, db, now, None, form=form, errors=fields, status=exc.status)
    return back(campaign.id, "created")


@router.get("/{campaign_id}")
async def show(request: Request, campaign_id: int, db: DB, now: Now, owner: Owner) -> Response:
    return await page(request, db, now, await service.get(db, campaign_id))


@router.post("/{campaign_id}")
async def update(request: Request, campaign_id: int, db: DB, now: Now, owner: Owner) -> Response:
    campaign = await service.get(db, campaign_id)
    form = checkbox(await read_form(request), "email", "whatsapp")
    data, errors = from_form(form)
    try:
        if data is None:
            raise AppError(status=422)
        await service.update(db, campaign=campaign, data=data, actor=owner, now=now)
    except AppError as exc:
        await rollback(request, db)
        campaign = await service.get(db, campaign_id)
        fields = errors or app_error_fields(exc)
        return await page(request, db, now, campaign, form=form, errors=fields, status=exc.status)
    return back(campaign_id)


def moment(text: str) -> list[datetime]:
    if not text.strip():
        return []
    try:
        local = datetime.fromisoformat(text.strip())
    except ValueError as exc:
        raise Invalid(BAD_MOMENT, code="bad_moment", field="when") from exc
    return [local.replace(tzinfo=ZURICH)]


@router.post("/{campaign_id}/launch")
async def launch(request: Request, campaign_id: int, db: DB, now: Now, owner: Owner) -> Response:
    campaign = await service.get(db, campaign_id)
    form = await read_form(request)
    try:
        times = moment(str(form.get("when", "")))
        await service.launch(db, campaign=campaign, times=times, actor=owner, now=now)
    except AppError as exc:
        await rollback(request, db)
        campaign = await service.get(db, campaign_id)
        errors = app_error_fields(exc)
        errors.setdefault("__all__", next(iter(errors.values()), ""))
        return await page(request, db, now, campaign, errors=errors, status=exc.status)
    return back(campaign_id, "launched")


@router.post("/{campaign_id}/{action}")
async def act(campaign_id: int, action: str, db: DB, now: Now, owner: Owner) -> Response:
    campaign = await service.get(db, campaign_id)
    moves = {"pause": service.pause, "resume": service.resume, "cancel": service.cancel}
    if action in moves:
        await moves[action](db, campaign=campaign, actor=owner, now=now)
    return back(campaign_id)


@router.post("/{campaign_id}/deliveries/{delivery_id}/{choice}")
async def settle(
    campaign_id: int, delivery_id: int, choice: str, db: DB, now: Now, owner: Owner
) -> Response:
    await sending.settle_interrupted(
        db, delivery_id=delivery_id, resend=choice == "resend", now=now
    )
    return back(campaign_id)
