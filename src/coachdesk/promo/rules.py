"""The rules of a promo code, checked in the SPEC's order, and the discount it gives.

Pure functions: no database, easy to test as a table of cases.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from coachdesk.kit.i18n import N_
from coachdesk.models import PromoCode, PromoKind

MESSAGES = {
    "unknown": N_("Code promo inconnu."),
    "inactive": N_("Ce code promo n'est pas actif."),
    "not_yet_valid": N_("Ce code promo est valable à partir du %(date)s."),
    "expired": N_("Code promo expiré."),
    "used_up": N_("Code promo épuisé."),
    "not_applicable": N_("Code promo non applicable à cette séance ou cette offre."),
    "other_beneficiary": N_("Code promo réservé à un autre compte."),
}
MAX_CODE_LENGTH = 40


def normalise(text: str) -> str:
    """Trimmed, upper-case, inner spaces removed: what the coach and clients type varies."""
    return "".join(text[: MAX_CODE_LENGTH * 4].split()).upper()[:MAX_CODE_LENGTH]


@dataclass(frozen=True)
class Use:
    """What a code is being used for."""

    today: date  # local day
    course_ids: frozenset[int]
    offer_id: int | None
    contact_id: int | None  # the booker's contact, when known


def refusal(code: PromoCode | None, use: Use) -> str | None:
    """The first rule the code breaks for this use, or None when it applies."""
    if code is None:
        return "unknown"
    if not code.active:
        return "inactive"
    if code.valid_from and use.today < code.valid_from:
        return "not_yet_valid"
    if code.valid_until and use.today > code.valid_until:  # valid through its last day
        return "expired"
    if code.max_uses is not None and code.uses >= code.max_uses:
        return "used_up"
    if not applies(code, use):
        return "not_applicable"
    if code.beneficiary_id is not None and code.beneficiary_id != use.contact_id:
        return "other_beneficiary"
    return None


def applies(code: PromoCode, use: Use) -> bool:
    allowed_courses = {c.id for c in code.courses}
    allowed_offers = {o.id for o in code.offers}
    if allowed_courses and not use.course_ids <= allowed_courses:
        return False
    return not allowed_offers or use.offer_id in allowed_offers


def discount(*, kind: PromoKind, value: int, total_cents: int) -> int:
    """Never more than the total, never negative; a percentage rounds to the centime."""
    if total_cents <= 0:
        return 0
    if kind == PromoKind.free:
        return total_cents
    if kind == PromoKind.percent:
        share = Decimal(total_cents) * Decimal(min(max(value, 0), 100)) / Decimal(100)
        return min(int(share.quantize(Decimal(1), rounding=ROUND_HALF_UP)), total_cents)
    return min(max(value, 0), total_cents)
