"""Public live check of a promo code for the booking being prepared."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from coachdesk.booking.promo_quote import quote
from coachdesk.errors import AppError, RateLimited
from coachdesk.kit.i18n import N_, gettext
from coachdesk.kit.ids import Id
from coachdesk.limits import service as limits
from coachdesk.limits.budgets import PROMO_GUESSES
from coachdesk.web.api.common import ERRORS
from coachdesk.web.deps import DB, Now, State, client_ip

CODE_APPLIED = N_("Code appliqué.")
router = APIRouter(prefix="/promo-codes", tags=["promo codes"], responses={429: ERRORS[422]})


class ValidateIn(BaseModel):
    code: str = Field(max_length=200)
    session_ids: list[Id] = Field(min_length=1, max_length=10)
    offer_id: Id
    email: str = Field("", max_length=254)


class ValidateOut(BaseModel):
    valid: bool
    code: str | None = None
    subtotal_cents: int | None = None
    discount_cents: int | None = None
    total_cents: int | None = None
    reason: str | None = None
    message: str | None = None


@router.post("/validate", response_model=ValidateOut)
async def validate(
    request: Request, data: ValidateIn, db: DB, state: State, now: Now
) -> ValidateOut | JSONResponse:
    """`valid` with the new total, or the reason (French by default, the visitor's language
    otherwise). Every code tried here or in a booking spends one guess from the same budget
    of the address and of the e-mail (a code that applies gives it back)."""
    guessers = (client_ip(request), f"email:{data.email.strip().lower()}")
    try:
        await limits.spend(db, PROMO_GUESSES, *guessers, now=now)
    except RateLimited as error:
        return JSONResponse({"error": error.as_dict()}, status_code=429)
    try:
        found = await quote(
            db,
            text=data.code,
            session_ids=data.session_ids,
            offer_id=data.offer_id,
            email=data.email,
            now=now,
        )
    except AppError as exc:
        return ValidateOut(valid=False, reason=exc.code, message=exc.translated())
    await limits.give_back(db, PROMO_GUESSES, *guessers, now=now)
    return ValidateOut(
        valid=True,
        code=found.code,
        subtotal_cents=found.subtotal_cents,
        discount_cents=found.discount_cents,
        total_cents=found.total_cents,
        message=gettext(CODE_APPLIED),
    )
