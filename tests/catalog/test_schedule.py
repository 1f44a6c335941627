from datetime import UTC, datetime, time, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from coachdesk.catalog import schedule
from coachdesk.catalog.courses import update_course
from coachdesk.catalog.schemas import CoursePatch
from coachdesk.errors import Invalid
from coachdesk.kit.clock import ZURICH, FixedClock
from coachdesk.models import CourseSession, SessionStatus
from tests.factories import make_coach, make_course


async def sessions_of(db: AsyncSession, course_id: int) -> list[CourseSession]:
    query = select(CourseSession).where(CourseSession.course_id == course_id)
    return list((await db.scalars(query.order_by(CourseSession.starts_at))).all())


async def test_a_weekly_slot_gives_the_next_weeks_sessions_at_local_time(
    db: AsyncSession,
) -> None:
    # Sunday 18:30 classes from early October: the clocks change on 25 October.
    now = datetime(2026, 10, 5, 9, 0, tzinfo=ZURICH)
    course = await make_course(db, now=now, weekday=6, start=time(18, 30), weeks=4)
    found = await sessions_of(db, course.id)
    local = [s.starts_at.astimezone(ZURICH) for s in found]
    assert [d.day for d in local] == [11, 18, 25, 1]
    assert all((d.hour, d.minute) == (18, 30) for d in local)
    assert found[1].starts_at.hour == 16 and found[2].starts_at.hour == 17  # UTC shifts


async def test_today_s_session_is_generated_only_if_it_has_not_started(db: AsyncSession) -> None:
    wednesday_evening = datetime(2026, 11, 18, 19, 0, tzinfo=ZURICH)
    course = await make_course(db, now=wednesday_evening, weekday=2, weeks=2)
    found = await sessions_of(db, course.id)
    assert [s.starts_at.astimezone(ZURICH).day for s in found] == [25]


async def test_extending_again_adds_nothing_and_keeps_a_cancelled_occurrence_cancelled(
    db: AsyncSession, clock: FixedClock
) -> None:
    coach = await make_coach(db, now=clock.now())
    course = await make_course(db, now=clock.now(), weeks=4)
    first = (await sessions_of(db, course.id))[0]
    await schedule.cancel(db, occurrence=first, actor=coach, now=clock.now())
    assert await schedule.extend_all(db, now=clock.now(), weeks=4) == 0
    await db.commit()
    again = await sessions_of(db, course.id)
    assert again[0].status == SessionStatus.cancelled and len(again) == 4


async def test_time_moving_on_generates_the_following_week(
    db: AsyncSession, clock: FixedClock
) -> None:
    course = await make_course(db, now=clock.now(), weeks=2)
    before = len(await sessions_of(db, course.id))
    clock.advance(timedelta(days=7))
    assert await schedule.extend_all(db, now=clock.now(), weeks=2) == 1
    assert len(await sessions_of(db, course.id)) == before + 1


async def test_one_off_session_at_local_time_and_not_twice(
    db: AsyncSession, clock: FixedClock
) -> None:
    coach = await make_coach(db, now=clock.now())
    course = await make_course(db, now=clock.now(), weeks=1)
    when = datetime(2026, 12, 31, 22, 0)  # New Year's Eve special, local time
    occurrence = await schedule.add_one_off(
        db, course=course, starts_at=when, actor=coach, now=clock.now(), capacity=40
    )
    assert occurrence.starts_at.astimezone(UTC).hour == 21 and occurrence.capacity == 40
    with pytest.raises(Invalid) as caught:
        await schedule.add_one_off(db, course=course, starts_at=when, actor=coach, now=clock.now())
    assert caught.value.code == "duplicate_session"
    with pytest.raises(Invalid):
        await schedule.add_one_off(
            db, course=course, starts_at=datetime(2020, 1, 1, 10, 0), actor=coach, now=clock.now()
        )


async def test_capacity_cannot_go_below_the_seats_already_taken(
    db: AsyncSession, clock: FixedClock
) -> None:
    coach = await make_coach(db, now=clock.now())
    course = await make_course(db, now=clock.now(), capacity=20)
    occurrence = (await sessions_of(db, course.id))[0]
    occurrence.seats_taken = 12
    with pytest.raises(Invalid) as caught:
        await schedule.set_capacity(
            db, occurrence=occurrence, capacity=10, actor=coach, now=clock.now()
        )
    assert "12" in caught.value.translated()
    await schedule.set_capacity(
        db, occurrence=occurrence, capacity=15, actor=coach, now=clock.now()
    )
    assert occurrence.capacity == 15 and occurrence.capacity_overridden


async def test_course_capacity_change_follows_only_untouched_future_sessions(
    db: AsyncSession, clock: FixedClock
) -> None:
    coach = await make_coach(db, now=clock.now())
    course = await make_course(db, now=clock.now(), capacity=20)
    first = (await sessions_of(db, course.id))[0]
    await schedule.set_capacity(db, occurrence=first, capacity=8, actor=coach, now=clock.now())
    await update_course(
        db, course=course, data=CoursePatch(capacity=25), actor=coach, now=clock.now(), weeks=4
    )
    capacities = [s.capacity for s in await sessions_of(db, course.id)]
    assert capacities == [8, 25, 25, 25]


async def test_moving_the_slot_keeps_booked_sessions_and_regenerates_the_others(
    db: AsyncSession, clock: FixedClock
) -> None:
    coach = await make_coach(db, now=clock.now())
    course = await make_course(db, now=clock.now(), weekday=2)
    booked = (await sessions_of(db, course.id))[0]
    booked.seats_taken = 3
    await update_course(
        db,
        course=course,
        data=CoursePatch(weekday=3, start_time=time(19, 0)),
        actor=coach,
        now=clock.now(),
        weeks=4,
    )
    found = await sessions_of(db, course.id)
    weekdays = [s.starts_at.astimezone(ZURICH).weekday() for s in found]
    assert found[0].id == booked.id and weekdays[0] == 2
    assert weekdays[1:] == [3, 3, 3, 3]
