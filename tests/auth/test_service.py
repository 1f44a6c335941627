from datetime import timedelta

import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from coachdesk.auth import service, setup
from coachdesk.errors import Conflict, Invalid, RateLimited
from coachdesk.kit.clock import FixedClock
from tests.factories import PASSWORD, make_coach


async def test_passwords_are_stored_as_argon2_hashes(db: AsyncSession, clock: FixedClock) -> None:
    coach = await make_coach(db, now=clock.now())
    assert coach.password_hash.startswith("$argon2id$") and PASSWORD not in coach.password_hash


async def attempt(db: AsyncSession, **given: object) -> object:
    """One sign-in as a request makes it: its own transaction, kept whatever the answer."""
    try:
        return await service.authenticate(db, **given)  # type: ignore[arg-type]
    finally:
        await db.commit()


async def test_wrong_password_and_unknown_account_give_the_same_answer(
    db: AsyncSession, clock: FixedClock
) -> None:
    await make_coach(db, now=clock.now())
    answers = []
    for email, password in [("coach@example.ch", "wrong password!"), ("nobody@x.ch", PASSWORD)]:
        with pytest.raises(Invalid) as caught:
            await attempt(db, email=email, password=password, ip="1.2.3.4", now=clock.now())
        answers.append((caught.value.code, caught.value.translated()))
    assert answers[0] == answers[1] == ("wrong_credentials", "E-mail ou mot de passe incorrect.")


async def test_login_is_rate_limited_per_account(db: AsyncSession, clock: FixedClock) -> None:
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
    with pytest.raises(service.SignInPaused):  # even the right password, from elsewhere
        await attempt(
            db, email="coach@example.ch", password=PASSWORD, ip="10.9.9.9", now=clock.now()
        )
    clock.advance(service.FAILURE_WINDOW + timedelta(seconds=1))
    coach = await attempt(
        db, email="coach@example.ch", password=PASSWORD, ip="10.9.9.9", now=clock.now()
    )
    assert coach.email == "coach@example.ch"


async def test_each_wrong_password_from_an_address_makes_the_next_wait_longer(
    db: AsyncSession, clock: FixedClock
) -> None:
    await make_coach(db, now=clock.now())
    waits = []
    for n in range(8):
        with pytest.raises(Invalid):
            await attempt(
                db, email=f"guess{n}@x.ch", password="nope nope!", ip="6.6.6.6", now=clock.now()
            )
        try:
            await attempt(
                db, email="coach@example.ch", password=PASSWORD, ip="6.6.6.6", now=clock.now()
            )
            waits.append(0)
        except RateLimited as refused:
            waits.append(refused.params["seconds"])
            clock.advance(timedelta(seconds=refused.params["seconds"]))
    assert waits == [0, 0, 1, 2, 4, 8, 16, 32]  # two wrong passwords are free


async def test_sessions_expire_and_can_be_revoked(db: AsyncSession, clock: FixedClock) -> None:
    coach = await make_coach(db, now=clock.now())
    token = await service.open_session(db, coach=coach, now=clock.now(), days=14)
    assert await service.resolve_session(db, token=token, now=clock.now())
    assert (
        await service.resolve_session(db, token=token, now=clock.now() + timedelta(days=15)) is None
    )
    await service.revoke_all_sessions(db, coach=coach, now=clock.now())
    db.expire_all()
    assert await service.resolve_session(db, token=token, now=clock.now()) is None


async def test_deactivated_accounts_lose_their_sessions(
    db: AsyncSession, clock: FixedClock
) -> None:
    coach = await make_coach(db, now=clock.now())
    token = await service.open_session(db, coach=coach, now=clock.now(), days=14)
    coach.is_active = False
    assert await service.resolve_session(db, token=token, now=clock.now()) is None


async def test_duplicate_and_invalid_accounts_are_refused(
    db: AsyncSession, clock: FixedClock
) -> None:
    await make_coach(db, now=clock.now())
    with pytest.raises(Conflict):
        await service.create_coach(
            db, email=" COACH@example.ch ", password=PASSWORD, now=clock.now()
        )
    with pytest.raises(Invalid) as short:
        await service.create_coach(db, email="b@example.ch", password="short", now=clock.now())
    assert short.value.field == "password"
    with pytest.raises(Invalid) as bad:
        await service.create_coach(db, email="not-an-email", password=PASSWORD, now=clock.now())
    assert bad.value.field == "email"


async def test_first_run_uses_the_environment_or_issues_a_one_time_link(
    db: AsyncSession, clock: FixedClock
) -> None:
    token = await setup.first_run(db, admin_email=None, admin_password=None, now=clock.now())
    assert token and await setup.setup_token_usable(db, token=token, now=clock.now())
    coach = await setup.consume_setup_token(
        db, token=token, email="owner@example.ch", password=PASSWORD, name="Owner", now=clock.now()
    )
    assert coach.is_owner
    with pytest.raises(Invalid):
        await setup.consume_setup_token(
            db, token=token, email="other@example.ch", password=PASSWORD, name="", now=clock.now()
        )
    assert await setup.first_run(db, admin_email=None, admin_password=None, now=clock.now()) is None


async def test_first_run_creates_the_owner_from_the_environment(
    db: AsyncSession, clock: FixedClock
) -> None:
    result = await setup.first_run(
        db, admin_email="boss@example.ch", admin_password=PASSWORD, now=clock.now()
    )
    await db.commit()
    assert result is None
    assert await attempt(db, email="boss@example.ch", password=PASSWORD, ip="x", now=clock.now())
