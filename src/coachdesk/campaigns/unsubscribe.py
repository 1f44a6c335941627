"""One-click unsubscribe: each campaign message carries a signed link per person and
channel; following it withdraws that channel's consent, recorded in its history."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from coachdesk.auth.tokens import sign, signature_matches
from coachdesk.contacts.consents import set_consent
from coachdesk.errors import NotFound
from coachdesk.kit.i18n import N_
from coachdesk.models import ConsentChannel, Contact

LINK_UNKNOWN = N_("Ce lien de désabonnement n'est pas valable.")
HOW = "lien de désabonnement"


def _value(contact_id: int, channel: str) -> str:
    return f"unsubscribe:{contact_id}:{channel}"


def link(base_url: str, secret: str, contact_id: int, channel: str) -> str:
    token = sign(secret, _value(contact_id, channel))
    return f"{base_url.rstrip('/')}/u/{contact_id}/{channel}/{token}"


async def person(
    session: AsyncSession, *, secret: str, contact_id: int, channel: str, token: str
) -> tuple[Contact, ConsentChannel]:
    """The person a link names, if the link is genuine."""
    if channel not in ConsentChannel.__members__ or not signature_matches(
        secret, _value(contact_id, channel), token
    ):
        raise NotFound(LINK_UNKNOWN, code="bad_unsubscribe_link")
    contact = await session.get(Contact, contact_id)
    if contact is None or contact.erased_at is not None:
        raise NotFound(LINK_UNKNOWN, code="bad_unsubscribe_link")
    return contact, ConsentChannel(channel)


async def withdraw(
    session: AsyncSession,
    *,
    secret: str,
    contact_id: int,
    channel: str,
    token: str,
    now: datetime,
) -> Contact:
    contact, kind = await person(
        session, secret=secret, contact_id=contact_id, channel=channel, token=token
    )
    await set_consent(session, contact=contact, channel=kind, granted=False, how=HOW, now=now)
    return contact


def links(base_url: str, secret: str) -> Callable[[int, str], str]:
    """The link maker campaign messages are written with."""

    def make(contact_id: int, channel: str) -> str:
        return link(base_url, secret, contact_id, channel)

    return make
