"""Conversations and messages: who may read what, posting, modes, soft delete."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from coachdesk.audit.service import record
from coachdesk.chat.identity import Visitor
from coachdesk.db import upsert_insert
from coachdesk.errors import Forbidden, Invalid, NotFound
from coachdesk.kit.i18n import N_
from coachdesk.models import (
    Author,
    ChatLink,
    Coach,
    Conversation,
    ConversationMember,
    ConversationMode,
    Message,
)
from coachdesk.models.notice import NoticeEvent
from coachdesk.notifications import notices

MAX_MESSAGE = 2000
EMPTY_MESSAGE = N_("Écrivez un message.")
TOO_LONG = N_("Message trop long : %(max)s caractères au plus.")
NOT_YOURS = N_("Cette conversation n'est pas la vôtre.")
CONVERSATION_NOT_FOUND = N_("Cette conversation n'existe pas.")


def checked_body(text: str) -> str:
    body = text.strip()
    if not body:
        raise Invalid(EMPTY_MESSAGE, code="empty_message", field="body")
    if len(body) > MAX_MESSAGE:
        raise Invalid(TOO_LONG, code="message_too_long", field="body", max=MAX_MESSAGE)
    return body


def _readable_by(visitor: Visitor) -> ColumnElement[bool]:
    """A proved device reads the card's proved threads and groups; an unproved one only
    what it started or joined itself."""
    device = visitor.device
    own: ColumnElement[bool]
    member: ColumnElement[bool]
    if device.verified:
        own = (Conversation.contact_id == visitor.contact.id) & Conversation.device_hash.is_(None)
        member = (ConversationMember.contact_id == visitor.contact.id) & (
            ConversationMember.device_hash == ""
        )
    else:
        own = Conversation.device_hash == device.token_hash
        member = ConversationMember.device_hash == device.token_hash
    groups = select(ConversationMember.conversation_id).where(member)
    return or_(own, Conversation.id.in_(groups))


async def readable(session: AsyncSession, visitor: Visitor) -> list[Conversation]:
    query = select(Conversation).where(_readable_by(visitor), Conversation.deleted_at.is_(None))
    return list((await session.scalars(query.order_by(Conversation.created_at))).all())


async def for_visitor(
    session: AsyncSession, visitor: Visitor, conversation_id: int
) -> Conversation:
    """A stolen conversation id without the right device token reads nothing."""
    found = await session.scalar(
        select(Conversation).where(
            Conversation.id == conversation_id,
            _readable_by(visitor),
            Conversation.deleted_at.is_(None),
        )
    )
    if found is None:
        raise Forbidden(NOT_YOURS, code="not_your_conversation")
    return found


async def own_thread(
    session: AsyncSession,
    *,
    visitor: Visitor,
    assistant_on: bool,
    now: datetime,
    link: ChatLink | None = None,
) -> Conversation:
    """The visitor's 1:1 conversation with the studio (made on first need)."""
    mine = [c for c in await readable(session, visitor) if c.contact_id == visitor.contact.id]
    if mine:
        return mine[-1]
    thread = Conversation(
        mode=ConversationMode.ai if assistant_on else ConversationMode.human,
        contact_id=visitor.contact.id,
        verified=visitor.device.verified,
        device_hash=None if visitor.device.verified else visitor.device.token_hash,
        link_id=link.id if link else None,
        created_at=now,
        last_message_at=now,
    )
    session.add(thread)
    await session.flush()
    return thread


async def community(
    session: AsyncSession, *, link: ChatLink, visitor: Visitor, now: datetime
) -> Conversation:
    """The group conversation of a community link; the visitor joins it."""
    group = await session.scalar(
        select(Conversation).where(
            Conversation.link_id == link.id, Conversation.mode == ConversationMode.community
        )
    )
    if group is None:
        group = Conversation(
            mode=ConversationMode.community,
            title=link.title,
            link_id=link.id,
            created_at=now,
            last_message_at=now,
        )
        session.add(group)
        await session.flush()
    device_hash = "" if visitor.device.verified else visitor.device.token_hash
    await session.execute(
        upsert_insert(session, ConversationMember)
        .values(
            conversation_id=group.id,
            contact_id=visitor.contact.id,
            device_hash=device_hash,
            joined_at=now,
        )
        .on_conflict_do_nothing()
    )
    return group


async def post(
    session: AsyncSession,
    *,
    conversation: Conversation,
    author: Author,
    body: str,
    now: datetime,
    contact_id: int | None = None,
    coach: Coach | None = None,
    author_name: str = "",
) -> Message:
    message = Message(
        conversation_id=conversation.id,
        author=author,
        body=checked_body(body),
        contact_id=contact_id,
        author_name=author_name[:120],
        coach_id=coach.id if coach else None,
        created_at=now,
    )
    session.add(message)
    conversation.last_message_at = now
    if author == Author.visitor:
        conversation.unread += 1
    await session.flush()
    if author == Author.visitor and conversation.mode == ConversationMode.human:
        await notices.tell(
            session,
            NoticeEvent.chat_human,
            body=message.body[:200],
            url=f"/coach/inbox/{conversation.id}",
            now=now,
        )
    return message


async def coach_reply(
    session: AsyncSession, *, conversation: Conversation, body: str, coach: Coach, now: datetime
) -> Message:
    """The coach answers; in an ``ai`` conversation the assistant then falls silent."""
    message = await post(
        session, conversation=conversation, author=Author.coach, body=body, coach=coach, now=now
    )
    if conversation.mode == ConversationMode.ai:
        await set_mode(
            session, conversation=conversation, mode=ConversationMode.human, actor=coach, now=now
        )
    return message


async def history(
    session: AsyncSession,
    conversation: Conversation,
    *,
    include_deleted: bool = False,
    after: int = 0,
    last: int = 500,
) -> list[Message]:
    """The conversation's latest ``last`` messages, oldest first."""
    query = select(Message).where(Message.conversation_id == conversation.id, Message.id > after)
    if not include_deleted:
        query = query.where(Message.deleted_at.is_(None))
    latest = await session.scalars(query.order_by(Message.id.desc()).limit(last))
    return list(reversed(latest.all()))


@dataclass(frozen=True)
class InboxFilter:
    mode: str = ""
    include_deleted: bool = False


async def inbox(session: AsyncSession, wanted: InboxFilter) -> list[Conversation]:
    query = select(Conversation)
    if wanted.mode in ConversationMode.__members__:
        query = query.where(Conversation.mode == wanted.mode)
    if not wanted.include_deleted:
        query = query.where(Conversation.deleted_at.is_(None))
    query = query.order_by(Conversation.last_message_at.desc()).limit(300)
    return list((await session.scalars(query)).all())


async def get(session: AsyncSession, conversation_id: int) -> Conversation:
    found = await session.get(Conversation, conversation_id)
    if found is None:
        raise NotFound(CONVERSATION_NOT_FOUND)
    return found


async def set_mode(
    session: AsyncSession,
    *,
    conversation: Conversation,
    mode: ConversationMode,
    actor: Coach | None,
    now: datetime,
) -> None:
    if conversation.mode == mode:
        return
    before = conversation.mode
    conversation.mode = mode
    await record(
        session,
        actor=actor,
        action="chat.mode_changed",
        obj=conversation,
        now=now,
        data={"from": before.value, "to": mode.value},
    )


async def delete_conversation(
    session: AsyncSession, *, conversation: Conversation, by: str, now: datetime
) -> None:
    conversation.deleted_at, conversation.deleted_by = now, by


async def restore_conversation(
    session: AsyncSession, *, conversation: Conversation, actor: Coach, now: datetime
) -> None:
    conversation.deleted_at = conversation.deleted_by = None
    await record(
        session, actor=actor, action="chat.conversation_restored", obj=conversation, now=now
    )


async def set_message_deleted(
    session: AsyncSession, *, message_id: int, deleted: bool, actor: Coach, now: datetime
) -> Message:
    """Hides a message from the conversation (or shows it again); audited."""
    message = await session.get(Message, message_id)
    if message is None:
        raise NotFound(CONVERSATION_NOT_FOUND)
    message.deleted_at, message.deleted_by = (now, actor.email) if deleted else (None, None)
    action = "message.hidden" if deleted else "message.restored"
    data = {"conversation": message.conversation_id}
    await record(session, actor=actor, action=action, obj=message, now=now, data=data)
    return message


async def members(session: AsyncSession, conversation: Conversation) -> list[ConversationMember]:
    query = select(ConversationMember).where(ConversationMember.conversation_id == conversation.id)
    return list((await session.scalars(query)).all())
