"""Admin API: the inbox (conversations, replies, modes, soft deletion) and chat links."""

from __future__ import annotations

from datetime import datetime

from fastapi import APIRouter
from pydantic import BaseModel, Field

from coachdesk.chat import links, threads
from coachdesk.kit.ids import Id, IdPath
from coachdesk.models import Author, ChatLink, Conversation, ConversationMode, Message
from coachdesk.web.api.chat import announce
from coachdesk.web.api.common import ERRORS
from coachdesk.web.deps import DB, Now, Owner, State

router = APIRouter(prefix="/conversations", tags=["admin: conversations"], responses=ERRORS)
messages_router = APIRouter(prefix="/messages", tags=["admin: conversations"], responses=ERRORS)
links_router = APIRouter(prefix="/chat-links", tags=["admin: conversations"], responses=ERRORS)


class ConversationOut(BaseModel):
    id: Id
    mode: ConversationMode
    title: str
    contact_id: Id | None
    contact_name: str
    verified: bool
    unread: int
    created_at: datetime
    last_message_at: datetime
    deleted_at: datetime | None
    deleted_by: str | None


class AdminMessageOut(BaseModel):
    id: Id
    conversation_id: Id
    author: Author
    name: str
    body: str
    at: datetime
    deleted_at: datetime | None
    deleted_by: str | None


class MemberOut(BaseModel):
    contact_id: Id
    name: str
    joined_at: datetime


class ConversationDetailOut(ConversationOut):
    messages: list[AdminMessageOut]
    members: list[MemberOut]


class ReplyIn(BaseModel):
    body: str = Field(max_length=20_000)


class ModeIn(BaseModel):
    mode: ConversationMode


class ChatLinkIn(BaseModel):
    title: str = Field(max_length=200)
    community: bool = False


class ChatLinkOut(BaseModel):
    id: Id
    token: str
    path: str
    title: str
    community: bool
    active: bool
    created_at: datetime


def conversation_out(conversation: Conversation) -> ConversationOut:
    contact = conversation.contact
    return ConversationOut(
        id=conversation.id,
        mode=conversation.mode,
        title=conversation.title,
        contact_id=conversation.contact_id,
        contact_name=contact.name if contact else "",
        verified=conversation.verified,
        unread=conversation.unread,
        created_at=conversation.created_at,
        last_message_at=conversation.last_message_at,
        deleted_at=conversation.deleted_at,
        deleted_by=conversation.deleted_by,
    )


def message_out(message: Message) -> AdminMessageOut:
    name = {Author.assistant: "Assistant", Author.coach: "Coach"}.get(
        message.author, message.contact.name if message.contact else ""
    )
    return AdminMessageOut(
        id=message.id,
        conversation_id=message.conversation_id,
        author=message.author,
        name=name,
        body=message.body,
        at=message.created_at,
        deleted_at=message.deleted_at,
        deleted_by=message.deleted_by,
    )


def link_out(link: ChatLink) -> ChatLinkOut:
    return ChatLinkOut(
        id=link.id,
        token=link.token,
        path=f"/chat/{link.token}",
        title=link.title,
        community=link.community,
        active=link.active,
        created_at=link.created_at,
    )


@router.get("", response_model=list[ConversationOut])
async def list_conversations(
    db: DB, owner: Owner, mode: ConversationMode | None = None, include_deleted: bool = False
) -> list[ConversationOut]:
    """Newest activity first; `mode` filters, `include_deleted` adds the deleted ones."""
    wanted = threads.InboxFilter(mode=mode.value if mode else "", include_deleted=include_deleted)
    return [conversation_out(c) for c in await threads.inbox(db, wanted)]


@router.get("/{conversation_id}", response_model=ConversationDetailOut)
async def get_conversation(
    conversation_id: IdPath, db: DB, owner: Owner, include_deleted: bool = False
) -> ConversationDetailOut:
    """The messages (and members of a community); reading it clears the unread count."""
    conversation = await threads.get(db, conversation_id)
    conversation.unread = 0
    history = await threads.history(db, conversation, include_deleted=include_deleted)
    members = [
        MemberOut(contact_id=m.contact_id, name=m.contact.name, joined_at=m.joined_at)
        for m in await threads.members(db, conversation)
    ]
    return ConversationDetailOut(
        **conversation_out(conversation).model_dump(),
        messages=[message_out(m) for m in history],
        members=members,
    )


@router.post("/{conversation_id}/messages", response_model=AdminMessageOut, status_code=201)
async def reply(
    conversation_id: IdPath, data: ReplyIn, db: DB, now: Now, owner: Owner, state: State
) -> AdminMessageOut:
    """The coach's answer, delivered live; an `ai` conversation switches to `human`."""
    conversation = await threads.get(db, conversation_id)
    message = await threads.coach_reply(
        db, conversation=conversation, body=data.body, coach=owner, now=now
    )
    await db.commit()
    await announce(state, conversation, [message])
    return message_out(message)


@router.patch("/{conversation_id}", response_model=ConversationOut)
async def set_mode(
    conversation_id: IdPath, data: ModeIn, db: DB, now: Now, owner: Owner
) -> ConversationOut:
    conversation = await threads.get(db, conversation_id)
    await threads.set_mode(db, conversation=conversation, mode=data.mode, actor=owner, now=now)
    return conversation_out(conversation)


@router.post("/{conversation_id}/delete", response_model=ConversationOut)
async def delete_conversation(
    conversation_id: IdPath, db: DB, now: Now, owner: Owner
) -> ConversationOut:
    """Soft delete: hidden from the inbox and the visitor, restorable."""
    conversation = await threads.get(db, conversation_id)
    await threads.delete_conversation(db, conversation=conversation, by=owner.email, now=now)
    return conversation_out(conversation)


@router.post("/{conversation_id}/restore", response_model=ConversationOut)
async def restore_conversation(
    conversation_id: IdPath, db: DB, now: Now, owner: Owner
) -> ConversationOut:
    conversation = await threads.get(db, conversation_id)
    await threads.restore_conversation(db, conversation=conversation, actor=owner, now=now)
    return conversation_out(conversation)


@messages_router.post("/{message_id}/delete", response_model=AdminMessageOut)
async def delete_message(message_id: IdPath, db: DB, now: Now, owner: Owner) -> AdminMessageOut:
    message = await threads.set_message_deleted(
        db, message_id=message_id, deleted=True, actor=owner, now=now
    )
    return message_out(message)


@messages_router.post("/{message_id}/restore", response_model=AdminMessageOut)
async def restore_message(message_id: IdPath, db: DB, now: Now, owner: Owner) -> AdminMessageOut:
    message = await threads.set_message_deleted(
        db, message_id=message_id, deleted=False, actor=owner, now=now
    )
    return message_out(message)


@links_router.get("", response_model=list[ChatLinkOut])
async def list_links(db: DB, owner: Owner) -> list[ChatLinkOut]:
    return [link_out(link) for link in await links.all_links(db)]


@links_router.post("", response_model=ChatLinkOut, status_code=201)
async def create_link(data: ChatLinkIn, db: DB, now: Now, owner: Owner) -> ChatLinkOut:
    link = await links.create(db, title=data.title, community=data.community, actor=owner, now=now)
    return link_out(link)


@links_router.post("/{link_id}/toggle", response_model=ChatLinkOut)
async def toggle_link(link_id: IdPath, db: DB, now: Now, owner: Owner) -> ChatLinkOut:
    """Deactivates an active link, reactivates an inactive one."""
    return link_out(await links.toggle(db, link_id=link_id, actor=owner, now=now))
