"""Team: the owner adds, deactivates and reactivates accounts."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from coachdesk.auth import team
from coachdesk.auth.service import create_coach
from coachdesk.errors import AppError
from coachdesk.kit.ids import IdPath
from coachdesk.models import CoachRole
from coachdesk.web.deps import DB, Now, Owner
from coachdesk.web.forms import app_error_fields, read_form
from coachdesk.web.templating import render

router = APIRouter(prefix="/team")


async def team_page(
    request: Request, db: DB, *, form: dict[str, Any], errors: dict[str, str], status: int = 200
) -> Response:
    context = {
        "accounts": await team.list_accounts(db),
        "form": form,
        "errors": errors,
        "tab": "team",
    }
    return render(request, "coach/team.html", context, status=status)


@router.get("")
async def show(request: Request, db: DB, owner: Owner) -> Response:
    return await team_page(request, db, form={"role": "staff"}, errors={})


@router.post("")
async def add(request: Request, db: DB, now: Now, owner: Owner) -> Response:
    form = await read_form(request)
    role = CoachRole.owner if form.get("role") == "owner" else CoachRole.staff
    try:
        await create_coach(
            db,
            email=form.get("email", ""),
            password=form.get("password", ""),
            name=form.get("name", ""),
            role=role,
            now=now,
            actor=owner,
        )
    except AppError as exc:
        form.pop("password", None)
        return await team_page(
            request, db, form=form, errors=app_error_fields(exc), status=exc.status
        )
    return RedirectResponse("/coach/team?msg=created", status_code=303)


@router.post("/{coach_id}/deactivate")
async def deactivate(
    request: Request, coach_id: IdPath, db: DB, now: Now, owner: Owner
) -> Response:
    account = await team.get_account(db, coach_id)
    try:
        await team.deactivate(db, coach=account, actor=owner, now=now)
    except AppError as exc:
        return await team_page(
            request,
            db,
            form={"role": "staff"},
            errors={"accounts": exc.translated()},
            status=exc.status,
        )
    return RedirectResponse("/coach/team?msg=saved", status_code=303)


@router.post("/{coach_id}/reactivate")
async def reactivate(coach_id: IdPath, db: DB, now: Now, owner: Owner) -> Response:
    await team.reactivate(db, coach=await team.get_account(db, coach_id), actor=owner, now=now)
    return RedirectResponse("/coach/team?msg=saved", status_code=303)
