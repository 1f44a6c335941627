"""Bookings (one checkout), their seats (one per session), and passes (cards, memberships)."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import CheckConstraint, Enum, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from coachdesk.db import Base
from coachdesk.models.catalog import CourseSession, Offer, OfferKind
from coachdesk.models.contact import Contact


def _enum(kind: type[enum.Enum]) -> Enum:
    return Enum(kind, native_enum=False, length=16)


class BookingStatus(enum.StrEnum):
    pending = "pending"  # seats held, not paid yet
    confirmed = "confirmed"
    cancelled = "cancelled"
    expired = "expired"  # unpaid in time: seats released


class PaymentMethod(enum.StrEnum):
    free = "free"
    with_pass = "pass"  # noqa: S105 (a payment method, not a password)
    stripe = "stripe"
    link = "link"
    on_site = "on_site"


class PassStatus(enum.StrEnum):
    pending = "pending"  # bought, not paid yet
    active = "active"
    cancelled = "cancelled"


class Pass(Base):
    """A bought card (credits) or membership (period), identified by e-mail + code."""

    __tablename__ = "passes"
    __table_args__ = (
        CheckConstraint("credits_left IS NULL OR credits_left >= 0", name="credits_left_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(16), unique=True)
    contact_id: Mapped[int] = mapped_column(ForeignKey("contacts.id", ondelete="RESTRICT"))
    offer_id: Mapped[int | None] = mapped_column(ForeignKey("offers.id", ondelete="SET NULL"))
    name: Mapped[str] = mapped_column(String(120))
    kind: Mapped[OfferKind] = mapped_column(_enum(OfferKind))
    credits_total: Mapped[int | None]
    credits_left: Mapped[int | None]
    valid_from: Mapped[datetime]
    valid_until: Mapped[datetime]
    status: Mapped[PassStatus] = mapped_column(_enum(PassStatus), default=PassStatus.pending)
    created_at: Mapped[datetime]

    contact: Mapped[Contact] = relationship(lazy="joined")


class Booking(Base):
    __tablename__ = "bookings"
    __table_args__ = (
        CheckConstraint("total_cents >= 0", name="total_positive"),
        Index("ix_bookings_status_expires_at", "status", "expires_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(24), unique=True)
    ticket_token: Mapped[str] = mapped_column(String(64), unique=True)
    contact_id: Mapped[int] = mapped_column(ForeignKey("contacts.id", ondelete="RESTRICT"))
    # as typed on this booking: what the booker sees, whatever the card says
    name: Mapped[str] = mapped_column(String(120), default="", server_default="")
    phone: Mapped[str | None] = mapped_column(String(20))
    offer_id: Mapped[int | None] = mapped_column(ForeignKey("offers.id", ondelete="SET NULL"))
    offer_name: Mapped[str] = mapped_column(String(120), default="")
    pass_id: Mapped[int | None] = mapped_column(ForeignKey("passes.id", ondelete="SET NULL"))
    bought_pass: Mapped[bool] = mapped_column(default=False)
    status: Mapped[BookingStatus] = mapped_column(_enum(BookingStatus))
    payment_method: Mapped[PaymentMethod] = mapped_column(_enum(PaymentMethod))
    total_cents: Mapped[int]
    subtotal_cents: Mapped[int] = mapped_column(default=0, server_default="0")  # before promo
    discount_cents: Mapped[int] = mapped_column(default=0, server_default="0")
    promo_code: Mapped[str | None] = mapped_column(String(40))
    refunded_cents: Mapped[int] = mapped_column(default=0)
    language: Mapped[str] = mapped_column(String(5), default="fr")
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime | None]
    paid_at: Mapped[datetime | None]
    confirmed_at: Mapped[datetime | None]
    cancelled_at: Mapped[datetime | None]
    terms_accepted_at: Mapped[datetime | None]
    stripe_session_id: Mapped[str | None] = mapped_column(String(255), unique=True)
    stripe_payment_intent: Mapped[str | None] = mapped_column(String(255))
    deleted_at: Mapped[datetime | None]

    contact: Mapped[Contact] = relationship(lazy="joined")
    offer: Mapped[Offer | None] = relationship(lazy="joined")
    pass_: Mapped[Pass | None] = relationship(lazy="joined")

    @property
    def booker_name(self) -> str:
        """The name given on this booking (what the booker sees; never the card's name)."""
        return self.name or self.contact.name

    seats: Mapped[list[BookingSeat]] = relationship(
        back_populates="booking", lazy="selectin", order_by="BookingSeat.id"
    )

    @property
    def is_paid(self) -> bool:
        return self.paid_at is not None or self.payment_method in (
            PaymentMethod.free,
            PaymentMethod.with_pass,
        )


class SeatStatus(enum.StrEnum):
    held = "held"  # counted in the session's seats_taken
    released = "released"  # given back (cancelled, expired)


class BookingSeat(Base):
    """One session in a booking. While ``held`` it counts in the session's seats_taken."""

    __tablename__ = "booking_seats"
    __table_args__ = (UniqueConstraint("booking_id", "session_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    booking_id: Mapped[int] = mapped_column(ForeignKey("bookings.id", ondelete="CASCADE"))
    session_id: Mapped[int] = mapped_column(
        ForeignKey("course_sessions.id", ondelete="RESTRICT"), index=True
    )
    status: Mapped[SeatStatus] = mapped_column(_enum(SeatStatus), default=SeatStatus.held)
    used_credit: Mapped[bool] = mapped_column(default=False)
    checked_in_at: Mapped[datetime | None]
    checked_in_by: Mapped[str | None] = mapped_column(String(254))
    reminded_at: Mapped[datetime | None]

    booking: Mapped[Booking] = relationship(back_populates="seats")
    session: Mapped[CourseSession] = relationship(lazy="joined")


class WaitlistStatus(enum.StrEnum):
    waiting = "waiting"
    offered = "offered"  # a freed seat is held for this person until hold_until
    claimed = "claimed"
    lapsed = "lapsed"  # the offer was not taken in time
    left = "left"  # the person left the list


class WaitlistEntry(Base):
    __tablename__ = "waitlist_entries"
    __table_args__ = (Index("ix_waitlist_entries_session_status", "session_id", "status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("course_sessions.id", ondelete="CASCADE"))
    contact_id: Mapped[int] = mapped_column(ForeignKey("contacts.id", ondelete="CASCADE"))
    token: Mapped[str] = mapped_column(String(64), unique=True)
    status: Mapped[WaitlistStatus] = mapped_column(
        _enum(WaitlistStatus), default=WaitlistStatus.waiting
    )
    created_at: Mapped[datetime]
    offered_at: Mapped[datetime | None]
    hold_until: Mapped[datetime | None]
    booking_id: Mapped[int | None] = mapped_column(ForeignKey("bookings.id", ondelete="SET NULL"))

    session: Mapped[CourseSession] = relationship(lazy="joined")
    contact: Mapped[Contact] = relationship(lazy="joined")
