"""Passes: cards of N credits and memberships for a period, paid once, used later."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import CursorResult, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from coachdesk.errors import Invalid
from coachdesk.kit.codes import clean_code, random_code
from coachdesk.kit.i18n import N_, format_day
from coachdesk.models import Contact, Offer, OfferKind, Pass, PassStatus

PASS_NOT_FOUND = N_("Aucune carte ou abonnement avec ce code pour cette adresse e-mail.")
PASS_UNPAID = N_("Cette carte n'est pas encore payée.")
PASS_CANCELLED = N_("Cette carte n'est plus valable.")
PASS_OUT_OF_DATE = N_("Cette carte n'est valable que jusqu'au %(date)s.")
NOT_ENOUGH_CREDITS = N_("Il ne reste que %(left)s cours sur cette carte.")
OPEN_ENDED = timedelta(days=3650)


async def find(session: AsyncSession, *, email: str | None, code: str) -> Pass:
    wanted = clean_code(code)
    found = await session.scalar(
        select(Pass).join(Contact).where(Pass.code == wanted, Contact.email == email)
    )
    if found is None or not email:
        raise Invalid(PASS_NOT_FOUND, code="pass_not_found", field="pass_code")
    if found.status == PassStatus.pending:
        raise Invalid(PASS_UNPAID, code="pass_unpaid", field="pass_code")
    if found.status == PassStatus.cancelled:
        raise Invalid(PASS_CANCELLED, code="pass_cancelled", field="pass_code")
    return found


def check_period(pass_: Pass, starts: list[datetime]) -> None:
    if any(not pass_.valid_from <= start < pass_.valid_until for start in starts):
        raise Invalid(
            PASS_OUT_OF_DATE,
            code="pass_out_of_date",
            field="pass_code",
            date=format_day(pass_.valid_until - timedelta(seconds=1)),
        )


async def spend(session: AsyncSession, *, pass_: Pass, credits: int) -> None:
    """Takes ``credits`` atomically; refused (nothing taken) when fewer are left."""
    if credits == 0:
        return
    result = await session.execute(
        update(Pass)
        .where(Pass.id == pass_.id, Pass.credits_left >= credits)
        .values(credits_left=Pass.credits_left - credits)
        .execution_options(synchronize_session=False)
    )
    if not isinstance(result, CursorResult) or result.rowcount != 1:
        await session.refresh(pass_)
        raise Invalid(
            NOT_ENOUGH_CREDITS,
            code="not_enough_credits",
            field="pass_code",
            left=pass_.credits_left or 0,
        )


async def give_back(session: AsyncSession, *, pass_id: int, credits: int) -> None:
    await session.execute(
        update(Pass)
        .where(Pass.id == pass_id, Pass.credits_left.is_not(None))
        .values(credits_left=Pass.credits_left + credits)
        .execution_options(synchronize_session=False)
    )


async def create(
    session: AsyncSession,
    *,
    offer: Offer,
    contact: Contact,
    now: datetime,
    paid: bool,
    credits_used: int,
) -> Pass:
    validity = timedelta(days=offer.validity_days) if offer.validity_days else OPEN_ENDED
    credits = offer.credits if offer.kind == OfferKind.pack else None
    if credits is not None and credits < credits_used:
        raise Invalid(NOT_ENOUGH_CREDITS, code="not_enough_credits", field="sessions", left=credits)
    pass_ = Pass(
        code=await _free_code(session),
        contact_id=contact.id,
        offer_id=offer.id,
        name=offer.name,
        kind=offer.kind,
        credits_total=credits,
        credits_left=None if credits is None else credits - credits_used,
        valid_from=now,
        valid_until=now + validity,
        created_at=now,
        status=PassStatus.active if paid else PassStatus.pending,
    )
    session.add(pass_)
    await session.flush()
    return pass_


async def _free_code(session: AsyncSession) -> str:
    while True:
        code = random_code(8)
        if not await session.scalar(select(Pass.id).where(Pass.code == code)):
            return code
