"""Creating, changing, duplicating, archiving and deleting courses."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from coachdesk.audit.service import record
from coachdesk.catalog import schedule
from coachdesk.catalog.schemas import CourseIn, CoursePatch
from coachdesk.errors import Conflict, Invalid, NotFound
from coachdesk.kit.i18n import N_
from coachdesk.models import Coach, Course, CourseSession, Offer
from coachdesk.promo import admin as promo_admin

COURSE_NOT_FOUND = N_("Ce cours n'existe pas.")
SLOT_FIELDS = {"weekday", "start_time", "duration_minutes"}


async def get_course(session: AsyncSession, course_id: int) -> Course:
    course = await session.scalar(
        select(Course).where(Course.id == course_id).options(selectinload(Course.allowed_offers))
    )
    if course is None:
        raise NotFound(COURSE_NOT_FOUND)
    return course


async def list_courses(session: AsyncSession, *, archived: bool = False) -> list[Course]:
    query = (
        select(Course)
        .where(Course.archived_at.is_not(None) if archived else Course.archived_at.is_(None))
        .options(selectinload(Course.allowed_offers))
        .order_by(Course.weekday, Course.start_time, Course.name)
    )
    return list((await session.scalars(query)).all())


async def _offers(session: AsyncSession, ids: list[int]) -> list[Offer]:
    offers = list((await session.scalars(select(Offer).where(Offer.id.in_(ids)))).all())
    if len(offers) != len(set(ids)):
        raise Invalid(N_("Offre inconnue."), code="unknown_offer", field="allowed_offer_ids")
    return offers


async def create_course(
    session: AsyncSession, *, data: CourseIn, actor: Coach | None, now: datetime, weeks: int
) -> Course:
    fields = data.model_dump(exclude={"allowed_offer_ids"})
    course = Course(**fields, created_at=now, updated_at=now)
    course.allowed_offers = await _offers(session, data.allowed_offer_ids)
    session.add(course)
    await session.flush()
    await schedule.extend_course(session, course=course, now=now, weeks=weeks)
    await record(
        session,
        actor=actor,
        action="course.created",
        obj=course,
        now=now,
        data={"name": course.name},
    )
    return course


async def update_course(
    session: AsyncSession,
    *,
    course: Course,
    data: CoursePatch | CourseIn,
    actor: Coach,
    now: datetime,
    weeks: int,
) -> Course:
    """Checks everything first, then changes: a refusal leaves the course untouched."""
    changes = data.model_dump(exclude_unset=isinstance(data, CoursePatch), exclude_none=True)
    offer_ids = changes.pop("allowed_offer_ids", None)
    changed = {key: value for key, value in changes.items() if getattr(course, key) != value}
    offers = await _offers(session, offer_ids) if offer_ids is not None else None
    if "capacity" in changed:
        await schedule.check_course_capacity(
            session, course=course, capacity=changed["capacity"], now=now
        )
    for key, value in changed.items():
        setattr(course, key, value)
    if offers is not None:
        course.allowed_offers = offers
    course.updated_at = now
    if "capacity" in changed:
        await schedule.follow_course_capacity(session, course=course, now=now)
    if SLOT_FIELDS & changed.keys():
        await schedule.reslot_course(session, course=course, now=now, weeks=weeks)
    await record(
        session,
        actor=actor,
        action="course.updated",
        obj=course,
        now=now,
        data={"fields": sorted(changed) + (["allowed_offers"] if offer_ids else [])},
    )
    return course


async def duplicate_course(
    session: AsyncSession, *, course: Course, actor: Coach, now: datetime, weeks: int
) -> Course:
    """A hidden copy named "… (copie)", so the coach can adjust it before showing it."""
    data = CourseIn.model_validate(
        {
            **{key: getattr(course, key) for key in CourseIn.model_fields if hasattr(course, key)},
            "name": f"{course.name} (copie)"[:120],
            "visible": False,
            "allowed_offer_ids": [offer.id for offer in course.allowed_offers],
        }
    )
    copy = await create_course(session, data=data, actor=actor, now=now, weeks=weeks)
    await record(
        session,
        actor=actor,
        action="course.duplicated",
        obj=copy,
        now=now,
        data={"from": course.id},
    )
    return copy


async def archive_course(
    session: AsyncSession, *, course: Course, actor: Coach, now: datetime
) -> None:
    course.archived_at = now
    await record(session, actor=actor, action="course.archived", obj=course, now=now)


async def restore_course(
    session: AsyncSession, *, course: Course, actor: Coach, now: datetime, weeks: int
) -> None:
    course.archived_at = None
    await schedule.extend_course(session, course=course, now=now, weeks=weeks)
    await record(session, actor=actor, action="course.restored", obj=course, now=now)


async def booked_seats(session: AsyncSession, course: Course) -> int:
    total = await session.scalar(
        select(func.sum(CourseSession.seats_taken)).where(CourseSession.course_id == course.id)
    )
    return int(total or 0)


async def delete_course(
    session: AsyncSession, *, course: Course, actor: Coach, now: datetime
) -> None:
    """Refused while bookings reference the course: archive it instead."""
    if await booked_seats(session, course):
        raise Conflict(
            N_("Ce cours a des réservations : archivez-le plutôt que de le supprimer."),
            code="course_referenced",
        )
    await record(
        session,
        actor=actor,
        action="course.deleted",
        obj=course,
        now=now,
        data={"name": course.name},
    )
    await promo_admin.detach(session, now=now, course_id=course.id)
    await session.delete(course)
    await session.flush()
