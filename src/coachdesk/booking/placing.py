"""Placing a booking: sessions checked, contact matched, price computed here, seats held."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from coachdesk.auth.tokens import new_token
from coachdesk.booking import passes, pricing, seats
from coachdesk.booking.schemas import BookingRequest
from coachdesk.contacts import consents
from coachdesk.contacts.matching import Identity, match_or_create
from coachdesk.errors import Invalid
from coachdesk.kit.clock import to_local
from coachdesk.kit.codes import random_code
from coachdesk.kit.i18n import N_
from coachdesk.limits import service as limits
from coachdesk.limits.budgets import PROMO_GUESSES, Requester
from coachdesk.mail import service as mail
from coachdesk.models import (
    Booking,
    BookingSeat,
    BookingStatus,
    ConsentChannel,
    Contact,
    Course,
    CourseSession,
    NoticeEvent,
    Offer,
    Pass,
    PassStatus,
    PaymentMethod,
)
from coachdesk.notifications import notices
from coachdesk.promo import service as promo
from coachdesk.promo.service import Applied
from coachdesk.site.registry import SiteSettings

TERMS_REQUIRED = N_("Veuillez accepter les conditions pour réserver.")
OFFER_UNKNOWN = N_("Offre inconnue.")
OFFER_NOT_FOR_COURSE = N_("L'offre « %(offer)s » n'est pas valable pour « %(course)s ».")
CHOOSE_PAYMENT = N_("Choisissez un moyen de paiement.")


@dataclass(frozen=True)
class Payments:
    """The payment methods open right now (settings + configuration)."""

    stripe: bool
    link: bool
    on_site: bool

    @classmethod
    def of(cls, site: SiteSettings, *, stripe_configured: bool) -> Payments:
        return cls(
            stripe=site.stripe_enabled and stripe_configured,
            link=bool(site.paypal_link or site.twint_link),
            on_site=site.pay_on_site_enabled,
        )

    def enabled(self) -> list[PaymentMethod]:
        flags = {
            PaymentMethod.stripe: self.stripe,
            PaymentMethod.link: self.link,
            PaymentMethod.on_site: self.on_site,
        }
        return [method for method, on in flags.items() if on]


@dataclass
class Settlement:
    """How the booking is paid, as decided on the server."""

    total: int
    method: PaymentMethod
    offer: Offer | None = None
    pass_: Pass | None = None
    bought_pass: bool = False
    subtotal: int = 0
    promo: Applied | None = None


async def bookable_sessions(
    session: AsyncSession, ids: list[int], now: datetime
) -> list[CourseSession]:
    query = (
        select(CourseSession)
        .where(CourseSession.id.in_(ids))
        .options(selectinload(CourseSession.course).selectinload(Course.allowed_offers))
    )
    found = {o.id: o for o in await session.scalars(query)}
    checked = [seats.check_bookable(found.get(i), now) for i in ids]
    return sorted(checked, key=lambda o: o.starts_at)


async def applicable_offer(
    session: AsyncSession, offer_id: int, occurrences: list[CourseSession]
) -> Offer:
    offer = await session.get(Offer, offer_id)
    if offer is None or not offer.visible or offer.archived_at is not None:
        raise Invalid(OFFER_UNKNOWN, code="unknown_offer", field="offer_id")
    check_accepted(offer.id, offer.name, occurrences, field="offer_id")
    return offer


def check_accepted(
    offer_id: int | None, name: str, occurrences: list[CourseSession], *, field: str
) -> None:
    """Each course takes only its *Offres acceptées* (an offer, or a pass bought with one)."""
    for occurrence in occurrences:
        if not occurrence.course.accepts(offer_id):
            raise Invalid(
                OFFER_NOT_FOR_COURSE,
                code="offer_not_applicable",
                field=field,
                offer=name,
                course=occurrence.course.name,
            )


def payment_method(total: int, wanted: PaymentMethod | None, payments: Payments) -> PaymentMethod:
    if total == 0:
        return PaymentMethod.free
    enabled = payments.enabled()
    if wanted in enabled:
        return wanted
    if wanted is None and len(enabled) == 1:
        return enabled[0]
    raise Invalid(CHOOSE_PAYMENT, code="payment_method_required", field="payment_method")


def expiry(method: PaymentMethod, now: datetime, site: SiteSettings) -> datetime | None:
    if method == PaymentMethod.stripe:
        return now + timedelta(minutes=site.pending_minutes)
    if method == PaymentMethod.link:
        return now + timedelta(hours=site.link_pending_hours)
    if method == PaymentMethod.on_site and site.on_site_confirm_hours:
        return now + timedelta(hours=site.on_site_confirm_hours)  # until the client confirms
    return None  # free and pass are confirmed; pay on site waits for the coach


async def settle_with_pass(
    session: AsyncSession, *, code: str, contact: Contact, occurrences: list[CourseSession]
) -> Settlement:
    pass_ = await passes.find(session, email=contact.email, code=code)
    check_accepted(pass_.offer_id, pass_.name, occurrences, field="pass_code")
    passes.check_period(pass_, [o.starts_at for o in occurrences])
    cost = pricing.with_pass(sessions=len(occurrences), kind=pass_.kind)
    await passes.spend(session, pass_=pass_, credits=cost.credits_needed)
    return Settlement(0, PaymentMethod.with_pass, pass_=pass_)


async def settle_with_offer(
    session: AsyncSession,
    *,
    data: BookingRequest,
    contact: Contact,
    occurrences: list[CourseSession],
    payments: Payments,
    now: datetime,
    requester: Requester | None = None,
) -> Settlement:
    assert data.offer_id is not None
    offer = await applicable_offer(session, data.offer_id, occurrences)
    cost = pricing.quote(kind=offer.kind, price_cents=offer.price_cents, sessions=len(occurrences))
    applied = None
    if data.promo_code:
        use = promo.use_for(
            now,
            course_ids={o.course_id for o in occurrences},
            offer_id=offer.id,
            contact_id=contact.id,
        )
        applied = await promo.check(
            session, text=data.promo_code, use=use, total_cents=cost.total_cents
        )
        if requester is not None:  # a code that exists was no guess
            await limits.give_back(session, PROMO_GUESSES, *guessers(requester, data), now=now)
    total = cost.total_cents - (applied.discount_cents if applied else 0)
    method = payment_method(total, data.payment_method, payments)
    pass_ = None
    if cost.buys_pass:
        pass_ = await passes.create(
            session,
            offer=offer,
            contact=contact,
            now=now,
            paid=total == 0,
            credits_used=cost.credits_needed,
        )
        passes.check_period(pass_, [o.starts_at for o in occurrences])
    return Settlement(total, method, offer, pass_, cost.buys_pass, cost.total_cents, applied)


async def record_consents(
    session: AsyncSession, *, contact: Contact, data: BookingRequest, now: datetime
) -> None:
    """Ticking asks for consent, confirmed from the e-mail (the address is not proved);
    leaving unticked never withdraws one given before."""
    wanted = [
        channel
        for channel, ticked in (
            (ConsentChannel.email, data.consent_email),
            (ConsentChannel.whatsapp, data.consent_whatsapp),
        )
        if ticked
    ]
    await consents.ask_to_confirm(
        session,
        contact=contact,
        email=contact.email,
        channels=wanted,
        how="formulaire de réservation",
        now=now,
    )


def guessers(requester: Requester, data: BookingRequest) -> tuple[str, str]:
    """Whose promo-code guesses a try counts against: the address and the e-mail (the same
    budget as the live check's)."""
    return requester.address, f"email:{data.email.strip().lower()}"


async def count_booking(
    session: AsyncSession, requester: Requester | None, email: str, now: datetime
) -> None:
    """Bookings per address and per e-mail in a window (in the booking's transaction: only
    bookings that are placed count)."""
    if requester is None:
        return
    budgets = requester.budgets
    await limits.take(session, budgets.bookings_by_address, requester.address, now=now)
    await limits.take(session, budgets.bookings_by_email, f"email:{email}", now=now)


async def _free_code(session: AsyncSession, prefix: str) -> str:
    while True:
        code = random_code(6, prefix)
        if not await session.scalar(select(Booking.id).where(Booking.code == code)):
            return code


async def place_booking(
    session: AsyncSession,
    *,
    data: BookingRequest,
    now: datetime,
    site: SiteSettings,
    payments: Payments,
    held: frozenset[int] = frozenset(),
    requester: Requester | None = None,
) -> Booking:
    """All or nothing: any refusal raises, and the caller's transaction rolls back.
    ``held``: sessions whose seat is already held for this person (waiting-list offer).
    ``requester``: a visitor, whose promo-code guesses and bookings are limited."""
    if requester is not None and data.promo_code:  # counted before anything is checked
        await limits.spend(session, PROMO_GUESSES, *guessers(requester, data), now=now)
    occurrences = await bookable_sessions(session, data.session_ids, now)
    identity = Identity.parse(
        name=data.name, email=data.email, phone=data.phone, language=data.language
    )
    if not data.accept_terms:
        raise Invalid(TERMS_REQUIRED, code="terms_required", field="accept_terms")
    contact = await match_or_create(session, identity=identity, source="booking", now=now)
    await record_consents(session, contact=contact, data=data, now=now)
    if data.pass_code:
        if data.promo_code:  # nothing to discount: the pass pays
            raise promo.refuse("not_applicable", None)
        settled = await settle_with_pass(
            session, code=data.pass_code, contact=contact, occurrences=occurrences
        )
    else:
        settled = await settle_with_offer(
            session,
            data=data,
            contact=contact,
            occurrences=occurrences,
            payments=payments,
            now=now,
            requester=requester,
        )
    for occurrence in occurrences:
        if occurrence.id not in held:
            await seats.hold(session, occurrence=occurrence, now=now)
    booking = await _record(
        session,
        settled=settled,
        contact=contact,
        occurrences=occurrences,
        now=now,
        site=site,
        identity=identity,
    )
    await count_booking(session, requester, identity.email or "", now)
    body = f"{booking.name} · {sessions_label(occurrences)}"
    url = f"/coach/bookings/{booking.id}"
    await notices.tell(session, NoticeEvent.booking_new, body=body, url=url, now=now)
    return booking


def sessions_label(occurrences: list[CourseSession]) -> str:
    return ", ".join(f"{to_local(o.starts_at):%d.%m %H:%M} {o.course.name}" for o in occurrences)


async def _record(
    session: AsyncSession,
    *,
    settled: Settlement,
    contact: Contact,
    occurrences: list[CourseSession],
    now: datetime,
    site: SiteSettings,
    identity: Identity,
) -> Booking:
    paid_now = settled.total == 0
    credits = settled.pass_ is not None and settled.pass_.credits_left is not None
    named = settled.offer or settled.pass_
    booking = Booking(
        code=await _free_code(session, site.booking_code_prefix),
        ticket_token=new_token(),
        contact_id=contact.id,
        name=identity.name,
        phone=identity.phone,
        offer_id=settled.offer.id if settled.offer else None,
        offer_name=named.name if named else "",
        pass_id=settled.pass_.id if settled.pass_ else None,
        bought_pass=settled.bought_pass,
        status=BookingStatus.confirmed if paid_now else BookingStatus.pending,
        payment_method=settled.method,
        total_cents=settled.total,
        subtotal_cents=settled.subtotal or settled.total,
        discount_cents=settled.promo.discount_cents if settled.promo else 0,
        promo_code=settled.promo.code.code if settled.promo else None,
        language=identity.language,
        created_at=now,
        expires_at=None if paid_now else expiry(settled.method, now, site),
        confirmed_at=now if paid_now else None,
        terms_accepted_at=now,
    )
    booking.seats = [BookingSeat(session_id=o.id, used_credit=credits) for o in occurrences]
    session.add(booking)
    if settled.pass_ is not None and paid_now and settled.bought_pass:
        settled.pass_.status = PassStatus.active
    await session.flush()
    if settled.promo is not None:
        await promo.redeem(session, applied=settled.promo, booking_id=booking.id, now=now)
    if paid_now:
        await mail.queue(
            session, kind="booking_confirmed", to=contact.email, now=now, booking_id=booking.id
        )
    elif settled.method in (PaymentMethod.link, PaymentMethod.on_site):
        await mail.queue(
            session, kind="booking_received", to=contact.email, now=now, booking_id=booking.id
        )
    return booking
