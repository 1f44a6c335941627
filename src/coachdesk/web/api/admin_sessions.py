"""Admin API: dated sessions (list, one-off, capacity, cancel / restore)."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from fastapi import APIRouter

from coachdesk.catalog import queries, schedule
from coachdesk.catalog.courses import get_course
from coachdesk.catalog.schemas import OneOffSessionIn, SessionOut, SessionPatch
from coachdesk.kit.clock import ZURICH
from coachdesk.kit.days import DayQuery
from coachdesk.kit.ids import IdPath, IdQuery
from coachdesk.models import SessionStatus
from coachdesk.web.api.common import ERRORS
from coachdesk.web.deps import DB, Now, Owner

router = APIRouter(prefix="/sessions", tags=["admin: sessions"], responses=ERRORS)


@router.get("", response_model=list[SessionOut])
async def list_sessions(
    db: DB,
    now: Now,
    owner: Owner,
    day_from: DayQuery = None,
    day_to: DayQuery = None,
    course_id: IdQuery = None,
) -> list[SessionOut]:
    """All sessions (hidden courses and cancelled ones too) between two local days."""
    first = datetime.combine(day_from, time.min, ZURICH) if day_from else now - timedelta(days=1)
    last = datetime.combine(day_to, time.max, ZURICH) if day_to else now + timedelta(weeks=8)
    found = await queries.admin_sessions(db, start=first, end=last, course_id=course_id)
    return [queries.session_out(s) for s in found]


@router.post("", response_model=SessionOut, status_code=201)
async def add_one_off(data: OneOffSessionIn, db: DB, now: Now, owner: Owner) -> SessionOut:
    course = await get_course(db, data.course_id)
    occurrence = await schedule.add_one_off(
        db,
        course=course,
        starts_at=data.starts_at,
        actor=owner,
        now=now,
        duration_minutes=data.duration_minutes,
        capacity=data.capacity,
        note=data.note,
    )
    return queries.session_out(await schedule.get_session(db, occurrence.id))


@router.patch("/{session_id}", response_model=SessionOut)
async def update_session(
    session_id: IdPath, data: SessionPatch, db: DB, now: Now, owner: Owner
) -> SessionOut:
    occurrence = await schedule.get_session(db, session_id)
    if data.capacity is not None:
        await schedule.set_capacity(
            db, occurrence=occurrence, capacity=data.capacity, actor=owner, now=now
        )
    if data.note is not None:
        occurrence.note = data.note
    if data.status == SessionStatus.cancelled:
        await schedule.cancel(db, occurrence=occurrence, actor=owner, now=now)
    elif data.status == SessionStatus.scheduled:
        await schedule.restore(db, occurrence=occurrence, actor=owner, now=now)
    return queries.session_out(occurrence)
