"""Coach and staff accounts, their server-side sessions, failed logins, setup links."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import Enum, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from coachdesk.db import Base


class CoachRole(enum.StrEnum):
    owner = "owner"
    staff = "staff"


class Coach(Base):
    __tablename__ = "coaches"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(120), default="")
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[CoachRole] = mapped_column(
        Enum(CoachRole, native_enum=False, length=16), default=CoachRole.owner
    )
    is_active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime]
    last_login_at: Mapped[datetime | None]

    sessions: Mapped[list[AuthSession]] = relationship(
        back_populates="coach", cascade="all, delete-orphan", passive_deletes=True
    )

    @property
    def is_owner(self) -> bool:
        return self.role == CoachRole.owner


class AuthSession(Base):
    """A login. The cookie holds a random token; only its SHA-256 is stored here."""

    __tablename__ = "auth_sessions"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    coach_id: Mapped[int] = mapped_column(ForeignKey("coaches.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime]
    last_seen_at: Mapped[datetime]
    expires_at: Mapped[datetime]
    revoked_at: Mapped[datetime | None]
    ip: Mapped[str] = mapped_column(String(64), default="")
    user_agent: Mapped[str] = mapped_column(String(255), default="")

    coach: Mapped[Coach] = relationship(back_populates="sessions", lazy="joined")


class LoginFailure(Base):
    __tablename__ = "login_failures"
    __table_args__ = (
        Index("ix_login_failures_email_at", "email", "at"),
        Index("ix_login_failures_ip_at", "ip", "at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254))
    ip: Mapped[str] = mapped_column(String(64))
    at: Mapped[datetime]


class SetupToken(Base):
    """One-time link printed on first run to create the owner account."""

    __tablename__ = "setup_tokens"

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]


class SignInLink(Base):
    """A one-time sign-in link e-mailed to a coach (e.g. while password sign-in is paused)."""

    __tablename__ = "coach_sign_in_links"

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    coach_id: Mapped[int] = mapped_column(ForeignKey("coaches.id", ondelete="CASCADE"))
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]
