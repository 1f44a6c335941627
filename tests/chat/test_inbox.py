"""The coach's inbox, chat links and community conversations."""

from __future__ import annotations

import httpx
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from coachdesk.kit.clock import FixedClock
from coachdesk.models import AuditEntry, ChatLink, Contact, Conversation, ConversationMode, Message
from tests.factories import login, make_coach


async def visitor(client: httpx.AsyncClient, name: str, **extra: object) -> str:
    me = (
        await client.post(
            "/api/v1/chat/start",
            json={"name": name, "email": f"{name.lower()}@example.ch", "accept": True, **extra},
        )
    ).json()
    return str(me["token"])


async def test_reply_switch_mode_delete_and_restore(
    client: httpx.AsyncClient, db: AsyncSession, clock: FixedClock
) -> None:
    await make_coach(db, now=clock.now())
    token = await visitor(client, "Ana")
    await client.post(
        "/api/v1/chat/messages", json={"body": "salut"}, headers={"X-Chat-Token": token}
    )
    csrf = await login(client)
    inbox = await client.get("/coach/inbox")
    assert "Ana" in inbox.text and 'class="badge badge-count">1<' in inbox.text
    thread = await db.scalar(select(Conversation))
    assert thread
    page = await client.get(f"/coach/inbox/{thread.id}")
    assert "salut" in page.text
    replied = await client.post(
        f"/coach/inbox/{thread.id}/reply", data={"csrf_token": csrf, "body": "Bonjour Ana !"}
    )
    assert replied.status_code == 303
    mine = (await client.get("/api/v1/chat/me", headers={"X-Chat-Token": token})).json()
    assert mine["conversations"][0]["messages"][-1]["body"] == "Bonjour Ana !"
    await db.refresh(thread)
    assert thread.mode == ConversationMode.human  # the coach stepped in
    await client.post(f"/coach/inbox/{thread.id}/mode", data={"csrf_token": csrf, "mode": "ai"})
    message = await db.scalar(select(Message).where(Message.body == "salut"))
    assert message
    await client.post(f"/coach/inbox/messages/{message.id}/delete", data={"csrf_token": csrf})
    hidden = (await client.get("/api/v1/chat/me", headers={"X-Chat-Token": token})).json()
    assert "salut" not in [m["body"] for m in hidden["conversations"][0]["messages"]]
    with_deleted = await client.get(f"/coach/inbox/{thread.id}?deleted=1")
    assert "salut" in with_deleted.text and "supprimé par coach@example.ch" in with_deleted.text
    odd = await client.post(f"/coach/inbox/messages/{message.id}/vanish", data={"csrf_token": csrf})
    assert odd.status_code == 404  # an unknown word is no action (it used to restore)
    await client.post(f"/coach/inbox/messages/{message.id}/restore", data={"csrf_token": csrf})
    logged = await db.scalars(select(AuditEntry.action).where(AuditEntry.object_type == "message"))
    assert list(logged) == ["message.hidden", "message.restored"]
    await client.post(f"/coach/inbox/{thread.id}/delete", data={"csrf_token": csrf})
    assert "Ana" not in (await client.get("/coach/inbox")).text
    assert "Ana" in (await client.get("/coach/inbox?deleted=1")).text
    await client.post(f"/coach/inbox/{thread.id}/restore", data={"csrf_token": csrf})
    await db.refresh(thread)
    assert thread.deleted_at is None and thread.mode == ConversationMode.ai
    empty = await client.post(
        f"/coach/inbox/{thread.id}/reply", data={"csrf_token": csrf, "body": "   "}
    )
    assert empty.status_code == 422 and "Écrivez un message." in empty.text


async def test_a_chat_link_names_the_source_and_a_community_gathers_visitors(
    client: httpx.AsyncClient, db: AsyncSession, clock: FixedClock
) -> None:
    await make_coach(db, now=clock.now())
    csrf = await login(client)
    await client.post(
        "/coach/inbox/links", data={"csrf_token": csrf, "title": "Flyer Noël", "community": "1"}
    )
    link = await db.scalar(select(ChatLink))
    assert link and link.community
    page = await client.get(f"/chat/{link.token}")
    assert page.status_code == 200 and f'data-link="{link.token}"' in page.text
    ana = await visitor(client, "Ana", link=link.token)
    ben = await visitor(client, "Ben", link=link.token)
    source = await db.scalar(select(Contact.source).where(Contact.name == "Ana"))
    assert source == "chat link Flyer Noël"
    group = await db.scalar(
        select(Conversation).where(Conversation.mode == ConversationMode.community)
    )
    assert group and group.title == "Flyer Noël"
    await client.post(
        "/api/v1/chat/messages",
        json={"body": "Qui vient mercredi ?", "conversation_id": group.id},
        headers={"X-Chat-Token": ana},
    )
    seen = (await client.get("/api/v1/chat/me", headers={"X-Chat-Token": ben})).json()
    group_view = next(c for c in seen["conversations"] if c["mode"] == "community")
    assert [m["body"] for m in group_view["messages"]] == ["Qui vient mercredi ?"]
    private = (await client.post("/api/v1/chat/private", headers={"X-Chat-Token": ben})).json()
    assert private["mode"] == "human" and private["id"] != group.id
    await client.post(f"/coach/inbox/links/{link.id}/toggle", data={"csrf_token": csrf})
    assert (await client.get(f"/chat/{link.token}")).status_code == 404
