"""Promo codes in Coach Mode: list, search, filters, create, edit, usage, delete, export."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import ValidationError

from coachdesk.catalog.courses import list_courses
from coachdesk.catalog.offers import list_offers
from coachdesk.errors import AppError
from coachdesk.kit.clock import to_local
from coachdesk.kit.ids import IdPath, parse_id
from coachdesk.kit.validation import field_errors
from coachdesk.models import PromoCode
from coachdesk.promo import admin, csv_io
from coachdesk.promo.schemas import PromoCodeIn
from coachdesk.web.admin.promo_forms import beneficiary, code_form, read_promo_form, with_value
from coachdesk.web.deps import DB, Now, Owner
from coachdesk.web.downloads import csv_download
from coachdesk.web.forms import app_error_fields, rollback
from coachdesk.web.templating import render

router = APIRouter(prefix="/promo")


def wanted(request: Request) -> admin.CodeFilter:
    params = request.query_params
    batch = params.get("batch", "")
    return admin.CodeFilter(
        text=params.get("q", "")[:100],
        status=params.get("status", ""),
        batch_id=parse_id(batch),
    )


@router.get("")
async def list_page(request: Request, db: DB, now: Now, owner: Owner) -> Response:
    search = wanted(request)
    context = {
        "codes": await admin.search(db, search, today=to_local(now).date()),
        "wanted": search,
        "batches": await admin.batches(db),
        "tab": "promo",
        "today": to_local(now).date(),
        "query": request.url.query,
    }
    return render(request, "coach/promo_list.html", context)


@router.get(".csv")
async def export(request: Request, db: DB, now: Now, owner: Owner) -> Response:
    codes = await admin.search(db, wanted(request), today=to_local(now).date(), limit=100_000)
    return csv_download(csv_io.export(codes), f"codes-promo-{to_local(now):%Y-%m-%d}.csv")


async def form_page(
    request: Request,
    db: DB,
    *,
    form: dict[str, Any],
    errors: dict[str, str],
    code: PromoCode | None = None,
    status: int = 200,
) -> Response:
    context = {
        "form": form,
        "errors": errors,
        "code": code,
        "tab": "promo",
        "courses": await list_courses(db),
        "offers": await list_offers(db),
        "usage": await admin.usage(db, code) if code else [],
    }
    return render(request, "coach/promo_form.html", context, status=status)


@router.get("/new")
async def new_page(request: Request, db: DB, owner: Owner) -> Response:
    return await form_page(request, db, form={"kind": "percent", "active": True}, errors={})


async def _checked(
    db: DB, form: dict[str, Any], now: Any
) -> tuple[PromoCodeIn | None, dict[str, str]]:
    data, errors = with_value(form)
    data.pop("contact_ids", None)  # a batch field
    data["beneficiary_id"], more = await beneficiary(db, form, now)
    try:
        return PromoCodeIn.model_validate(data), {**errors, **more}
    except ValidationError as exc:
        return None, {**field_errors(exc.errors()), **errors, **more}


@router.post("")
async def create(request: Request, db: DB, now: Now, owner: Owner) -> Response:
    form = await read_promo_form(request)
    data, errors = await _checked(db, form, now)
    try:
        if data is None or errors:
            raise AppError(status=422)
        code = await admin.create_code(db, data=data, actor=owner, now=now)
    except AppError as exc:
        await rollback(request, db)
        return await form_page(
            request, db, form=form, status=exc.status, errors=errors or app_error_fields(exc)
        )
    return RedirectResponse(f"/coach/promo/{code.id}?msg=created", status_code=303)


@router.get("/{code_id}")
async def edit_page(request: Request, code_id: IdPath, db: DB, owner: Owner) -> Response:
    code = await admin.get(db, code_id)
    return await form_page(request, db, form=code_form(code), errors={}, code=code)


@router.post("/{code_id}")
async def update(request: Request, code_id: IdPath, db: DB, now: Now, owner: Owner) -> Response:
    code = await admin.get(db, code_id)
    form = {**await read_promo_form(request), "code": code.code}
    data, errors = await _checked(db, form, now)
    try:
        if data is None or errors:
            raise AppError(status=422)
        await admin.update_code(db, code=code, data=data, actor=owner, now=now)
    except AppError as exc:
        await rollback(request, db)
        code = await admin.get(db, code_id)
        found = errors or app_error_fields(exc)
        return await form_page(request, db, form=form, errors=found, code=code, status=exc.status)
    return RedirectResponse(f"/coach/promo/{code_id}?msg=saved", status_code=303)


@router.post("/{code_id}/delete")
async def delete(request: Request, code_id: IdPath, db: DB, now: Now, owner: Owner) -> Response:
    code = await admin.get(db, code_id)
    try:
        await admin.delete_code(db, code=code, actor=owner, now=now)
    except AppError as exc:
        return await form_page(
            request,
            db,
            form=code_form(code),
            code=code,
            errors=app_error_fields(exc),
            status=exc.status,
        )
    return RedirectResponse("/coach/promo?msg=deleted", status_code=303)
