"""Who is chatting. A device keeps a random token; only its hash is stored. Typed details
are a claim: a device reads only the threads it started until it proves the card's address
with a one-time code sent there. Then it reads the card's proved history, and what it wrote
before joins it; what other unproved devices wrote stays theirs. Typing someone's e-mail
reveals nothing, not even the name on the card."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import CursorResult, delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from coachdesk.auth.tokens import new_token, token_hash
from coachdesk.contacts.matching import Identity, find_card, match_or_create
from coachdesk.db import side_transaction
from coachdesk.errors import Invalid, RateLimited, Unauthorized
from coachdesk.kit.i18n import N_
from coachdesk.limits import service as limits
from coachdesk.limits.budgets import (
    CODE_TRIES_BY_ADDRESS,
    CODE_TRIES_BY_CONTACT,
    CODES_SENT_BY_CONTACT,
)
from coachdesk.mail import service as mail
from coachdesk.models import (
    Contact,
    Conversation,
    ConversationMember,
    IdentityCode,
    Message,
    VisitorDevice,
)

CODE_TTL = timedelta(minutes=15)
MAX_CODE_ATTEMPTS = 5
SEEN_EVERY = timedelta(minutes=5)
NAME_REQUIRED = N_("Indiquez votre prénom.")
WAY_REQUIRED = N_("Indiquez un e-mail ou un numéro WhatsApp.")
ACCEPT_REQUIRED = N_("Veuillez accepter que vos coordonnées servent à vous répondre.")
UNKNOWN_DEVICE = N_("Session de chat inconnue : présentez-vous à nouveau.")
WRONG_CODE = N_("Code incorrect ou expiré.")


@dataclass
class Visitor:
    contact: Contact
    device: VisitorDevice
    token: str | None = None  # only when just issued
    known_card: bool = False  # the details named a card that was there before

    @property
    def name(self) -> str:
        """The name this device gave (never the card's, which may be someone else's)."""
        return self.device.name or (self.contact.name if self.device.verified else "")


async def introduce(
    session: AsyncSession,
    *,
    name: str,
    email: str,
    phone: str,
    accept: bool,
    language: str,
    source: str,
    now: datetime,
) -> Visitor:
    """The lead form: a device that has proved nothing yet, on the card its details name."""
    identity = Identity.parse(name=name, email=email, phone=phone, language=language)
    if not identity.name:
        raise Invalid(NAME_REQUIRED, code="name_required", field="name")
    if not identity.email and not identity.phone:
        raise Invalid(WAY_REQUIRED, code="email_or_phone", field="email")
    if not accept:
        raise Invalid(ACCEPT_REQUIRED, code="accept_required", field="accept")
    known_card = await find_card(session, identity) is not None
    contact = await match_or_create(session, identity=identity, source=source, now=now)
    token = new_token()
    device = VisitorDevice(
        token_hash=token_hash(token),
        contact_id=contact.id,
        verified=False,
        name=identity.name,
        created_at=now,
        last_seen_at=now,
    )
    session.add(device)
    await session.flush()
    return Visitor(contact, device, token, known_card)


async def resume(session: AsyncSession, *, token: str | None, now: datetime) -> Visitor:
    device = await session.get(VisitorDevice, token_hash(token)) if token else None
    if device is None or device.revoked_at is not None:
        raise Unauthorized(UNKNOWN_DEVICE, code="unknown_device")
    contact = await session.get_one(Contact, device.contact_id)
    if contact.erased_at is not None:
        raise Unauthorized(UNKNOWN_DEVICE, code="unknown_device")
    if now - device.last_seen_at > SEEN_EVERY:  # not a write on every message
        device.last_seen_at = now
    return Visitor(contact, device)


async def send_code(session: AsyncSession, *, visitor: Visitor, now: datetime) -> bool:
    """A one-time code to the card's e-mail; False when there is no address to send to."""
    if visitor.device.verified or not visitor.contact.email:
        return False
    recent = await session.scalar(
        select(IdentityCode.id).where(
            IdentityCode.device_hash == visitor.device.token_hash,
            IdentityCode.created_at > now - timedelta(minutes=1),
        )
    )
    if recent:
        raise RateLimited()
    await limits.take(session, CODES_SENT_BY_CONTACT, str(visitor.contact.id), now=now)
    code = f"{secrets.randbelow(1_000_000):06d}"
    session.add(
        IdentityCode(
            contact_id=visitor.contact.id,
            device_hash=visitor.device.token_hash,
            code_hash=token_hash(code),
            created_at=now,
            expires_at=now + CODE_TTL,
        )
    )
    message = await mail.queue(session, kind="chat_code", to=visitor.contact.email, now=now)
    if message is not None:
        message.identity_code = code
    await session.flush()
    return True


async def code_waiting(session: AsyncSession, *, visitor: Visitor, now: datetime) -> bool:
    """A code was sent to this device's card and can still be typed."""
    if visitor.device.verified:
        return False
    waiting = await session.scalar(
        select(IdentityCode.id).where(
            IdentityCode.device_hash == visitor.device.token_hash,
            IdentityCode.used_at.is_(None),
            IdentityCode.expires_at > now,
            IdentityCode.attempts < MAX_CODE_ATTEMPTS,
        )
    )
    return waiting is not None


async def verify(
    session: AsyncSession, *, visitor: Visitor, code: str, address: str, now: datetime
) -> None:
    """The right code makes the device (and the threads it started) proved. Each try is
    counted before the code is compared, in a transaction of its own: a refusal, a crash
    or a thousand tries at once cannot get more than the budget."""
    await limits.spend(session, CODE_TRIES_BY_ADDRESS, address, now=now)
    await limits.spend(session, CODE_TRIES_BY_CONTACT, str(visitor.contact.id), now=now)
    pending = await session.scalar(
        select(IdentityCode)
        .where(
            IdentityCode.device_hash == visitor.device.token_hash,
            IdentityCode.used_at.is_(None),
            IdentityCode.expires_at > now,
        )
        .order_by(IdentityCode.id.desc())
        .limit(1)
    )
    if pending is None or not await _count_try(session, pending):
        raise Invalid(WRONG_CODE, code="wrong_code", field="code")
    if not secrets.compare_digest(pending.code_hash, token_hash(code.strip())):
        raise Invalid(WRONG_CODE, code="wrong_code", field="code")
    pending.used_at = now
    visitor.device.verified = True
    await _fold_device_threads(session, visitor.contact.id, visitor.device.token_hash)


async def _count_try(session: AsyncSession, pending: IdentityCode) -> bool:
    """One of the code's tries, taken in a committed transaction; False when none is left."""
    async with side_transaction(session) as side:
        result = await side.execute(
            update(IdentityCode)
            .where(IdentityCode.id == pending.id, IdentityCode.attempts < MAX_CODE_ATTEMPTS)
            .values(attempts=IdentityCode.attempts + 1)
        )
    return isinstance(result, CursorResult) and result.rowcount == 1


async def _fold_device_threads(session: AsyncSession, contact_id: int, device_hash: str) -> None:
    """What the device wrote before proving who it is joins the person's conversation:
    one history, not two threads side by side."""
    query = select(Conversation).where(
        Conversation.contact_id == contact_id, Conversation.deleted_at.is_(None)
    )
    found = list(await session.scalars(query.order_by(Conversation.created_at, Conversation.id)))
    main = next((c for c in found if c.device_hash is None), None)
    await _prove_memberships(session, contact_id, device_hash)
    for thread in (c for c in found if c.device_hash == device_hash):
        thread.verified, thread.device_hash = True, None
        if main is None:
            main = thread
            continue
        await session.execute(
            update(Message)
            .where(Message.conversation_id == thread.id)
            .values(conversation_id=main.id)
        )
        main.unread += thread.unread
        main.last_message_at = max(main.last_message_at, thread.last_message_at)
        await session.delete(thread)
    await session.flush()


async def _prove_memberships(session: AsyncSession, contact_id: int, device_hash: str) -> None:
    """Groups the device joined through their link become the card's proved groups."""
    proved = select(ConversationMember.conversation_id).where(
        ConversationMember.contact_id == contact_id, ConversationMember.device_hash == ""
    )
    await session.execute(
        delete(ConversationMember).where(
            ConversationMember.device_hash == device_hash,
            ConversationMember.conversation_id.in_(proved),
        )
    )
    await session.execute(
        update(ConversationMember)
        .where(ConversationMember.device_hash == device_hash)
        .values(device_hash="")
    )


async def forget_device(session: AsyncSession, *, visitor: Visitor, now: datetime) -> None:
    """ "Not me / change identity": this device stops reading anything."""
    visitor.device.revoked_at = now
