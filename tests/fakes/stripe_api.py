"""A local stand-in for the parts of the Stripe API coachdesk calls, and webhook signing
done the way Stripe does it (``t=<unix time>,v1=HMAC-SHA256(secret, "<t>.<payload>")``)."""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

SECRET_KEY = "sk_test_coachdesk_local"
WEBHOOK_SECRET = "whsec_coachdesk_local"


@dataclass
class FakeStripe:
    checkouts: dict[str, dict[str, str]] = field(default_factory=dict)
    refunds: list[dict[str, str]] = field(default_factory=list)
    refund_keys: dict[str, dict[str, Any]] = field(default_factory=dict)
    failures_left: int = 0

    def reset(self) -> None:
        self.checkouts.clear()
        self.refunds.clear()
        self.refund_keys.clear()
        self.failures_left = 0

    def paid(self, checkout_id: str, **changes: Any) -> dict[str, Any]:
        """The ``checkout.session.completed`` event Stripe sends once this checkout is paid
        (its amount and currency as created; ``changes`` to forge or vary it)."""
        form = self.checkouts[checkout_id]
        amount = int(form["line_items[0][price_data][unit_amount]"])
        currency = form["line_items[0][price_data][currency]"]
        return completed_event(
            checkout_id, **{"amount_total": amount, "currency": currency, **changes}
        )

    async def _form(self, request: Request) -> dict[str, str] | JSONResponse:
        if request.headers.get("authorization") != f"Bearer {SECRET_KEY}":
            return JSONResponse(
                {"error": {"type": "invalid_request_error", "message": "Invalid API Key"}},
                status_code=401,
            )
        if self.failures_left:
            self.failures_left -= 1
            return JSONResponse(
                {"error": {"type": "api_error", "message": "down"}}, status_code=500
            )
        return dict(parse_qsl((await request.body()).decode()))

    async def create_checkout(self, request: Request) -> JSONResponse:
        form = await self._form(request)
        if isinstance(form, JSONResponse):
            return form
        checkout_id = f"cs_test_{len(self.checkouts) + 1:04d}"
        self.checkouts[checkout_id] = form
        return JSONResponse(
            {
                "id": checkout_id,
                "object": "checkout.session",
                "status": "open",
                "url": f"https://checkout.stripe.test/c/pay/{checkout_id}",
                "payment_status": "unpaid",
                "client_reference_id": form["client_reference_id"],
                "amount_total": int(form["line_items[0][price_data][unit_amount]"]),
                "currency": form["line_items[0][price_data][currency]"],
            }
        )

    async def create_refund(self, request: Request) -> JSONResponse:
        form = await self._form(request)
        if isinstance(form, JSONResponse):
            return form
        key = request.headers.get("idempotency-key", "")
        if key in self.refund_keys:  # Stripe answers a retried key with the first refund
            return JSONResponse(self.refund_keys[key])
        self.refunds.append(form)
        refund = {
            "id": f"re_test_{len(self.refunds)}",
            "object": "refund",
            "amount": int(form["amount"]),
            "status": "succeeded",
            "payment_intent": form["payment_intent"],
        }
        if key:
            self.refund_keys[key] = refund
        return JSONResponse(refund)

    def app(self) -> Starlette:
        return Starlette(
            routes=[
                Route("/v1/checkout/sessions", self.create_checkout, methods=["POST"]),
                Route("/v1/refunds", self.create_refund, methods=["POST"]),
            ]
        )


def completed_event(
    checkout_id: str,
    *,
    amount_total: int,
    currency: str = "chf",
    event_id: str = "evt_test_1",
    payment_status: str = "paid",
) -> dict[str, Any]:
    return {
        "id": event_id,
        "object": "event",
        "type": "checkout.session.completed",
        "api_version": "2025-01-01",
        "created": int(time.time()),
        "livemode": False,
        "data": {
            "object": {
                "id": checkout_id,
                "object": "checkout.session",
                "payment_status": payment_status,
                "payment_intent": "pi_test_1",
                "amount_total": amount_total,
                "currency": currency,
            }
        },
    }


def signed(event: dict[str, Any], secret: str = WEBHOOK_SECRET) -> tuple[bytes, str]:
    body = json.dumps(event).encode()
    stamp = int(time.time())
    digest = hmac.new(secret.encode(), f"{stamp}.".encode() + body, hashlib.sha256).hexdigest()
    return body, f"t={stamp},v1={digest}"
