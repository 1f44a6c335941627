"""Who is chatting. A device keeps a random token; only its hash is stored. A new device
that names a known contact sees none of that contact's history until it proves it is
them with a one-time code sent to the contact (typing someone's e-mail reveals nothing)."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from coachdesk.auth.tokens import new_token, token_hash
from coachdesk.contacts.consents import set_consent
from coachdesk.contacts.service import Identity, match_or_create
from coachdesk.errors import Invalid, RateLimited, Unauthorized
from coachdesk.kit.i18n import N_
from coachdesk.mail import service as mail
from coachdesk.models import (
    ConsentChannel,
    Contact,
    Conversation,
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


async def known(session: AsyncSession, identity: Identity) -> Contact | None:
    """The contact these details name, matched by e-mail or phone — never by name."""
    if identity.email:
        found = await session.scalar(select(Contact).where(Contact.email == identity.email))
        if found:
            return found
    if identity.phone:
        return await session.scalar(
            select(Contact).where(Contact.phone == identity.phone, Contact.merged_into_id.is_(None))
        )
    return None


async def has_history(session: AsyncSession, contact: Contact) -> bool:
    query = select(Message.id).join(Conversation).where(Conversation.contact_id == contact.id)
    return await session.scalar(query.limit(1)) is not None


async def introduce(
    session: AsyncSession,
    *,
    name: str,
    email: str,
    phone: str,
    accept: bool,
    news: bool,
    language: str,
    source: str,
    now: datetime,
) -> Visitor:
    """The lead form. A known contact with a past gets an unverified device (and a code)."""
    identity = Identity.parse(name=name, email=email, phone=phone, language=language)
    if not identity.name:
        raise Invalid(NAME_REQUIRED, code="name_required", field="name")
    if not identity.email and not identity.phone:
        raise Invalid(WAY_REQUIRED, code="email_or_phone", field="email")
    if not accept:
        raise Invalid(ACCEPT_REQUIRED, code="accept_required", field="accept")
    existing = await known(session, identity)
    verified = existing is None or not await has_history(session, existing)
    contact = await match_or_create(session, identity=identity, source=source, now=now)
    if news:
        channel = ConsentChannel.email if identity.email else ConsentChannel.whatsapp
        await set_consent(
            session,
            contact=contact,
            channel=channel,
            granted=True,
            how="formulaire du chat",
            now=now,
        )
    token = new_token()
    device = VisitorDevice(
        token_hash=token_hash(token),
        contact_id=contact.id,
        verified=verified,
        created_at=now,
        last_seen_at=now,
    )
    session.add(device)
    await session.flush()
    return Visitor(contact, device, token)


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
    """A one-time code to the contact's e-mail; False when there is no address to send to."""
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


async def verify(session: AsyncSession, *, visitor: Visitor, code: str, now: datetime) -> None:
    """The right code makes the device (and the threads it started) verified."""
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
    if pending is None or pending.attempts >= MAX_CODE_ATTEMPTS:
        raise Invalid(WRONG_CODE, code="wrong_code", field="code")
    pending.attempts += 1
    if not secrets.compare_digest(pending.code_hash, token_hash(code.strip())):
        await session.flush()
        raise Invalid(WRONG_CODE, code="wrong_code", field="code")
    pending.used_at = now
    visitor.device.verified = True
    await _fold_device_threads(session, visitor.contact.id, visitor.device.token_hash)


async def _fold_device_threads(session: AsyncSession, contact_id: int, device_hash: str) -> None:
    """What the device wrote before proving who it is joins the person's conversation:
    one history, not two threads side by side."""
    query = select(Conversation).where(
        Conversation.contact_id == contact_id, Conversation.deleted_at.is_(None)
    )
    found = list(await session.scalars(query.order_by(Conversation.created_at, Conversation.id)))
    main = next((c for c in found if c.device_hash is None), None)
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


async def forget_device(session: AsyncSession, *, visitor: Visitor, now: datetime) -> None:
    """ "Not me / change identity": this device stops reading anything."""
    visitor.device.revoked_at = now
