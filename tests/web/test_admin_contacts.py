"""The Contacts tab: add by hand, search, tags, edit consents, merge and undo, GDPR."""

from __future__ import annotations

import httpx
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from coachdesk.kit.clock import FixedClock
from coachdesk.models import Contact
from tests.factories import login, make_coach


async def owner(client: httpx.AsyncClient, db: AsyncSession, clock: FixedClock) -> str:
    await make_coach(db, now=clock.now())
    return await login(client)


async def test_add_tag_search_edit_and_export_a_contact(
    client: httpx.AsyncClient, db: AsyncSession, clock: FixedClock
) -> None:
    token = await owner(client, db, clock)
    created = await client.post(
        "/coach/contacts",
        data={
            "csrf_token": token,
            "name": "Nina <script>alert(1)</script>",
            "email": "Nina@Example.ch",
            "phone": "079 555 44 33",
            "language": "de",
            "consent_email": "1",
        },
    )
    assert created.status_code == 303
    page = await client.get(created.headers["location"])
    assert "<script>alert(1)</script>" not in page.text and "&lt;script&gt;" in page.text
    contact_id = int(created.headers["location"].split("/")[-1].split("?")[0])
    await client.post(
        f"/coach/contacts/{contact_id}/tags", data={"csrf_token": token, "tag": "Danse"}
    )
    listing = await client.get("/coach/contacts", params={"tag": "danse"})
    assert "nina@example.ch" in listing.text
    edited = await client.post(
        f"/coach/contacts/{contact_id}",
        data={"csrf_token": token, "name": "Nina", "email": "nina@example.ch", "language": "de"},
    )
    assert edited.status_code == 303
    contact = await db.get_one(Contact, contact_id, populate_existing=True)
    assert not contact.consent_email and contact.phone is None
    history = (await client.get(f"/coach/contacts/{contact_id}")).text
    assert "retiré" in history and "saisi par le coach" in history
    exported = await client.get(f"/coach/contacts/{contact_id}/export.json")
    assert exported.json()["contact"]["tags"] == ["danse"]
    csv_text = (await client.get("/coach/contacts.csv")).content.decode("utf-8-sig")
    assert "nina@example.ch" in csv_text


async def test_invalid_contacts_are_refused_in_place(
    client: httpx.AsyncClient, db: AsyncSession, clock: FixedClock
) -> None:
    token = await owner(client, db, clock)
    response = await client.post(
        "/coach/contacts", data={"csrf_token": token, "name": "X", "email": "not-an-email"}
    )
    assert response.status_code == 422 and "Adresse e-mail invalide." in response.text
    assert await db.scalar(select(Contact)) is None


async def test_merge_from_the_duplicates_page_then_undo(
    client: httpx.AsyncClient, db: AsyncSession, clock: FixedClock
) -> None:
    token = await owner(client, db, clock)
    for email in ("a@example.ch", "b@example.ch"):
        await client.post(
            "/coach/contacts",
            data={
                "csrf_token": token,
                "name": email,
                "email": email,
                "phone": "0791112233",
                "language": "fr",
            },
        )
    page = await client.get("/coach/contacts/duplicates")
    assert "+41791112233" in page.text and "Fusionner dans" in page.text
    ids = list(await db.scalars(select(Contact.id).order_by(Contact.id)))
    await client.post(
        "/coach/contacts/duplicates/merge",
        data={"csrf_token": token, "kept": str(ids[0]), "merged": str(ids[1])},
    )
    assert "Aucun doublon probable." in (await client.get("/coach/contacts/duplicates")).text
    listing = await client.get("/coach/contacts")
    assert "b@example.ch" not in listing.text
    merge_page = await client.get("/coach/contacts/duplicates")
    merge_id = merge_page.text.split("/coach/contacts/duplicates/undo/")[1].split('"')[0]
    await client.post(f"/coach/contacts/duplicates/undo/{merge_id}", data={"csrf_token": token})
    assert "b@example.ch" in (await client.get("/coach/contacts")).text


async def test_erase_from_the_contact_page(
    client: httpx.AsyncClient, db: AsyncSession, clock: FixedClock
) -> None:
    token = await owner(client, db, clock)
    created = await client.post(
        "/coach/contacts",
        data={"csrf_token": token, "name": "Zoé", "email": "zoe@example.ch", "language": "fr"},
    )
    contact_id = created.headers["location"].split("/")[-1].split("?")[0]
    await client.post(f"/coach/contacts/{contact_id}/erase", data={"csrf_token": token})
    assert "zoe@example.ch" not in (await client.get("/coach/contacts")).text
    contact = await db.get_one(Contact, int(contact_id), populate_existing=True)
    assert contact.erased_at is not None and contact.email is None


async def test_the_contact_page_lists_the_person_conversations(
    client: httpx.AsyncClient, db: AsyncSession, clock: FixedClock
) -> None:
    started = await client.post(
        "/api/v1/chat/start", json={"name": "Zoé", "email": "zoe@example.ch", "accept": True}
    )
    await client.post(
        "/api/v1/chat/messages",
        json={"body": "Bonjour"},
        headers={"X-Chat-Token": started.json()["token"]},
    )
    await owner(client, db, clock)
    contact = await db.scalar(select(Contact).where(Contact.email == "zoe@example.ch"))
    assert contact is not None
    page = (await client.get(f"/coach/contacts/{contact.id}")).text
    thread = (await client.get("/api/v1/admin/conversations")).json()[0]["id"]
    assert f'href="/coach/inbox/{thread}">Assistant</a>' in page
    assert f'href="/coach/inbox/{thread}">#{thread}</a>' in page  # in the history
