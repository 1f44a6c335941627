"""Online payments for bookings: start a checkout, take webhooks (once), refund."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import CursorResult, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from coachdesk.audit.service import record
from coachdesk.booking import lifecycle
from coachdesk.errors import Invalid
from coachdesk.integrations.payments import (
    CheckoutRequest,
    GatewayError,
    PaymentEventData,
    PaymentGateway,
)
from coachdesk.kit.i18n import N_
from coachdesk.kit.money import format_amount
from coachdesk.models import (
    Booking,
    BookingStatus,
    Coach,
    NoticeEvent,
    PaymentEvent,
    PaymentMethod,
)
from coachdesk.notifications import notices

MIN_CHECKOUT = timedelta(minutes=31)
CHECKOUT_FAILED = N_("Le paiement en ligne n'a pas pu démarrer. Réessayez dans un instant.")
NOT_PAYABLE = N_("Cette réservation n'attend pas de paiement en ligne.")
NOTHING_TO_REFUND = N_("Rien à rembourser sur cette réservation.")
REFUND_TOO_MUCH = N_("Le remboursement dépasse le montant payé (%(left)s au plus).")
REFUND_FAILED = N_("Le remboursement a échoué chez Stripe. Réessayez plus tard.")
PAID_TYPES = {"checkout.session.completed", "checkout.session.async_payment_succeeded"}
FAILED_TYPES = {"checkout.session.async_payment_failed"}


async def start_checkout(
    session: AsyncSession,
    *,
    booking: Booking,
    gateway: PaymentGateway,
    ticket_url: str,
    description: str,
    now: datetime,
) -> str:
    """The Stripe page to pay on. Returning from it confirms nothing: only the webhook does."""
    if booking.status != BookingStatus.pending or booking.payment_method != PaymentMethod.stripe:
        raise Invalid(NOT_PAYABLE, code="not_payable")
    expires = max(booking.expires_at or now, now + MIN_CHECKOUT)
    booking.expires_at = expires  # the seat stays held while Stripe's page is open
    request = CheckoutRequest(
        reference=booking.code,
        description=description,
        amount_cents=booking.total_cents,
        currency="CHF",
        email=booking.contact.email or "",
        success_url=f"{ticket_url}?paid=1",
        cancel_url=ticket_url,
        expires_at=expires,
        language=booking.language,
        metadata={"booking": booking.code},
    )
    try:
        checkout = await gateway.create_checkout(request)
    except GatewayError:
        raise Invalid(CHECKOUT_FAILED, code="checkout_failed", status=502) from None
    booking.stripe_session_id = checkout.id
    return checkout.url


async def take_event(session: AsyncSession, *, event: PaymentEventData, now: datetime) -> str:
    """Stores a verified event and processes it once; a replay changes nothing."""
    if await session.get(PaymentEvent, event.id) is not None:
        return "duplicate"
    stored = PaymentEvent(
        id=event.id, provider="stripe", type=event.type, payload=event.payload, received_at=now
    )
    session.add(stored)
    try:
        await session.flush()
    except IntegrityError:  # the same event delivered twice at once: the other one wins
        await session.rollback()
        return "duplicate"
    outcome = await _process(session, event, now)
    stored.processed_at = now
    return outcome


async def _process(session: AsyncSession, event: PaymentEventData, now: datetime) -> str:
    checkout: dict[str, Any] = event.payload.get("data", {}).get("object", {})
    if event.type in FAILED_TYPES:
        return await _failed(session, checkout, now)
    if event.type not in PAID_TYPES:
        return "ignored"
    if checkout.get("payment_status") != "paid":
        return "not_paid_yet"
    booking = await session.scalar(
        select(Booking).where(Booking.stripe_session_id == str(checkout.get("id")))
    )
    if booking is None:
        return "unknown_booking"
    if not _amount_matches(checkout, booking):
        await _mismatch(session, checkout, booking, now)
        return "amount_mismatch"
    confirmed = await lifecycle.confirm_payment(
        session, booking=booking, now=now, reference=str(checkout.get("id"))
    )
    booking.stripe_payment_intent = checkout.get("payment_intent") or None  # after the reload
    return "confirmed" if confirmed else "kept"


def _amount_matches(checkout: dict[str, Any], booking: Booking) -> bool:
    """What Stripe took is what the booking costs, in francs: nothing else confirms it."""
    amount, currency = checkout.get("amount_total"), str(checkout.get("currency", "")).lower()
    return isinstance(amount, int) and amount == booking.total_cents and currency == "chf"


async def _mismatch(
    session: AsyncSession, checkout: dict[str, Any], booking: Booking, now: datetime
) -> None:
    """A paid checkout whose amount or currency is not the booking's: recorded and told to
    the coach, and the booking stays as it was."""
    got = f"{checkout.get('amount_total')} {str(checkout.get('currency', '')).upper()}"
    expected = format_amount(booking.total_cents)
    await record(
        session,
        actor=None,
        action="payment.amount_mismatch",
        obj=booking,
        now=now,
        data={"code": booking.code, "received": got, "expected": f"{booking.total_cents} CHF"},
    )
    await notices.tell(
        session,
        NoticeEvent.payment_failed,
        body=f"{booking.booker_name} · {booking.code} · {got} ≠ {expected}",
        url=f"/coach/bookings/{booking.id}",
        now=now,
    )


async def _failed(session: AsyncSession, checkout: dict[str, Any], now: datetime) -> str:
    """A payment that did not go through (e.g. TWINT refused): the coach hears of it."""
    booking = await session.scalar(
        select(Booking).where(Booking.stripe_session_id == str(checkout.get("id")))
    )
    if booking is None:
        return "unknown_booking"
    await notices.tell(
        session,
        NoticeEvent.payment_failed,
        body=f"{booking.booker_name} · {booking.code}",
        url=f"/coach/bookings/{booking.id}",
        now=now,
    )
    return "failed"


async def reserve_refund(session: AsyncSession, *, booking: Booking, amount_cents: int) -> None:
    """Books the amount as refunded before Stripe is called (one conditional UPDATE): two
    refunds at once can never add up to more than was paid. The caller commits it."""
    if not booking.stripe_payment_intent or booking.paid_at is None:
        raise Invalid(NOTHING_TO_REFUND, code="nothing_to_refund")
    result = await session.execute(
        update(Booking)
        .where(
            Booking.id == booking.id,
            Booking.refunded_cents + amount_cents <= Booking.total_cents,
        )
        .values(refunded_cents=Booking.refunded_cents + amount_cents)
        .execution_options(synchronize_session=False)
    )
    reserved = amount_cents > 0 and isinstance(result, CursorResult) and result.rowcount == 1
    await session.refresh(booking)
    left = booking.total_cents - booking.refunded_cents
    if not reserved:
        if left <= 0:
            raise Invalid(NOTHING_TO_REFUND, code="nothing_to_refund")
        raise Invalid(
            REFUND_TOO_MUCH, code="refund_too_much", field="amount", left=format_amount(left)
        )


async def send_refund(
    session: AsyncSession,
    *,
    booking: Booking,
    gateway: PaymentGateway,
    amount_cents: int,
    actor: Coach,
    now: datetime,
) -> None:
    """Asks Stripe for the reserved refund; when Stripe refuses, the reservation goes back."""
    before = booking.refunded_cents - amount_cents
    try:
        refund_id = await gateway.refund(
            payment_intent=booking.stripe_payment_intent or "",
            amount_cents=amount_cents,
            reference=booking.code,
            key=f"refund-{booking.code}-{before}-{amount_cents}",
        )
    except GatewayError:
        await session.execute(
            update(Booking)
            .where(Booking.id == booking.id)
            .values(refunded_cents=Booking.refunded_cents - amount_cents)
            .execution_options(synchronize_session=False)
        )
        await session.refresh(booking)
        raise Invalid(REFUND_FAILED, code="refund_failed", status=502) from None
    await record(
        session,
        actor=actor,
        action="booking.refunded",
        obj=booking,
        now=now,
        data={"code": booking.code, "amount_cents": amount_cents, "refund": refund_id},
    )
