"""Courses (weekly slots), their dated sessions, and offers."""

from __future__ import annotations

import enum
from datetime import datetime, time, timedelta
from typing import Any

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Column,
    Enum,
    ForeignKey,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from coachdesk.db import Base

course_offers = Table(
    "course_offers",
    Base.metadata,
    Column("course_id", ForeignKey("courses.id", ondelete="CASCADE"), primary_key=True),
    Column("offer_id", ForeignKey("offers.id", ondelete="CASCADE"), primary_key=True),
)


class Course(Base):
    __tablename__ = "courses"
    __table_args__ = (
        CheckConstraint("weekday BETWEEN 0 AND 6", name="weekday_range"),
        CheckConstraint("capacity >= 0", name="capacity_positive"),
        CheckConstraint("duration_minutes > 0", name="duration_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    description: Mapped[str] = mapped_column(Text, default="")
    location_name: Mapped[str] = mapped_column(String(120), default="")
    address: Mapped[str] = mapped_column(String(255), default="")
    maps_url: Mapped[str] = mapped_column(String(500), default="")
    weekday: Mapped[int]
    start_time: Mapped[time]
    duration_minutes: Mapped[int] = mapped_column(default=60)
    capacity: Mapped[int]
    visible: Mapped[bool] = mapped_column(default=True)
    # audio tracks visitors can play on the public page: [{"title": …, "url": …}]
    playlist: Mapped[list[dict[str, str]]] = mapped_column(JSON, default=list, server_default="[]")
    archived_at: Mapped[datetime | None]
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]

    sessions: Mapped[list[CourseSession]] = relationship(
        back_populates="course", cascade="all, delete-orphan", passive_deletes=True
    )
    allowed_offers: Mapped[list[Offer]] = relationship(
        secondary=course_offers, back_populates="restricted_to", order_by="Offer.display_order"
    )

    @property
    def is_archived(self) -> bool:
        return self.archived_at is not None

    def accepts(self, offer_id: int | None) -> bool:
        """The one home of the *Offres acceptées* rule: none ticked takes every offer; else
        only those (a pass counts as the offer it was bought with)."""
        return not self.allowed_offers or any(o.id == offer_id for o in self.allowed_offers)


class SessionStatus(enum.StrEnum):
    scheduled = "scheduled"
    cancelled = "cancelled"


class CourseSession(Base):
    """One dated occurrence of a course (from its weekly slot, or a one-off)."""

    __tablename__ = "course_sessions"
    __table_args__ = (
        UniqueConstraint("course_id", "starts_at"),
        CheckConstraint("capacity >= 0", name="capacity_positive"),
        CheckConstraint("seats_taken >= 0 AND seats_taken <= capacity", name="seats_within"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id", ondelete="CASCADE"))
    starts_at: Mapped[datetime] = mapped_column(index=True)
    duration_minutes: Mapped[int]
    capacity: Mapped[int]
    capacity_overridden: Mapped[bool] = mapped_column(default=False)
    seats_taken: Mapped[int] = mapped_column(default=0)
    status: Mapped[SessionStatus] = mapped_column(
        Enum(SessionStatus, native_enum=False, length=16), default=SessionStatus.scheduled
    )
    one_off: Mapped[bool] = mapped_column(default=False)
    note: Mapped[str] = mapped_column(String(255), default="")
    cancelled_at: Mapped[datetime | None]

    course: Mapped[Course] = relationship(back_populates="sessions", lazy="joined")

    @property
    def ends_at(self) -> datetime:
        return self.starts_at + timedelta(minutes=self.duration_minutes)

    @property
    def seats_left(self) -> int:
        return max(self.capacity - self.seats_taken, 0)

    @property
    def is_cancelled(self) -> bool:
        return self.status == SessionStatus.cancelled


class OfferKind(enum.StrEnum):
    single = "single"
    pack = "pack"
    subscription = "subscription"


class Offer(Base):
    __tablename__ = "offers"
    __table_args__ = (
        CheckConstraint("price_cents >= 0", name="price_positive"),
        CheckConstraint("credits IS NULL OR credits > 0", name="credits_positive"),
        CheckConstraint("validity_days IS NULL OR validity_days > 0", name="validity_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    kind: Mapped[OfferKind] = mapped_column(Enum(OfferKind, native_enum=False, length=16))
    price_cents: Mapped[int]
    credits: Mapped[int | None]
    validity_days: Mapped[int | None]
    description: Mapped[str] = mapped_column(String(150), default="")
    images: Mapped[list[Any]] = mapped_column(JSON, default=list)
    keywords: Mapped[str] = mapped_column(String(500), default="")
    visible: Mapped[bool] = mapped_column(default=True)
    display_order: Mapped[int] = mapped_column(default=0)
    archived_at: Mapped[datetime | None]
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]

    restricted_to: Mapped[list[Course]] = relationship(
        secondary=course_offers, back_populates="allowed_offers"
    )

    @property
    def is_archived(self) -> bool:
        return self.archived_at is not None
