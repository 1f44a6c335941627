"""Dated sessions: generated from each course's weekly slot, or added one-off.

Wall-clock times are local (Europe/Zurich) and stored as UTC, so a Sunday 18:30 class
stays at 18:30 across the daylight-saving changes.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from coachdesk.audit.service import record
from coachdesk.errors import Invalid, NotFound
from coachdesk.kit.clock import UTC, ZURICH, local_to_utc
from coachdesk.kit.i18n import N_
from coachdesk.models import Coach, Course, CourseSession, SessionStatus

SESSION_NOT_FOUND = N_("Cette séance n'existe pas.")


async def get_session(session: AsyncSession, session_id: int) -> CourseSession:
    occurrence = await session.get(CourseSession, session_id)
    if occurrence is None:
        raise NotFound(SESSION_NOT_FOUND)
    return occurrence


def slot_starts(course: Course, first_day: date, end_day: date) -> list[datetime]:
    """UTC start of every occurrence of the course's weekly slot in [first_day, end_day)."""
    offset = (course.weekday - first_day.weekday()) % 7
    day = first_day + timedelta(days=offset)
    starts = []
    while day < end_day:
        starts.append(local_to_utc(day, course.start_time))
        day += timedelta(days=7)
    return starts


async def extend_course(session: AsyncSession, *, course: Course, now: datetime, weeks: int) -> int:
    """Creates the missing sessions of the next ``weeks`` weeks; returns how many."""
    if course.archived_at is not None:
        return 0
    today = now.astimezone(ZURICH).date()
    wanted = [s for s in slot_starts(course, today, today + timedelta(weeks=weeks)) if s > now]
    existing = set(
        await session.scalars(
            select(CourseSession.starts_at).where(
                CourseSession.course_id == course.id, CourseSession.starts_at.in_(wanted)
            )
        )
    )
    created = [start for start in wanted if start not in existing]
    session.add_all(
        CourseSession(
            course_id=course.id,
            starts_at=start,
            duration_minutes=course.duration_minutes,
            capacity=course.capacity,
        )
        for start in created
    )
    await session.flush()
    return len(created)


async def extend_all(session: AsyncSession, *, now: datetime, weeks: int) -> int:
    courses = await session.scalars(select(Course).where(Course.archived_at.is_(None)))
    return sum([await extend_course(session, course=c, now=now, weeks=weeks) for c in courses])


async def reslot_course(
    session: AsyncSession, *, course: Course, now: datetime, weeks: int
) -> None:
    """After the weekly slot changed: drop future generated sessions nobody booked that no
    longer match the slot, then generate the new ones. Booked sessions stay as they are."""
    await session.execute(
        delete(CourseSession).where(
            CourseSession.course_id == course.id,
            CourseSession.starts_at > now,
            CourseSession.one_off.is_(False),
            CourseSession.seats_taken == 0,
        )
    )
    await extend_course(session, course=course, now=now, weeks=weeks)


async def _following(session: AsyncSession, course: Course, now: datetime) -> list[CourseSession]:
    """Future sessions whose capacity was not set by hand: they follow the course's."""
    query = select(CourseSession).where(
        CourseSession.course_id == course.id,
        CourseSession.starts_at > now,
        CourseSession.capacity_overridden.is_(False),
    )
    return list((await session.scalars(query)).all())


async def check_course_capacity(
    session: AsyncSession, *, course: Course, capacity: int, now: datetime
) -> None:
    for occurrence in await _following(session, course, now):
        _check_capacity(occurrence, capacity)


async def follow_course_capacity(session: AsyncSession, *, course: Course, now: datetime) -> None:
    for occurrence in await _following(session, course, now):
        occurrence.capacity = course.capacity


def _check_capacity(occurrence: CourseSession, capacity: int) -> None:
    if capacity < occurrence.seats_taken:
        raise Invalid(
            N_("%(taken)s places sont déjà réservées pour cette séance."),
            code="capacity_below_bookings",
            field="capacity",
            taken=occurrence.seats_taken,
        )


async def set_capacity(
    session: AsyncSession, *, occurrence: CourseSession, capacity: int, actor: Coach, now: datetime
) -> None:
    _check_capacity(occurrence, capacity)
    before = occurrence.capacity
    occurrence.capacity = capacity
    occurrence.capacity_overridden = True
    await record(
        session,
        actor=actor,
        action="session.capacity_changed",
        obj=occurrence,
        now=now,
        data={"from": before, "to": capacity},
    )


async def cancel(
    session: AsyncSession, *, occurrence: CourseSession, actor: Coach, now: datetime
) -> None:
    if occurrence.status == SessionStatus.cancelled:
        return
    occurrence.status = SessionStatus.cancelled
    occurrence.cancelled_at = now
    await record(
        session,
        actor=actor,
        action="session.cancelled",
        obj=occurrence,
        now=now,
        data={"starts_at": occurrence.starts_at.isoformat()},
    )


async def restore(
    session: AsyncSession, *, occurrence: CourseSession, actor: Coach, now: datetime
) -> None:
    if occurrence.status == SessionStatus.scheduled:
        return
    occurrence.status = SessionStatus.scheduled
    occurrence.cancelled_at = None
    await record(session, actor=actor, action="session.restored", obj=occurrence, now=now)


async def add_one_off(
    session: AsyncSession,
    *,
    course: Course,
    starts_at: datetime,
    actor: Coach,
    now: datetime,
    duration_minutes: int | None = None,
    capacity: int | None = None,
    note: str = "",
) -> CourseSession:
    if starts_at.tzinfo is None:
        starts_at = starts_at.replace(tzinfo=ZURICH)
    starts_at = starts_at.astimezone(UTC)
    if starts_at <= now:
        raise Invalid(N_("Choisissez une date future."), code="past_date", field="starts_at")
    taken = await session.scalar(
        select(CourseSession.id).where(
            CourseSession.course_id == course.id, CourseSession.starts_at == starts_at
        )
    )
    if taken:
        raise Invalid(
            N_("Une séance existe déjà à cette heure."), code="duplicate_session", field="starts_at"
        )
    occurrence = CourseSession(
        course_id=course.id,
        starts_at=starts_at,
        one_off=True,
        note=note,
        duration_minutes=duration_minutes or course.duration_minutes,
        capacity=capacity or course.capacity,
        capacity_overridden=capacity is not None,
    )
    session.add(occurrence)
    await session.flush()
    await record(
        session,
        actor=actor,
        action="session.added",
        obj=occurrence,
        now=now,
        data={"course_id": course.id, "starts_at": starts_at.isoformat()},
    )
    return occurrence
