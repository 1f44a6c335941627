"""Queueing e-mails and claiming them for delivery (with retries and backoff)."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import CursorResult, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from coachdesk.models import EmailMessage, EmailStatus

BACKOFF = [timedelta(minutes=1), timedelta(minutes=5), timedelta(minutes=30), timedelta(hours=2)]
LEASE = timedelta(minutes=10)  # a claimed message is out of the others' reach meanwhile


async def queue(
    session: AsyncSession,
    *,
    kind: str,
    to: str | None,
    now: datetime,
    booking_id: int | None = None,
    seat_id: int | None = None,
    waitlist_entry_id: int | None = None,
) -> EmailMessage | None:
    """Content is written at delivery, in the recipient's language, from the current data."""
    if not to:
        return None
    message = EmailMessage(
        kind=kind,
        to_address=to,
        subject="",
        text="",
        booking_id=booking_id,
        seat_id=seat_id,
        waitlist_entry_id=waitlist_entry_id,
        created_at=now,
        due_at=now,
    )
    session.add(message)
    await session.flush()
    return message


async def due(session: AsyncSession, now: datetime, *, limit: int = 50) -> list[EmailMessage]:
    query = (
        select(EmailMessage)
        .where(EmailMessage.status == EmailStatus.pending, EmailMessage.due_at <= now)
        .order_by(EmailMessage.due_at, EmailMessage.id)
        .limit(limit)
    )
    return list((await session.scalars(query)).all())


async def claim(session: AsyncSession, message: EmailMessage, now: datetime) -> bool:
    """Only one worker gets a message: a conditional UPDATE counts the attempt and leases
    the message (its due time moves past the lease) before anything is sent."""
    result = await session.execute(
        update(EmailMessage)
        .where(
            EmailMessage.id == message.id,
            EmailMessage.status == EmailStatus.pending,
            EmailMessage.due_at <= now,
        )
        .values(attempts=EmailMessage.attempts + 1, due_at=now + LEASE)
        .execution_options(synchronize_session=False)
    )
    claimed = isinstance(result, CursorResult) and result.rowcount == 1
    if claimed:
        await session.refresh(message)
    return claimed


def failed(message: EmailMessage, error: str, now: datetime) -> None:
    message.error = error[:2000]
    attempt = message.attempts  # already counted by claim
    if attempt > len(BACKOFF):
        message.status = EmailStatus.failed
        message.identity_code = None
    else:
        message.due_at = now + BACKOFF[attempt - 1]


def done(message: EmailMessage, *, delivered: bool, now: datetime) -> None:
    message.identity_code = None  # written into the e-mail; not kept any longer
    message.status = EmailStatus.sent if delivered else EmailStatus.kept
    message.sent_at = now
    message.error = ""


async def outbox(session: AsyncSession, *, limit: int = 200) -> list[EmailMessage]:
    query = select(EmailMessage).order_by(EmailMessage.created_at.desc(), EmailMessage.id.desc())
    return list((await session.scalars(query.limit(limit))).all())
