"""One-time sign-in links e-mailed to a coach: the way in while password sign-in is paused
for the account (someone else's wrong guesses never lock its owner out)."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import CursorResult, update
from sqlalchemy.ext.asyncio import AsyncSession

from coachdesk.audit.service import record
from coachdesk.auth.service import active_coach
from coachdesk.auth.tokens import new_token, token_hash
from coachdesk.errors import NotFound
from coachdesk.kit.i18n import N_
from coachdesk.limits import service as limits
from coachdesk.limits.service import Budget
from coachdesk.mail import service as mail
from coachdesk.models import Coach, SignInLink

LINK_TTL = timedelta(minutes=15)
LINKS_BY_ACCOUNT = Budget("sign_in_links_account", 3, 3600)
LINKS_BY_ADDRESS = Budget("sign_in_links_address", 10, 3600)
LINK_GONE = N_("Ce lien de connexion n'est plus valable : demandez-en un nouveau.")


async def issue(session: AsyncSession, *, coach: Coach, now: datetime) -> str:
    """A new link for this account (its token, to put in the e-mail or print)."""
    token = new_token()
    session.add(
        SignInLink(
            token_hash=token_hash(token),
            coach_id=coach.id,
            created_at=now,
            expires_at=now + LINK_TTL,
        )
    )
    await session.flush()
    return token


async def send(session: AsyncSession, *, email: str, ip: str, now: datetime) -> None:
    """E-mails a link when an active account has this address; the answer is the same
    either way (nothing tells whether an account exists)."""
    address = email.strip().lower()[:254]
    await limits.spend(session, LINKS_BY_ADDRESS, ip[:64], now=now)
    await limits.spend(session, LINKS_BY_ACCOUNT, address, now=now)
    coach = await active_coach(session, email=address)
    if coach is None:
        return
    token = await issue(session, coach=coach, now=now)
    message = await mail.queue(session, kind="coach_sign_in", to=coach.email, now=now)
    if message is not None:
        message.identity_code = token  # written into the e-mail, then forgotten


async def usable(session: AsyncSession, *, token: str, now: datetime) -> bool:
    link = await session.get(SignInLink, token_hash(token))
    return link is not None and link.used_at is None and link.expires_at > now


async def use(session: AsyncSession, *, token: str, now: datetime) -> Coach:
    """Spends the link (once, whoever clicks twice) and gives its account."""
    key = token_hash(token)
    result = await session.execute(
        update(SignInLink)
        .where(
            SignInLink.token_hash == key,
            SignInLink.used_at.is_(None),
            SignInLink.expires_at > now,
        )
        .values(used_at=now)
    )
    if not isinstance(result, CursorResult) or result.rowcount != 1:
        raise NotFound(LINK_GONE, code="link_gone")
    link = await session.get_one(SignInLink, key)
    coach = await session.get(Coach, link.coach_id)
    if coach is None or not coach.is_active:
        raise NotFound(LINK_GONE, code="link_gone")
    await record(session, actor=coach, action="coach.signed_in_by_link", obj=coach, now=now)
    return coach
