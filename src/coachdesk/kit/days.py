"""Days a person can mean: lists and forms take dates between 2000 and 2199, so a day at the
edge of the calendar (0001-01-01, 9999-12-31) is refused instead of overflowing when it is
turned into a moment in Zurich's time zone."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Annotated, TypeVar

from fastapi import Query
from pydantic import AfterValidator, PlainSerializer, WithJsonSchema

FIRST_DAY = date(2000, 1, 1)
LAST_DAY = date(2199, 12, 31)

DateOrMoment = TypeVar("DateOrMoment", date, datetime)

DayQuery = Annotated[date | None, Query(ge=FIRST_DAY, le=LAST_DAY)]


def plausible(value: date | datetime) -> bool:
    day = value.date() if isinstance(value, datetime) else value
    return FIRST_DAY <= day <= LAST_DAY


def parse_day(text: str | None) -> date | None:
    """A day typed in a query string, or None when it is not one we could list."""
    try:
        day = date.fromisoformat(text) if text else None
    except ValueError:
        return None
    return day if day is not None and plausible(day) else None


def _checked(value: DateOrMoment) -> DateOrMoment:
    if not plausible(value):
        raise ValueError(f"out of range ({FIRST_DAY.year}–{LAST_DAY.year})")
    return value


Day = Annotated[date, AfterValidator(_checked)]
Moment = Annotated[datetime, AfterValidator(_checked)]


def _local(value: time) -> time:
    if value.tzinfo is not None:
        raise ValueError("a local time of day, without offset (18:30)")
    return value.replace(second=0, microsecond=0)


# A time of day on the studio's clock: read as "18:30" (seconds dropped), written as "18:30".
ClockTime = Annotated[
    time,
    AfterValidator(_local),
    PlainSerializer(lambda value: value.strftime("%H:%M"), return_type=str, when_used="json"),
    WithJsonSchema(
        {"type": "string", "pattern": r"^([01]\d|2[0-3]):[0-5]\d(:[0-5]\d)?$", "example": "18:30"}
    ),
]
