"""Contacts in Coach Mode: list, filters, CSV, add, edit, tags, consents, timeline, GDPR."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response
from pydantic import ValidationError

from coachdesk.contacts import crm, gdpr
from coachdesk.contacts.consents import history
from coachdesk.contacts.crm import ContactFilter, ContactIn
from coachdesk.contacts.export import contacts_csv
from coachdesk.contacts.timeline import dossier
from coachdesk.errors import AppError
from coachdesk.kit.clock import to_local
from coachdesk.kit.ids import IdPath
from coachdesk.kit.validation import field_errors
from coachdesk.models import Contact
from coachdesk.web.deps import DB, Now, Owner
from coachdesk.web.downloads import csv_download
from coachdesk.web.forms import app_error_fields, checkbox, read_form, rollback
from coachdesk.web.templating import render

router = APIRouter(prefix="/contacts")


def wanted(request: Request) -> ContactFilter:
    params = request.query_params
    days = params.get("active", "")
    return ContactFilter(
        text=params.get("q", "")[:100],
        tag=params.get("tag", ""),
        source=params.get("source", ""),
        consent=params.get("consent", ""),
        active_days=int(days) if days.isdigit() and len(days) <= 4 else None,
    )


@router.get("")
async def list_page(request: Request, db: DB, now: Now, owner: Owner) -> Response:
    search = wanted(request)
    context = {
        "contacts": await crm.search(db, search, now=now),
        "wanted": search,
        "tags": await crm.all_tags(db),
        "sources": await crm.sources(db),
        "tab": "contacts",
        "query": request.url.query,
    }
    return render(request, "coach/contacts.html", context)


@router.get(".csv")
async def export(request: Request, db: DB, now: Now, owner: Owner) -> Response:
    found = await crm.search(db, wanted(request), now=now, limit=100_000)
    return csv_download(contacts_csv(found), f"contacts-{to_local(now):%Y-%m-%d}.csv")


@router.get("/new")
async def new_page(request: Request, owner: Owner) -> Response:
    return render(
        request,
        "coach/contact_new.html",
        {"form": {"language": "fr"}, "errors": {}, "tab": "contacts"},
    )


def parse(form: dict[str, Any]) -> tuple[ContactIn | None, dict[str, str]]:
    try:
        return ContactIn.model_validate(form), {}
    except ValidationError as exc:
        return None, field_errors(exc.errors())


@router.post("")
async def create(request: Request, db: DB, now: Now, owner: Owner) -> Response:
    form = checkbox(await read_form(request), "consent_email", "consent_whatsapp")
    data, errors = parse(form)
    try:
        if data is None:
            raise AppError(status=422)
        contact = await crm.create(db, data=data, actor=owner, now=now)
    except AppError as exc:
        await rollback(request, db)
        return render(
            request,
            "coach/contact_new.html",
            {"form": form, "errors": errors or app_error_fields(exc), "tab": "contacts"},
            status=exc.status,
        )
    return RedirectResponse(f"/coach/contacts/{contact.id}?msg=created", status_code=303)


async def contact_page(
    request: Request,
    db: DB,
    contact: Contact,
    *,
    form: dict[str, Any] | None = None,
    errors: dict[str, str] | None = None,
    status: int = 200,
) -> Response:
    found = await dossier(db, contact)
    context = {
        "contact": contact,
        "dossier": found,
        "timeline": found.timeline(),
        "consents": await history(db, contact),
        "tab": "contacts",
        "form": form or {k: getattr(contact, k) or "" for k in ContactIn.model_fields},
        "errors": errors or {},
    }
    return render(request, "coach/contact.html", context, status=status)


@router.get("/{contact_id}")
async def show(request: Request, contact_id: IdPath, db: DB, owner: Owner) -> Response:
    return await contact_page(request, db, await crm.get(db, contact_id))


@router.post("/{contact_id}")
async def update(request: Request, contact_id: IdPath, db: DB, now: Now, owner: Owner) -> Response:
    contact = await crm.get(db, contact_id)
    form = checkbox(await read_form(request), "consent_email", "consent_whatsapp")
    data, errors = parse(form)
    try:
        if data is None:
            raise AppError(status=422)
        await crm.update(db, contact=contact, data=data, actor=owner, now=now)
    except AppError as exc:
        await rollback(request, db)
        contact = await crm.get(db, contact_id)
        return await contact_page(
            request,
            db,
            contact,
            form=form,
            status=exc.status,
            errors=errors or app_error_fields(exc),
        )
    return RedirectResponse(f"/coach/contacts/{contact_id}?msg=saved", status_code=303)


@router.post("/{contact_id}/tags")
async def tags(request: Request, contact_id: IdPath, db: DB, owner: Owner) -> Response:
    contact = await crm.get(db, contact_id)
    form = await read_form(request)
    try:
        if form.get("remove"):
            await crm.remove_tag(db, contact=contact, tag=form["remove"])
        else:
            await crm.add_tag(db, contact=contact, tag=form.get("tag", ""))
    except AppError as exc:
        return await contact_page(
            request, db, contact, errors=app_error_fields(exc), status=exc.status
        )
    return RedirectResponse(f"/coach/contacts/{contact_id}#tags", status_code=303)


@router.get("/{contact_id}/export.json")
async def export_person(contact_id: IdPath, db: DB, owner: Owner) -> Response:
    contact = await crm.get(db, contact_id)
    return JSONResponse(
        await gdpr.export(db, contact),
        headers={"Content-Disposition": f'attachment; filename="contact-{contact.id}.json"'},
    )


@router.post("/{contact_id}/erase")
async def erase(contact_id: IdPath, db: DB, now: Now, owner: Owner) -> Response:
    await gdpr.erase(db, contact=await crm.get(db, contact_id), actor=owner, now=now)
    return RedirectResponse("/coach/contacts?msg=erased", status_code=303)
