"""Promo codes, the batches they were generated in, and their uses (redemptions)."""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import (
    CheckConstraint,
    Column,
    Enum,
    ForeignKey,
    Index,
    String,
    Table,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from coachdesk.db import Base
from coachdesk.models.catalog import Course, Offer
from coachdesk.models.contact import Contact

promo_code_courses = Table(
    "promo_code_courses",
    Base.metadata,
    Column("promo_code_id", ForeignKey("promo_codes.id", ondelete="CASCADE"), primary_key=True),
    Column("course_id", ForeignKey("courses.id", ondelete="CASCADE"), primary_key=True),
)
promo_code_offers = Table(
    "promo_code_offers",
    Base.metadata,
    Column("promo_code_id", ForeignKey("promo_codes.id", ondelete="CASCADE"), primary_key=True),
    Column("offer_id", ForeignKey("offers.id", ondelete="CASCADE"), primary_key=True),
)


class PromoKind(enum.StrEnum):
    free = "free"  # 100 %
    percent = "percent"  # value: 1–100
    amount = "amount"  # value: cents


class PromoBatch(Base):
    __tablename__ = "promo_batches"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    prefix: Mapped[str] = mapped_column(String(24), default="")
    size: Mapped[int]
    created_at: Mapped[datetime]
    created_by: Mapped[str] = mapped_column(String(254), default="")


class PromoCode(Base):
    """``code`` is stored trimmed and upper-case, so uniqueness is case-insensitive and a
    lookup is a plain equality."""

    __tablename__ = "promo_codes"
    __table_args__ = (
        CheckConstraint("uses >= 0", name="uses_positive"),
        CheckConstraint("max_uses IS NULL OR uses <= max_uses", name="uses_within_max"),
        CheckConstraint("value >= 0", name="value_positive"),
        Index("ix_promo_codes_batch_id", "batch_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    kind: Mapped[PromoKind] = mapped_column(Enum(PromoKind, native_enum=False, length=16))
    value: Mapped[int] = mapped_column(default=0)
    beneficiary_id: Mapped[int | None] = mapped_column(
        ForeignKey("contacts.id", ondelete="RESTRICT"), index=True
    )
    max_uses: Mapped[int | None]
    uses: Mapped[int] = mapped_column(default=0)
    valid_from: Mapped[date | None]
    valid_until: Mapped[date | None]
    active: Mapped[bool] = mapped_column(default=True)
    note: Mapped[str] = mapped_column(String(255), default="")
    batch_id: Mapped[int | None] = mapped_column(ForeignKey("promo_batches.id", ondelete="CASCADE"))
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]

    beneficiary: Mapped[Contact | None] = relationship(lazy="joined")
    batch: Mapped[PromoBatch | None] = relationship(lazy="joined")
    courses: Mapped[list[Course]] = relationship(secondary=promo_code_courses, lazy="selectin")
    offers: Mapped[list[Offer]] = relationship(secondary=promo_code_offers, lazy="selectin")


class PromoRedemption(Base):
    """One use of a code by a booking; ``released_at`` when the booking was cancelled or
    expired (the use was given back)."""

    __tablename__ = "promo_redemptions"

    id: Mapped[int] = mapped_column(primary_key=True)
    promo_code_id: Mapped[int] = mapped_column(
        ForeignKey("promo_codes.id", ondelete="CASCADE"), index=True
    )
    booking_id: Mapped[int] = mapped_column(
        ForeignKey("bookings.id", ondelete="CASCADE"), unique=True
    )
    discount_cents: Mapped[int]
    created_at: Mapped[datetime]
    released_at: Mapped[datetime | None]
