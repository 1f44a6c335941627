"""How a check-in result is said: the same words on the scanner page and in the API."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel

from coachdesk.booking.checkin import CheckInResult
from coachdesk.kit.i18n import N_, format_day, format_moment, format_time, gettext
from coachdesk.kit.money import format_amount

NO_CODE = N_("Aucun code lu")
MESSAGES = {
    "valid": N_("Entrée validée"),
    "already": N_("Déjà validé à %(time)s par %(who)s"),
    "other_date": N_("Pas pour aujourd'hui : billet pour le %(dates)s"),
    "unpaid": N_("Non payé : %(amount)s à encaisser"),
    "cancelled": N_("Billet annulé"),
    "unknown": N_("Billet inconnu"),
    "no_code": NO_CODE,
}


class CheckInOut(BaseModel):
    outcome: str
    message: str
    code: str | None = None
    name: str | None = None
    course: str | None = None
    starts_at: datetime | None = None
    checked_in_at: datetime | None = None
    checked_in_by: str | None = None
    amount_cents: int | None = None


def message(result: CheckInResult) -> str:
    values: dict[str, object] = {}
    if result.outcome == "already" and result.previous_at:
        values = {"time": format_time(result.previous_at), "who": result.previous_by or "?"}
    elif result.outcome == "other_date":
        values = {
            "dates": ", ".join(format_moment(d, "d MMM, HH:mm") for d in result.other_dates) or "—"
        }
    elif result.outcome == "unpaid" and result.booking:
        values = {"amount": format_amount(result.booking.total_cents)}
    text = gettext(MESSAGES[result.outcome])
    return text % values if values else text


def to_out(result: CheckInResult) -> CheckInOut:
    booking, seat = result.booking, result.seat
    return CheckInOut(
        outcome=result.outcome,
        message=message(result),
        code=booking.code if booking else None,
        name=booking.booker_name if booking else None,
        course=seat.session.course.name if seat else None,
        starts_at=seat.session.starts_at if seat else None,
        checked_in_at=seat.checked_in_at if seat else None,
        checked_in_by=seat.checked_in_by if seat else None,
        amount_cents=booking.total_cents if booking and result.outcome == "unpaid" else None,
    )


def day_label(moment: datetime) -> str:
    return f"{format_day(moment)} {format_time(moment)}"
