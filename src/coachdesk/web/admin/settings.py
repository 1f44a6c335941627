"""Booking and payment settings (the coach's switches; secrets stay in the configuration)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import ValidationError

from coachdesk.kit.validation import field_errors
from coachdesk.site import service as site_service
from coachdesk.web.deps import DB, Now, Owner, Site, State
from coachdesk.web.forms import checkbox, read_form
from coachdesk.web.state import AppState
from coachdesk.web.templating import render

router = APIRouter(prefix="/settings")
SWITCHES = ("stripe_enabled", "pay_on_site_enabled", "assistant_enabled")
FIELDS = (
    "booking_code_prefix",
    "pending_minutes",
    "link_pending_hours",
    "cancel_deadline_hours",
    "reminder_hours",
    "waitlist_hold_hours",
    "paypal_link",
    "twint_link",
    "terms_text",
    "weeks_ahead",
    "ai_base_url",
    "ai_model",
    *SWITCHES,
)


def page(
    request: Request,
    state: AppState,
    form: dict[str, Any],
    errors: dict[str, str],
    status: int = 200,
) -> Response:
    context = {
        "form": form,
        "errors": errors,
        "tab": "settings",
        "stripe_configured": state.payments is not None,
        "smtp_configured": state.email.delivers,
        "ai_key_set": bool(state.site.ai_api_key),
    }
    return render(request, "coach/settings.html", context, status=status)


@router.get("")
async def show(request: Request, owner: Owner, site: Site, state: State) -> Response:
    return page(request, state, site.model_dump(include=set(FIELDS)), {})


@router.post("")
async def save(request: Request, db: DB, now: Now, owner: Owner, state: State) -> Response:
    form = checkbox(await read_form(request), *SWITCHES)
    changes = {key: form.get(key, "") for key in FIELDS}
    changes["booking_code_prefix"] = str(changes["booking_code_prefix"]).upper()
    if form.get("ai_api_key"):  # write-only: typed to change it, never shown back
        changes["ai_api_key"] = form["ai_api_key"]
    elif form.get("forget_ai_key") == "1":
        changes["ai_api_key"] = ""
    try:
        await site_service.change(db, changes=changes, actor=owner, now=now)
    except ValidationError as exc:
        return page(request, state, form, field_errors(exc.errors()), status=422)
    state.public_cache.clear()
    return RedirectResponse("/coach/settings?msg=saved", status_code=303)
