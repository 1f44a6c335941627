"""The promo tab: create (with a contact added on the spot), edit, search, batches, CSV."""

from __future__ import annotations

import httpx
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from coachdesk.kit.clock import FixedClock
from coachdesk.models import Contact, PromoCode
from tests.factories import login, make_coach, make_offer

FORM = {
    "code": "ete-2026",
    "kind": "percent",
    "value": "20",
    "max_uses": "",
    "valid_from": "",
    "valid_until": "2026-12-31",
    "note": "",
    "active": "1",
}


async def owner(client: httpx.AsyncClient, db: AsyncSession, clock: FixedClock) -> str:
    await make_coach(db, now=clock.now())
    return await login(client)


async def codes(db: AsyncSession) -> list[PromoCode]:
    query = select(PromoCode).order_by(PromoCode.code).execution_options(populate_existing=True)
    return list((await db.scalars(query)).all())


async def test_create_a_code_for_a_new_contact_then_edit_it(
    client: httpx.AsyncClient, db: AsyncSession, clock: FixedClock
) -> None:
    token = await owner(client, db, clock)
    created = await client.post(
        "/coach/promo",
        data={
            **FORM,
            "csrf_token": token,
            "beneficiary_email": "Nina@Example.ch",
            "beneficiary_name": "Nina",
        },
    )
    assert created.status_code == 303
    [code] = await codes(db)
    assert (
        code.code == "ETE-2026"
        and code.value == 20
        and code.valid_until.isoformat() == ("2026-12-31")
    )
    contact = await db.scalar(select(Contact))
    assert contact and contact.email == "nina@example.ch" and code.beneficiary_id == contact.id
    edited = await client.post(
        f"/coach/promo/{code.id}",
        data={**FORM, "kind": "amount", "value": "12.50", "max_uses": "3", "csrf_token": token},
    )
    assert edited.status_code == 303
    [code] = await codes(db)
    assert (code.kind, code.value, code.max_uses, code.beneficiary_id) == ("amount", 1250, 3, None)


async def test_bad_codes_are_refused_in_place(
    client: httpx.AsyncClient, db: AsyncSession, clock: FixedClock
) -> None:
    token = await owner(client, db, clock)
    await client.post("/coach/promo", data={**FORM, "csrf_token": token})
    cases = [
        ({"code": "ETE-2026"}, "Ce code existe déjà."),
        ({"code": "a b%"}, "Lettres, chiffres, - et _ uniquement."),
        ({"value": "150"}, "Un pourcentage va de 1 à 100."),
        ({"value": "vingt"}, "Valeur invalide"),
        ({"valid_from": "2027-01-01"}, "La fin de validité précède son début."),
        ({"beneficiary_email": "pas-un-email"}, "Adresse e-mail invalide."),
    ]
    for fields, message in cases:
        response = await client.post(
            "/coach/promo", data={**FORM, "code": "OTHER", **fields, "csrf_token": token}
        )
        assert response.status_code in (409, 422) and message in response.text, fields
    assert len(await codes(db)) == 1


async def test_generate_fifty_then_search_filter_deactivate_and_export(
    client: httpx.AsyncClient, db: AsyncSession, clock: FixedClock
) -> None:
    token = await owner(client, db, clock)
    offer = await make_offer(db, now=clock.now())
    made = await client.post(
        "/coach/promo/batches",
        data={
            "csrf_token": token,
            "count": "50",
            "prefix": "noel",
            "naming": "sequence",
            "kind": "amount",
            "value": "10",
            "max_uses": "1",
            "offer_ids": [str(offer.id)],
            "active": "1",
            "name": "Noël 2026",
        },
    )
    assert made.status_code == 303
    batch_page = await client.get(made.headers["location"])
    assert "NOEL-001" in batch_page.text and "NOEL-050" in batch_page.text
    assert len(await codes(db)) == 50
    found = await client.get("/coach/promo", params={"q": "noel-04"})
    assert "NOEL-040" in found.text and "NOEL-001" not in found.text
    batch_id = made.headers["location"].split("/")[-1].split("?")[0]
    await client.post(
        f"/coach/promo/batches/{batch_id}/active", data={"csrf_token": token, "active": "0"}
    )
    inactive = await client.get("/coach/promo", params={"status": "inactive"})
    assert "NOEL-050" in inactive.text
    exported = await client.get(f"/coach/promo/batches/{batch_id}.csv")
    lines = exported.content.decode("utf-8-sig").splitlines()
    assert len(lines) == 51 and lines[1].startswith("NOEL-001;amount;10.00;1;0;")


async def test_refused_batches_create_nothing(
    client: httpx.AsyncClient, db: AsyncSession, clock: FixedClock
) -> None:
    token = await owner(client, db, clock)
    for count in ("0", "10001", "abc"):
        response = await client.post(
            "/coach/promo/batches",
            data={"csrf_token": token, "count": count, "kind": "free", "naming": "random"},
        )
        assert response.status_code == 422, count
    assert await db.scalar(select(func.count(PromoCode.id))) == 0


async def test_import_with_preview_then_confirm(
    client: httpx.AsyncClient, db: AsyncSession, clock: FixedClock
) -> None:
    token = await owner(client, db, clock)
    content = b"code;type;valeur\nAAA1;percent;10\nBBB2;bogus;5\n"
    preview = await client.post(
        "/coach/promo/import",
        data={"csrf_token": token},
        files={"file": ("codes.csv", content, "text/csv")},
    )
    assert "1 ligne(s) valable(s), 1 avec erreurs." in preview.text
    refused = await client.post(
        "/coach/promo/import/confirm", data={"csrf_token": token, "content": content.decode()}
    )
    assert refused.status_code == 422 and await codes(db) == []
    done = await client.post(
        "/coach/promo/import/confirm",
        data={"csrf_token": token, "content": content.decode(), "skip_invalid": "1"},
    )
    assert done.status_code == 303
    assert [c.code for c in await codes(db)] == ["AAA1"]
