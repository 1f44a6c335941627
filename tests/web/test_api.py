"""The JSON API: public reads, admin CRUD, error format."""

from __future__ import annotations

import httpx
from sqlalchemy.ext.asyncio import AsyncSession

from coachdesk.kit.clock import FixedClock
from tests.factories import login, make_coach, make_course, make_offer


async def admin(client: httpx.AsyncClient, db: AsyncSession, clock: FixedClock) -> dict[str, str]:
    await make_coach(db, now=clock.now())
    return {"X-CSRF-Token": await login(client)}


async def test_public_sessions_between_two_days(
    client: httpx.AsyncClient, db: AsyncSession, clock: FixedClock
) -> None:
    await make_course(db, now=clock.now(), name="Cardio")
    sessions = (
        await client.get("/api/v1/sessions", params={"from": "2026-11-20", "to": "2026-12-03"})
    ).json()
    assert [s["starts_at"] for s in sessions] == ["2026-11-25T17:30:00Z", "2026-12-02T17:30:00Z"]
    assert sessions[0]["seats_left"] == 20 and sessions[0]["course_name"] == "Cardio"


async def test_public_sessions_refuse_a_bad_range(client: httpx.AsyncClient) -> None:
    response = await client.get(
        "/api/v1/sessions", params={"from": "2026-12-01", "to": "2026-11-01"}
    )
    assert response.status_code == 422 and response.json()["error"]["code"] == "invalid_range"
    garbage = await client.get("/api/v1/sessions", params={"from": "yesterday"})
    body = garbage.json()["error"]
    assert garbage.status_code == 422 and body["code"] == "validation_error"
    assert body["fields"][0]["field"] == "from"


async def test_public_offers_in_display_order(
    client: httpx.AsyncClient, db: AsyncSession, clock: FixedClock
) -> None:
    await make_offer(db, now=clock.now(), name="A")
    offers = (await client.get("/api/v1/offers")).json()
    assert offers[0]["name"] == "A" and offers[0]["price_cents"] == 3000
    assert "keywords" not in offers[0]


async def test_admin_course_crud(
    client: httpx.AsyncClient, db: AsyncSession, clock: FixedClock
) -> None:
    headers = await admin(client, db, clock)
    created = await client.post(
        "/api/v1/admin/courses",
        headers=headers,
        json={"name": "Cardio", "weekday": 2, "start_time": "18:30", "capacity": 20},
    )
    assert created.status_code == 201
    course_id = created.json()["id"]
    patched = await client.patch(
        f"/api/v1/admin/courses/{course_id}", headers=headers, json={"capacity": 22}
    )
    assert patched.json()["capacity"] == 22
    sessions = (await client.get("/api/v1/admin/sessions", headers=headers)).json()
    assert {s["capacity"] for s in sessions} == {22}
    assert (
        await client.delete(f"/api/v1/admin/courses/{course_id}", headers=headers)
    ).status_code == 204
    missing = await client.get(f"/api/v1/admin/courses/{course_id}", headers=headers)
    assert missing.status_code == 404 and missing.json()["error"]["code"] == "not_found"


async def test_admin_api_validation_errors_are_machine_readable(
    client: httpx.AsyncClient, db: AsyncSession, clock: FixedClock
) -> None:
    headers = await admin(client, db, clock)
    response = await client.post(
        "/api/v1/admin/offers",
        headers=headers,
        json={"name": "Carte", "kind": "pack", "price_cents": -5},
    )
    assert response.status_code == 422
    fields = {f["field"] for f in response.json()["error"]["fields"]}
    assert "price_cents" in fields


async def test_admin_sessions_one_off_and_cancel(
    client: httpx.AsyncClient, db: AsyncSession, clock: FixedClock
) -> None:
    headers = await admin(client, db, clock)
    course = await make_course(db, now=clock.now())
    added = await client.post(
        "/api/v1/admin/sessions",
        headers=headers,
        json={"course_id": course.id, "starts_at": "2026-12-31T22:00:00", "capacity": 40},
    )
    assert added.status_code == 201 and added.json()["starts_at"] == "2026-12-31T21:00:00Z"
    cancelled = await client.patch(
        f"/api/v1/admin/sessions/{added.json()['id']}",
        headers=headers,
        json={"status": "cancelled"},
    )
    assert cancelled.json()["status"] == "cancelled"


async def test_openapi_documents_public_and_admin_endpoints(client: httpx.AsyncClient) -> None:
    spec = (await client.get("/api/openapi.json")).json()
    for path in (
        "/api/v1/sessions",
        "/api/v1/offers",
        "/api/v1/admin/courses",
        "/api/v1/admin/offers/{offer_id}",
        "/api/v1/admin/sessions",
    ):
        assert path in spec["paths"]
    assert (await client.get("/api/docs")).status_code == 200
