"""Generating codes in bulk, and a batch's page (list, export, deactivate, delete)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import ValidationError

from coachdesk.catalog.courses import list_courses
from coachdesk.catalog.offers import list_offers
from coachdesk.errors import AppError
from coachdesk.kit.ids import IdPath
from coachdesk.kit.validation import field_errors
from coachdesk.promo import batches, csv_io
from coachdesk.promo.schemas import BatchIn
from coachdesk.web.admin.promo_forms import read_promo_form, with_value
from coachdesk.web.deps import DB, Now, Owner
from coachdesk.web.downloads import csv_download
from coachdesk.web.forms import app_error_fields, rollback
from coachdesk.web.templating import render

router = APIRouter(prefix="/promo/batches")


async def form_page(
    request: Request, db: DB, *, form: dict[str, Any], errors: dict[str, str], status: int = 200
) -> Response:
    context = {
        "form": form,
        "errors": errors,
        "tab": "promo",
        "courses": await list_courses(db),
        "offers": await list_offers(db),
    }
    return render(request, "coach/promo_batch_form.html", context, status=status)


@router.get("/new")
async def new_page(request: Request, db: DB, owner: Owner) -> Response:
    form = {"kind": "percent", "count": 10, "naming": "random", "max_uses": 1, "active": True}
    return await form_page(request, db, form=form, errors={})


@router.post("")
async def create(request: Request, db: DB, now: Now, owner: Owner) -> Response:
    form = await read_promo_form(request)
    data, errors = with_value(form)
    try:
        batch = await batches.create_batch(
            db, data=BatchIn.model_validate(data), actor=owner, now=now
        )
    except ValidationError as exc:
        return await form_page(
            request, db, form=form, status=422, errors={**field_errors(exc.errors()), **errors}
        )
    except AppError as exc:
        await rollback(request, db)
        return await form_page(
            request, db, form=form, errors=app_error_fields(exc), status=exc.status
        )
    return RedirectResponse(f"/coach/promo/batches/{batch.id}?msg=created", status_code=303)


@router.get("/{batch_id}.csv")
async def export(batch_id: IdPath, db: DB, owner: Owner) -> Response:
    batch = await batches.get_batch(db, batch_id)
    return csv_download(
        csv_io.export(await batches.batch_codes(db, batch)),
        f"codes-{batch.name}.csv".replace(" ", "-").replace('"', ""),
    )


@router.get("/{batch_id}")
async def show(request: Request, batch_id: IdPath, db: DB, owner: Owner) -> Response:
    batch = await batches.get_batch(db, batch_id)
    context = {
        "batch": batch,
        "codes": await batches.batch_codes(db, batch),
        "tab": "promo",
        "error": "",
    }
    return render(request, "coach/promo_batch.html", context)


@router.post("/{batch_id}/active")
async def set_active(
    request: Request, batch_id: IdPath, db: DB, now: Now, owner: Owner
) -> Response:
    batch = await batches.get_batch(db, batch_id)
    active = (await request.form()).get("active") == "1"
    await batches.set_batch_active(db, batch=batch, active=active, actor=owner, now=now)
    return RedirectResponse(f"/coach/promo/batches/{batch_id}?msg=saved", status_code=303)


@router.post("/{batch_id}/delete")
async def delete(request: Request, batch_id: IdPath, db: DB, now: Now, owner: Owner) -> Response:
    batch = await batches.get_batch(db, batch_id)
    try:
        await batches.delete_batch(db, batch=batch, actor=owner, now=now)
    except AppError as exc:
        context = {
            "batch": batch,
            "codes": await batches.batch_codes(db, batch),
            "tab": "promo",
            "error": exc.translated(),
        }
        return render(request, "coach/promo_batch.html", context, status=exc.status)
    return RedirectResponse("/coach/promo?msg=deleted", status_code=303)
