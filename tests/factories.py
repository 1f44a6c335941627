"""Plain keyword factories for test data."""

from __future__ import annotations

from datetime import datetime, time

import httpx
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from coachdesk.auth.service import create_coach
from coachdesk.booking.schemas import BookingRequest
from coachdesk.catalog.courses import create_course
from coachdesk.catalog.offers import create_offer
from coachdesk.catalog.schemas import CourseIn, OfferIn
from coachdesk.contacts import consents
from coachdesk.models import (
    Coach,
    CoachRole,
    Course,
    CourseSession,
    EmailMessage,
    Offer,
    OfferKind,
)
from tests.conftest import csrf_token

PASSWORD = "correct horse battery"


async def make_coach(
    db: AsyncSession,
    *,
    now: datetime,
    email: str = "coach@example.ch",
    role: CoachRole = CoachRole.owner,
    password: str = PASSWORD,
) -> Coach:
    coach = await create_coach(db, email=email, password=password, now=now, role=role)
    await db.commit()
    return coach


async def make_course(
    db: AsyncSession,
    *,
    now: datetime,
    name: str = "Silent Disco Cardio",
    weekday: int = 2,
    start: time = time(18, 30),
    capacity: int = 20,
    weeks: int = 4,
    visible: bool = True,
    offer_ids: list[int] | None = None,
) -> Course:
    data = CourseIn(
        name=name,
        weekday=weekday,
        start_time=start,
        capacity=capacity,
        location_name="Salle du Faubourg",
        visible=visible,
        allowed_offer_ids=offer_ids or [],
    )
    course = await create_course(db, data=data, actor=None, now=now, weeks=weeks)
    await db.commit()
    return course


async def make_offer(
    db: AsyncSession,
    *,
    now: datetime,
    name: str = "Cours à l'unité",
    kind: OfferKind = OfferKind.single,
    price_cents: int = 3000,
    credits: int | None = None,
    validity_days: int | None = None,
    description: str = "",
) -> Offer:
    data = OfferIn(
        name=name,
        kind=kind,
        price_cents=price_cents,
        credits=credits,
        validity_days=validity_days,
        description=description,
    )
    offer = await create_offer(db, data=data, actor=None, now=now)
    await db.commit()
    return offer


async def login(
    client: httpx.AsyncClient, *, email: str = "coach@example.ch", password: str = PASSWORD
) -> str:
    """Signs in through the login form; returns the CSRF token for later requests."""
    token = await csrf_token(client)
    response = await client.post(
        "/coach/login", data={"email": email, "password": password, "csrf_token": token}
    )
    assert response.status_code == 303, response.text
    return token


def booking_request(session_ids: list[int], **fields: object) -> BookingRequest:
    data: dict[str, object] = {
        "session_ids": session_ids,
        "name": "Léa Martin",
        "email": "lea@example.ch",
        "phone": "079 123 45 67",
        "accept_terms": True,
        **fields,
    }
    return BookingRequest.model_validate(data)


async def next_sessions(db: AsyncSession, course_id: int) -> list[CourseSession]:
    query = select(CourseSession).where(CourseSession.course_id == course_id)
    return list((await db.scalars(query.order_by(CourseSession.starts_at))).all())


async def confirm_consents(db: AsyncSession, now: datetime) -> int:
    """Opens every consent confirmation e-mailed so far, as the people would (double opt-in)."""
    links = await db.scalars(
        select(EmailMessage.identity_code).where(EmailMessage.kind == "consent_confirm")
    )
    tokens = [token for token in links if token]
    for token in tokens:
        await consents.confirm(db, token=token, now=now)
    await db.commit()
    return len(tokens)
