"""Bookings in Coach Mode: list, filters, search, CSV, mark paid, cancel, refund, delete."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from coachdesk.booking import admin, lifecycle, payments
from coachdesk.booking.export import bookings_csv
from coachdesk.catalog.courses import list_courses
from coachdesk.errors import AppError
from coachdesk.kit.clock import to_local
from coachdesk.kit.days import parse_day
from coachdesk.kit.ids import IdPath, parse_id
from coachdesk.kit.money import parse_amount
from coachdesk.models import Booking, BookingStatus
from coachdesk.web.deps import DB, Now, Owner, State
from coachdesk.web.downloads import csv_download
from coachdesk.web.forms import read_form
from coachdesk.web.templating import render

router = APIRouter(prefix="/bookings")


def filters(request: Request, now: Any) -> admin.BookingFilter:
    params = request.query_params
    status = params.get("status", "")
    first, last = admin.default_window(to_local(now).date())
    explicit = "from" in params or "to" in params
    return admin.BookingFilter(
        day_from=parse_day(params.get("from")) if explicit else first,
        day_to=parse_day(params.get("to")) if explicit else last,
        course_id=parse_id(params.get("course")),
        status=BookingStatus(status) if status in BookingStatus.__members__ else None,
        text=params.get("q", "")[:100],
        deleted=params.get("deleted") == "1",
    )


@router.get("")
async def list_page(request: Request, db: DB, now: Now, owner: Owner) -> Response:
    wanted = filters(request, now)
    context = {
        "bookings": await admin.search(db, wanted),
        "wanted": wanted,
        "courses": await list_courses(db),
        "tab": "bookings",
        "query": request.url.query,
    }
    return render(request, "coach/bookings.html", context)


@router.get(".csv")
async def export(request: Request, db: DB, now: Now, owner: Owner) -> Response:
    body = bookings_csv(await admin.search(db, filters(request, now), limit=100_000))
    name = f"reservations-{to_local(now):%Y-%m-%d}.csv"
    return csv_download(body, name)


def detail(
    request: Request, booking: Booking, state: Any, *, error: str = "", status: int = 200
) -> Response:
    context = {
        "booking": booking,
        "tab": "bookings",
        "error": error,
        "can_refund": state.payments is not None and bool(booking.stripe_payment_intent),
    }
    return render(request, "coach/booking.html", context, status=status)


@router.get("/{booking_id}")
async def show(
    request: Request, booking_id: IdPath, db: DB, owner: Owner, state: State
) -> Response:
    return detail(request, await admin.get(db, booking_id), state)


def back(booking: Booking, msg: str = "saved") -> RedirectResponse:
    return RedirectResponse(f"/coach/bookings/{booking.id}?msg={msg}", status_code=303)


@router.post("/{booking_id}/paid")
async def mark_paid(booking_id: IdPath, db: DB, now: Now, owner: Owner) -> Response:
    booking = await admin.get(db, booking_id)
    await admin.mark_paid(db, booking=booking, actor=owner, now=now)
    return back(booking)


@router.post("/{booking_id}/cancel")
async def cancel(
    request: Request, booking_id: IdPath, db: DB, now: Now, owner: Owner, state: State
) -> Response:
    booking = await admin.get(db, booking_id)
    try:
        await lifecycle.cancel(db, booking=booking, now=now, actor=owner)
    except AppError as exc:
        return detail(request, booking, state, error=exc.translated(), status=exc.status)
    return back(booking, "cancelled")


@router.post("/{booking_id}/refund")
async def refund(
    request: Request, booking_id: IdPath, db: DB, now: Now, owner: Owner, state: State
) -> Response:
    booking = await admin.get(db, booking_id)
    form = await read_form(request)
    try:
        amount = parse_amount(form.get("amount", ""))
    except ValueError:
        amount = -1
    try:
        if state.payments is None:
            raise AppError(code="not_configured", status=409)
        await payments.reserve_refund(db, booking=booking, amount_cents=amount)
        await db.commit()  # money leaves: a second refund must see this one before Stripe is asked
        await payments.send_refund(
            db, booking=booking, gateway=state.payments, amount_cents=amount, actor=owner, now=now
        )
    except AppError as exc:
        return detail(request, booking, state, error=exc.translated(), status=exc.status)
    return back(booking, "refunded")


@router.post("/{booking_id}/delete")
async def delete(booking_id: IdPath, db: DB, now: Now, owner: Owner) -> Response:
    booking = await admin.get(db, booking_id)
    await admin.soft_delete(db, booking=booking, actor=owner, now=now)
    return back(booking, "deleted")


@router.post("/{booking_id}/restore")
async def restore(booking_id: IdPath, db: DB, now: Now, owner: Owner) -> Response:
    booking = await admin.get(db, booking_id)
    await admin.restore(db, booking=booking, actor=owner, now=now)
    return back(booking, "restored")
