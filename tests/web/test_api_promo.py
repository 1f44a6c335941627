"""The promo admin API."""

from __future__ import annotations

import httpx
from sqlalchemy.ext.asyncio import AsyncSession

from coachdesk.kit.clock import FixedClock
from tests.factories import login, make_coach


async def test_codes_and_batches_through_the_api(
    client: httpx.AsyncClient, db: AsyncSession, clock: FixedClock
) -> None:
    await make_coach(db, now=clock.now())
    headers = {"X-CSRF-Token": await login(client)}
    created = await client.post(
        "/api/v1/admin/promo-codes",
        headers=headers,
        json={"code": "welcome", "kind": "amount", "value": 500, "max_uses": 100},
    )
    assert created.status_code == 201 and created.json()["code"] == "WELCOME"
    twice = await client.post(
        "/api/v1/admin/promo-codes", headers=headers, json={"code": "WELCOME ", "kind": "free"}
    )
    assert twice.status_code == 409 and twice.json()["error"]["code"] == "code_taken"
    code_id = created.json()["id"]
    patched = await client.patch(
        f"/api/v1/admin/promo-codes/{code_id}", headers=headers, json={"active": False}
    )
    assert patched.json()["active"] is False
    bad = await client.patch(
        f"/api/v1/admin/promo-codes/{code_id}",
        headers=headers,
        json={"kind": "percent", "value": 500},
    )
    assert bad.status_code == 422 and bad.json()["error"]["field"] == "value"
    batch = await client.post(
        "/api/v1/admin/promo-code-batches",
        headers=headers,
        json={"count": 25, "kind": "percent", "value": 10, "prefix": "api", "naming": "sequence"},
    )
    assert batch.status_code == 201 and batch.json()["codes"][:2] == ["API-001", "API-002"]
    listed = await client.get(
        "/api/v1/admin/promo-codes", headers=headers, params={"batch_id": batch.json()["id"]}
    )
    assert len(listed.json()) == 25
    too_many = await client.post(
        "/api/v1/admin/promo-code-batches", headers=headers, json={"count": 10_001, "kind": "free"}
    )
    assert too_many.status_code == 422
    gone = await client.delete(
        f"/api/v1/admin/promo-code-batches/{batch.json()['id']}", headers=headers
    )
    assert gone.status_code == 204
