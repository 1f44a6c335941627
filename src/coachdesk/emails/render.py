"""Writing the booking e-mails (subject, text, HTML, .ics) from the current data."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from coachdesk.auth.tokens import sign
from coachdesk.booking import tickets
from coachdesk.integrations.email import Attachment, OutgoingEmail
from coachdesk.kit.i18n import LANGUAGES, N_, current_language, format_day, format_time, gettext
from coachdesk.models import Booking, BookingSeat, BookingStatus, WaitlistEntry
from coachdesk.site.registry import SiteSettings
from coachdesk.web.templating import templates

CODE_SUBJECT = N_("Votre code pour retrouver la conversation · %(studio)s")
CONSENT_SUBJECT = N_("Confirmez votre inscription aux nouvelles de %(studio)s")
SIGN_IN_SUBJECT = N_("Votre lien de connexion · %(studio)s")
SUBJECTS = {
    "booking_confirmed": N_("Réservation confirmée · %(code)s"),
    "booking_received": N_("Réservation enregistrée · %(code)s : paiement à régler"),
    "reminder": N_("Rappel : %(course)s, %(when)s"),
    "waitlist_offer": N_("Une place s'est libérée : %(course)s, %(when)s"),
}


@dataclass(frozen=True)
class MailContext:
    site: SiteSettings
    base_url: str
    secret: str = ""  # signs the links only an e-mail carries (confirming a booking)


def attendance_signature(secret: str, booking: Booking) -> str:
    """The proof, carried only by the e-mail, that the booker reads that mailbox."""
    return sign(secret, f"attend:{booking.ticket_token}")[:32]


def confirm_url(context: MailContext, booking: Booking) -> str | None:
    if booking.payment_method != "on_site" or booking.expires_at is None or not context.secret:
        return None
    return f"{ticket_url(context, booking)}/confirm/{attendance_signature(context.secret, booking)}"


@contextmanager
def language(code: str) -> Iterator[None]:
    token = current_language.set(code if code in LANGUAGES else "fr")
    try:
        yield
    finally:
        current_language.reset(token)


def ticket_url(context: MailContext, booking: Booking) -> str:
    return f"{context.base_url}/t/{booking.ticket_token}"


def _render(kind: str, values: dict[str, object]) -> tuple[str, str]:
    text = templates.get_template(f"emails/{kind}.txt").render(values)
    html = templates.get_template(f"emails/{kind}.html").render(values)
    return text, html


def booking_email(
    kind: str, booking: Booking, context: MailContext, seat: BookingSeat | None = None
) -> OutgoingEmail:
    """``booking_confirmed`` / ``booking_received`` for a booking; ``reminder`` for a seat."""
    with language(booking.language):
        url = ticket_url(context, booking)
        first = (seat or booking.seats[0]).session
        when = f"{format_day(first.starts_at)} {format_time(first.starts_at)}"
        subject = gettext(SUBJECTS[kind], code=booking.code, course=first.course.name, when=when)
        values = {
            "booking": booking,
            "site": context.site,
            "url": url,
            "seat": seat,
            "first": first,
            "confirm_url": confirm_url(context, booking),
            "lang": current_language.get(),
        }
        text, html = _render(kind, values)
        files = []
        if kind != "reminder" and booking.status != BookingStatus.cancelled:
            files.append(
                Attachment(
                    f"{booking.code}.ics",
                    "text/calendar",
                    tickets.calendar_file(booking, url, context.site.app_name),
                )
            )
    return OutgoingEmail(
        to=booking.contact.email or "", subject=subject, text=text, html=html, attachments=files
    )


def waitlist_email(entry: WaitlistEntry, context: MailContext) -> OutgoingEmail:
    with language(entry.contact.language):
        occurrence = entry.session
        when = f"{format_day(occurrence.starts_at)} {format_time(occurrence.starts_at)}"
        kind = "waitlist_offer"
        subject = gettext(SUBJECTS[kind], course=occurrence.course.name, when=when)
        values = {
            "entry": entry,
            "site": context.site,
            "first": occurrence,
            "url": f"{context.base_url}/w/{entry.token}",
            "lang": current_language.get(),
        }
        text, html = _render(kind, values)
    return OutgoingEmail(to=entry.contact.email or "", subject=subject, text=text, html=html)


def link_email(
    kind: str, *, to: str, url: str, language_code: str, context: MailContext
) -> OutgoingEmail:
    """``consent_confirm`` and ``coach_sign_in``: a one-time link to the address."""
    subjects = {"consent_confirm": CONSENT_SUBJECT, "coach_sign_in": SIGN_IN_SUBJECT}
    with language(language_code):
        subject = gettext(subjects[kind], studio=context.site.app_name)
        values = {"url": url, "site": context.site, "lang": current_language.get()}
        text, html = _render(kind, values)
    return OutgoingEmail(to=to, subject=subject, text=text, html=html)


def code_email(*, to: str, code: str, language_code: str, context: MailContext) -> OutgoingEmail:
    with language(language_code):
        subject = gettext(CODE_SUBJECT, studio=context.site.app_name)
        values = {"code": code, "site": context.site, "lang": current_language.get()}
        text, html = _render("chat_code", values)
    return OutgoingEmail(to=to, subject=subject, text=text, html=html)
