"""The widget's API: introductions, identity proven by a code (never by name), history,
the assistant and its hand-over, soft deletion, and the bad inputs of the original."""

from __future__ import annotations

import httpx
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from coachdesk.kit.clock import FixedClock
from coachdesk.models import Conversation, ConversationMode, EmailMessage
from tests.factories import make_course, make_offer

LEA = {"name": "Léa", "email": "lea@example.ch", "accept": True}


async def start(client: httpx.AsyncClient, **fields: object) -> dict[str, object]:
    response = await client.post("/api/v1/chat/start", json={**LEA, **fields})
    assert response.status_code == 200, response.text
    return response.json()  # type: ignore[no-any-return]


async def say(client: httpx.AsyncClient, token: str, body: str, **extra: object) -> httpx.Response:
    return await client.post(
        "/api/v1/chat/messages", json={"body": body, **extra}, headers={"X-Chat-Token": token}
    )


async def test_a_new_visitor_chats_with_the_assistant_from_live_data(
    client: httpx.AsyncClient, db: AsyncSession, clock: FixedClock
) -> None:
    await make_offer(db, now=clock.now(), name="Carte 10 cours", price_cents=15000)
    await make_course(db, now=clock.now(), name="Cardio casque")
    me = await start(client)
    assert me["verified"] is False and me["code_sent"] is False  # nothing to prove yet
    replies = (await say(client, str(me["token"]), "Quels sont vos prix ?")).json()
    assert [r["author"] for r in replies] == ["visitor", "assistant"]
    assert "Carte 10 cours : CHF 150.–" in replies[1]["body"]
    when = (await say(client, str(me["token"]), "C'est quand le prochain cours ?")).json()
    assert "Cardio casque" in when[1]["body"] and "mercredi 18 novembre" in when[1]["body"]


async def test_the_assistant_answers_in_the_visitor_language(
    client: httpx.AsyncClient, db: AsyncSession, clock: FixedClock
) -> None:
    await make_course(db, now=clock.now(), name="Cardio casque")
    me = (
        await client.post(
            "/api/v1/chat/start",
            json={**LEA, "email": "de@example.ch"},
            headers={"Accept-Language": "de"},
        )
    ).json()
    reply = (await say(client, me["token"], "Wann ist der nächste Termin?")).json()[1]
    assert reply["body"].startswith("Die nächsten Termine") and "Mittwoch" in reply["body"]


async def test_hand_over_switches_to_the_coach_and_the_assistant_falls_silent(
    client: httpx.AsyncClient, db: AsyncSession
) -> None:
    me = await start(client)
    handed = (await say(client, str(me["token"]), "Je voudrais parler au coach")).json()
    assert "préviens le coach" in handed[1]["body"]
    conversation = await db.scalar(select(Conversation).execution_options(populate_existing=True))
    assert conversation and conversation.mode == ConversationMode.human
    alone = (await say(client, str(me["token"]), "Merci !")).json()
    assert [r["author"] for r in alone] == ["visitor"]


async def prove(client: httpx.AsyncClient, db: AsyncSession, token: str) -> dict[str, object]:
    """The device asks for a code and types the one e-mailed to the card's address."""
    headers = {"X-Chat-Token": token}
    asked = await client.post("/api/v1/chat/code", headers=headers)
    assert asked.status_code == 200 and asked.json() == {"sent": True}, asked.text
    sent = await db.scalar(
        select(EmailMessage)
        .where(EmailMessage.kind == "chat_code")
        .order_by(EmailMessage.id.desc())
        .execution_options(populate_existing=True)
    )
    assert sent is not None
    proven = await client.post(
        "/api/v1/chat/verify", json={"code": sent.identity_code}, headers=headers
    )
    assert proven.status_code == 200, proven.text
    assert proven.json()["verified"] is True
    return proven.json()  # type: ignore[no-any-return]


async def test_typing_someone_s_email_on_another_device_reveals_nothing_until_the_code(
    client: httpx.AsyncClient, db: AsyncSession
) -> None:
    first = await start(client)
    await prove(client, db, str(first["token"]))
    await say(client, str(first["token"]), "Mon secret : j'ai mal au genou")
    other = await start(client, name="Impostor")
    assert other["verified"] is False and other["code_sent"] is True
    bodies = [m["body"] for c in other["conversations"] for m in c["messages"]]
    assert not any("genou" in b for b in bodies)
    headers = {"X-Chat-Token": str(other["token"])}
    wrong = await client.post("/api/v1/chat/verify", json={"code": "000000"}, headers=headers)
    assert wrong.status_code == 422 and wrong.json()["error"]["code"] == "wrong_code"
    sent = await db.scalar(
        select(EmailMessage)
        .where(EmailMessage.kind == "chat_code")
        .order_by(EmailMessage.id.desc())
    )
    assert sent and sent.to_address == "lea@example.ch"
    proven = await client.post(
        "/api/v1/chat/verify", json={"code": sent.identity_code}, headers=headers
    )
    bodies = [m["body"] for c in proven.json()["conversations"] for m in c["messages"]]
    assert any("genou" in b for b in bodies)


async def test_what_a_new_device_wrote_before_the_code_joins_the_one_history(
    client: httpx.AsyncClient, db: AsyncSession
) -> None:
    first = await start(client)
    await prove(client, db, str(first["token"]))
    await say(client, str(first["token"]), "coach, une question")
    other = await start(client)
    headers = {"X-Chat-Token": str(other["token"])}
    await say(client, str(other["token"]), "C'est encore moi, sur mon ordinateur")
    sent = await db.scalar(
        select(EmailMessage)
        .where(EmailMessage.kind == "chat_code")
        .order_by(EmailMessage.id.desc())
    )
    assert sent is not None
    proven = await client.post(
        "/api/v1/chat/verify", json={"code": sent.identity_code}, headers=headers
    )
    threads = proven.json()["conversations"]
    assert len(threads) == 1
    bodies = [m["body"] for m in threads[0]["messages"]]
    assert bodies[0] == "coach, une question"
    assert "C'est encore moi, sur mon ordinateur" in bodies
    assert len(list(await db.scalars(select(Conversation)))) == 1  # one line in the inbox too


async def test_a_name_alone_never_finds_anyone(client: httpx.AsyncClient) -> None:
    first = await start(client)
    await say(client, str(first["token"]), "Rendez-vous mardi")
    namesake = await start(client, email="another@example.ch")
    assert namesake["code_sent"] is False
    bodies = [m["body"] for c in namesake["conversations"] for m in c["messages"]]
    assert bodies == []


async def test_a_stolen_conversation_id_reads_and_writes_nothing(client: httpx.AsyncClient) -> None:
    lea = await start(client)
    await say(client, str(lea["token"]), "privé")
    thief = await start(client, name="T", email="t@example.ch")
    conversation_id = lea["conversations"][0]["id"]  # type: ignore[index]
    stolen = await say(client, str(thief["token"]), "coucou", conversation_id=conversation_id)
    assert stolen.status_code == 403
    nothing = await client.get("/api/v1/chat/me", headers={"X-Chat-Token": "forged-token"})
    assert nothing.status_code == 401


async def test_scripts_are_text_long_messages_refused_floods_limited(
    client: httpx.AsyncClient,
) -> None:
    me = await start(client)
    token = str(me["token"])
    script = (await say(client, token, "<script>alert(1)</script> **gras**")).json()[0]
    assert script["body"] == "<script>alert(1)</script> **gras**"  # stored and sent as text
    long = await say(client, token, "x" * 10_240)
    assert long.status_code == 422 and "trop long" in long.json()["error"]["message"]
    statuses = [(await say(client, token, f"spam {n}")).status_code for n in range(15)]
    assert 429 in statuses


async def test_delete_my_history_hides_it_from_the_visitor(
    client: httpx.AsyncClient, db: AsyncSession
) -> None:
    me = await start(client)
    token = str(me["token"])
    await say(client, token, "à oublier")
    await client.post("/api/v1/chat/delete-history", headers={"X-Chat-Token": token})
    again = (await client.get("/api/v1/chat/me", headers={"X-Chat-Token": token})).json()
    assert again["conversations"] == []
    hidden = await db.scalar(select(Conversation).execution_options(populate_existing=True))
    assert hidden and hidden.deleted_by == "visitor"
