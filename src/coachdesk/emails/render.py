"""Writing the booking e-mails (subject, text, HTML, .ics) from the current data."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from coachdesk.booking import tickets
from coachdesk.integrations.email import Attachment, OutgoingEmail
from coachdesk.kit.i18n import LANGUAGES, N_, current_language, format_day, format_time, gettext
from coachdesk.models import Booking, BookingSeat, BookingStatus, WaitlistEntry
from coachdesk.site.registry import SiteSettings
from coachdesk.web.templating import templates

CODE_SUBJECT = N_("Votre code pour retrouver la conversation · %(studio)s")
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


def code_email(*, to: str, code: str, language_code: str, context: MailContext) -> OutgoingEmail:
    with language(language_code):
        subject = gettext(CODE_SUBJECT, studio=context.site.app_name)
        values = {"code": code, "site": context.site, "lang": current_language.get()}
        text, html = _render("chat_code", values)
    return OutgoingEmail(to=to, subject=subject, text=text, html=html)
