"""The ticket: page, QR, calendar file, shareable picture, self-cancellation."""

from __future__ import annotations

import hmac
from urllib.parse import quote

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response

from coachdesk.booking import lifecycle, tickets
from coachdesk.booking.queries import by_token
from coachdesk.emails.render import attendance_signature
from coachdesk.errors import AppError, NotFound
from coachdesk.kit.i18n import N_, format_day, format_time, gettext
from coachdesk.models import Booking, BookingStatus, SeatStatus
from coachdesk.site.registry import SiteSettings
from coachdesk.web.booking_steps import pay_online
from coachdesk.web.deps import DB, Now, Site, State, verify_csrf
from coachdesk.web.templating import render

router = APIRouter(include_in_schema=False)
PRIVATE = {"Cache-Control": "private, no-store", "X-Robots-Tag": "noindex"}
SHARE_TEXT = N_("Mon billet %(code)s pour %(course)s, %(when)s : %(url)s")
LINK_GONE = N_("Ce lien de confirmation n'est plus valable.")


def ticket_url(request: Request, booking: Booking) -> str:
    return str(request.url_for("ticket", token=booking.ticket_token))


def share_link(booking: Booking, url: str) -> str:
    first = booking.seats[0].session
    when = f"{format_day(first.starts_at)} {format_time(first.starts_at)}"
    text = gettext(SHARE_TEXT, code=booking.code, course=first.course.name, when=when, url=url)
    return f"https://wa.me/?text={quote(text)}"


def ticket_page(
    request: Request,
    booking: Booking,
    site: SiteSettings,
    *,
    errors: dict[str, str] | None = None,
    status: int = 200,
) -> Response:
    url = ticket_url(request, booking)
    context = {
        "booking": booking,
        "qr": tickets.qr_svg(url),
        "ticket_url": url,
        "share": share_link(booking, url),
        "errors": errors or {},
        "held": [s for s in booking.seats if s.status == SeatStatus.held] or booking.seats,
        "cancellable": booking.status in (BookingStatus.pending, BookingStatus.confirmed),
    }
    response = render(request, "site/ticket.html", context, status=status)
    response.headers.update(PRIVATE)
    return response


@router.get("/t/{token}", name="ticket")
async def show(request: Request, token: str, db: DB, site: Site) -> Response:
    return ticket_page(request, await by_token(db, token), site)


@router.get("/t/{token}/calendar.ics")
async def calendar(request: Request, token: str, db: DB, site: Site) -> Response:
    booking = await by_token(db, token)
    body = tickets.calendar_file(booking, ticket_url(request, booking), site.app_name)
    headers = {**PRIVATE, "Content-Disposition": f'attachment; filename="{booking.code}.ics"'}
    return Response(body, media_type="text/calendar; charset=utf-8", headers=headers)


@router.get("/t/{token}/ticket.png")
async def picture(request: Request, token: str, db: DB, site: Site) -> Response:
    booking = await by_token(db, token)
    body = tickets.ticket_picture(
        booking, ticket_url(request, booking), site.app_name, site.primary_color
    )
    headers = {**PRIVATE, "Content-Disposition": f'inline; filename="{booking.code}.png"'}
    return Response(body, media_type="image/png", headers=headers)


@router.post("/t/{token}/pay", dependencies=[Depends(verify_csrf)])
async def pay(request: Request, token: str, db: DB, state: State, site: Site, now: Now) -> Response:
    """Opens (again) Stripe's payment page for a pending online booking."""
    booking = await by_token(db, token)
    if state.payments is None:
        return RedirectResponse(f"/t/{token}", status_code=303)
    try:
        url = await pay_online(request, db, state, booking, now)
    except AppError as exc:
        return ticket_page(
            request, booking, site, errors={"pay": exc.translated()}, status=exc.status
        )
    return RedirectResponse(url, status_code=303)


@router.post("/t/{token}/cancel", dependencies=[Depends(verify_csrf)])
async def cancel(request: Request, token: str, db: DB, site: Site, now: Now) -> Response:
    booking = await by_token(db, token)
    try:
        await lifecycle.cancel(
            db, booking=booking, now=now, deadline_hours=site.cancel_deadline_hours
        )
    except AppError as exc:
        return ticket_page(
            request, booking, site, errors={"cancel": exc.translated()}, status=exc.status
        )
    return RedirectResponse(f"/t/{token}?msg=cancelled", status_code=303)


@router.get("/t/{token}/confirm/{signature}")
async def confirm_page(
    request: Request, token: str, signature: str, db: DB, site: Site
) -> Response:
    """The link of the e-mail (opening it changes nothing: mail scanners open links too)."""
    booking = await by_token(db, token)
    context = {"booking": booking, "signature": signature}
    return render(request, "site/keep_seat.html", context)


@router.post("/t/{token}/confirm/{signature}", dependencies=[Depends(verify_csrf)])
async def confirm(
    request: Request, token: str, signature: str, db: DB, state: State, site: Site, now: Now
) -> Response:
    """The booker proved she reads the mailbox: her "on site" seat no longer lapses."""
    booking = await by_token(db, token)
    expected = attendance_signature(state.secret, booking)
    if not hmac.compare_digest(expected, signature[:64]):
        raise NotFound(LINK_GONE, code="link_gone")
    await lifecycle.keep_on_site(db, booking=booking, now=now)
    return RedirectResponse(f"/t/{token}?msg=kept", status_code=303)
