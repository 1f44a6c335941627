"""Booking steps shared by the public form, the ticket page and the JSON API (not a router):
which payment methods are on, placing a booking once per key, and sending it to Stripe."""

from __future__ import annotations

from datetime import datetime

from fastapi import Request
from sqlalchemy.ext.asyncio import AsyncSession

from coachdesk.booking import idempotency
from coachdesk.booking.payments import start_checkout
from coachdesk.booking.placing import Payments, place_booking
from coachdesk.booking.schemas import BookingRequest
from coachdesk.models import Booking
from coachdesk.site.registry import SiteSettings
from coachdesk.web.deps import requester
from coachdesk.web.state import AppState


def payments_of(state: AppState, site: SiteSettings) -> Payments:
    return Payments.of(site, stripe_configured=state.payments is not None)


async def place_once(
    request: Request,
    db: AsyncSession,
    state: AppState,
    site: SiteSettings,
    now: datetime,
    data: BookingRequest,
    key: str | None,
) -> Booking:
    """The visitor's booking, committed; or the one this key already made (a resent form,
    a retried request). Refusals raise with nothing kept."""
    return await idempotency.once(
        db,
        idempotency.checked(key),
        email=data.email,
        now=now,
        place=lambda: place_booking(
            db,
            data=data,
            now=now,
            site=site,
            payments=payments_of(state, site),
            requester=requester(request),
        ),
    )


async def pay_online(
    request: Request, db: AsyncSession, state: AppState, booking: Booking, now: datetime
) -> str:
    """Stripe's page for this booking."""
    assert state.payments is not None
    names = ", ".join(dict.fromkeys(s.session.course.name for s in booking.seats))
    return await start_checkout(
        db,
        booking=booking,
        gateway=state.payments,
        now=now,
        ticket_url=str(request.url_for("ticket", token=booking.ticket_token)),
        description=f"{booking.offer_name} · {names} ({booking.code})",
    )
