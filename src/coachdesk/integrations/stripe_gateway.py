"""Stripe Checkout (card and TWINT, CHF), refunds and webhook verification."""

from __future__ import annotations

from typing import Any

import stripe

from coachdesk.integrations.payments import (
    Checkout,
    CheckoutRequest,
    GatewayError,
    InvalidSignature,
    MalformedEvent,
    PaymentEventData,
)

LOCALES = {"fr": "fr", "de": "de", "en": "en"}


class StripeGateway:
    def __init__(
        self,
        *,
        secret_key: str,
        webhook_secret: str,
        api_base: str | None = None,
        payment_methods: tuple[str, ...] = ("card", "twint"),
    ) -> None:
        addresses: Any = {"api": api_base} if api_base else {}
        self._client = stripe.StripeClient(
            secret_key,
            http_client=stripe.HTTPXClient(),
            base_addresses=addresses,
            max_network_retries=2,
        )
        self._webhook_secret = webhook_secret
        self._methods = list(payment_methods)

    async def create_checkout(self, request: CheckoutRequest) -> Checkout:
        params: Any = {
            "mode": "payment",
            "payment_method_types": self._methods,
            "line_items": [
                {
                    "quantity": 1,
                    "price_data": {
                        "currency": request.currency.lower(),
                        "unit_amount": request.amount_cents,
                        "product_data": {"name": request.description},
                    },
                }
            ],
            "client_reference_id": request.reference,
            "customer_email": request.email,
            "success_url": request.success_url,
            "cancel_url": request.cancel_url,
            "expires_at": int(request.expires_at.timestamp()),
            "locale": LOCALES.get(request.language, "auto"),
            "metadata": request.metadata,
        }
        try:
            session = await self._client.v1.checkout.sessions.create_async(
                params,
                options={
                    "idempotency_key": f"checkout-{request.reference}-"
                    f"{int(request.expires_at.timestamp())}"
                },
            )
        except stripe.StripeError as exc:
            raise GatewayError(str(exc)) from exc
        if not session.url:
            raise GatewayError("checkout without url")
        return Checkout(id=session.id, url=session.url)

    async def refund(
        self, *, payment_intent: str, amount_cents: int, reference: str, key: str
    ) -> str:
        """``key`` makes a retried call (after a timeout, say) one refund, not two."""
        try:
            refund = await self._client.v1.refunds.create_async(
                {
                    "payment_intent": payment_intent,
                    "amount": amount_cents,
                    "metadata": {"booking": reference},
                },
                options={"idempotency_key": key},
            )
        except stripe.StripeError as exc:
            raise GatewayError(str(exc)) from exc
        return str(refund.id)

    def verify_webhook(self, payload: bytes, signature: str | None) -> PaymentEventData:
        try:
            event = self._client.construct_event(payload, signature, self._webhook_secret)
        except stripe.SignatureVerificationError as exc:
            raise InvalidSignature(str(exc)) from exc
        except (ValueError, TypeError, AttributeError, KeyError) as exc:  # signed, unreadable
            raise MalformedEvent(str(exc)) from exc
        data = event.to_dict()
        obj = data.get("data", {}).get("object") if isinstance(data.get("data"), dict) else None
        kind = data.get("type")
        if not isinstance(data.get("id"), str) or not isinstance(kind, str):
            raise MalformedEvent("an event needs an id and a type")
        if not isinstance(obj, dict):
            raise MalformedEvent("an event needs data.object")
        return PaymentEventData(id=data["id"], type=kind, payload=data)
