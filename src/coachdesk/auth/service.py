"""Accounts, logins and server-side sessions."""

from __future__ import annotations

from datetime import datetime, timedelta
from math import ceil

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from coachdesk.audit.service import record
from coachdesk.auth.passwords import MIN_LENGTH, hash_password, is_common, verify_password
from coachdesk.auth.tokens import new_token, token_hash
from coachdesk.errors import Conflict, Invalid, RateLimited
from coachdesk.kit.i18n import N_
from coachdesk.kit.text import normalise_email
from coachdesk.limits import service as limits
from coachdesk.limits.service import Budget
from coachdesk.models import AuthSession, Coach, CoachRole, LoginFailure

FAILURE_WINDOW = timedelta(minutes=15)
FREE_FAILURES = 3  # wrong passwords from one address before each try must wait
LOGIN_BY_ACCOUNT = Budget("login_account", 5, 15 * 60)
LOGIN_BY_ADDRESS = Budget("login_address", 30, 15 * 60)
TOUCH_EVERY = timedelta(minutes=5)
WRONG_CREDENTIALS = N_("E-mail ou mot de passe incorrect.")
SLOW_DOWN = N_("Trop d'essais depuis cette connexion : réessayez dans %(seconds)s s.")


class SignInPaused(RateLimited):
    code = "sign_in_paused"
    message = N_(
        "Trop d'essais pour ce compte : la connexion par mot de passe est en pause pendant "
        "15 minutes. Recevez un lien de connexion par e-mail."
    )


COMMON_PASSWORD = N_(
    "Ce mot de passe fait partie des premiers que l'on essaie : choisissez-en un autre "
    "(une phrase de quelques mots, par exemple)."
)


def checked_email(raw: str) -> str:
    try:
        return normalise_email(raw)
    except ValueError:
        raise Invalid(N_("Adresse e-mail invalide."), field="email") from None


def checked_password(password: str, *, email: str = "") -> str:
    if len(password) < MIN_LENGTH:
        raise Invalid(
            N_("Le mot de passe doit compter au moins %(min)s caractères."),
            field="password",
            min=MIN_LENGTH,
        )
    local = email.split("@")[0].lower()
    if is_common(password, personal=(local, email.lower())):
        raise Invalid(COMMON_PASSWORD, code="common_password", field="password")
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
    checked_password(password, email=address)
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


async def active_coach(session: AsyncSession, *, email: str) -> Coach | None:
    coach = await session.scalar(select(Coach).where(Coach.email == email.strip().lower()))
    return coach if coach is not None and coach.is_active else None


async def count_coaches(session: AsyncSession) -> int:
    return await session.scalar(select(func.count(Coach.id))) or 0


async def _slow_down(session: AsyncSession, *, ip: str, now: datetime) -> None:
    """Past a few wrong passwords from one address, each next try waits twice as long."""
    since = now - FAILURE_WINDOW
    recent = await session.execute(
        select(func.count(LoginFailure.id), func.max(LoginFailure.at)).where(
            LoginFailure.ip == ip, LoginFailure.at >= since
        )
    )
    count, last = recent.one()
    if count < FREE_FAILURES or last is None:
        return
    wait = min(timedelta(seconds=2 ** (count - FREE_FAILURES)), FAILURE_WINDOW)
    left = last + wait - now
    if left > timedelta(0):
        raise RateLimited(SLOW_DOWN, code="slow_down", seconds=ceil(left.total_seconds()))


async def authenticate(
    session: AsyncSession, *, email: str, password: str, ip: str, now: datetime
) -> Coach:
    """The active coach with these credentials; never tells whether the account exists.
    Tries are counted before the password is checked (a burst cannot get more than the
    account's budget); the account's own sign-in link works whatever the count."""
    address, ip = email.strip().lower()[:254], ip[:64]
    await _slow_down(session, ip=ip, now=now)
    if await limits.used_up(session, LOGIN_BY_ACCOUNT, address, now):
        raise SignInPaused()
    await limits.spend(session, LOGIN_BY_ADDRESS, ip, now=now)
    await limits.spend(session, LOGIN_BY_ACCOUNT, address, now=now)
    coach = await session.scalar(select(Coach).where(Coach.email == address))
    valid = verify_password(coach.password_hash if coach else None, password)
    if coach is None or not valid or not coach.is_active:
        session.add(LoginFailure(email=address, ip=ip, at=now))
        await session.flush()
        raise Invalid(WRONG_CREDENTIALS, code="wrong_credentials")
    await limits.give_back(session, LOGIN_BY_ACCOUNT, address, now=now)
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
