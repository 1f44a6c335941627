"""What a promo code would give on a booking being prepared (live check in the form)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from coachdesk.booking import pricing
from coachdesk.booking.placing import applicable_offer, bookable_sessions
from coachdesk.kit.text import normalise_email
from coachdesk.models import Contact
from coachdesk.promo import service as promo


@dataclass(frozen=True)
class PromoQuote:
    code: str
    subtotal_cents: int
    discount_cents: int

    @property
    def total_cents(self) -> int:
        return self.subtotal_cents - self.discount_cents


async def _contact_id(session: AsyncSession, email: str) -> int | None:
    try:
        address = normalise_email(email) if email.strip() else None
    except ValueError:
        return None
    if address is None:
        return None
    return await session.scalar(select(Contact.id).where(Contact.email == address))


async def quote(
    session: AsyncSession,
    *,
    text: str,
    session_ids: list[int],
    offer_id: int,
    email: str,
    now: datetime,
) -> PromoQuote:
    """Raises the rule's error (unknown, inactive, …) exactly as booking would."""
    occurrences = await bookable_sessions(session, session_ids, now)
    offer = await applicable_offer(session, offer_id, occurrences)
    cost = pricing.quote(kind=offer.kind, price_cents=offer.price_cents, sessions=len(occurrences))
    use = promo.use_for(
        now,
        course_ids={o.course_id for o in occurrences},
        offer_id=offer.id,
        contact_id=await _contact_id(session, email),
    )
    applied = await promo.check(session, text=text, use=use, total_cents=cost.total_cents)
    return PromoQuote(applied.code.code, cost.total_cents, applied.discount_cents)
