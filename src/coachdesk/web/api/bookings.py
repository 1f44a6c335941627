"""Public booking API: place a booking, read a ticket by its unguessable code."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Header, Request
from fastapi.responses import JSONResponse

from coachdesk.booking.idempotency import HEADER
from coachdesk.booking.queries import by_token
from coachdesk.booking.schemas import BookingOut, BookingRequest, SeatOut
from coachdesk.errors import AppError
from coachdesk.models import Booking, PaymentMethod
from coachdesk.web.api.common import ERRORS
from coachdesk.web.booking_steps import pay_online, place_once
from coachdesk.web.deps import DB, Now, Site, State

router = APIRouter(
    prefix="/bookings", tags=["bookings"], responses={k: ERRORS[k] for k in (404, 409, 422)}
)


def booking_out(request: Request, booking: Booking, payment_url: str | None = None) -> BookingOut:
    pass_ = booking.pass_
    return BookingOut(
        code=booking.code,
        status=booking.status,
        payment_method=booking.payment_method,
        paid=booking.is_paid and booking.status == "confirmed",
        total_cents=booking.total_cents,
        subtotal_cents=booking.subtotal_cents or booking.total_cents,
        discount_cents=booking.discount_cents,
        promo_code=booking.promo_code,
        offer_name=booking.offer_name,
        name=booking.booker_name,
        ticket_url=str(request.url_for("ticket", token=booking.ticket_token)),
        payment_url=payment_url,
        pass_code=pass_.code if pass_ else None,
        pass_credits_left=pass_.credits_left if pass_ else None,
        seats=[
            SeatOut(
                session_id=s.session_id,
                course_name=s.session.course.name,
                starts_at=s.session.starts_at,
                ends_at=s.session.ends_at,
                location_name=s.session.course.location_name,
                address=s.session.course.address,
                status=s.status,
                checked_in_at=s.checked_in_at,
            )
            for s in booking.seats
        ],
    )


@router.post("", response_model=BookingOut, status_code=201)
async def create_booking(
    request: Request,
    data: BookingRequest,
    db: DB,
    state: State,
    site: Site,
    now: Now,
    key: Annotated[str | None, Header(alias=HEADER, max_length=200)] = None,
) -> BookingOut | JSONResponse:
    """Books one or more sessions. The price is computed here from the offer; any total or
    price in the request is ignored. Online payment: follow `payment_url` (Stripe); the
    booking is confirmed only by Stripe's signed webhook.

    Send an `Idempotency-Key` (8–200 characters, e.g. a UUID) to retry safely: the same key
    with the same e-mail returns the booking it made (for 24 hours) instead of a second
    one; with another e-mail it is refused (409)."""
    booking = await place_once(request, db, state, site, now, data, key)
    payment_url = None
    if booking.payment_method == PaymentMethod.stripe and state.payments is not None:
        try:
            payment_url = await pay_online(request, db, state, booking, now)
        except AppError:
            payment_url = None  # the ticket page offers to pay again
    return booking_out(request, booking, payment_url)


@router.get("/{code}", response_model=BookingOut)
async def get_booking(request: Request, code: str, db: DB) -> BookingOut:
    """The ticket's data. `code` is the unguessable ticket code of the ticket URL
    (`/t/{code}`), not the short booking code printed on the ticket."""
    return booking_out(request, await by_token(db, code))
