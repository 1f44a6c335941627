"""Booking and payment settings (the coach's switches; secrets stay in the configuration)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import ValidationError

from coachdesk.kit.addresses import leads_inside
from coachdesk.kit.i18n import N_, gettext
from coachdesk.kit.phone import normalise_phone
from coachdesk.kit.validation import field_errors
from coachdesk.site import service as site_service
from coachdesk.site.registry import ALL_NOTICES
from coachdesk.web.deps import DB, Now, Owner, Site, State
from coachdesk.web.forms import checkbox, read_form, rollback
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
    "on_site_confirm_hours",
    "paypal_link",
    "twint_link",
    "weeks_ahead",
    "ai_base_url",
    "ai_model",
    "whatsapp_provider",
    "twilio_account_sid",
    "whatsapp_from",
    "whatsapp_phone_number_id",
    "whatsapp_template",
    "whatsapp_template_language",
    "coach_whatsapp",
    *SWITCHES,
)
NOTIFY = ("notify_push", "notify_email", "notify_whatsapp")
SECRETS = ("ai_api_key", "twilio_auth_token", "whatsapp_access_token")  # write-only
WHATSAPP_INCOMPLETE = N_("Il manque des informations pour ce fournisseur WhatsApp.")
AI_URL_INSIDE = N_(
    "Cette adresse mène au réseau interne du serveur (ou est introuvable) : indiquez l'adresse "
    "publique du service d'IA."
)


def _phone_or_text(text: str) -> str:
    """The sender's number as typed, in E.164 when it is one (it is checked on save)."""
    try:
        return normalise_phone(text) if text.strip() else ""
    except ValueError:
        return text


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
        "secrets_set": {name: bool(getattr(state.site, name)) for name in SECRETS},
        "notices": ALL_NOTICES,
    }
    return render(request, "coach/settings.html", context, status=status)


async def _ai_url_inside(state: AppState, url: str) -> bool:
    """A new address for the assistant's API may not lead to the server's own network (its
    metadata service, a database…) unless the deployment allows it
    (COACHDESK_ALLOW_PRIVATE_AI_URL). Only a changed address is resolved: saving other
    settings never waits for, or fails on, DNS; each call checks again anyway."""
    if not url or url == state.site.ai_base_url or state.settings.allow_private_ai_url:
        return False
    return await leads_inside(url)


@router.get("")
async def show(request: Request, owner: Owner, site: Site, state: State) -> Response:
    return page(request, state, site.model_dump(include={*FIELDS, *NOTIFY}), {})


@router.post("")
async def save(request: Request, db: DB, now: Now, owner: Owner, state: State) -> Response:
    form = checkbox(await read_form(request, lists=NOTIFY), *SWITCHES)
    changes = {key: form[key] for key in FIELDS if key in form}  # a field not sent: kept
    if "booking_code_prefix" in changes:
        changes["booking_code_prefix"] = str(changes["booking_code_prefix"]).upper()
    for name in SECRETS:  # write-only: typed to change it, never shown back
        if form.get(name):
            changes[name] = form[name]
        elif form.get(f"forget_{name}") == "1":
            changes[name] = ""
    if form.get("notify_form"):  # the notification grid was on the page: take it whole
        changes.update({name: form[name] for name in NOTIFY})
    for name in ("whatsapp_from", "coach_whatsapp"):
        if name in changes:
            changes[name] = _phone_or_text(str(changes[name]))
    if await _ai_url_inside(state, str(changes.get("ai_base_url") or "")):
        return page(request, state, form, {"ai_base_url": gettext(AI_URL_INSIDE)}, status=422)
    try:
        saved = await site_service.change(db, changes=changes, actor=owner, now=now)
    except ValidationError as exc:
        return page(request, state, form, field_errors(exc.errors()), status=422)
    if saved.whatsapp_missing():
        await rollback(request, db)
        errors = {"whatsapp_provider": gettext(WHATSAPP_INCOMPLETE)}
        return page(request, state, form, errors, status=422)
    state.public_cache.clear()
    return RedirectResponse("/coach/settings?msg=saved", status_code=303)
