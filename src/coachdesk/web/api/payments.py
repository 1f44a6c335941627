"""Payment provider webhooks: verified, stored, acknowledged, processed once."""

from __future__ import annotations

import logging

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from coachdesk.booking.payments import take_event
from coachdesk.integrations.payments import InvalidSignature, MalformedEvent
from coachdesk.web.deps import DB, Now, State

log = logging.getLogger("coachdesk.payments")
router = APIRouter(prefix="/payments", tags=["payments"])


@router.post("/stripe/webhook")
async def stripe_webhook(request: Request, db: DB, state: State, now: Now) -> JSONResponse:
    """Stripe calls this. Anything without a valid `Stripe-Signature` is refused (400);
    a replayed event id is acknowledged and changes nothing."""
    if state.payments is None:
        body = {"error": {"code": "not_configured", "message": "Stripe is not configured"}}
        return JSONResponse(body, status_code=404)
    payload = await request.body()
    try:
        event = state.payments.verify_webhook(payload, request.headers.get("stripe-signature"))
    except MalformedEvent as exc:
        log.warning("signed Stripe webhook refused, unreadable: %s", exc)
        body = {"error": {"code": "malformed_event", "message": "Événement illisible."}}
        return JSONResponse(body, status_code=400)
    except InvalidSignature:
        body = {"error": {"code": "invalid_signature", "message": "Signature invalide."}}
        return JSONResponse(body, status_code=400)
    outcome = await take_event(db, event=event, now=now)
    return JSONResponse({"received": True, "outcome": outcome})
