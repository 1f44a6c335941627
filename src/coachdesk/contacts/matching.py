"""Finding or creating the card behind a booking, a chat or a waiting-list entry."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from coachdesk.db import upsert_insert
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
    """The card these details name, or a new one. By e-mail when one is given, by phone
    only when none is; never by name. Typed details are a claim nobody proved: they never
    add or change anything on an existing card (a phone already on a card with another or
    no e-mail gets a card of its own, listed for the coach to merge)."""
    contact = await find_card(session, identity)
    if contact is None:
        return await _created(session, identity=identity, source=source, now=now)
    contact.last_seen_at = now
    return contact


async def find_card(session: AsyncSession, identity: Identity) -> Contact | None:
    """The card these details name: by e-mail when one is given, else by phone."""
    if identity.email:
        return await session.scalar(select(Contact).where(Contact.email == identity.email))
    if identity.phone:
        by_phone = select(Contact).where(
            Contact.phone == identity.phone, Contact.merged_into_id.is_(None)
        )
        return await session.scalar(by_phone.order_by(Contact.id).limit(1))
    return None


async def _created(
    session: AsyncSession, *, identity: Identity, source: str, now: datetime
) -> Contact:
    """Insert-or-get on the unique e-mail: the same new address twice at once (a double
    click, two tabs) gives one card, never an error."""
    new_id = await session.scalar(
        upsert_insert(session, Contact)
        .values(
            email=identity.email,
            phone=identity.phone,
            name=identity.name,
            language=identity.language,
            source=source,
            first_seen_at=now,
            last_seen_at=now,
        )
        .on_conflict_do_nothing(index_elements=["email"])
        .returning(Contact.id)
    )
    if new_id is None:  # someone else created it a moment ago
        winner = await find_card(session, identity)
        assert winner is not None
        winner.last_seen_at = now
        return winner
    return await session.get_one(Contact, new_id)
