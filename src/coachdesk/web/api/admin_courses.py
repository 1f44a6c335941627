"""Admin API: courses."""

from __future__ import annotations

from fastapi import APIRouter, Response

from coachdesk.catalog import courses as service
from coachdesk.catalog.schemas import CourseIn, CourseOut, CoursePatch
from coachdesk.kit.ids import IdPath
from coachdesk.web.api.common import ERRORS, course_out
from coachdesk.web.deps import DB, Now, Owner, Site

router = APIRouter(prefix="/courses", tags=["admin: courses"], responses=ERRORS)


@router.get("", response_model=list[CourseOut])
async def list_courses(db: DB, owner: Owner, archived: bool = False) -> list[CourseOut]:
    return [course_out(c) for c in await service.list_courses(db, archived=archived)]


@router.post("", response_model=CourseOut, status_code=201)
async def create_course(data: CourseIn, db: DB, now: Now, owner: Owner, site: Site) -> CourseOut:
    course = await service.create_course(
        db, data=data, actor=owner, now=now, weeks=site.weeks_ahead
    )
    return course_out(await service.get_course(db, course.id))


@router.get("/{course_id}", response_model=CourseOut)
async def get_course(course_id: IdPath, db: DB, owner: Owner) -> CourseOut:
    return course_out(await service.get_course(db, course_id))


@router.patch("/{course_id}", response_model=CourseOut)
async def update_course(
    course_id: IdPath, data: CoursePatch, db: DB, now: Now, owner: Owner, site: Site
) -> CourseOut:
    course = await service.get_course(db, course_id)
    await service.update_course(
        db, course=course, data=data, actor=owner, now=now, weeks=site.weeks_ahead
    )
    return course_out(course)


@router.post("/{course_id}/duplicate", response_model=CourseOut, status_code=201)
async def duplicate_course(
    course_id: IdPath, db: DB, now: Now, owner: Owner, site: Site
) -> CourseOut:
    course = await service.get_course(db, course_id)
    copy = await service.duplicate_course(
        db, course=course, actor=owner, now=now, weeks=site.weeks_ahead
    )
    return course_out(await service.get_course(db, copy.id))


@router.post("/{course_id}/archive", response_model=CourseOut)
async def archive_course(course_id: IdPath, db: DB, now: Now, owner: Owner) -> CourseOut:
    course = await service.get_course(db, course_id)
    await service.archive_course(db, course=course, actor=owner, now=now)
    return course_out(course)


@router.post("/{course_id}/restore", response_model=CourseOut)
async def restore_course(
    course_id: IdPath, db: DB, now: Now, owner: Owner, site: Site
) -> CourseOut:
    course = await service.get_course(db, course_id)
    await service.restore_course(db, course=course, actor=owner, now=now, weeks=site.weeks_ahead)
    return course_out(course)


@router.delete("/{course_id}", status_code=204)
async def delete_course(course_id: IdPath, db: DB, now: Now, owner: Owner) -> Response:
    course = await service.get_course(db, course_id)
    await service.delete_course(db, course=course, actor=owner, now=now)
    return Response(status_code=204)
