"""The same booking for the same key: a client that lost the answer (the connection broke
after the booking was saved) sends the request again with its ``Idempotency-Key`` and gets
the booking it already made, for 24 hours. The key is stored hashed, in the booking's own
transaction, so a booking and its key are saved together or not at all."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta

from sqlalchemy import CursorResult, delete
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from coachdesk.auth.tokens import token_hash
from coachdesk.errors import Conflict, Invalid
from coachdesk.kit.i18n import N_
from coachdesk.kit.text import normalise_email
from coachdesk.models import Booking, IdempotencyKey

KEEP = timedelta(hours=24)
HEADER = "Idempotency-Key"
BAD_KEY = N_("Clé de réservation invalide (8 à 200 caractères).")
KEY_REUSED = N_("Cette clé a déjà servi pour la réservation de quelqu'un d'autre.")


def checked(key: str | None) -> str | None:
    if not key:
        return None
    if not 8 <= len(key) <= 200 or not key.isascii() or not key.isprintable():
        raise Invalid(BAD_KEY, code="invalid_idempotency_key", field="idempotency_key")
    return key


async def earlier(session: AsyncSession, key: str, email: str, now: datetime) -> Booking | None:
    """The booking this key made in the last 24 hours, for the same e-mail address."""
    row = await session.get(IdempotencyKey, token_hash(key))
    if row is None or row.created_at <= now - KEEP:
        return None
    booking = await session.get_one(Booking, row.booking_id)
    try:
        same = normalise_email(email) == (booking.contact.email or "")
    except ValueError:
        same = False
    if not same:
        raise Conflict(KEY_REUSED, code="idempotency_key_reused", field="idempotency_key")
    return booking


async def remember(session: AsyncSession, key: str, booking: Booking, now: datetime) -> None:
    """Stored with the booking; a second request racing with the same key fails here (the
    key is the primary key) and is answered with the first one's booking."""
    key_hash = token_hash(key)
    await session.execute(
        delete(IdempotencyKey).where(
            IdempotencyKey.key_hash == key_hash, IdempotencyKey.created_at <= now - KEEP
        )
    )
    session.add(IdempotencyKey(key_hash=key_hash, booking_id=booking.id, created_at=now))
    await session.flush()


async def forget_old(session: AsyncSession, now: datetime) -> int:
    result = await session.execute(
        delete(IdempotencyKey).where(IdempotencyKey.created_at <= now - KEEP)
    )
    return result.rowcount if isinstance(result, CursorResult) else 0


async def once(
    session: AsyncSession,
    key: str | None,
    *,
    email: str,
    now: datetime,
    place: Callable[[], Awaitable[Booking]],
) -> Booking:
    """``place`` the booking and commit it with its key, or the booking this key already
    made. Refusals (AppError) propagate with nothing kept."""
    if key and (found := await earlier(session, key, email, now)) is not None:
        return found
    try:
        booking = await place()
        if key:
            await remember(session, key, booking, now)
        await session.commit()
    except IntegrityError:
        await session.rollback()
        found = await earlier(session, key, email, now) if key else None
        if found is None:
            raise
        return found
    await session.refresh(booking)
    return booking
