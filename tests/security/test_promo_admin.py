"""Promo codes through the admin API and their CSV (issue 11 #21, #22)."""

from __future__ import annotations

import httpx
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from coachdesk.contacts.matching import Identity, match_or_create
from coachdesk.kit.clock import FixedClock
from coachdesk.models import PromoCode
from coachdesk.promo import admin, csv_io
from coachdesk.promo.schemas import PromoCodeIn
from tests.factories import login, make_coach


async def test_a_code_for_one_beneficiary_is_created_by_the_api(
    client: httpx.AsyncClient, db: AsyncSession, clock: FixedClock
) -> None:
    await make_coach(db, now=clock.now())
    lea = await match_or_create(
        db,
        identity=Identity.parse(name="Léa", email="lea@example.ch", phone="", language="fr"),
        source="manual",
        now=clock.now(),
    )
    await db.commit()
    headers = {"X-CSRF-Token": await login(client)}
    data = {"code": "LEA10", "kind": "percent", "value": 10, "beneficiary_id": lea.id}
    response = await client.post("/api/v1/admin/promo-codes", json=data, headers=headers)
    assert response.status_code == 201, response.text
    assert response.json()["beneficiary_email"] == "lea@example.ch"
    plain = {"code": "ALL10", "kind": "percent", "value": 10}
    made = (await client.post("/api/v1/admin/promo-codes", json=plain, headers=headers)).json()
    given = await client.patch(
        f"/api/v1/admin/promo-codes/{made['id']}", json={"beneficiary_id": lea.id}, headers=headers
    )
    assert given.status_code == 200 and given.json()["beneficiary_email"] == "lea@example.ch"
    unknown = {**data, "code": "NOBODY", "beneficiary_id": 987654}
    refused = await client.post("/api/v1/admin/promo-codes", json=unknown, headers=headers)
    assert refused.status_code in (404, 422) and refused.json()["error"]["code"]


async def test_the_promo_csv_keeps_formula_like_cells_as_text(
    db: AsyncSession, clock: FixedClock
) -> None:
    coach = await make_coach(db, now=clock.now())
    data = PromoCodeIn(code="NOTE1", kind="percent", value=5, note='=HYPERLINK("http://x")')
    await admin.create_code(db, data=data, actor=coach, now=clock.now())
    await db.commit()
    exported = csv_io.export(list(await db.scalars(select(PromoCode)))).decode()
    assert "'=HYPERLINK" in exported and ';"=HYPERLINK' not in exported
