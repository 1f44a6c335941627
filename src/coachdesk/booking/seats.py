"""Seats, enforced by the database: a conditional UPDATE takes a seat only while one is left.

``UPDATE … SET seats_taken = seats_taken + 1 WHERE seats_taken < capacity`` is atomic on
SQLite (one writer at a time) and on PostgreSQL (the row lock makes a waiting writer
re-check the condition), so no number of simultaneous bookings can overfill a session.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CursorResult, update
from sqlalchemy.ext.asyncio import AsyncSession

from coachdesk.errors import Conflict, Invalid, NotFound
from coachdesk.kit.i18n import N_
from coachdesk.models import Course, CourseSession, SessionStatus

SESSION_FULL = N_("Complet : il n'y a plus de place pour cette séance.")
SESSION_PAST = N_("Cette séance a déjà commencé : elle ne peut plus être réservée.")
SESSION_CANCELLED = N_("Cette séance est annulée.")
SESSION_UNKNOWN = N_("Séance inconnue.")


def check_bookable(occurrence: CourseSession | None, now: datetime) -> CourseSession:
    """The clear reason a session cannot be booked (full is decided by ``hold``)."""
    if occurrence is None or not _visible(occurrence.course):
        raise NotFound(SESSION_UNKNOWN, code="unknown_session", field="sessions")
    if occurrence.status == SessionStatus.cancelled:
        raise Invalid(SESSION_CANCELLED, code="session_cancelled", field="sessions")
    if occurrence.starts_at <= now:
        raise Invalid(SESSION_PAST, code="session_past", field="sessions")
    return occurrence


def check_seats_left(occurrence: CourseSession) -> None:
    """For pages: say "complet" early. Booking itself relies on ``hold``."""
    if occurrence.seats_left <= 0:
        raise Conflict(SESSION_FULL, code="session_full", field="sessions")


def _visible(course: Course) -> bool:
    return course.visible and course.archived_at is None


async def hold(session: AsyncSession, *, occurrence: CourseSession, now: datetime) -> None:
    result = await session.execute(
        update(CourseSession)
        .where(
            CourseSession.id == occurrence.id,
            CourseSession.seats_taken < CourseSession.capacity,
            CourseSession.status == SessionStatus.scheduled,
            CourseSession.starts_at > now,
        )
        .values(seats_taken=CourseSession.seats_taken + 1)
        .execution_options(synchronize_session=False)
    )
    if _count(result) != 1:
        await session.refresh(occurrence)
        check_bookable(occurrence, now)
        raise Conflict(SESSION_FULL, code="session_full", field="sessions")


async def release(session: AsyncSession, *, session_id: int) -> None:
    await session.execute(
        update(CourseSession)
        .where(CourseSession.id == session_id, CourseSession.seats_taken > 0)
        .values(seats_taken=CourseSession.seats_taken - 1)
        .execution_options(synchronize_session=False)
    )


def _count(result: object) -> int:
    return result.rowcount if isinstance(result, CursorResult) else 0
