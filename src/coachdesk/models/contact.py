"""One contact table for everyone: bookers now, chat visitors and leads later."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from coachdesk.db import Base


class Contact(Base):
    """Matched by e-mail (unique) or phone (E.164), never by name. Two contacts may share a
    phone when their e-mails differ: kept apart and listed for the coach to merge."""

    __tablename__ = "contacts"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), default="")
    email: Mapped[str | None] = mapped_column(String(254), unique=True)
    phone: Mapped[str | None] = mapped_column(String(20), index=True)
    language: Mapped[str] = mapped_column(String(5), default="fr")
    source: Mapped[str] = mapped_column(String(80), default="booking")
    first_seen_at: Mapped[datetime]
    last_seen_at: Mapped[datetime]
