"""The audit log (owner only)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from coachdesk.audit.service import recent
from coachdesk.web.deps import DB, Owner
from coachdesk.web.templating import render

router = APIRouter()


@router.get("/audit")
async def audit_log(request: Request, db: DB, owner: Owner) -> Response:
    return render(request, "coach/audit.html", {"entries": await recent(db), "tab": "audit"})
