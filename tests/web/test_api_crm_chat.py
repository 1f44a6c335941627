"""The admin JSON API for contacts and conversations: everything Coach Mode does there."""

from __future__ import annotations

import httpx
from sqlalchemy.ext.asyncio import AsyncSession

from coachdesk.kit.clock import FixedClock
from tests.factories import login, make_coach

LEA = {"name": "Léa", "email": "lea@example.ch", "accept": True}


async def admin(client: httpx.AsyncClient, db: AsyncSession, clock: FixedClock) -> dict[str, str]:
    await make_coach(db, now=clock.now())
    return {"X-CSRF-Token": await login(client)}


async def test_contacts_crud_tags_and_consent_history(
    client: httpx.AsyncClient, db: AsyncSession, clock: FixedClock
) -> None:
    headers = await admin(client, db, clock)
    created = await client.post(
        "/api/v1/admin/contacts",
        json={"name": "Léa Martin", "email": "Lea@Example.ch", "consent_email": True},
        headers=headers,
    )
    assert created.status_code == 201, created.text
    lea = created.json()
    assert lea["email"] == "lea@example.ch" and lea["source"] == "manual"
    taken = await client.post(
        "/api/v1/admin/contacts", json={"name": "X", "email": "LEA@example.ch"}, headers=headers
    )
    assert taken.status_code == 409 and taken.json()["error"]["code"] == "email_taken"

    url = f"/api/v1/admin/contacts/{lea['id']}"
    tagged = await client.post(f"{url}/tags", json={"tag": " VIP "}, headers=headers)
    assert tagged.json()["tags"] == ["vip"]
    changed = await client.put(
        url,
        json={"name": "Léa Martin", "email": "lea@example.ch", "phone": "079 123 45 67"},
        headers=headers,
    )
    assert changed.json()["phone"] == "+41791234567" and changed.json()["consent_email"] is False
    found = await client.get("/api/v1/admin/contacts", params={"q": "martin", "tag": "vip"})
    assert [c["id"] for c in found.json()] == [lea["id"]]
    assert (await client.get("/api/v1/admin/contacts", params={"consent": "email"})).json() == []
    exported = (await client.get(f"{url}/export")).json()
    assert [c["granted"] for c in exported["consent_history"]] == [False, True]
    untagged = await client.delete(f"{url}/tags/vip", headers=headers)
    assert untagged.json()["tags"] == []


async def test_duplicates_merge_undo_and_erase(
    client: httpx.AsyncClient, db: AsyncSession, clock: FixedClock
) -> None:
    headers = await admin(client, db, clock)
    ids = []
    for email in ("a@example.ch", "b@example.ch"):
        made = await client.post(
            "/api/v1/admin/contacts",
            json={"name": email[0], "email": email, "phone": "079 000 00 01"},
            headers=headers,
        )
        ids.append(made.json()["id"])
    groups = (await client.get("/api/v1/admin/contacts/duplicates")).json()
    assert [[c["id"] for c in group] for group in groups] == [ids]
    merged = await client.post(
        "/api/v1/admin/contacts/merges",
        json={"kept_id": ids[0], "merged_id": ids[1]},
        headers=headers,
    )
    assert merged.status_code == 201
    listed = (await client.get("/api/v1/admin/contacts")).json()
    assert [c["id"] for c in listed] == [ids[0]]
    undo = f"/api/v1/admin/contacts/merges/{merged.json()['id']}/undo"
    assert (await client.post(undo, headers=headers)).status_code == 204
    assert (await client.post(undo, headers=headers)).status_code == 404
    assert len((await client.get("/api/v1/admin/contacts")).json()) == 2

    erase = await client.post(f"/api/v1/admin/contacts/{ids[1]}/erase", headers=headers)
    assert erase.status_code == 204
    gone = (await client.get(f"/api/v1/admin/contacts/{ids[1]}")).json()
    assert (gone["name"], gone["email"], gone["phone"]) == ("", None, None)


async def test_inbox_reply_mode_and_soft_deletion(
    client: httpx.AsyncClient, db: AsyncSession, clock: FixedClock
) -> None:
    started = (await client.post("/api/v1/chat/start", json=LEA)).json()
    visitor = {"X-Chat-Token": started["token"]}
    await client.post("/api/v1/chat/messages", json={"body": "<b>Bonjour</b>"}, headers=visitor)
    headers = await admin(client, db, clock)

    inbox = (await client.get("/api/v1/admin/conversations")).json()
    assert [(c["contact_name"], c["mode"], c["unread"]) for c in inbox] == [("Léa", "ai", 1)]
    url = f"/api/v1/admin/conversations/{inbox[0]['id']}"
    detail = (await client.get(url)).json()
    assert [m["author"] for m in detail["messages"]] == ["visitor", "assistant"]
    assert detail["messages"][0]["body"] == "<b>Bonjour</b>" and detail["unread"] == 0
    assert (await client.get("/api/v1/admin/conversations")).json()[0]["unread"] == 0

    sent = await client.post(f"{url}/messages", json={"body": "Salut Léa !"}, headers=headers)
    assert sent.status_code == 201 and sent.json()["author"] == "coach"
    assert (await client.get(url)).json()["mode"] == "human"  # the assistant stepped back
    seen = (await client.get("/api/v1/chat/me", headers=visitor)).json()
    assert seen["conversations"][0]["messages"][-1]["body"] == "Salut Léa !"
    empty = await client.post(f"{url}/messages", json={"body": "  "}, headers=headers)
    assert empty.status_code == 422 and empty.json()["error"]["code"] == "empty_message"

    back = await client.patch(url, json={"mode": "ai"}, headers=headers)
    assert back.json()["mode"] == "ai"
    assert (await client.patch(url, json={"mode": "robot"}, headers=headers)).status_code == 422

    first = detail["messages"][0]["id"]
    hidden = await client.post(f"/api/v1/admin/messages/{first}/delete", headers=headers)
    assert hidden.json()["deleted_by"] == "coach@example.ch"
    assert first not in [m["id"] for m in (await client.get(url)).json()["messages"]]
    everything = (await client.get(url, params={"include_deleted": True})).json()
    assert first in [m["id"] for m in everything["messages"]]

    assert (await client.post(f"{url}/delete", headers=headers)).json()["deleted_at"]
    assert (await client.get("/api/v1/admin/conversations")).json() == []
    with_deleted = await client.get("/api/v1/admin/conversations", params={"include_deleted": 1})
    assert len(with_deleted.json()) == 1
    assert (await client.post(f"{url}/restore", headers=headers)).json()["deleted_at"] is None


async def test_chat_links_create_and_toggle(
    client: httpx.AsyncClient, db: AsyncSession, clock: FixedClock
) -> None:
    headers = await admin(client, db, clock)
    made = await client.post(
        "/api/v1/admin/chat-links",
        json={"title": "Flyer  Jardin anglais", "community": True},
        headers=headers,
    )
    assert made.status_code == 201
    link = made.json()
    assert link["title"] == "Flyer Jardin anglais" and link["path"].startswith("/chat/")
    assert (await client.get(link["path"])).status_code == 200
    off = await client.post(f"/api/v1/admin/chat-links/{link['id']}/toggle", headers=headers)
    assert off.json()["active"] is False
    assert (await client.get(link["path"])).status_code == 404


async def test_the_admin_chat_api_needs_the_coach_and_the_csrf_token(
    client: httpx.AsyncClient, db: AsyncSession, clock: FixedClock
) -> None:
    assert (await client.get("/api/v1/admin/conversations")).status_code == 401
    assert (await client.get("/api/v1/admin/contacts")).status_code == 401
    await admin(client, db, clock)
    refused = await client.post("/api/v1/admin/chat-links", json={"title": "x"})
    assert refused.status_code == 403
