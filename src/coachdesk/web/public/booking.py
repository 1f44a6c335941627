"""The booking flow: chosen sessions → offer or pass → who → terms → pay → ticket."""

from __future__ import annotations

import secrets
from typing import Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.ext.asyncio import AsyncSession

from coachdesk.booking import offers as booking_offers
from coachdesk.booking import seats
from coachdesk.booking.placing import bookable_sessions
from coachdesk.booking.schemas import BookingRequest
from coachdesk.catalog import queries
from coachdesk.errors import AppError
from coachdesk.kit.i18n import current_language
from coachdesk.kit.ids import parse_id
from coachdesk.models import Booking, PaymentMethod
from coachdesk.site.registry import SiteSettings
from coachdesk.web.booking_steps import pay_online, payments_of, place_once
from coachdesk.web.deps import DB, Now, Site, State, verify_csrf
from coachdesk.web.forms import app_error_fields, read_form, validate
from coachdesk.web.state import AppState
from coachdesk.web.templating import render

router = APIRouter(include_in_schema=False)
MAX_SESSIONS = 10


def session_ids(values: list[str]) -> list[int]:
    ids = [n for v in values if (n := parse_id(v)) is not None]
    return list(dict.fromkeys(ids))[:MAX_SESSIONS]


async def form_context(
    db: AsyncSession,
    state: AppState,
    site: SiteSettings,
    now: Any,
    ids: list[int],
    held: frozenset[int] = frozenset(),
) -> dict[str, Any]:
    """What the booking form shows; ``held``: seats already held for this visitor."""
    occurrences = await bookable_sessions(db, ids, now)
    for occurrence in occurrences:
        if occurrence.id not in held:
            seats.check_seats_left(occurrence)
    return {
        "occurrences": occurrences,
        "choices": booking_offers.choices(await queries.public_offers(db), occurrences),
        "methods": payments_of(state, site).enabled(),
    }


def as_request(form: dict[str, Any]) -> dict[str, Any]:
    choice = form.get("choice", "")
    return {
        "session_ids": form.get("s", []),
        "name": form.get("name", ""),
        "email": form.get("email", ""),
        "phone": form.get("phone", ""),
        "offer_id": choice.removeprefix("offer:") if choice.startswith("offer:") else None,
        "pass_code": form.get("pass_code") if choice == "pass" else None,
        "promo_code": form.get("promo_code"),
        "payment_method": form.get("payment_method"),
        "accept_terms": form.get("accept_terms") == "1",
        "consent_email": form.get("consent_email") == "1",
        "consent_whatsapp": form.get("consent_whatsapp") == "1",
        "language": current_language.get(),
    }


@router.get("/book")
async def booking_page(
    request: Request, db: DB, state: State, site: Site, now: Now, s: list[str] = Query(default=[])
) -> Response:
    ids = session_ids(s)
    if not ids:
        return RedirectResponse("/#seances", status_code=303)
    try:
        context = await form_context(db, state, site, now, ids)
    except AppError as exc:
        return render(
            request, "site/book_unavailable.html", {"message": exc.translated()}, status=exc.status
        )
    form = {"s": ids, "idempotency_key": secrets.token_urlsafe(18)}  # one booking per form
    return render(request, "site/book.html", {**context, "form": form, "errors": {}})


async def next_step(
    request: Request, db: AsyncSession, state: AppState, booking: Booking, now: Any
) -> RedirectResponse:
    """Stripe bookings go straight to Stripe's page; the others to their ticket."""
    if booking.payment_method == PaymentMethod.stripe and state.payments is not None:
        try:
            url = await pay_online(request, db, state, booking, now)
            return RedirectResponse(url, status_code=303)
        except AppError:
            return RedirectResponse(
                f"/t/{booking.ticket_token}?msg=checkout_failed", status_code=303
            )
    return RedirectResponse(f"/t/{booking.ticket_token}?msg=booked", status_code=303)


@router.post("/book", dependencies=[Depends(verify_csrf)])
async def submit(request: Request, db: DB, state: State, site: Site, now: Now) -> Response:
    form = await read_form(request, lists=("s",))
    form["s"] = session_ids(form["s"])
    data, errors = validate(BookingRequest, as_request(form))
    if data is not None:
        try:
            key = str(form.get("idempotency_key") or "")  # a second click: one booking
            booking = await place_once(request, db, state, site, now, data, key)
        except AppError as exc:
            await db.rollback()  # nothing of a refused booking is kept
            errors = app_error_fields(exc)
        else:  # the seats are held (committed) before anyone is sent to pay
            return await next_step(request, db, state, booking, now)
    return await refused(request, db, state, site, now, form, errors)


async def refused(
    request: Request,
    db: AsyncSession,
    state: AppState,
    site: SiteSettings,
    now: Any,
    form: dict[str, Any],
    errors: dict[str, str],
) -> Response:
    errors = {
        ("choice" if key in ("offer_id", "pass_code") else key): value
        for key, value in errors.items()
    }
    if "__all__" in errors and "session_ids" not in errors:
        errors.setdefault("choice", errors["__all__"])
    try:
        context = await form_context(db, state, site, now, form["s"])
    except AppError as exc:
        return render(
            request, "site/book_unavailable.html", {"message": exc.translated()}, status=exc.status
        )
    return render(
        request, "site/book.html", {**context, "form": form, "errors": errors}, status=422
    )
