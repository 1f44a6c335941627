"""Campaigns in Coach Mode: list, write (with who it reaches), launch now or at a moment,
pause / resume / cancel, the report, and interrupted rows to resend or drop."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.ext.asyncio import AsyncSession

from coachdesk.campaigns import by_hand, preview, sending, service
from coachdesk.campaigns.audience import AudienceKind, contact_labels
from coachdesk.campaigns.audience import contacts_named as contact_ids
from coachdesk.campaigns.message import VARIABLES
from coachdesk.campaigns.preview import chosen_contact, preview_of
from coachdesk.campaigns.service import EDITABLE, CampaignIn
from coachdesk.catalog.courses import list_courses
from coachdesk.chat import links as chat_links
from coachdesk.errors import AppError, Invalid
from coachdesk.kit.clock import ZURICH
from coachdesk.kit.days import plausible
from coachdesk.kit.i18n import N_, gettext
from coachdesk.kit.ids import IdPath
from coachdesk.models import Campaign, DeliveryStatus
from coachdesk.site import service as site_service
from coachdesk.web.deps import DB, Now, Owner, Site, State
from coachdesk.web.forms import app_error_fields, checkbox, read_form, rollback, validate
from coachdesk.web.outlets import outlet
from coachdesk.web.state import AppState
from coachdesk.web.templating import render

router = APIRouter(prefix="/campaigns")
KINDS = tuple(AudienceKind)
BAD_MOMENT = N_("Date et heure invalides.")
UNKNOWN_PEOPLE = N_("Personne ne correspond à : %(entries)s")


async def to_form(db: AsyncSession, campaign: Campaign) -> dict[str, Any]:
    audience = campaign.audience or {}
    people = await contact_labels(db, tuple(audience.get("contact_ids", [])))
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
        "people": "\n".join(people),
        "course_id": audience.get("course_id") or "",
        "link_id": audience.get("link_id") or "",
    }


def _number(form: dict[str, Any], name: str) -> int | None:
    text = str(form.get(name, "")).strip()
    return int(text) if text.isdigit() else None


async def from_form(
    db: AsyncSession, form: dict[str, Any]
) -> tuple[CampaignIn | None, dict[str, str]]:
    kind = form.get("kind", "everyone")
    chosen: list[int] = []
    problems: dict[str, str] = {}
    if kind == AudienceKind.contacts.value:
        entries = re.split(r"[,;\n]+", str(form.get("people", "")))
        chosen, unknown = await contact_ids(db, entries)
        if unknown:
            problems["people"] = gettext(UNKNOWN_PEOPLE, entries=", ".join(unknown[:10]))
    audience = {
        "kind": kind,
        "tags": [t for t in str(form.get("tags", "")).split(",") if t.strip()],
        "days": _number(form, "days"),
        "contact_ids": chosen,
        "course_id": _number(form, "course_id") if kind == AudienceKind.attended.value else None,
        "link_id": _number(form, "link_id") if kind == AudienceKind.chat_link.value else None,
    }
    fields = ("name", "subject", "body", "media_url", "email", "whatsapp")
    data, errors = validate(
        CampaignIn, {**{k: form[k] for k in fields if k in form}, "audience": audience}
    )
    if problems:
        return None, {**errors, **problems}
    return data, errors


async def page(
    request: Request,
    db: DB,
    now: datetime,
    campaign: Campaign | None,
    *,
    form: dict[str, Any] | None = None,
    errors: dict[str, str] | None = None,
    status: int = 200,
    extra: dict[str, Any] | None = None,
) -> Response:
    blank = {"email": True, "kind": "everyone"}
    context: dict[str, Any] = {
        "campaign": campaign,
        "form": form or (await to_form(db, campaign) if campaign else blank),
        "errors": errors or {},
        "kinds": KINDS,
        "variables": VARIABLES,
        "editable": campaign is None or campaign.status in EDITABLE,
        "courses": await list_courses(db),
        "links": await chat_links.all_links(db),
        "tab": "campaigns",
        **(extra or {}),
    }
    if campaign is not None:
        context.update(await _follow_up(request, db, now, campaign, extra or {}))
    return render(request, "coach/campaign.html", context, status=status)


async def _follow_up(
    request: Request, db: AsyncSession, now: datetime, campaign: Campaign, extra: dict[str, Any]
) -> dict[str, Any]:
    """Reach, preview, tests and report of a stored campaign."""
    state: AppState = request.app.state.core
    out = outlet(state, await site_service.load(db))
    wanted = str(
        extra.get("test_form", {}).get("contact") or request.query_params.get("contact", "")
    )
    contact = await chosen_contact(db, wanted, now)
    coach = request.state.coach
    shown = None
    if campaign.body:
        shown = await preview_of(db, campaign, contact, coach, out, now)
    return {
        "reach": await service.reach(db, campaign, now),
        "report": await sending.report(db, campaign.id),
        "stuck": await sending.deliveries(
            db, campaign.id, status=DeliveryStatus.interrupted, limit=200
        ),
        "preview": shown,
        "preview_contact": contact,
        "by_hand": not out.whatsapp.delivers,
        "waiting_by_hand": await by_hand.waiting_count(db, campaign.id),
        "failures": await sending.deliveries(
            db, campaign.id, status=DeliveryStatus.failed, limit=100
        ),
        "test_to": extra.get("test_form", {}).get("test_to") or coach.email,
        "test_phone": extra.get("test_form", {}).get("test_phone", ""),
    }


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
    data, errors = await from_form(db, form)
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
async def show(request: Request, campaign_id: IdPath, db: DB, now: Now, owner: Owner) -> Response:
    return await page(request, db, now, await service.get(db, campaign_id))


@router.post("/{campaign_id}")
async def update(request: Request, campaign_id: IdPath, db: DB, now: Now, owner: Owner) -> Response:
    campaign = await service.get(db, campaign_id)
    form = checkbox(await read_form(request), "email", "whatsapp")
    data, errors = await from_form(db, form)
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
    if not plausible(local):
        raise Invalid(BAD_MOMENT, code="bad_moment", field="when")
    return [local.replace(tzinfo=ZURICH)]


@router.post("/{campaign_id}/launch")
async def launch(request: Request, campaign_id: IdPath, db: DB, now: Now, owner: Owner) -> Response:
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


@router.post("/{campaign_id}/test")
async def send_test(
    request: Request, campaign_id: IdPath, db: DB, now: Now, owner: Owner, site: Site, state: State
) -> Response:
    """The message as the chosen contact would get it, sent to the coach's own address."""
    campaign = await service.get(db, campaign_id)
    form = await read_form(request)
    contact = await chosen_contact(db, str(form.get("contact", "")), now)
    out = outlet(state, site)
    extra: dict[str, Any] = {}
    try:
        shown = await preview_of(db, campaign, contact, owner, out, now)
        if form.get("channel") == "whatsapp":
            link = await preview.test_whatsapp(shown, str(form.get("test_phone", "")), out)
            if link:  # no provider: the coach opens it in WhatsApp
                extra["test_link"] = link
            else:
                extra["test_done"] = "whatsapp"
        else:
            await preview.test_email(db, shown, str(form.get("test_to", "")), out, now)
            extra["test_done"] = "email" if out.email.delivers else "outbox"
    except AppError as exc:
        await rollback(request, db)
        campaign = await service.get(db, campaign_id)
        errors = {exc.field or "__all__": exc.translated()}
        return await page(request, db, now, campaign, errors=errors, status=exc.status, form=None)
    return await page(request, db, now, campaign, extra={**extra, "test_form": form})


@router.post("/{campaign_id}/pause")
async def pause(campaign_id: IdPath, db: DB, now: Now, owner: Owner) -> Response:
    await service.pause(db, campaign=await service.get(db, campaign_id), actor=owner, now=now)
    return back(campaign_id)


@router.post("/{campaign_id}/resume")
async def resume(campaign_id: IdPath, db: DB, now: Now, owner: Owner) -> Response:
    await service.resume(db, campaign=await service.get(db, campaign_id), actor=owner, now=now)
    return back(campaign_id)


@router.post("/{campaign_id}/cancel")
async def cancel(campaign_id: IdPath, db: DB, now: Now, owner: Owner) -> Response:
    await service.cancel(db, campaign=await service.get(db, campaign_id), actor=owner, now=now)
    return back(campaign_id)


@router.post("/{campaign_id}/deliveries/{delivery_id}/resend")
async def resend(
    campaign_id: IdPath, delivery_id: IdPath, db: DB, now: Now, owner: Owner
) -> Response:
    await sending.settle_interrupted(db, delivery_id=delivery_id, resend=True, now=now)
    return back(campaign_id)


@router.post("/{campaign_id}/deliveries/{delivery_id}/drop")
async def drop(
    campaign_id: IdPath, delivery_id: IdPath, db: DB, now: Now, owner: Owner
) -> Response:
    await sending.settle_interrupted(db, delivery_id=delivery_id, resend=False, now=now)
    return back(campaign_id)
