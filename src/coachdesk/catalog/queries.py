"""Read models for the public site and the API."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from coachdesk.catalog.schemas import SessionOut
from coachdesk.models import Course, CourseSession, Offer


async def public_sessions(
    session: AsyncSession, *, start: datetime, end: datetime, limit: int = 500
) -> list[CourseSession]:
    """Sessions of visible, active courses starting in [start, end), cancelled ones included
    (shown as such)."""
    query = (
        select(CourseSession)
        .join(Course)
        .where(
            CourseSession.starts_at >= start,
            CourseSession.starts_at < end,
            Course.visible.is_(True),
            Course.archived_at.is_(None),
        )
        .order_by(CourseSession.starts_at, Course.name)
        .limit(limit)
    )
    return list((await session.scalars(query)).all())


async def admin_sessions(
    session: AsyncSession, *, start: datetime, end: datetime, course_id: int | None = None
) -> list[CourseSession]:
    query = select(CourseSession).where(
        CourseSession.starts_at >= start, CourseSession.starts_at < end
    )
    if course_id is not None:
        query = query.where(CourseSession.course_id == course_id)
    return list((await session.scalars(query.order_by(CourseSession.starts_at))).all())


async def public_offers(session: AsyncSession) -> list[Offer]:
    query = (
        select(Offer)
        .where(Offer.visible.is_(True), Offer.archived_at.is_(None))
        .order_by(Offer.display_order, Offer.id)
    )
    return list((await session.scalars(query)).all())


def session_out(occurrence: CourseSession) -> SessionOut:
    course = occurrence.course
    return SessionOut(
        id=occurrence.id,
        course_id=course.id,
        course_name=course.name,
        starts_at=occurrence.starts_at,
        ends_at=occurrence.ends_at,
        location_name=course.location_name,
        address=course.address,
        maps_url=course.maps_url,
        capacity=occurrence.capacity,
        seats_left=occurrence.seats_left,
        status=occurrence.status,
        one_off=occurrence.one_off,
    )
