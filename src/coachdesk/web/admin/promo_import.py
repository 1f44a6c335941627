"""Importing promo codes from CSV: upload, preview with per-row errors, then import all
(only when every row is valid) or the valid rows only (when the coach chooses so)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from starlette.datastructures import UploadFile

from coachdesk.errors import AppError
from coachdesk.promo import csv_io
from coachdesk.web.deps import DB, Now, Owner
from coachdesk.web.forms import rollback
from coachdesk.web.templating import render

router = APIRouter(prefix="/promo/import")


@router.get("")
async def upload_page(request: Request, owner: Owner) -> Response:
    return render(
        request,
        "coach/promo_import.html",
        {"tab": "promo", "rows": None, "content": "", "error": ""},
    )


async def _content(request: Request) -> str:
    form = await request.form()
    upload, pasted = form.get("file"), form.get("content")
    if isinstance(upload, UploadFile) and upload.filename:
        return (await upload.read(csv_io.MAX_BYTES + 1)).decode("utf-8-sig", errors="replace")
    return pasted if isinstance(pasted, str) else ""


@router.post("")
async def preview(request: Request, db: DB, owner: Owner) -> Response:
    content = await _content(request)
    try:
        rows = await csv_io.preview(db, content.encode())
    except AppError as exc:
        return render(
            request,
            "coach/promo_import.html",
            {"tab": "promo", "rows": None, "content": "", "error": exc.translated()},
            status=exc.status,
        )
    context = {
        "tab": "promo",
        "rows": rows,
        "content": content,
        "error": "",
        "bad": sum(1 for r in rows if r.errors),
    }
    return render(request, "coach/promo_import.html", context)


@router.post("/confirm")
async def confirm(request: Request, db: DB, now: Now, owner: Owner) -> Response:
    content = await _content(request)
    skip = (await request.form()).get("skip_invalid") == "1"
    try:
        rows = await csv_io.preview(db, content.encode())
        done = await csv_io.import_rows(db, rows=rows, skip_invalid=skip, actor=owner, now=now)
    except AppError as exc:
        await rollback(request, db)
        return render(
            request,
            "coach/promo_import.html",
            {"tab": "promo", "rows": None, "content": content, "error": exc.translated()},
            status=exc.status,
        )
    return RedirectResponse(f"/coach/promo?msg=imported&n={done}", status_code=303)
