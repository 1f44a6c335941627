"""What a campaign will look like for one person, and a test sent to the coach: the same
rendering as the real send, with the same unsubscribe link and footer."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from coachdesk.campaigns.message import Recipient, checked, checked_media
from coachdesk.campaigns.sending import Outlet, campaign_email, campaign_whatsapp, recipients
from coachdesk.contacts import crm
from coachdesk.contacts.crm import ContactFilter
from coachdesk.errors import Invalid
from coachdesk.integrations.email import DeliveryError, OutgoingEmail
from coachdesk.integrations.whatsapp import WhatsAppMessage, wa_me_link
from coachdesk.kit.i18n import N_, gettext
from coachdesk.kit.phone import normalise_phone
from coachdesk.kit.text import normalise_email
from coachdesk.models import (
    Campaign,
    Coach,
    ConsentChannel,
    Contact,
    Delivery,
    EmailMessage,
    EmailStatus,
)

TEST_PREFIX = N_("[Test] ")
BAD_TEST_EMAIL = N_("Indiquez une adresse e-mail valable pour le test.")
BAD_TEST_PHONE = N_("Indiquez un numéro de téléphone portable valable pour le test.")
TEST_FAILED = N_("Le test n'est pas parti : %(error)s")


@dataclass(frozen=True)
class Preview:
    subject: str
    email: OutgoingEmail
    whatsapp: WhatsAppMessage


def draft(body: str, subject: str, media_url: str, name: str) -> Campaign:
    """A campaign as written in the form, not stored (raises Invalid like launch would)."""
    return Campaign(
        name=name or "—", body=checked(body), subject=subject, media_url=checked_media(media_url)
    )


async def person_for(
    session: AsyncSession, contact: Contact | None, outlet: Outlet, now: datetime, name: str
) -> Recipient:
    """The chosen contact's own values; without one, a sample under the given name."""
    if contact is None:
        return Recipient(name=name, booking_url=f"{outlet.base_url}/#seances")
    found = await recipients(session, {contact.id: contact.name}, outlet.base_url, now)
    return found[contact.id]


async def chosen_contact(session: AsyncSession, wanted: str, now: datetime) -> Contact | None:
    """The contact a preview is shown for: by id, by name / e-mail / phone, or the most
    recently seen."""
    if wanted.isdigit():
        found = await session.get(Contact, int(wanted))
        if found is not None and not found.erased_at and not found.merged_into_id:
            return found
    people = await crm.search(session, ContactFilter(text=wanted.strip()), now=now, limit=1)
    return people[0] if people else None


async def preview_of(
    session: AsyncSession,
    campaign: Campaign,
    contact: Contact | None,
    coach: Coach,
    outlet: Outlet,
    now: datetime,
) -> Preview:
    """What the chosen contact (or, without one, the coach) will receive."""
    name = coach.name or coach.email.split("@")[0]  # never an address in {prénom}
    person = await person_for(session, contact, outlet, now, name)
    shown = contact or Contact(name=name, email=coach.email, language="fr")
    return render_for(campaign, shown, person, outlet)


def render_for(campaign: Campaign, contact: Contact, person: Recipient, outlet: Outlet) -> Preview:
    def row(channel: ConsentChannel, address: str) -> Delivery:
        return Delivery(
            contact=contact, contact_id=contact.id or 0, channel=channel, address=address
        )

    email = campaign_email(row(ConsentChannel.email, contact.email or ""), campaign, outlet, person)
    whatsapp = campaign_whatsapp(
        row(ConsentChannel.whatsapp, contact.phone or ""), campaign, outlet, person
    )
    return Preview(subject=email.subject, email=email, whatsapp=whatsapp)


async def test_email(
    session: AsyncSession, preview: Preview, to: str, outlet: Outlet, now: datetime
) -> EmailMessage:
    """Sends the test now (or keeps it in the outbox without a server); kept in the outbox
    list either way. Raises Invalid with the server's words if it refuses."""
    try:
        to = normalise_email(to)
    except ValueError as exc:
        raise Invalid(BAD_TEST_EMAIL, code="bad_test_address", field="test_to") from exc
    email = OutgoingEmail(
        to=to,
        subject=gettext(TEST_PREFIX) + preview.email.subject,
        text=preview.email.text,
        html=preview.email.html,
        headers=preview.email.headers,
    )
    kept = EmailMessage(
        kind="campaign_test",
        to_address=to,
        subject=email.subject,
        text=email.text,
        html=email.html,
        created_at=now,
        due_at=now,
        attempts=1,
        status=EmailStatus.kept,
        sent_at=now,
    )
    try:
        await outlet.email.send(email)
    except DeliveryError as exc:
        raise Invalid(TEST_FAILED, code="test_failed", field="test_to", error=str(exc)) from exc
    kept.status = EmailStatus.sent if outlet.email.delivers else EmailStatus.kept
    session.add(kept)
    await session.flush()
    return kept


async def test_whatsapp(preview: Preview, to: str, outlet: Outlet) -> str:
    """Sends the test through the provider, or returns the wa.me link to open by hand."""
    try:
        number = normalise_phone(to)
    except ValueError as exc:
        raise Invalid(BAD_TEST_PHONE, code="bad_test_phone", field="test_phone") from exc
    message = WhatsAppMessage(
        to=number,
        text=gettext(TEST_PREFIX) + preview.whatsapp.text,
        media_url=preview.whatsapp.media_url,
    )
    if not outlet.whatsapp.delivers:
        text = message.text + (f"\n\n{message.media_url}" if message.media_url else "")
        return wa_me_link(number, text)
    try:
        await outlet.whatsapp.send(message)
    except DeliveryError as exc:
        raise Invalid(TEST_FAILED, code="test_failed", field="test_phone", error=str(exc)) from exc
    return ""
