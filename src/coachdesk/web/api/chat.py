"""The visitor's side of the chat (the widget). Every call but the introduction carries the
device's token in `X-Chat-Token`; without it nothing is readable."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from fastapi import APIRouter, Header, Request
from pydantic import BaseModel, Field
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from coachdesk.chat import assistant, identity, threads
from coachdesk.chat.identity import Visitor
from coachdesk.errors import NotFound, RateLimited
from coachdesk.kit.i18n import N_, current_language
from coachdesk.models import Author, ChatLink, Conversation, ConversationMode, Message
from coachdesk.realtime.hub import COACH, conversation_channel
from coachdesk.site import service as site_service
from coachdesk.web.api.common import ERRORS
from coachdesk.web.deps import DB, Now, State, client_ip
from coachdesk.web.state import AppState

router = APIRouter(prefix="/chat", tags=["chat"], responses={k: ERRORS[k] for k in (401, 422)})
LINK_GONE = N_("Ce lien de chat n'est plus actif.")
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
    conversation_id: int | None = None


class CodeIn(BaseModel):
    code: str = Field(max_length=12)


class MessageOut(BaseModel):
    id: int
    conversation_id: int
    author: Author
    name: str
    body: str
    at: datetime


class ConversationOut(BaseModel):
    id: int
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
    name = {Author.assistant: "Assistant", Author.coach: coach_name or "Coach"}.get(
        message.author, message.contact.name if message.contact else ""
    )
    return MessageOut(
        id=message.id,
        conversation_id=message.conversation_id,
        author=message.author,
        name=name,
        body=message.body,
        at=message.created_at,
    )


async def visitor_out(db: AsyncSession, visitor: Visitor, **extra: Any) -> VisitorOut:
    found = []
    for thread in await threads.readable(db, visitor):
        messages = [message_out(m) for m in await threads.history(db, thread)]
        found.append(
            ConversationOut(id=thread.id, mode=thread.mode, title=thread.title, messages=messages)
        )
    return VisitorOut(
        name=visitor.contact.name, verified=visitor.device.verified, conversations=found, **extra
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


def limited(state: AppState, request: Request, visitor_key: str) -> None:
    address = client_ip(request)
    if state.chat_by_visitor.blocked(visitor_key) or state.chat_by_address.blocked(address):
        raise RateLimited()
    state.chat_by_visitor.hit(visitor_key)
    state.chat_by_address.hit(address)


@router.post("/start", response_model=VisitorOut)
async def start(request: Request, data: StartIn, db: DB, state: State, now: Now) -> VisitorOut:
    """The lead form. A known e-mail or phone with a past does not reveal it: the device
    gets a fresh conversation, and a one-time code is sent to prove it is them."""
    address = client_ip(request)
    if state.chat_starts.blocked(address):
        raise RateLimited()
    state.chat_starts.hit(address)
    link = await _link(db, data.link)
    source = f"chat link {link.title}"[:80] if link else "chat"
    visitor = await identity.introduce(
        db,
        name=data.name,
        email=data.email,
        phone=data.phone,
        accept=data.accept,
        news=data.news,
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
    code_sent = await identity.send_code(db, visitor=visitor, now=now)
    await state.hub.publish(COACH, {"type": "conversation", "name": visitor.contact.name})
    return await visitor_out(db, visitor, token=visitor.token, code_sent=code_sent)


async def _link(db: AsyncSession, token: str) -> ChatLink | None:
    if not token:
        return None
    link = await db.scalar(select(ChatLink).where(ChatLink.token == token))
    if link is None or not link.active:
        raise NotFound(LINK_GONE, code="link_gone")
    return link


@router.get("/me", response_model=VisitorOut)
async def me(db: DB, now: Now, token: str = Token) -> VisitorOut:
    """The visitor's name and history (only what this device may read)."""
    return await visitor_out(db, await identity.resume(db, token=token, now=now))


@router.post("/messages", response_model=list[MessageOut])
async def send(
    request: Request, data: MessageIn, db: DB, state: State, now: Now, token: str = Token
) -> list[MessageOut]:
    visitor = await identity.resume(db, token=token, now=now)
    limited(state, request, visitor.device.token_hash)
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
    )
    if reply is None:
        return [message_out(mine)]
    await db.commit()
    await announce(state, thread, [reply])
    if handover:
        event = {"type": "handover", "conversation_id": thread.id, "name": visitor.contact.name}
        await state.hub.publish(COACH, {**event, "body": mine.body})
    return [message_out(mine), message_out(reply)]


@router.post("/code")
async def resend_code(db: DB, now: Now, token: str = Token) -> dict[str, bool]:
    visitor = await identity.resume(db, token=token, now=now)
    return {"sent": await identity.send_code(db, visitor=visitor, now=now)}


@router.post("/verify", response_model=VisitorOut)
async def verify(data: CodeIn, db: DB, now: Now, token: str = Token) -> VisitorOut:
    """The code from the e-mail: this device now reads the whole history."""
    visitor = await identity.resume(db, token=token, now=now)
    await identity.verify(db, visitor=visitor, code=data.code, now=now)
    return await visitor_out(db, visitor)


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
