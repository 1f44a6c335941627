"""The Sauvegarde tab: the planning exported as JSON, and imported after a preview."""

from __future__ import annotations

import json

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from starlette.datastructures import UploadFile

from coachdesk.backup import planning
from coachdesk.errors import AppError
from coachdesk.web.deps import DB, Now, Owner
from coachdesk.web.forms import rollback
from coachdesk.web.templating import render

router = APIRouter(prefix="/backup")


def page(request: Request, **context: object) -> Response:
    status = int(str(context.pop("status", 200)))
    values = {"tab": "backup", "plan": None, "content": "", "error": "", **context}
    return render(request, "coach/backup.html", values, status=status)


@router.get("")
async def show(request: Request, owner: Owner) -> Response:
    return page(request)


@router.get("/planning.json")
async def download(db: DB, now: Now, owner: Owner) -> Response:
    body = json.dumps(await planning.export(db, now), ensure_ascii=False, indent=2)
    name = f"planning-{now:%Y-%m-%d}.json"
    headers = {"Content-Disposition": f'attachment; filename="{name}"'}
    return Response(body, media_type="application/json", headers=headers)


async def _content(request: Request) -> bytes:
    form = await request.form()
    upload, kept = form.get("file"), form.get("content")
    if isinstance(upload, UploadFile) and upload.filename:
        return await upload.read(planning.MAX_BYTES + 1)
    return kept.encode() if isinstance(kept, str) else b""


@router.post("/preview")
async def preview(request: Request, db: DB, owner: Owner) -> Response:
    raw = await _content(request)
    try:
        checked = planning.parse(raw)
        plan = await planning.preview(db, checked)
    except AppError as exc:
        return page(request, error=exc.translated(), status=exc.status)
    return page(request, plan=plan, content=raw.decode())


@router.post("/import")
async def confirm(request: Request, db: DB, now: Now, owner: Owner) -> Response:
    raw = await _content(request)
    try:
        checked = planning.parse(raw)
        await planning.apply(db, checked, actor=owner, now=now)
    except AppError as exc:
        await rollback(request, db)
        return page(request, error=exc.translated(), status=exc.status)
    return RedirectResponse("/coach/backup?msg=imported", status_code=303)
