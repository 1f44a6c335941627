"""Conversations with visitors (1:1 or community), their messages, the visitors' device
tokens and one-time codes that prove who they are, and shareable chat links."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import Enum, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from coachdesk.db import Base
from coachdesk.models.contact import Contact


def _enum(kind: type[enum.Enum]) -> Enum:
    return Enum(kind, native_enum=False, length=16)


class ConversationMode(enum.StrEnum):
    ai = "ai"  # the assistant answers
    human = "human"  # the coach answers, the assistant is silent
    community = "community"  # a group of contacts and the coach


class Author(enum.StrEnum):
    visitor = "visitor"
    coach = "coach"
    assistant = "assistant"


class ChatLink(Base):
    __tablename__ = "chat_links"

    id: Mapped[int] = mapped_column(primary_key=True)
    token: Mapped[str] = mapped_column(String(64), unique=True)
    title: Mapped[str] = mapped_column(String(120))
    community: Mapped[bool] = mapped_column(default=False)  # its conversation: link_id = id
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime]


class Conversation(Base):
    __tablename__ = "conversations"
    __table_args__ = (Index("ix_conversations_last_message_at", "last_message_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    mode: Mapped[ConversationMode] = mapped_column(_enum(ConversationMode))
    title: Mapped[str] = mapped_column(String(120), default="")
    contact_id: Mapped[int | None] = mapped_column(  # 1:1 conversations
        ForeignKey("contacts.id", ondelete="CASCADE"), index=True
    )
    link_id: Mapped[int | None] = mapped_column(ForeignKey("chat_links.id", ondelete="SET NULL"))
    verified: Mapped[bool] = mapped_column(default=True)  # identity proven for this thread
    # an unverified thread is readable only by the device that started it
    device_hash: Mapped[str | None] = mapped_column(String(64), index=True)
    unread: Mapped[int] = mapped_column(default=0)  # visitor messages the coach has not read
    created_at: Mapped[datetime]
    last_message_at: Mapped[datetime]
    deleted_at: Mapped[datetime | None]
    deleted_by: Mapped[str | None] = mapped_column(String(254))

    contact: Mapped[Contact | None] = relationship(lazy="joined")


class ConversationMember(Base):
    """Members of a community conversation."""

    __tablename__ = "conversation_members"
    __table_args__ = (UniqueConstraint("conversation_id", "contact_id", "device_hash"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    conversation_id: Mapped[int] = mapped_column(
        ForeignKey("conversations.id", ondelete="CASCADE"), index=True
    )
    contact_id: Mapped[int] = mapped_column(ForeignKey("contacts.id", ondelete="CASCADE"))
    # "" for a proved member; else the device that joined through the link without proving
    # its address, the only one that reads the group as this member
    device_hash: Mapped[str] = mapped_column(String(64), default="", server_default="")
    joined_at: Mapped[datetime]

    contact: Mapped[Contact] = relationship(lazy="joined")


class Message(Base):
    __tablename__ = "messages"
    __table_args__ = (Index("ix_messages_conversation_id_id", "conversation_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    conversation_id: Mapped[int] = mapped_column(ForeignKey("conversations.id", ondelete="CASCADE"))
    author: Mapped[Author] = mapped_column(_enum(Author))
    contact_id: Mapped[int | None] = mapped_column(ForeignKey("contacts.id", ondelete="SET NULL"))
    coach_id: Mapped[int | None] = mapped_column(ForeignKey("coaches.id", ondelete="SET NULL"))
    body: Mapped[str] = mapped_column(Text)
    # the name the writer gave (a device that has not proved its address never borrows the
    # name stored on the card)
    author_name: Mapped[str] = mapped_column(String(120), default="", server_default="")
    created_at: Mapped[datetime]
    deleted_at: Mapped[datetime | None]
    deleted_by: Mapped[str | None] = mapped_column(String(254))

    contact: Mapped[Contact | None] = relationship(lazy="joined")


class VisitorDevice(Base):
    """A browser in the chat: its token (kept on the device) reads what it may. ``verified``:
    it proved the card's address with a code; until then it reads only its own threads."""

    __tablename__ = "visitor_devices"

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    contact_id: Mapped[int] = mapped_column(
        ForeignKey("contacts.id", ondelete="CASCADE"), index=True
    )
    verified: Mapped[bool] = mapped_column(default=True)
    name: Mapped[str] = mapped_column(String(120), default="", server_default="")  # as typed
    created_at: Mapped[datetime]
    last_seen_at: Mapped[datetime]
    revoked_at: Mapped[datetime | None]


class IdentityCode(Base):
    """A one-time code sent to a known contact to restore their history on a new device."""

    __tablename__ = "identity_codes"

    id: Mapped[int] = mapped_column(primary_key=True)
    contact_id: Mapped[int] = mapped_column(ForeignKey("contacts.id", ondelete="CASCADE"))
    device_hash: Mapped[str] = mapped_column(String(64))  # the device asking
    code_hash: Mapped[str] = mapped_column(String(64))
    attempts: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]
