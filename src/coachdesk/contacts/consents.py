"""Marketing consents: the current state on the contact, every change in the history."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from coachdesk.auth.tokens import new_token, token_hash
from coachdesk.errors import NotFound
from coachdesk.kit.i18n import N_
from coachdesk.mail import service as mail
from coachdesk.models import ConsentChannel, ConsentEvent, ConsentRequest, Contact

CONFIRM_WITHIN = timedelta(days=14)
LINK_GONE = N_("Ce lien de confirmation n'est plus valable.")

FIELDS = {ConsentChannel.email: "consent_email", ConsentChannel.whatsapp: "consent_whatsapp"}


async def set_consent(
    session: AsyncSession,
    *,
    contact: Contact,
    channel: ConsentChannel,
    granted: bool,
    how: str,
    now: datetime,
    actor: str = "",
) -> bool:
    """Records a change (and only a change); returns whether anything changed."""
    field = FIELDS[channel]
    if getattr(contact, field) == granted:
        return False
    setattr(contact, field, granted)
    session.add(
        ConsentEvent(
            contact_id=contact.id,
            channel=channel,
            granted=granted,
            how=how[:120],
            actor=actor[:254],
            at=now,
        )
    )
    await session.flush()
    return True


async def history(session: AsyncSession, contact: Contact) -> list[ConsentEvent]:
    query = select(ConsentEvent).where(ConsentEvent.contact_id == contact.id)
    return list(
        (
            await session.scalars(query.order_by(ConsentEvent.at.desc(), ConsentEvent.id.desc()))
        ).all()
    )


async def ask_to_confirm(
    session: AsyncSession,
    *,
    contact: Contact,
    email: str | None,
    channels: list[ConsentChannel],
    how: str,
    now: datetime,
) -> ConsentRequest | None:
    """A consent given with an address nobody proved (typed in a form) counts only once
    the link e-mailed to that address is opened: nobody subscribes someone else. Without
    an e-mail the request waits, listed on the card for the coach."""
    wanted = [c.value for c in channels if not getattr(contact, FIELDS[c])]
    if not wanted:
        return None
    token = new_token()
    request = ConsentRequest(
        token_hash=token_hash(token),
        contact_id=contact.id,
        email=email or "",
        channels=wanted,
        how=how[:120],
        created_at=now,
    )
    session.add(request)
    message = await mail.queue(session, kind="consent_confirm", to=email, now=now)
    if message is not None:
        message.identity_code = token  # written into the e-mail, then forgotten
    await session.flush()
    return request


async def waiting_request(session: AsyncSession, *, token: str, now: datetime) -> ConsentRequest:
    request = await session.scalar(
        select(ConsentRequest).where(ConsentRequest.token_hash == token_hash(token))
    )
    if request is None or request.created_at < now - CONFIRM_WITHIN:
        raise NotFound(LINK_GONE, code="link_gone")
    contact = await session.get(Contact, request.contact_id)
    if contact is None or contact.erased_at is not None or contact.email != request.email:
        raise NotFound(LINK_GONE, code="link_gone")
    return request


async def confirm(session: AsyncSession, *, token: str, now: datetime) -> ConsentRequest:
    """The person opened the link and confirmed: the consents count from now (once)."""
    request = await waiting_request(session, token=token, now=now)
    if request.confirmed_at is None:
        contact = await session.get_one(Contact, request.contact_id)
        for channel in request.channels:
            await set_consent(
                session,
                contact=contact,
                channel=ConsentChannel(channel),
                granted=True,
                how=f"{request.how}, confirmé par e-mail",
                now=now,
            )
        request.confirmed_at = now
    return request


async def waiting(session: AsyncSession, contact: Contact) -> list[ConsentRequest]:
    """Consents asked and not confirmed yet (the coach sees them on the card)."""
    query = select(ConsentRequest).where(
        ConsentRequest.contact_id == contact.id, ConsentRequest.confirmed_at.is_(None)
    )
    return list((await session.scalars(query.order_by(ConsentRequest.id.desc()))).all())
