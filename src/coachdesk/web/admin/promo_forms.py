"""Reading the promo forms: the value depends on the kind (percent, or CHF for an amount),
and a beneficiary can be a new contact typed on the spot."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from coachdesk.contacts.matching import Identity, match_or_create
from coachdesk.errors import AppError
from coachdesk.kit.i18n import N_, gettext
from coachdesk.kit.money import cents_to_decimal_text, parse_amount
from coachdesk.models import PromoCode, PromoKind
from coachdesk.web.forms import checkbox, read_form

LISTS = ("course_ids", "offer_ids", "contact_ids")
BAD_VALUE = N_("Valeur invalide (par exemple 20 pour 20 %, ou 10.50 pour CHF 10.50).")


async def read_promo_form(request: Any) -> dict[str, Any]:
    return checkbox(await read_form(request, lists=LISTS), "active")


def with_value(form: dict[str, Any]) -> tuple[dict[str, Any], dict[str, str]]:
    """The form's fields for the schema, the typed value turned into percent or cents."""
    data = {k: v for k, v in form.items() if k not in ("beneficiary_email", "beneficiary_name")}
    text = str(form.get("value", "")).strip()
    try:
        if form.get("kind") == PromoKind.amount:
            data["value"] = parse_amount(text) if text else 0
        elif form.get("kind") == PromoKind.percent:
            data["value"] = int(text.rstrip("%").strip()) if text else 0
        else:
            data.pop("value", None)
    except ValueError:
        return data, {"value": gettext(BAD_VALUE)}
    return data, {}


async def beneficiary(
    session: AsyncSession, form: dict[str, Any], now: datetime
) -> tuple[int | None, dict[str, str]]:
    """The contact with this e-mail, created on the spot when there is none yet."""
    email = str(form.get("beneficiary_email", "")).strip()
    if not email:
        return None, {}
    try:
        identity = Identity.parse(
            name=str(form.get("beneficiary_name", "")), email=email, phone="", language="fr"
        )
    except AppError as exc:
        return None, {"beneficiary_email": exc.translated()}
    contact = await match_or_create(session, identity=identity, source="manual", now=now)
    return contact.id, {}


def code_form(code: PromoCode) -> dict[str, Any]:
    value = (
        cents_to_decimal_text(code.value)
        if code.kind == PromoKind.amount
        else str(code.value)
        if code.kind == PromoKind.percent
        else ""
    )
    return {
        "code": code.code,
        "kind": code.kind.value,
        "value": value,
        "max_uses": code.max_uses,
        "valid_from": code.valid_from,
        "valid_until": code.valid_until,
        "active": code.active,
        "note": code.note,
        "beneficiary_email": code.beneficiary.email if code.beneficiary else "",
        "course_ids": [c.id for c in code.courses],
        "offer_ids": [o.id for o in code.offers],
    }
