"""Finding or creating the contact behind a booking (or, later, a chat)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from coachdesk.errors import Invalid
from coachdesk.kit.i18n import LANGUAGES, N_
from coachdesk.kit.phone import normalise_phone
from coachdesk.kit.text import normalise_email
from coachdesk.models import Contact

INVALID_EMAIL = N_("Adresse e-mail invalide.")
INVALID_PHONE = N_("Numéro de téléphone invalide.")


@dataclass(frozen=True)
class Identity:
    """Who someone says they are, checked and normalised."""

    name: str
    email: str | None
    phone: str | None
    language: str

    @classmethod
    def parse(cls, *, name: str, email: str, phone: str, language: str) -> Identity:
        address = number = None
        if email.strip():
            try:
                address = normalise_email(email)
            except ValueError:
                raise Invalid(INVALID_EMAIL, field="email", code="invalid_email") from None
        if phone.strip():
            try:
                number = normalise_phone(phone)
            except ValueError:
                raise Invalid(INVALID_PHONE, field="phone", code="invalid_phone") from None
        lang = language if language in LANGUAGES else "fr"
        return cls(name=" ".join(name.split())[:120], email=address, phone=number, language=lang)


async def match_or_create(
    session: AsyncSession, *, identity: Identity, source: str, now: datetime
) -> Contact:
    """By e-mail first, then by phone, never by name. A phone already on a contact with
    another e-mail is not merged: a new contact is made and both are kept apart."""
    contact = None
    if identity.email:
        contact = await session.scalar(select(Contact).where(Contact.email == identity.email))
    if contact is None and identity.phone:
        by_phone = select(Contact).where(Contact.phone == identity.phone).order_by(Contact.id)
        candidate = await session.scalar(by_phone.limit(1))
        if candidate and (candidate.email is None or identity.email is None):
            contact = candidate
    if contact is None:
        contact = Contact(
            tags=[],
            email=identity.email,
            phone=identity.phone,
            name=identity.name,
            language=identity.language,
            source=source,
            first_seen_at=now,
            last_seen_at=now,
        )
        session.add(contact)
        await session.flush()
        return contact
    contact.name = contact.name or identity.name
    contact.email = contact.email or identity.email
    contact.phone = contact.phone or identity.phone
    contact.language = identity.language
    contact.last_seen_at = now
    return contact
