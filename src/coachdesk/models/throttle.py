"""Counters of tries per key and fixed time window (code guesses, promo guesses, bookings
per address…), shared by every process through the database."""

from __future__ import annotations

from sqlalchemy import BigInteger, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from coachdesk.db import Base


class ThrottleWindow(Base):
    __tablename__ = "throttle_windows"
    __table_args__ = (UniqueConstraint("bucket", "key_hash", "window"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    bucket: Mapped[str] = mapped_column(String(40))
    key_hash: Mapped[str] = mapped_column(String(64))  # what is counted is never stored in clear
    window: Mapped[int] = mapped_column(BigInteger)  # the window's start, in seconds since 1970
    hits: Mapped[int] = mapped_column(default=0)
