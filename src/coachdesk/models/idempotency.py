"""Keys a client sends with a booking so that a retry (the answer was lost) returns the
booking it already made instead of making another; kept 24 hours."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from coachdesk.db import Base


class IdempotencyKey(Base):
    __tablename__ = "idempotency_keys"

    key_hash: Mapped[str] = mapped_column(String(64), primary_key=True)  # never in clear
    booking_id: Mapped[int] = mapped_column(ForeignKey("bookings.id", ondelete="CASCADE"))
    created_at: Mapped[datetime] = mapped_column(index=True)
