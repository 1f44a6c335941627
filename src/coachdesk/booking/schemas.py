"""What a booking request carries (never a price: prices are computed on the server)."""

from __future__ import annotations

from datetime import datetime
from typing import Self

from pydantic import BaseModel, ConfigDict, Field, model_validator

from coachdesk.kit.ids import Id
from coachdesk.models import BookingStatus, PaymentMethod


class BookingRequest(BaseModel):
    model_config = ConfigDict(str_strip_whitespace=True, extra="ignore")

    session_ids: list[Id] = Field(min_length=1, max_length=10)
    offer_id: Id | None = None
    pass_code: str | None = Field(None, max_length=32)
    name: str = Field(min_length=1, max_length=120)
    email: str = Field(min_length=1, max_length=254)
    phone: str = Field("", max_length=40)
    promo_code: str | None = Field(None, max_length=200)
    payment_method: PaymentMethod | None = None
    accept_terms: bool = False
    consent_email: bool = False
    consent_whatsapp: bool = False
    language: str = "fr"

    @model_validator(mode="after")
    def _one_way_to_pay(self) -> Self:
        self.session_ids = list(dict.fromkeys(self.session_ids))
        if not self.pass_code:
            self.pass_code = None
        if not (self.promo_code or "").strip():
            self.promo_code = None
        if (self.offer_id is None) == (self.pass_code is None):
            raise ValueError("offer_or_pass")
        return self


class SeatOut(BaseModel):
    session_id: Id
    course_name: str
    starts_at: datetime
    ends_at: datetime
    location_name: str
    address: str
    status: str
    checked_in_at: datetime | None


class BookingOut(BaseModel):
    code: str
    status: BookingStatus
    payment_method: PaymentMethod
    paid: bool
    total_cents: int
    subtotal_cents: int
    discount_cents: int
    promo_code: str | None = None
    currency: str = "CHF"
    offer_name: str
    name: str
    ticket_url: str
    payment_url: str | None = None
    pass_code: str | None = None
    pass_credits_left: int | None = None
    seats: list[SeatOut]
