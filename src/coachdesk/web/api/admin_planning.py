"""Admin API: the planning as JSON — export, preview an import, import."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request

from coachdesk.backup import planning
from coachdesk.web.api.common import ERRORS
from coachdesk.web.deps import DB, Now, Owner

router = APIRouter(prefix="/planning", tags=["admin: backup"], responses=ERRORS)


@router.get("")
async def export_planning(db: DB, now: Now, owner: Owner) -> dict[str, Any]:
    """Settings (without secrets), offers, courses and promo codes, linked by name."""
    return await planning.export(db, now)


@router.post("/preview")
async def preview_planning(request: Request, db: DB, owner: Owner) -> dict[str, Any]:
    """What importing this file (the request body) would create and update."""
    plan = await planning.preview(db, planning.parse(await request.body()))
    return {"new": plan.new, "updated": plan.updated, "settings": plan.settings}


@router.post("")
async def import_planning(request: Request, db: DB, now: Now, owner: Owner) -> dict[str, Any]:
    """Imports the file (the request body) in one transaction; nothing is deleted."""
    plan = await planning.apply(db, planning.parse(await request.body()), actor=owner, now=now)
    return {"new": plan.new, "updated": plan.updated, "settings": plan.settings}
