"""Outgoing e-mail (the outbox the worker delivers) and stored payment-provider events."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Enum, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from coachdesk.db import Base


class EmailStatus(enum.StrEnum):
    pending = "pending"  # waiting for the worker
    sent = "sent"  # handed to the SMTP server
    kept = "kept"  # no SMTP configured: kept in the outbox, readable in Coach Mode
    failed = "failed"  # gave up after retries (error kept)


class EmailMessage(Base):
    __tablename__ = "email_messages"
    __table_args__ = (Index("ix_email_messages_status_due", "status", "due_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(32))
    to_address: Mapped[str] = mapped_column(String(254))
    subject: Mapped[str] = mapped_column(String(255))
    text: Mapped[str] = mapped_column(Text)
    html: Mapped[str] = mapped_column(Text, default="")
    attachments: Mapped[list[Any]] = mapped_column(JSON, default=list)
    booking_id: Mapped[int | None] = mapped_column(ForeignKey("bookings.id", ondelete="SET NULL"))
    seat_id: Mapped[int | None] = mapped_column(ForeignKey("booking_seats.id", ondelete="SET NULL"))
    # a one-time code or link token written into the e-mail, cleared once delivered
    identity_code: Mapped[str | None] = mapped_column(String(64))
    waitlist_entry_id: Mapped[int | None] = mapped_column(
        ForeignKey("waitlist_entries.id", ondelete="SET NULL")
    )
    status: Mapped[EmailStatus] = mapped_column(
        Enum(EmailStatus, native_enum=False, length=16), default=EmailStatus.pending
    )
    attempts: Mapped[int] = mapped_column(default=0)
    error: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime]
    due_at: Mapped[datetime]
    sent_at: Mapped[datetime | None]


class PaymentEvent(Base):
    """A webhook as received (signature already verified), processed at most once."""

    __tablename__ = "payment_events"

    id: Mapped[str] = mapped_column(String(255), primary_key=True)  # the provider's event id
    provider: Mapped[str] = mapped_column(String(16))
    type: Mapped[str] = mapped_column(String(64))
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    received_at: Mapped[datetime]
    processed_at: Mapped[datetime | None]
    error: Mapped[str] = mapped_column(Text, default="")
