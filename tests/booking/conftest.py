from __future__ import annotations

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from coachdesk.booking.placing import Payments, place_booking
from coachdesk.booking.schemas import BookingRequest
from coachdesk.models import Booking
from coachdesk.site.registry import SiteSettings

SITE = SiteSettings(booking_code_prefix="SDF-", paypal_link="https://paypal.me/coach")
ALL_METHODS = Payments(stripe=True, link=True, on_site=True)


async def book(
    db: AsyncSession, data: BookingRequest, now: datetime, payments: Payments = ALL_METHODS
) -> Booking:
    booking = await place_booking(db, data=data, now=now, site=SITE, payments=payments)
    await db.commit()
    return booking
