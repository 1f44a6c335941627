"""What a ticket looks like outside the page: QR code, calendar file, shareable picture."""

from __future__ import annotations

import io

import segno
from icalendar import Calendar, Event
from PIL import Image, ImageDraw, ImageFont

from coachdesk.kit.i18n import format_day, format_time
from coachdesk.models import Booking, SeatStatus


def qr_svg(data: str) -> str:
    """An inline SVG QR code (dark on light, scanners read it best that way)."""
    return str(
        segno.make(data, error="m").svg_inline(
            scale=6, border=2, dark="#000", light="#fff", omitsize=True
        )
    )


def calendar_file(booking: Booking, ticket_url: str, organiser: str) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", "-//coachdesk//tickets//FR")
    calendar.add("version", "2.0")
    for seat in booking.seats:
        if seat.status != SeatStatus.held:
            continue
        occurrence = seat.session
        event = Event()
        event.add("uid", f"{booking.code}-{seat.id}@coachdesk")
        event.add("summary", f"{occurrence.course.name} · {organiser}")
        event.add("dtstart", occurrence.starts_at)
        event.add("dtend", occurrence.ends_at)
        event.add("dtstamp", booking.created_at)
        place = ", ".join(
            p for p in (occurrence.course.location_name, occurrence.course.address) if p
        )
        if place:
            event.add("location", place)
        event.add("description", f"{booking.code} · {ticket_url}")
        event.add("url", ticket_url)
        calendar.add_component(event)
    return bytes(calendar.to_ical())


def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    return ImageFont.load_default(size=size)


def ticket_picture(booking: Booking, ticket_url: str, studio: str, primary: str) -> bytes:
    """A 1080×1350 PNG to share (stories / WhatsApp), drawn on the server."""
    width, height = 1080, 1350
    image = Image.new("RGB", (width, height), "#0b0b10")
    draw = ImageDraw.Draw(image)
    draw.rectangle([0, 0, width, 18], fill=primary)
    draw.text((80, 90), studio, font=_font(56), fill="#ffffff")
    y = 200
    for seat in booking.seats[:3]:
        occurrence = seat.session
        draw.text((80, y), occurrence.course.name, font=_font(48), fill=primary)
        when = f"{format_day(occurrence.starts_at)} · {format_time(occurrence.starts_at)}"
        draw.text((80, y + 62), when, font=_font(40), fill="#f4f4f8")
        if occurrence.course.location_name:
            draw.text(
                (80, y + 112), occurrence.course.location_name, font=_font(34), fill="#a9a9bc"
            )
        y += 180
    qr = segno.make(ticket_url, error="m")
    buffer = io.BytesIO()
    qr.save(buffer, kind="png", scale=14, border=2)
    buffer.seek(0)
    code_image = Image.open(buffer).convert("RGB")
    image.paste(code_image, ((width - code_image.width) // 2, height - code_image.height - 170))
    draw.text((width // 2, height - 110), booking.code, font=_font(60), fill="#ffffff", anchor="mm")
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()
