"""Marketing campaigns: the message and audience, each scheduled send, and one delivery
row per recipient and channel — the record that nothing is lost and nothing sent twice."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Enum, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from coachdesk.db import Base
from coachdesk.models.contact import ConsentChannel, Contact


def _enum(kind: type[enum.Enum]) -> Enum:
    return Enum(kind, native_enum=False, length=16)


class CampaignStatus(enum.StrEnum):
    draft = "draft"
    scheduled = "scheduled"
    sending = "sending"
    sent = "sent"
    paused = "paused"
    cancelled = "cancelled"


class SendStatus(enum.StrEnum):
    scheduled = "scheduled"  # waits for its time
    sending = "sending"  # deliveries written, being sent
    sent = "sent"
    cancelled = "cancelled"


class DeliveryStatus(enum.StrEnum):
    pending = "pending"
    sending = "sending"  # claimed by the worker: the provider may or may not have it
    sent = "sent"
    failed = "failed"  # the provider refused, retries exhausted (error kept)
    skipped = "skipped"  # no consent, no address, invalid number (reason kept)
    interrupted = "interrupted"  # caught in "sending" by a crash: the coach decides
    dropped = "dropped"  # an interrupted row the coach chose not to resend


class Campaign(Base):
    __tablename__ = "campaigns"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    body: Mapped[str] = mapped_column(Text, default="")
    subject: Mapped[str] = mapped_column(String(200), default="")  # e-mail subject
    media_url: Mapped[str] = mapped_column(String(500), default="")
    email: Mapped[bool] = mapped_column(default=True)  # channels
    whatsapp: Mapped[bool] = mapped_column(default=False)
    audience: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    status: Mapped[CampaignStatus] = mapped_column(
        _enum(CampaignStatus), default=CampaignStatus.draft
    )
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    created_by: Mapped[str] = mapped_column(String(254), default="")

    sends: Mapped[list[CampaignSend]] = relationship(
        back_populates="campaign", order_by="CampaignSend.due_at", lazy="selectin"
    )

    @property
    def channels(self) -> list[ConsentChannel]:
        wanted = ((self.email, ConsentChannel.email), (self.whatsapp, ConsentChannel.whatsapp))
        return [channel for on, channel in wanted if on]


class CampaignSend(Base):
    """One scheduled moment of a campaign (a campaign may be sent at several)."""

    __tablename__ = "campaign_sends"
    __table_args__ = (Index("ix_campaign_sends_status_due_at", "status", "due_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaigns.id", ondelete="CASCADE"))
    due_at: Mapped[datetime]
    status: Mapped[SendStatus] = mapped_column(_enum(SendStatus), default=SendStatus.scheduled)
    started_at: Mapped[datetime | None]
    finished_at: Mapped[datetime | None]

    campaign: Mapped[Campaign] = relationship(back_populates="sends", lazy="joined")


class Delivery(Base):
    __tablename__ = "campaign_deliveries"
    __table_args__ = (
        UniqueConstraint("send_id", "contact_id", "channel"),  # never twice the same row
        Index("ix_campaign_deliveries_status_next", "status", "next_attempt_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    send_id: Mapped[int] = mapped_column(
        ForeignKey("campaign_sends.id", ondelete="CASCADE"), index=True
    )
    contact_id: Mapped[int] = mapped_column(ForeignKey("contacts.id", ondelete="CASCADE"))
    channel: Mapped[ConsentChannel] = mapped_column(_enum(ConsentChannel))
    address: Mapped[str] = mapped_column(String(254), default="")  # e-mail or E.164
    status: Mapped[DeliveryStatus] = mapped_column(
        _enum(DeliveryStatus), default=DeliveryStatus.pending
    )
    reason: Mapped[str] = mapped_column(String(40), default="")  # why skipped
    error: Mapped[str] = mapped_column(String(500), default="")  # the provider's last error
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime | None]
    claimed_at: Mapped[datetime | None]
    sent_at: Mapped[datetime | None]
    provider_id: Mapped[str] = mapped_column(String(120), default="")

    contact: Mapped[Contact] = relationship(lazy="joined")
