"""The visitor's side of the chat (the widget). Every call but the introduction carries the
device's token in `X-Chat-Token`; without it nothing is readable."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from fastapi import APIRouter, Header, Request
from pydantic import BaseModel, Field
from sqlalchemy.ext.asyncio import AsyncSession

from coachdesk.chat import assistant, identity, links, threads
from coachdesk.chat.identity import Visitor
from coachdesk.contacts import consents
from coachdesk.kit.i18n import current_language
from coachdesk.kit.ids import Id
from coachdesk.limits import service as limits
from coachdesk.models import Author, ConsentChannel, Conversation, ConversationMode, Message
from coachdesk.realtime.hub import COACH, conversation_channel
from coachdesk.site import service as site_service
from coachdesk.web.api.common import ERRORS
from coachdesk.web.deps import DB, Now, State, client_ip
from coachdesk.web.state import AppState

router = APIRouter(prefix="/chat", tags=["chat"], responses={k: ERRORS[k] for k in (401, 422)})
Token = Header(default="", alias="X-Chat-Token", description="The device token from /start")


class StartIn(BaseModel):
    name: str = Field(max_length=120)
    email: str = Field("", max_length=254)
    phone: str = Field("", max_length=40)
    accept: bool = False
    news: bool = False
    link: str = Field("", max_length=64, description="A chat link's token, if any")


class MessageIn(BaseModel):
    body: str = Field(max_length=20_000)
    conversation_id: Id | None = None


class CodeIn(BaseModel):
    code: str = Field(max_length=12)


class MessageOut(BaseModel):
    id: Id
    conversation_id: Id
    author: Author
    name: str
    body: str
    at: datetime


class ConversationOut(BaseModel):
    id: Id
    mode: ConversationMode
    title: str
    messages: list[MessageOut]


class VisitorOut(BaseModel):
    token: str | None = None
    name: str
    verified: bool
    code_sent: bool = False
    conversations: list[ConversationOut]


def message_out(message: Message, coach_name: str = "") -> MessageOut:
    """A message as visitors read it: a visitor's under the name they gave, never the
    name stored on the card."""
    name = {Author.assistant: "Assistant", Author.coach: coach_name or "Coach"}.get(
        message.author, message.author_name
    )
    return MessageOut(
        id=message.id,
        conversation_id=message.conversation_id,
        author=message.author,
        name=name,
        body=message.body,
        at=message.created_at,
    )


async def visitor_out(
    db: AsyncSession, visitor: Visitor, now: datetime, **extra: Any
) -> VisitorOut:
    found = []
    for thread in await threads.readable(db, visitor):
        messages = [message_out(m) for m in await threads.history(db, thread)]
        found.append(
            ConversationOut(id=thread.id, mode=thread.mode, title=thread.title, messages=messages)
        )
    extra.setdefault("code_sent", await identity.code_waiting(db, visitor=visitor, now=now))
    return VisitorOut(
        name=visitor.name, verified=visitor.device.verified, conversations=found, **extra
    )


async def announce(
    state: AppState, conversation: Conversation, messages: list[Message], *, alert: bool = False
) -> None:
    """After commit: the conversation's readers and the coach's open admin hear of it."""
    for message in messages:
        event = {
            "type": "message",
            **message_out(message).model_dump(mode="json"),
            "mode": conversation.mode.value,
            "alert": alert,
        }
        await state.hub.publish(conversation_channel(conversation.id), event)
        await state.hub.publish(COACH, event)


async def limited(
    db: AsyncSession, state: AppState, request: Request, visitor_key: str, now: datetime
) -> None:
    budgets = state.budgets
    await limits.spend(db, budgets.chat_by_visitor, visitor_key, now=now)
    await limits.spend(db, budgets.chat_by_address, client_ip(request), now=now)


@router.post("/start", response_model=VisitorOut)
async def start(request: Request, data: StartIn, db: DB, state: State, now: Now) -> VisitorOut:
    """The lead form. Typed details prove nothing: the device gets a conversation of its
    own; when they name a card that was already there, a one-time code is sent to its
    address, to prove it is them (and read the history)."""
    await limits.spend(db, state.budgets.chat_starts, client_ip(request), now=now)
    link = await links.by_token(db, data.link) if data.link else None
    source = f"chat link {link.title}"[:80] if link else "chat"
    visitor = await identity.introduce(
        db,
        name=data.name,
        email=data.email,
        phone=data.phone,
        accept=data.accept,
        source=source,
        language=current_language.get(),
        now=now,
    )
    site = await site_service.load(db)
    await threads.own_thread(
        db, visitor=visitor, assistant_on=site.assistant_enabled, now=now, link=link
    )
    if link is not None and link.community:
        await threads.community(db, link=link, visitor=visitor, now=now)
    if data.news:
        await consents.ask_to_confirm(
            db,
            contact=visitor.contact,
            email=visitor.contact.email,
            channels=[ConsentChannel.email if visitor.contact.email else ConsentChannel.whatsapp],
            how="formulaire du chat",
            now=now,
        )
    code_sent = visitor.known_card and await identity.send_code(db, visitor=visitor, now=now)
    await state.hub.publish(COACH, {"type": "conversation", "name": visitor.name})
    return await visitor_out(db, visitor, now, token=visitor.token, code_sent=code_sent)


@router.get("/me", response_model=VisitorOut)
async def me(db: DB, now: Now, token: str = Token) -> VisitorOut:
    """The visitor's name and history (only what this device may read)."""
    return await visitor_out(db, await identity.resume(db, token=token, now=now), now)


@router.post("/messages", response_model=list[MessageOut])
async def send(
    request: Request, data: MessageIn, db: DB, state: State, now: Now, token: str = Token
) -> list[MessageOut]:
    visitor = await identity.resume(db, token=token, now=now)
    await limited(db, state, request, visitor.device.token_hash, now)
    site = await state.public_cache.get("site", lambda: site_service.load(db))
    thread = (
        await threads.for_visitor(db, visitor, data.conversation_id)
        if data.conversation_id
        else await threads.own_thread(
            db, visitor=visitor, assistant_on=site.assistant_enabled, now=now
        )
    )
    mine = await threads.post(
        db,
        conversation=thread,
        author=Author.visitor,
        body=data.body,
        contact_id=visitor.contact.id,
        author_name=visitor.name,
        now=now,
    )
    await db.commit()  # the coach sees it now, not after the assistant has thought
    await announce(state, thread, [mine], alert=thread.mode != ConversationMode.ai)
    reply, handover = await assistant.respond(
        db,
        conversation=thread,
        question=mine.body,
        site=site,
        now=now,
        language=visitor.contact.language,
        base_url=state.settings.public_url(),
        cached=state.public_cache.get,
        allow_private_url=state.settings.allow_private_ai_url,
    )
    if reply is None:
        return [message_out(mine)]
    await db.commit()
    await announce(state, thread, [reply])
    if handover:
        event = {"type": "handover", "conversation_id": thread.id, "name": visitor.name}
        await state.hub.publish(COACH, {**event, "body": mine.body})
    return [message_out(mine), message_out(reply)]


@router.post("/code")
async def resend_code(db: DB, now: Now, token: str = Token) -> dict[str, bool]:
    visitor = await identity.resume(db, token=token, now=now)
    return {"sent": await identity.send_code(db, visitor=visitor, now=now)}


@router.post("/verify", response_model=VisitorOut)
async def verify(
    request: Request, data: CodeIn, db: DB, now: Now, token: str = Token
) -> VisitorOut:
    """The code from the e-mail: this device now reads the card's history. Five tries per
    code; tries are also limited per address and per card, whatever the code."""
    visitor = await identity.resume(db, token=token, now=now)
    await identity.verify(db, visitor=visitor, code=data.code, address=client_ip(request), now=now)
    return await visitor_out(db, visitor, now)


@router.post("/private", response_model=ConversationOut)
async def private(db: DB, state: State, now: Now, token: str = Token) -> ConversationOut:
    """From a community conversation: a private thread with the coach."""
    visitor = await identity.resume(db, token=token, now=now)
    site = await site_service.load(db)
    thread = await threads.own_thread(
        db, visitor=visitor, assistant_on=site.assistant_enabled, now=now
    )
    if thread.mode == ConversationMode.ai:
        await threads.set_mode(
            db, conversation=thread, mode=ConversationMode.human, actor=None, now=now
        )
    return ConversationOut(
        id=thread.id,
        mode=thread.mode,
        title=thread.title,
        messages=[message_out(m) for m in await threads.history(db, thread)],
    )


@router.post("/forget")
async def forget(db: DB, now: Now, token: str = Token) -> dict[str, bool]:
    """ "Not me / change identity": this device stops reading anything."""
    await identity.forget_device(
        db, visitor=await identity.resume(db, token=token, now=now), now=now
    )
    return {"forgotten": True}


@router.post("/delete-history")
async def delete_history(db: DB, now: Now, token: str = Token) -> dict[str, int]:
    """Hides the visitor's own conversations (the coach can still restore them)."""
    visitor = await identity.resume(db, token=token, now=now)
    mine = [c for c in await threads.readable(db, visitor) if c.contact_id == visitor.contact.id]
    for thread in mine:
        await threads.delete_conversation(db, conversation=thread, by="visitor", now=now)
    return {"deleted": len(mine)}
