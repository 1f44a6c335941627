"""The online payment interface the booking domain uses."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol


class GatewayError(Exception):
    """The provider could not be reached or refused the call (details for the log only)."""


class InvalidSignature(Exception):
    """A webhook whose signature does not verify: ignored."""


class MalformedEvent(InvalidSignature):
    """A correctly signed webhook whose content is not an event we can read."""


@dataclass(frozen=True)
class CheckoutRequest:
    reference: str  # our booking code
    description: str
    amount_cents: int
    currency: str
    email: str
    success_url: str
    cancel_url: str
    expires_at: datetime
    language: str
    metadata: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Checkout:
    id: str
    url: str


@dataclass(frozen=True)
class PaymentEventData:
    """A verified webhook event, reduced to what the domain reads."""

    id: str
    type: str
    payload: dict[str, Any]


class PaymentGateway(Protocol):
    async def create_checkout(self, request: CheckoutRequest) -> Checkout: ...

    async def refund(
        self, *, payment_intent: str, amount_cents: int, reference: str, key: str
    ) -> str: ...

    def verify_webhook(self, payload: bytes, signature: str | None) -> PaymentEventData: ...
