"""The owner manages the team; staff see only their part."""

from __future__ import annotations

import httpx
from sqlalchemy.ext.asyncio import AsyncSession

from coachdesk.kit.clock import FixedClock
from coachdesk.models import CoachRole
from tests.conftest import BASE_URL
from tests.factories import PASSWORD, login, make_coach


async def test_owner_adds_staff_who_then_sees_only_today(
    app: object, client: httpx.AsyncClient, db: AsyncSession, clock: FixedClock
) -> None:
    await make_coach(db, now=clock.now())
    token = await login(client)
    added = await client.post(
        "/coach/team",
        data={
            "email": "ana@example.ch",
            "password": PASSWORD,
            "role": "staff",
            "csrf_token": token,
        },
    )
    assert added.status_code == 303
    transport = httpx.ASGITransport(app=app)  # type: ignore[arg-type]
    async with httpx.AsyncClient(transport=transport, base_url=BASE_URL) as staff:
        await login(staff, email="ana@example.ch")
        today = await staff.get("/coach/today")
        assert today.status_code == 200 and "/coach/courses" not in today.text
        assert (await staff.get("/coach/team")).status_code == 403


async def test_a_weak_password_or_taken_email_is_refused_in_place(
    client: httpx.AsyncClient, db: AsyncSession, clock: FixedClock
) -> None:
    await make_coach(db, now=clock.now())
    token = await login(client)
    weak = await client.post(
        "/coach/team", data={"email": "ana@example.ch", "password": "short", "csrf_token": token}
    )
    assert weak.status_code == 422 and "au moins 10 caractères" in weak.text
    taken = await client.post(
        "/coach/team", data={"email": "coach@example.ch", "password": PASSWORD, "csrf_token": token}
    )
    assert taken.status_code == 409 and "existe déjà" in taken.text


async def test_deactivation_signs_out_everywhere_but_never_locks_the_studio_out(
    app: object, client: httpx.AsyncClient, db: AsyncSession, clock: FixedClock
) -> None:
    owner = await make_coach(db, now=clock.now())
    staff_account = await make_coach(
        db, now=clock.now(), email="ana@example.ch", role=CoachRole.staff
    )
    token = await login(client)
    transport = httpx.ASGITransport(app=app)  # type: ignore[arg-type]
    async with httpx.AsyncClient(transport=transport, base_url=BASE_URL) as staff:
        await login(staff, email="ana@example.ch")
        await client.post(f"/coach/team/{staff_account.id}/deactivate", data={"csrf_token": token})
        assert (await staff.get("/coach/today")).status_code == 303
    self_off = await client.post(f"/coach/team/{owner.id}/deactivate", data={"csrf_token": token})
    assert self_off.status_code == 422 and "propre compte" in self_off.text
    assert (await client.get("/coach/today")).status_code == 200
