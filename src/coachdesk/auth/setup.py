"""First run: the owner account from the environment, or a one-time setup link."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from coachdesk.auth.service import count_coaches, create_coach
from coachdesk.auth.tokens import new_token, token_hash
from coachdesk.errors import Invalid
from coachdesk.kit.i18n import N_
from coachdesk.models import Coach, CoachRole, SetupToken

SETUP_LINK_VALIDITY = timedelta(hours=24)
INVALID_LINK = N_("Ce lien de configuration n'est plus valable.")


async def issue_setup_token(session: AsyncSession, *, now: datetime) -> str:
    token = new_token()
    session.add(
        SetupToken(
            token_hash=token_hash(token), created_at=now, expires_at=now + SETUP_LINK_VALIDITY
        )
    )
    await session.flush()
    return token


async def setup_token_usable(session: AsyncSession, *, token: str, now: datetime) -> bool:
    row = await session.get(SetupToken, token_hash(token))
    return bool(row and row.used_at is None and row.expires_at > now)


async def consume_setup_token(
    session: AsyncSession, *, token: str, email: str, password: str, name: str, now: datetime
) -> Coach:
    """Creates the owner with a valid unused link; the link then stops working."""
    row = await session.get(SetupToken, token_hash(token), with_for_update=True)
    if row is None or row.used_at is not None or row.expires_at <= now:
        raise Invalid(INVALID_LINK, code="setup_link_invalid")
    if await count_coaches(session):
        raise Invalid(INVALID_LINK, code="setup_link_invalid")
    coach = await create_coach(
        session, email=email, password=password, name=name, now=now, role=CoachRole.owner
    )
    row.used_at = now
    return coach


async def first_run(
    session: AsyncSession, *, admin_email: str | None, admin_password: str | None, now: datetime
) -> str | None:
    """Nothing when a coach exists; else creates the owner from the environment, or returns a
    setup token for the console link."""
    if await count_coaches(session):
        return None
    if admin_email and admin_password:
        await create_coach(session, email=admin_email, password=admin_password, now=now)
        return None
    return await issue_setup_token(session, now=now)
