"""Shared pieces of the API: the error schema and conversions."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from coachdesk.catalog.schemas import AdminOfferOut, CourseOut
from coachdesk.models import Course, Offer


class ErrorBody(BaseModel):
    code: str
    message: str
    field: str | None = None


class ErrorOut(BaseModel):
    error: ErrorBody


# What any operation may answer, whatever it does (documented on every one of them).
COMMON: dict[int | str, dict[str, Any]] = {
    400: {"model": ErrorOut, "description": "Unreadable request (not JSON, bad encoding)"},
    404: {"model": ErrorOut, "description": "Unknown id, code or link (`link_gone`)"},
    413: {"model": ErrorOut, "description": "Request body over this operation's limit"},
    422: {"model": ErrorOut, "description": "Invalid input"},
    429: {"model": ErrorOut, "description": "Too many tries: wait and try again"},
    503: {"model": ErrorOut, "description": "Busy, or the service is not configured"},
}

ERRORS: dict[int | str, dict[str, Any]] = {
    401: {"model": ErrorOut, "description": "Not signed in"},
    403: {"model": ErrorOut, "description": "Not allowed, or CSRF token missing"},
    404: {"model": ErrorOut, "description": "Unknown id"},
    409: {"model": ErrorOut, "description": "Refused: still referenced"},
    422: {"model": ErrorOut, "description": "Invalid input"},
}


def course_out(course: Course) -> CourseOut:
    return CourseOut(
        **{key: getattr(course, key) for key in CourseOut.model_fields if hasattr(course, key)},
        archived=course.is_archived,
        allowed_offer_ids=[offer.id for offer in course.allowed_offers],
    )


def offer_out(offer: Offer) -> AdminOfferOut:
    fields = {k: getattr(offer, k) for k in AdminOfferOut.model_fields if hasattr(offer, k)}
    return AdminOfferOut(**{**fields, "archived": offer.is_archived, "currency": "CHF"})
