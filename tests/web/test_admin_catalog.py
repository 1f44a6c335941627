"""Coach Mode forms for courses, sessions and offers."""

from __future__ import annotations

import httpx
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from coachdesk.kit.clock import FixedClock
from coachdesk.models import AuditEntry, Course, CourseSession, Offer
from tests.factories import login, make_coach, make_course, make_offer

COURSE_FORM = {
    "name": "Afro Dance",
    "weekday": "6",
    "start_time": "18:30",
    "duration_minutes": "60",
    "capacity": "20",
    "location_name": "Salle du Faubourg",
    "visible": "1",
}


async def owner_client(client: httpx.AsyncClient, db: AsyncSession, clock: FixedClock) -> str:
    await make_coach(db, now=clock.now())
    return await login(client)


async def test_coach_creates_a_course_and_it_is_on_the_public_page(
    client: httpx.AsyncClient, db: AsyncSession, clock: FixedClock
) -> None:
    token = await owner_client(client, db, clock)
    response = await client.post("/coach/courses", data={**COURSE_FORM, "csrf_token": token})
    assert response.status_code == 303 and "msg=created" in response.headers["location"]
    edit = await client.get(response.headers["location"])
    assert "C'est créé." in edit.text and "dim. 22 nov." in edit.text
    assert "Afro Dance" in (await client.get("/")).text
    assert (
        await db.scalar(
            select(func.count(AuditEntry.id)).where(AuditEntry.action == "course.created")
        )
        == 1
    )


async def test_an_invalid_course_form_shows_field_errors_and_saves_nothing(
    client: httpx.AsyncClient, db: AsyncSession, clock: FixedClock
) -> None:
    token = await owner_client(client, db, clock)
    bad = {
        **COURSE_FORM,
        "name": "  ",
        "capacity": "abc",
        "start_time": "25:99",
        "maps_url": "javascript:alert(1)",
        "csrf_token": token,
    }
    response = await client.post("/coach/courses", data=bad)
    assert response.status_code == 422
    assert "Ce champ est obligatoire." in response.text
    assert "Nombre entier attendu." in response.text
    assert "Heure invalide (HH:MM)." in response.text
    assert "Format invalide" in response.text
    assert 'value="abc"' in response.text  # what was typed is kept
    assert await db.scalar(select(func.count(Course.id))) == 0


async def test_form_errors_are_in_the_coach_language(
    client: httpx.AsyncClient, db: AsyncSession, clock: FixedClock
) -> None:
    token = await owner_client(client, db, clock)
    client.cookies.set("cd_lang", "de")
    response = await client.post(
        "/coach/courses", data={**COURSE_FORM, "name": "", "csrf_token": token}
    )
    assert "Dieses Feld ist erforderlich." in response.text


async def test_edit_duplicate_archive_restore_delete_course(
    client: httpx.AsyncClient, db: AsyncSession, clock: FixedClock
) -> None:
    token = await owner_client(client, db, clock)
    course = await make_course(db, now=clock.now())
    path = f"/coach/courses/{course.id}"
    edited = await client.post(path, data={**COURSE_FORM, "name": "Cardio+", "csrf_token": token})
    assert edited.status_code == 303
    copy = await client.post(f"{path}/duplicate", data={"csrf_token": token})
    assert "(copie)" in (await client.get(copy.headers["location"])).text
    await client.post(f"{path}/archive", data={"csrf_token": token})
    assert "Cardio+" in (await client.get("/coach/courses?archived=true")).text
    await client.post(f"{path}/restore", data={"csrf_token": token})
    deleted = await client.post(f"{path}/delete", data={"csrf_token": token})
    assert deleted.status_code == 303
    assert await db.scalar(select(func.count(Course.id))) == 1  # the copy remains


async def test_deleting_a_booked_course_is_refused_with_a_clear_message(
    client: httpx.AsyncClient, db: AsyncSession, clock: FixedClock
) -> None:
    token = await owner_client(client, db, clock)
    course = await make_course(db, now=clock.now())
    occurrence = await db.scalar(select(CourseSession).limit(1))
    assert occurrence
    occurrence.seats_taken = 2
    await db.commit()
    response = await client.post(f"/coach/courses/{course.id}/delete", data={"csrf_token": token})
    assert response.status_code == 409 and "archivez-le plutôt" in response.text
    assert await db.scalar(select(func.count(Course.id))) == 1


async def test_cancel_an_occurrence_change_capacity_and_add_a_one_off(
    client: httpx.AsyncClient, db: AsyncSession, clock: FixedClock
) -> None:
    token = await owner_client(client, db, clock)
    course = await make_course(db, now=clock.now())
    first = await db.scalar(select(CourseSession).order_by(CourseSession.starts_at).limit(1))
    assert first
    await client.post(f"/coach/sessions/{first.id}/cancel", data={"csrf_token": token})
    await client.post(
        f"/coach/sessions/{first.id}/capacity", data={"capacity": "12", "csrf_token": token}
    )
    added = await client.post(
        f"/coach/courses/{course.id}/sessions",
        data={"starts_at": "2026-12-31T22:00", "csrf_token": token},
    )
    assert added.status_code == 303
    past = await client.post(
        f"/coach/courses/{course.id}/sessions",
        data={"starts_at": "2020-01-01T10:00", "csrf_token": token},
    )
    assert past.status_code == 422 and "Choisissez une date future." in past.text
    await db.refresh(first)
    assert first.is_cancelled and first.capacity == 12
    assert "Annulée" in (await client.get("/")).text


async def test_offer_form_reads_swiss_prices_and_refuses_bad_ones(
    client: httpx.AsyncClient, db: AsyncSession, clock: FixedClock
) -> None:
    token = await owner_client(client, db, clock)
    form = {
        "name": "Carte 10 cours",
        "kind": "pack",
        "price": "150",
        "credits": "10",
        "validity_days": "183",
        "description": "10 séances",
        "visible": "1",
        "csrf_token": token,
    }
    bad = await client.post("/coach/offers", data={**form, "price": "cent", "credits": ""})
    assert bad.status_code == 422
    assert "Montant invalide" in bad.text and "nombre de cours" in bad.text
    assert await db.scalar(select(func.count(Offer.id))) == 0
    good = await client.post("/coach/offers", data=form)
    assert good.status_code == 303
    offer = await db.scalar(select(Offer))
    assert offer and offer.price_cents == 15000 and offer.credits == 10


async def test_offer_delete_refused_while_a_course_depends_on_it(
    client: httpx.AsyncClient, db: AsyncSession, clock: FixedClock
) -> None:
    token = await owner_client(client, db, clock)
    offer = await make_offer(db, now=clock.now())
    await make_course(db, now=clock.now(), name="Afro", offer_ids=[offer.id])
    response = await client.post(f"/coach/offers/{offer.id}/delete", data={"csrf_token": token})
    assert response.status_code == 409 and "Afro" in response.text
    assert await db.scalar(select(func.count(Offer.id))) == 1


async def test_today_lists_the_day_for_staff_too(
    client: httpx.AsyncClient, db: AsyncSession, clock: FixedClock
) -> None:
    await owner_client(client, db, clock)
    await make_course(db, now=clock.now(), name="Cardio du mercredi")
    page = await client.get("/coach/today")
    assert "Cardio du mercredi" in page.text and "0/0 arrivés · 0/20 places" in page.text
