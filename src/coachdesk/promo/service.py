"""Finding, checking, redeeming and giving back promo codes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import CursorResult, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from coachdesk.errors import AppError, Conflict, Invalid
from coachdesk.kit.clock import to_local
from coachdesk.kit.i18n import format_day
from coachdesk.models import PromoCode, PromoRedemption
from coachdesk.promo import rules


@dataclass(frozen=True)
class Applied:
    code: PromoCode
    discount_cents: int


async def find(session: AsyncSession, text: str) -> PromoCode | None:
    wanted = rules.normalise(text)
    if not wanted:
        return None
    return await session.scalar(select(PromoCode).where(PromoCode.code == wanted))


def refuse(reason: str, code: PromoCode | None) -> AppError:
    params: dict[str, Any] = {}
    if reason == "not_yet_valid" and code and code.valid_from:
        params["date"] = format_day(code.valid_from)
    error = Conflict if reason == "used_up" else Invalid
    return error(rules.MESSAGES[reason], code=f"promo_{reason}", field="promo_code", **params)


async def check(session: AsyncSession, *, text: str, use: rules.Use, total_cents: int) -> Applied:
    """The discount this code gives on ``total_cents``, or the reason it does not."""
    code = await find(session, text)
    reason = rules.refusal(code, use)
    if reason is not None:
        raise refuse(reason, code)
    assert code is not None
    return Applied(code, rules.discount(kind=code.kind, value=code.value, total_cents=total_cents))


def use_for(
    now: datetime, *, course_ids: set[int], offer_id: int | None, contact_id: int | None
) -> rules.Use:
    return rules.Use(
        today=to_local(now).date(),
        course_ids=frozenset(course_ids),
        offer_id=offer_id,
        contact_id=contact_id,
    )


async def redeem(
    session: AsyncSession, *, applied: Applied, booking_id: int, now: datetime
) -> None:
    """Counts the use in the booking's transaction; refused when the last use went to
    someone else in the meantime (max uses holds under any concurrency)."""
    code = applied.code
    result = await session.execute(
        update(PromoCode)
        .where(
            PromoCode.id == code.id,
            PromoCode.active.is_(True),
            (PromoCode.max_uses.is_(None)) | (PromoCode.uses < PromoCode.max_uses),
        )
        .values(uses=PromoCode.uses + 1)
        .execution_options(synchronize_session=False)
    )
    if not isinstance(result, CursorResult) or result.rowcount != 1:
        raise refuse("used_up", code)
    session.add(
        PromoRedemption(
            promo_code_id=code.id,
            booking_id=booking_id,
            discount_cents=applied.discount_cents,
            created_at=now,
        )
    )


async def give_back(session: AsyncSession, *, booking_id: int, now: datetime) -> None:
    """A cancelled or expired booking returns its use (once)."""
    redemption = await session.scalar(
        select(PromoRedemption).where(
            PromoRedemption.booking_id == booking_id, PromoRedemption.released_at.is_(None)
        )
    )
    if redemption is None:
        return
    redemption.released_at = now
    await session.execute(
        update(PromoCode)
        .where(PromoCode.id == redemption.promo_code_id, PromoCode.uses > 0)
        .values(uses=PromoCode.uses - 1)
        .execution_options(synchronize_session=False)
    )


async def take_again(session: AsyncSession, *, booking_id: int) -> None:
    """A late payment revived an expired booking: its use counts again when one is left
    (the client paid the discounted price either way)."""
    redemption = await session.scalar(
        select(PromoRedemption).where(
            PromoRedemption.booking_id == booking_id, PromoRedemption.released_at.is_not(None)
        )
    )
    if redemption is None:
        return
    result = await session.execute(
        update(PromoCode)
        .where(
            PromoCode.id == redemption.promo_code_id,
            (PromoCode.max_uses.is_(None)) | (PromoCode.uses < PromoCode.max_uses),
        )
        .values(uses=PromoCode.uses + 1)
        .execution_options(synchronize_session=False)
    )
    if isinstance(result, CursorResult) and result.rowcount == 1:
        redemption.released_at = None
