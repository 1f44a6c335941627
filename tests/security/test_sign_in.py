"""Five wrong passwords pause password sign-in, never the owner who proves herself; common
passwords are refused (issue 11 #11)."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from coachdesk.auth import service, sign_in_links
from coachdesk.auth.passwords import is_common
from coachdesk.errors import AppError, Invalid
from coachdesk.kit.clock import FixedClock
from coachdesk.models import EmailMessage
from tests.auth.test_service import attempt  # one sign-in as a request makes it
from tests.factories import PASSWORD, make_coach

EMAIL = "coach@example.ch"


async def test_a_paused_owner_signs_in_by_the_e_mailed_link_once(
    db: AsyncSession, clock: FixedClock
) -> None:
    await make_coach(db, now=clock.now())
    for n in range(service.LOGIN_BY_ACCOUNT.limit):
        with pytest.raises(Invalid):
            await attempt(
                db,
                email="coach@example.ch",
                password="nope nope!",
                ip=f"10.0.0.{n}",
                now=clock.now(),
            )
    with pytest.raises(service.SignInPaused):
        await attempt(
            db, email="coach@example.ch", password=PASSWORD, ip="10.9.9.9", now=clock.now()
        )
    for email in ("coach@example.ch", "nobody@example.ch"):  # one request each
        await sign_in_links.send(db, email=email, ip="10.9.9.9", now=clock.now())
        await db.commit()
    sent = list(await db.scalars(select(EmailMessage).where(EmailMessage.kind == "coach_sign_in")))
    assert [m.to_address for m in sent] == ["coach@example.ch"]  # nothing for an unknown one
    token = sent[0].identity_code
    assert token
    coach = await sign_in_links.use(db, token=token, now=clock.now())
    assert coach.email == "coach@example.ch"
    with pytest.raises(AppError):  # once only
        await sign_in_links.use(db, token=token, now=clock.now())


@pytest.mark.parametrize("password", ["password123", "123456789", "azerty123", "motdepasse"])
def test_common_passwords_are_refused(password: str) -> None:
    assert is_common(password)


def test_a_phrase_is_not_common() -> None:
    assert not is_common("silent disco au bord du lac")
