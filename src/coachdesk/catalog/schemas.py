"""What the coach sends to create or change catalog items, and what the API gives back."""

from __future__ import annotations

from datetime import datetime
from typing import Self

from pydantic import BaseModel, ConfigDict, Field, model_validator

from coachdesk.kit.days import ClockTime, Moment
from coachdesk.kit.ids import Id
from coachdesk.kit.links import WebLink, WebLinkOrEmpty
from coachdesk.models import OfferKind, SessionStatus

Url = WebLinkOrEmpty


class _In(BaseModel):
    model_config = ConfigDict(str_strip_whitespace=True, extra="forbid")


class Track(_In):
    title: str = Field(min_length=1, max_length=120)
    url: WebLink


class CourseIn(_In):
    name: str = Field(min_length=1, max_length=120)
    description: str = Field("", max_length=5000)
    location_name: str = Field("", max_length=120)
    address: str = Field("", max_length=255)
    maps_url: Url = ""
    weekday: int = Field(ge=0, le=6, description="0 = Monday … 6 = Sunday")
    start_time: ClockTime
    duration_minutes: int = Field(60, ge=5, le=720)
    capacity: int = Field(ge=1, le=10000)
    visible: bool = True
    allowed_offer_ids: list[Id] = Field(default_factory=list, max_length=100)
    playlist: list[Track] = Field(default_factory=list, max_length=30)


class CoursePatch(_In):
    name: str | None = Field(None, min_length=1, max_length=120)
    description: str | None = Field(None, max_length=5000)
    location_name: str | None = Field(None, max_length=120)
    address: str | None = Field(None, max_length=255)
    maps_url: Url | None = None
    weekday: int | None = Field(None, ge=0, le=6)
    start_time: ClockTime | None = None
    duration_minutes: int | None = Field(None, ge=5, le=720)
    capacity: int | None = Field(None, ge=1, le=10000)
    visible: bool | None = None
    allowed_offer_ids: list[Id] | None = Field(None, max_length=100)
    playlist: list[Track] | None = Field(None, max_length=30)


class OfferIn(_In):
    name: str = Field(min_length=1, max_length=120)
    kind: OfferKind
    price_cents: int = Field(ge=0, le=10_000_000)
    credits: int | None = Field(None, ge=1, le=1000)
    validity_days: int | None = Field(None, ge=1, le=3660)
    description: str = Field("", max_length=150)
    images: list[Url] = Field(default_factory=list, max_length=5)
    keywords: str = Field("", max_length=500)
    visible: bool = True
    display_order: int = Field(0, ge=-1000, le=1000)

    @model_validator(mode="after")
    def _kind_rules(self) -> Self:
        if self.kind == OfferKind.pack and self.credits is None:
            raise ValueError("pack_needs_credits")
        if self.kind == OfferKind.subscription and self.validity_days is None:
            raise ValueError("subscription_needs_validity")
        if self.kind != OfferKind.pack:
            self.credits = None
        if self.kind == OfferKind.single:
            self.validity_days = None
        self.images = [url for url in self.images if url]
        return self


class OneOffSessionIn(_In):
    course_id: Id
    starts_at: Moment = Field(description="Local time (Europe/Zurich) when no offset is given")
    duration_minutes: int | None = Field(None, ge=5, le=720)
    capacity: int | None = Field(None, ge=1, le=10000)
    note: str = Field("", max_length=255)


class SessionPatch(_In):
    capacity: int | None = Field(None, ge=0, le=10000)
    note: str | None = Field(None, max_length=255)
    status: SessionStatus | None = None


class CourseOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: Id
    name: str
    description: str
    location_name: str
    address: str
    maps_url: str
    weekday: int
    start_time: ClockTime
    duration_minutes: int
    capacity: int
    visible: bool
    archived: bool
    allowed_offer_ids: list[Id]
    playlist: list[Track] = Field(default_factory=list)


class OfferOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: Id
    name: str
    kind: OfferKind
    price_cents: int
    currency: str = "CHF"
    credits: int | None
    validity_days: int | None
    description: str
    images: list[str]
    display_order: int


class AdminOfferOut(OfferOut):
    keywords: str
    visible: bool
    archived: bool


class SessionOut(BaseModel):
    id: Id
    course_id: Id
    course_name: str
    starts_at: datetime
    ends_at: datetime
    location_name: str
    address: str
    maps_url: str
    capacity: int
    seats_left: int
    status: SessionStatus
    one_off: bool
