"""Bookings as CSV that opens cleanly in Excel."""

from __future__ import annotations

from datetime import datetime

from coachdesk.kit.clock import to_local
from coachdesk.kit.money import cents_to_decimal_text
from coachdesk.kit.spreadsheet import excel_csv
from coachdesk.models import Booking

HEADER = [
    "code",
    "statut",
    "créée",
    "nom",
    "e-mail",
    "téléphone",
    "formule",
    "séances",
    "total CHF",
    "paiement",
    "payée le",
    "remboursé CHF",
]


def _moment(value: datetime | None) -> str:
    return to_local(value).strftime("%d.%m.%Y %H:%M") if value else ""


def bookings_csv(bookings: list[Booking]) -> bytes:
    return excel_csv(HEADER, (_row(b) for b in bookings))


def _row(b: Booking) -> list[str]:
    sessions = ", ".join(f"{_moment(s.session.starts_at)} {s.session.course.name}" for s in b.seats)
    return [
        b.code,
        b.status.value,
        _moment(b.created_at),
        b.contact.name,
        b.contact.email or "",
        b.contact.phone or "",
        b.offer_name,
        sessions,
        cents_to_decimal_text(b.total_cents),
        b.payment_method.value,
        _moment(b.paid_at),
        cents_to_decimal_text(b.refunded_cents),
    ]
