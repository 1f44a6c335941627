"""Accounts, logins and server-side sessions."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from coachdesk.audit.service import record
from coachdesk.auth.passwords import MIN_LENGTH, hash_password, verify_password
from coachdesk.auth.tokens import new_token, token_hash
from coachdesk.errors import Conflict, Invalid, RateLimited
from coachdesk.kit.i18n import N_
from coachdesk.kit.text import normalise_email
from coachdesk.models import AuthSession, Coach, CoachRole, LoginFailure

FAILURE_WINDOW = timedelta(minutes=15)
MAX_FAILURES_PER_ACCOUNT = 5
MAX_FAILURES_PER_IP = 20
TOUCH_EVERY = timedelta(minutes=5)
WRONG_CREDENTIALS = N_("E-mail ou mot de passe incorrect.")


def checked_email(raw: str) -> str:
    try:
        return normalise_email(raw)
    except ValueError:
        raise Invalid(N_("Adresse e-mail invalide."), field="email") from None


def checked_password(password: str) -> str:
    if len(password) < MIN_LENGTH:
        raise Invalid(
            N_("Le mot de passe doit compter au moins %(min)s caractères."),
            field="password",
            min=MIN_LENGTH,
        )
    return password


async def create_coach(
    session: AsyncSession,
    *,
    email: str,
    password: str,
    now: datetime,
    name: str = "",
    role: CoachRole = CoachRole.owner,
    actor: Coach | None = None,
) -> Coach:
    address = checked_email(email)
    checked_password(password)
    if await session.scalar(select(Coach.id).where(Coach.email == address)):
        raise Conflict(N_("Un compte existe déjà avec cette adresse."), field="email")
    coach = Coach(
        email=address,
        name=name.strip(),
        password_hash=hash_password(password),
        role=role,
        created_at=now,
    )
    session.add(coach)
    await session.flush()
    await record(
        session,
        actor=actor,
        action="coach.created",
        obj=coach,
        now=now,
        data={"email": address, "role": role.value},
    )
    return coach


async def count_coaches(session: AsyncSession) -> int:
    return await session.scalar(select(func.count(Coach.id))) or 0


async def _check_rate_limit(session: AsyncSession, *, email: str, ip: str, now: datetime) -> None:
    since = now - FAILURE_WINDOW
    recent = select(func.count(LoginFailure.id)).where(LoginFailure.at >= since)
    by_account = await session.scalar(recent.where(LoginFailure.email == email)) or 0
    by_ip = await session.scalar(recent.where(LoginFailure.ip == ip)) or 0
    if by_account >= MAX_FAILURES_PER_ACCOUNT or by_ip >= MAX_FAILURES_PER_IP:
        raise RateLimited()


async def authenticate(
    session: AsyncSession, *, email: str, password: str, ip: str, now: datetime
) -> Coach:
    """The active coach with these credentials; never tells whether the account exists."""
    address = email.strip().lower()[:254]
    await _check_rate_limit(session, email=address, ip=ip, now=now)
    coach = await session.scalar(select(Coach).where(Coach.email == address))
    valid = verify_password(coach.password_hash if coach else None, password)
    if coach is None or not valid or not coach.is_active:
        session.add(LoginFailure(email=address, ip=ip, at=now))
        await session.flush()
        raise Invalid(WRONG_CREDENTIALS, code="wrong_credentials")
    coach.last_login_at = now
    return coach


async def open_session(
    session: AsyncSession,
    *,
    coach: Coach,
    now: datetime,
    days: int,
    ip: str = "",
    user_agent: str = "",
) -> str:
    """Creates a login and returns the token for the cookie (stored only as a hash)."""
    token = new_token()
    session.add(
        AuthSession(
            id=token_hash(token),
            coach_id=coach.id,
            created_at=now,
            last_seen_at=now,
            expires_at=now + timedelta(days=days),
            ip=ip[:64],
            user_agent=user_agent[:255],
        )
    )
    await session.flush()
    return token


async def resolve_session(
    session: AsyncSession, *, token: str, now: datetime
) -> AuthSession | None:
    login = await session.get(AuthSession, token_hash(token))
    if login is None or login.revoked_at or login.expires_at <= now or not login.coach.is_active:
        return None
    if now - login.last_seen_at > TOUCH_EVERY:
        login.last_seen_at = now
    return login


async def revoke_session(session: AsyncSession, *, token: str, now: datetime) -> None:
    await session.execute(
        update(AuthSession).where(AuthSession.id == token_hash(token)).values(revoked_at=now)
    )


async def revoke_all_sessions(session: AsyncSession, *, coach: Coach, now: datetime) -> None:
    await session.execute(
        update(AuthSession)
        .where(AuthSession.coach_id == coach.id, AuthSession.revoked_at.is_(None))
        .values(revoked_at=now)
    )
