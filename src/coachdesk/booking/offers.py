"""Which offers can pay for a chosen set of sessions, and what each would cost."""

from __future__ import annotations

from dataclasses import dataclass

from coachdesk.booking.pricing import quote
from coachdesk.models import CourseSession, Offer, OfferKind


@dataclass(frozen=True)
class OfferChoice:
    offer: Offer
    total_cents: int
    available: bool  # a card with too few credits for these sessions is shown, not choosable


def choices(offers: list[Offer], occurrences: list[CourseSession]) -> list[OfferChoice]:
    found = []
    for offer in offers:
        if not all(o.course.accepts(offer.id) for o in occurrences):
            continue
        cost = quote(kind=offer.kind, price_cents=offer.price_cents, sessions=len(occurrences))
        enough = offer.kind != OfferKind.pack or (offer.credits or 0) >= len(occurrences)
        found.append(OfferChoice(offer, cost.total_cents, enough))
    return found
