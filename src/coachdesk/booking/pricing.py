"""What a booking costs. Always computed here, on the server, from the offer."""

from __future__ import annotations

from dataclasses import dataclass

from coachdesk.models import OfferKind


@dataclass(frozen=True)
class Quote:
    total_cents: int
    buys_pass: bool
    credits_needed: int


def quote(*, kind: OfferKind, price_cents: int, sessions: int) -> Quote:
    """single: the price for each session; pack and subscription: the price once, for a pass
    that pays these sessions (a pack spends one credit each)."""
    if sessions < 1:
        raise ValueError("at least one session")
    if kind == OfferKind.single:
        return Quote(price_cents * sessions, buys_pass=False, credits_needed=0)
    credits = sessions if kind == OfferKind.pack else 0
    return Quote(price_cents, buys_pass=True, credits_needed=credits)


def with_pass(*, sessions: int, kind: OfferKind) -> Quote:
    """Paying with a pass one already has costs nothing now; a pack spends credits."""
    return Quote(0, buys_pass=False, credits_needed=sessions if kind == OfferKind.pack else 0)
