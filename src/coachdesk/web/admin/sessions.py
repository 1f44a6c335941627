"""One session in Coach Mode: cancel / restore an occurrence, its capacity, one-off sessions."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from coachdesk.catalog import schedule
from coachdesk.catalog.courses import get_course
from coachdesk.catalog.schemas import OneOffSessionIn, SessionPatch
from coachdesk.errors import AppError, Invalid
from coachdesk.kit.i18n import N_, gettext
from coachdesk.kit.ids import IdPath
from coachdesk.web.admin.courses import course_form, course_form_page
from coachdesk.web.deps import DB, Now, Owner
from coachdesk.web.forms import read_form, validate

router = APIRouter()
INVALID = N_("Valeur invalide.")


def to_course(course_id: int, msg: str) -> RedirectResponse:
    return RedirectResponse(f"/coach/courses/{course_id}?msg={msg}#sessions", status_code=303)


@router.post("/sessions/{session_id}/cancel")
async def cancel(session_id: IdPath, db: DB, now: Now, owner: Owner) -> Response:
    occurrence = await schedule.get_session(db, session_id)
    await schedule.cancel(db, occurrence=occurrence, actor=owner, now=now)
    return to_course(occurrence.course_id, "cancelled")


@router.post("/sessions/{session_id}/restore")
async def restore(session_id: IdPath, db: DB, now: Now, owner: Owner) -> Response:
    occurrence = await schedule.get_session(db, session_id)
    await schedule.restore(db, occurrence=occurrence, actor=owner, now=now)
    return to_course(occurrence.course_id, "restored")


async def _course_page_with_error(
    request: Request, db: DB, now: Now, course_id: int, message: str, status: int
) -> Response:
    course = await get_course(db, course_id)
    return await course_form_page(
        request,
        db,
        now,
        form=course_form(course),
        errors={"sessions": message},
        course=course,
        status=status,
    )


@router.post("/sessions/{session_id}/capacity")
async def capacity(
    request: Request, session_id: IdPath, db: DB, now: Now, owner: Owner
) -> Response:
    occurrence = await schedule.get_session(db, session_id)
    data, errors = validate(SessionPatch, await read_form(request))
    try:
        if data is None or data.capacity is None:
            raise Invalid(errors.get("capacity", gettext(INVALID)), field="capacity")
        await schedule.set_capacity(
            db, occurrence=occurrence, capacity=data.capacity, actor=owner, now=now
        )
    except AppError as exc:
        return await _course_page_with_error(
            request, db, now, occurrence.course_id, exc.translated(), exc.status
        )
    return to_course(occurrence.course_id, "saved")


@router.post("/courses/{course_id}/sessions")
async def add_one_off(
    request: Request, course_id: IdPath, db: DB, now: Now, owner: Owner
) -> Response:
    course = await get_course(db, course_id)
    data, errors = validate(OneOffSessionIn, {**await read_form(request), "course_id": course_id})
    try:
        if data is None:
            raise Invalid(next(iter(errors.values())))
        await schedule.add_one_off(
            db,
            course=course,
            starts_at=data.starts_at,
            actor=owner,
            now=now,
            capacity=data.capacity,
            note=data.note,
        )
    except AppError as exc:
        return await _course_page_with_error(
            request, db, now, course_id, exc.translated(), exc.status
        )
    return to_course(course_id, "created")
