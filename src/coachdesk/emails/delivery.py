"""The worker's delivery of queued e-mails (written now, in the recipient's language)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from coachdesk.emails.render import (
    MailContext,
    booking_email,
    code_email,
    link_email,
    waitlist_email,
)
from coachdesk.integrations.email import DeliveryError, EmailSender, OutgoingEmail
from coachdesk.mail import service as mail
from coachdesk.models import (
    Booking,
    BookingSeat,
    Contact,
    EmailMessage,
    EmailStatus,
    WaitlistEntry,
)
from coachdesk.site import service as site_service

PREWRITTEN = {"coach_notice"}
ONE_TIME_LINKS = {"consent_confirm": "/consent/", "coach_sign_in": "/coach/sign-in/"}


async def _language_of(session: AsyncSession, address: str) -> str:
    contact = await session.scalar(select(Contact).where(Contact.email == address))
    return contact.language if contact else "fr"


async def _one_time(
    session: AsyncSession, message: EmailMessage, context: MailContext
) -> OutgoingEmail | None:
    if not message.identity_code:  # the link was written and forgotten: nothing to resend
        return None
    url = f"{context.base_url}{ONE_TIME_LINKS[message.kind]}{message.identity_code}"
    return link_email(
        message.kind,
        to=message.to_address,
        url=url,
        language_code=await _language_of(session, message.to_address),
        context=context,
    )


async def compose(
    session: AsyncSession, message: EmailMessage, context: MailContext
) -> OutgoingEmail | None:
    if message.kind in PREWRITTEN:  # written when queued (e.g. the coach's notices)
        return OutgoingEmail(to=message.to_address, subject=message.subject, text=message.text)
    if message.kind in ONE_TIME_LINKS:
        return await _one_time(session, message, context)
    if message.kind == "chat_code" and message.identity_code:
        return code_email(
            to=message.to_address,
            code=message.identity_code,
            context=context,
            language_code=await _language_of(session, message.to_address),
        )
    if message.waitlist_entry_id:
        entry = await session.get(WaitlistEntry, message.waitlist_entry_id)
        return waitlist_email(entry, context) if entry else None
    booking = await session.get(Booking, message.booking_id) if message.booking_id else None
    if booking is None:
        return None
    seat = await session.get(BookingSeat, message.seat_id) if message.seat_id else None
    return booking_email(message.kind, booking, context, seat)


async def send_one(
    message: EmailMessage, email: OutgoingEmail | None, sender: EmailSender, now: datetime
) -> None:
    if email is None:
        message.status, message.error = EmailStatus.failed, "the booking no longer exists"
        return
    message.subject, message.text, message.html = email.subject, email.text, email.html
    try:
        await sender.send(email)
    except DeliveryError as exc:
        mail.failed(message, str(exc), now)
    else:
        mail.done(message, delivered=sender.delivers, now=now)


async def deliver_due(
    session: AsyncSession, *, sender: EmailSender, base_url: str, now: datetime, secret: str = ""
) -> int:
    """Each message is claimed (and that committed) before it is sent, then its outcome
    committed: a crash in between leaves it leased, to be tried again after the lease."""
    context = MailContext(await site_service.load(session), base_url, secret)
    handled = 0
    for message in await mail.due(session, now):
        if not await mail.claim(session, message, now):
            continue
        await session.commit()
        await send_one(message, await compose(session, message, context), sender, now)
        await session.commit()
        handled += 1
    return handled
