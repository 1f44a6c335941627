"""The coach's contact book: search and filters, adding and editing by hand, tags, notes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import Select, exists, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from coachdesk.audit.service import record
from coachdesk.contacts.consents import set_consent
from coachdesk.contacts.matching import Identity
from coachdesk.errors import Conflict, Invalid, NotFound
from coachdesk.kit.i18n import N_
from coachdesk.models import Coach, ConsentChannel, Contact, ContactTag

CONTACT_NOT_FOUND = N_("Ce contact n'existe pas.")
EMAIL_TAKEN = N_("Un autre contact a déjà cette adresse e-mail.")
NEED_A_WAY = N_("Indiquez au moins un e-mail ou un numéro.")
BAD_TAG = N_("Étiquette invalide (40 caractères au plus).")


class ContactIn(BaseModel):
    model_config = ConfigDict(str_strip_whitespace=True, extra="forbid")

    name: str = Field("", max_length=120)
    email: str = Field("", max_length=254)
    phone: str = Field("", max_length=40)
    language: str = Field("fr", pattern=r"^(fr|de|en)$")
    notes: str = Field("", max_length=10_000)
    consent_email: bool = False
    consent_whatsapp: bool = False


@dataclass(frozen=True)
class ContactFilter:
    text: str = ""
    tag: str = ""
    source: str = ""
    consent: str = ""  # email | whatsapp
    active_days: int | None = None


def _filtered(query: Select[Contact], wanted: ContactFilter, now: datetime) -> Select[Contact]:
    query = query.where(Contact.merged_into_id.is_(None), Contact.erased_at.is_(None))
    text = wanted.text.strip().lower()[:100]
    if text:  # plain text, never a pattern
        query = query.where(
            or_(
                *(
                    func.lower(f).contains(text, autoescape=True)
                    for f in (Contact.name, Contact.email, Contact.phone)
                )
            )
        )
    if wanted.tag:
        query = query.where(
            exists(
                select(ContactTag.id).where(
                    ContactTag.contact_id == Contact.id, ContactTag.tag == wanted.tag.lower()
                )
            )
        )
    if wanted.source:
        query = query.where(Contact.source == wanted.source)
    if wanted.consent == "email":
        query = query.where(Contact.consent_email.is_(True))
    elif wanted.consent == "whatsapp":
        query = query.where(Contact.consent_whatsapp.is_(True))
    if wanted.active_days:
        query = query.where(Contact.last_seen_at >= now - timedelta(days=wanted.active_days))
    return query


async def search(
    session: AsyncSession, wanted: ContactFilter, *, now: datetime, limit: int = 500
) -> list[Contact]:
    query = _filtered(select(Contact), wanted, now).order_by(Contact.last_seen_at.desc())
    return list((await session.scalars(query.limit(limit))).all())


async def sources(session: AsyncSession) -> list[str]:
    return list(await session.scalars(select(Contact.source).distinct().order_by(Contact.source)))


async def all_tags(session: AsyncSession) -> list[str]:
    return list(await session.scalars(select(ContactTag.tag).distinct().order_by(ContactTag.tag)))


async def get(session: AsyncSession, contact_id: int) -> Contact:
    contact = await session.get(Contact, contact_id)
    if contact is None:
        raise NotFound(CONTACT_NOT_FOUND)
    return contact


async def _check(session: AsyncSession, data: ContactIn, contact_id: int | None) -> Identity:
    identity = Identity.parse(
        name=data.name, email=data.email, phone=data.phone, language=data.language
    )
    if not identity.email and not identity.phone:
        raise Invalid(NEED_A_WAY, code="email_or_phone", field="email")
    if identity.email:
        other = await session.scalar(select(Contact.id).where(Contact.email == identity.email))
        if other and other != contact_id:
            raise Conflict(EMAIL_TAKEN, code="email_taken", field="email")
    return identity


async def _consents(
    session: AsyncSession, contact: Contact, data: ContactIn, actor: Coach, now: datetime
) -> None:
    for channel, granted in (
        (ConsentChannel.email, data.consent_email),
        (ConsentChannel.whatsapp, data.consent_whatsapp),
    ):
        await set_consent(
            session,
            contact=contact,
            channel=channel,
            granted=granted,
            how="saisi par le coach",
            actor=actor.email,
            now=now,
        )


async def create(session: AsyncSession, *, data: ContactIn, actor: Coach, now: datetime) -> Contact:
    identity = await _check(session, data, None)
    contact = Contact(
        tags=[],
        name=identity.name,
        email=identity.email,
        phone=identity.phone,
        language=identity.language,
        source="manual",
        notes=data.notes,
        first_seen_at=now,
        last_seen_at=now,
    )
    session.add(contact)
    await session.flush()
    await _consents(session, contact, data, actor, now)
    await record(session, actor=actor, action="contact.created", obj=contact, now=now)
    return contact


async def update(
    session: AsyncSession, *, contact: Contact, data: ContactIn, actor: Coach, now: datetime
) -> Contact:
    identity = await _check(session, data, contact.id)
    contact.name, contact.email, contact.phone = identity.name, identity.email, identity.phone
    contact.language, contact.notes = identity.language, data.notes
    await _consents(session, contact, data, actor, now)
    await record(session, actor=actor, action="contact.updated", obj=contact, now=now)
    return contact


def clean_tag(text: str) -> str:
    tag = " ".join(text.split()).lower()
    if not tag or len(tag) > 40:
        raise Invalid(BAD_TAG, code="bad_tag", field="tag")
    return tag


async def add_tag(session: AsyncSession, *, contact: Contact, tag: str) -> None:
    name = clean_tag(tag)
    if name not in contact.tag_names:
        contact.tags.append(ContactTag(tag=name))
        await session.flush()


async def remove_tag(session: AsyncSession, *, contact: Contact, tag: str) -> None:
    contact.tags = [t for t in contact.tags if t.tag != tag]
    await session.flush()
