"""What the coach is told about (a new booking, a cancellation…), and the devices that
receive it by Web Push."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import Enum, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from coachdesk.db import Base


class NoticeEvent(enum.StrEnum):
    booking_new = "booking_new"
    booking_cancelled = "booking_cancelled"
    waitlist_moved = "waitlist_moved"
    chat_human = "chat_human"  # a visitor wrote in a conversation the coach answers
    payment_failed = "payment_failed"


class NoticeStatus(enum.StrEnum):
    pending = "pending"  # push / e-mail / WhatsApp still to send
    sending = "sending"
    done = "done"


class CoachNotice(Base):
    __tablename__ = "coach_notices"
    __table_args__ = (Index("ix_coach_notices_status_created", "status", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event: Mapped[NoticeEvent] = mapped_column(Enum(NoticeEvent, native_enum=False, length=24))
    title: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text, default="")
    url: Mapped[str] = mapped_column(String(500), default="/coach/today")
    status: Mapped[NoticeStatus] = mapped_column(
        Enum(NoticeStatus, native_enum=False, length=16), default=NoticeStatus.pending
    )
    error: Mapped[str] = mapped_column(String(500), default="")
    created_at: Mapped[datetime]
    sent_at: Mapped[datetime | None]


class PushSubscription(Base):
    """One browser or installed app of a coach that accepted notifications."""

    __tablename__ = "push_subscriptions"

    id: Mapped[int] = mapped_column(primary_key=True)
    coach_id: Mapped[int] = mapped_column(ForeignKey("coaches.id", ondelete="CASCADE"))
    endpoint: Mapped[str] = mapped_column(String(1000), unique=True)
    p256dh: Mapped[str] = mapped_column(String(200))
    auth: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime]
    last_error: Mapped[str] = mapped_column(String(300), default="")
