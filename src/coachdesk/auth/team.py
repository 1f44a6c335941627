"""The studio's accounts as the owner manages them."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from coachdesk.audit.service import record
from coachdesk.auth.service import revoke_all_sessions
from coachdesk.errors import Invalid, NotFound
from coachdesk.kit.i18n import N_
from coachdesk.models import Coach


async def list_accounts(session: AsyncSession) -> list[Coach]:
    query = select(Coach).order_by(Coach.is_active.desc(), Coach.role, Coach.email)
    return list((await session.scalars(query)).all())


async def get_account(session: AsyncSession, coach_id: int) -> Coach:
    coach = await session.get(Coach, coach_id)
    if coach is None:
        raise NotFound(N_("Ce compte n'existe pas."))
    return coach


async def deactivate(session: AsyncSession, *, coach: Coach, actor: Coach, now: datetime) -> None:
    """Signs the account out everywhere and refuses its logins. Never your own account: the
    acting owner stays, so the studio always keeps an active owner."""
    if coach.id == actor.id:
        raise Invalid(N_("Vous ne pouvez pas désactiver votre propre compte."), code="self")
    coach.is_active = False
    await revoke_all_sessions(session, coach=coach, now=now)
    await record(
        session,
        actor=actor,
        action="coach.deactivated",
        obj=coach,
        now=now,
        data={"email": coach.email},
    )


async def reactivate(session: AsyncSession, *, coach: Coach, actor: Coach, now: datetime) -> None:
    coach.is_active = True
    await record(
        session,
        actor=actor,
        action="coach.reactivated",
        obj=coach,
        now=now,
        data={"email": coach.email},
    )
