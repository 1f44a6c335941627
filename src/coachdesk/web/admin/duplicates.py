"""Duplicate suspects and merges (each merge can be undone)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from coachdesk.contacts import crm, merge
from coachdesk.errors import AppError
from coachdesk.kit.ids import IdPath, parse_id
from coachdesk.web.deps import DB, Now, Owner
from coachdesk.web.forms import read_form
from coachdesk.web.templating import render

router = APIRouter(prefix="/contacts/duplicates")


async def page(request: Request, db: DB, error: str = "", status: int = 200) -> Response:
    context = {
        "groups": await merge.suspects(db),
        "merges": await merge.merges(db),
        "tab": "contacts",
        "error": error,
    }
    return render(request, "coach/duplicates.html", context, status=status)


@router.get("")
async def show(request: Request, db: DB, owner: Owner) -> Response:
    return await page(request, db)


@router.post("/merge")
async def do_merge(request: Request, db: DB, now: Now, owner: Owner) -> Response:
    form = await read_form(request)
    try:
        kept = await crm.get(db, parse_id(form.get("kept")) or 0)
        merged = await crm.get(db, parse_id(form.get("merged")) or 0)
        await merge.merge(db, kept=kept, merged=merged, actor=owner, now=now)
    except (AppError, ValueError) as exc:
        message = exc.translated() if isinstance(exc, AppError) else ""
        return await page(request, db, message, 422)
    return RedirectResponse("/coach/contacts/duplicates?msg=saved", status_code=303)


@router.post("/undo/{merge_id}")
async def undo(request: Request, merge_id: IdPath, db: DB, now: Now, owner: Owner) -> Response:
    try:
        await merge.undo(db, merge_id=merge_id, actor=owner, now=now)
    except AppError as exc:
        return await page(request, db, exc.translated(), exc.status)
    return RedirectResponse("/coach/contacts/duplicates?msg=restored", status_code=303)
