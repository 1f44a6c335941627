import pytest
from pydantic import ValidationError
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from coachdesk.catalog import courses, offers
from coachdesk.catalog.schemas import OfferIn
from coachdesk.errors import Conflict
from coachdesk.kit.clock import FixedClock
from coachdesk.models import AuditEntry, CourseSession, OfferKind
from tests.factories import make_coach, make_course, make_offer


async def test_duplicate_is_a_hidden_copy_with_the_same_slot_and_offers(
    db: AsyncSession, clock: FixedClock
) -> None:
    coach = await make_coach(db, now=clock.now())
    offer = await make_offer(db, now=clock.now())
    course = await make_course(db, now=clock.now(), offer_ids=[offer.id])
    course = await courses.get_course(db, course.id)
    copy = await courses.duplicate_course(db, course=course, actor=coach, now=clock.now(), weeks=4)
    assert copy.name == "Silent Disco Cardio (copie)" and not copy.visible
    assert (copy.weekday, copy.start_time, copy.capacity) == (2, course.start_time, 20)
    assert [o.id for o in copy.allowed_offers] == [offer.id]


async def test_delete_is_refused_while_bookings_reference_the_course(
    db: AsyncSession, clock: FixedClock
) -> None:
    coach = await make_coach(db, now=clock.now())
    course = await make_course(db, now=clock.now())
    occurrence = await db.scalar(select(CourseSession).where(CourseSession.course_id == course.id))
    assert occurrence is not None
    occurrence.seats_taken = 1
    await db.commit()
    with pytest.raises(Conflict) as caught:
        await courses.delete_course(db, course=course, actor=coach, now=clock.now())
    assert "archivez-le" in caught.value.translated()
    occurrence.seats_taken = 0
    await courses.delete_course(db, course=course, actor=coach, now=clock.now())
    await db.commit()
    assert await db.scalar(select(func.count(CourseSession.id))) == 0


async def test_archive_and_restore_are_audited(db: AsyncSession, clock: FixedClock) -> None:
    coach = await make_coach(db, now=clock.now())
    course = await make_course(db, now=clock.now())
    await courses.archive_course(db, course=course, actor=coach, now=clock.now())
    assert [c.id for c in await courses.list_courses(db, archived=True)] == [course.id]
    await courses.restore_course(db, course=course, actor=coach, now=clock.now(), weeks=4)
    actions = list(await db.scalars(select(AuditEntry.action).order_by(AuditEntry.id)))
    assert actions[-2:] == ["course.archived", "course.restored"]


async def test_offer_delete_is_refused_while_a_course_is_restricted_to_it(
    db: AsyncSession, clock: FixedClock
) -> None:
    coach = await make_coach(db, now=clock.now())
    offer = await make_offer(db, now=clock.now())
    await make_course(db, now=clock.now(), name="Afro", offer_ids=[offer.id])
    offer = await offers.get_offer(db, offer.id)
    with pytest.raises(Conflict) as caught:
        await offers.delete_offer(db, offer=offer, actor=coach, now=clock.now())
    assert "Afro" in caught.value.translated()


@pytest.mark.parametrize(
    ("fields", "error"),
    [
        ({"kind": "pack"}, "pack_needs_credits"),
        ({"kind": "subscription"}, "subscription_needs_validity"),
        ({"kind": "single", "price_cents": -1}, "greater_than_equal"),
        ({"kind": "single", "description": "x" * 151}, "string_too_long"),
        ({"kind": "single", "images": ["javascript:alert(1)"]}, "string_pattern_mismatch"),
        ({"kind": "voucher"}, "enum"),
    ],
)
def test_offer_rules(fields: dict[str, object], error: str) -> None:
    with pytest.raises(ValidationError) as caught:
        OfferIn.model_validate({"name": "X", "price_cents": 100, **fields})
    assert error in str(caught.value.errors()[0].get("ctx", {}).get("error", "")) or (
        caught.value.errors()[0]["type"] == error
    )


def test_fields_that_do_not_apply_to_the_kind_are_dropped() -> None:
    single = OfferIn(name="A", kind=OfferKind.single, price_cents=1, credits=5, validity_days=3)
    assert (single.credits, single.validity_days) == (None, None)
    subscription = OfferIn(
        name="B", kind=OfferKind.subscription, price_cents=1, credits=5, validity_days=30
    )
    assert (subscription.credits, subscription.validity_days) == (None, 30)
