"""One contact table for everyone: bookers, waiting-list people, chat visitors, leads."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Enum, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

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
    notes: Mapped[str] = mapped_column(Text, default="", server_default="")
    consent_email: Mapped[bool] = mapped_column(default=False, server_default="0")
    consent_whatsapp: Mapped[bool] = mapped_column(default=False, server_default="0")
    merged_into_id: Mapped[int | None] = mapped_column(
        ForeignKey("contacts.id", ondelete="SET NULL"), index=True
    )
    erased_at: Mapped[datetime | None]

    tags: Mapped[list[ContactTag]] = relationship(
        back_populates="contact",
        cascade="all, delete-orphan",
        lazy="selectin",
        order_by="ContactTag.tag",
    )

    @property
    def tag_names(self) -> list[str]:
        return [t.tag for t in self.tags]


class ContactTag(Base):
    __tablename__ = "contact_tags"
    __table_args__ = (UniqueConstraint("contact_id", "tag"), Index("ix_contact_tags_tag", "tag"))

    id: Mapped[int] = mapped_column(primary_key=True)
    contact_id: Mapped[int] = mapped_column(ForeignKey("contacts.id", ondelete="CASCADE"))
    tag: Mapped[str] = mapped_column(String(40))

    contact: Mapped[Contact] = relationship(back_populates="tags")


class ConsentChannel(enum.StrEnum):
    email = "email"
    whatsapp = "whatsapp"


class ConsentEvent(Base):
    """Each time a marketing consent was given or withdrawn: when, how, by whom."""

    __tablename__ = "consent_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    contact_id: Mapped[int] = mapped_column(
        ForeignKey("contacts.id", ondelete="CASCADE"), index=True
    )
    channel: Mapped[ConsentChannel] = mapped_column(
        Enum(ConsentChannel, native_enum=False, length=16)
    )
    granted: Mapped[bool]
    how: Mapped[str] = mapped_column(String(120))  # "booking form", "unsubscribe link", …
    actor: Mapped[str] = mapped_column(String(254), default="")
    at: Mapped[datetime]


class ContactMerge(Base):
    """A merge of two contacts, with what moved, so that it can be undone."""

    __tablename__ = "contact_merges"

    id: Mapped[int] = mapped_column(primary_key=True)
    kept_id: Mapped[int] = mapped_column(ForeignKey("contacts.id", ondelete="CASCADE"))
    merged_id: Mapped[int] = mapped_column(ForeignKey("contacts.id", ondelete="CASCADE"))
    moved: Mapped[dict[str, Any]] = mapped_column(JSON)
    at: Mapped[datetime]
    actor: Mapped[str] = mapped_column(String(254), default="")
    undone_at: Mapped[datetime | None]


class ConsentRequest(Base):
    """A marketing consent given with an address nobody proved: it counts once the link
    e-mailed to that address is opened (double opt-in)."""

    __tablename__ = "consent_requests"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    contact_id: Mapped[int] = mapped_column(
        ForeignKey("contacts.id", ondelete="CASCADE"), index=True
    )
    email: Mapped[str] = mapped_column(String(254))
    channels: Mapped[list[str]] = mapped_column(JSON)
    how: Mapped[str] = mapped_column(String(120))
    created_at: Mapped[datetime]
    confirmed_at: Mapped[datetime | None]
