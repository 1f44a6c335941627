"""Writing and launching a campaign: everything is checked before launch (no recipients,
no channel, a past moment, an unknown variable), then it is scheduled at each moment."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from coachdesk.campaigns import service
from coachdesk.campaigns.service import AudienceIn, CampaignIn
from coachdesk.contacts import crm
from coachdesk.contacts.crm import ContactIn
from coachdesk.errors import AppError
from coachdesk.kit.clock import FixedClock
from coachdesk.models import CampaignSend, CampaignStatus, Coach, SendStatus
from tests.factories import make_coach


async def coach_and_people(db: AsyncSession, clock: FixedClock) -> Coach:
    coach = await make_coach(db, now=clock.now())
    for name, consent in (("Léa", True), ("Marc", False)):
        await crm.create(
            db,
            data=ContactIn(name=name, email=f"{name.lower()}@example.ch", consent_email=consent),
            actor=coach,
            now=clock.now(),
        )
    return coach


def draft(**fields: object) -> CampaignIn:
    data: dict[str, object] = {"name": "Rentrée", "body": "Salut {prénom} !", **fields}
    return CampaignIn.model_validate(data)


async def test_a_campaign_is_scheduled_at_each_moment_and_counts_who_it_reaches(
    db: AsyncSession, clock: FixedClock
) -> None:
    coach = await coach_and_people(db, clock)
    campaign = await service.create(db, data=draft(), actor=coach, now=clock.now())
    reach = await service.reach(db, campaign, clock.now())
    assert reach.recipients == 1 and reach.skipped == {"no_consent": 1}
    later = [clock.now() + timedelta(hours=2), clock.now() + timedelta(days=1)]
    await service.launch(db, campaign=campaign, times=later, actor=coach, now=clock.now())
    assert campaign.status == CampaignStatus.scheduled
    assert [s.due_at for s in campaign.sends] == later
    await service.pause(db, campaign=campaign, actor=coach, now=clock.now())
    await service.resume(db, campaign=campaign, actor=coach, now=clock.now())
    assert campaign.status == CampaignStatus.scheduled
    await service.cancel(db, campaign=campaign, actor=coach, now=clock.now())
    assert {s.status for s in campaign.sends} == {SendStatus.cancelled}
    with pytest.raises(AppError) as caught:
        await service.update(db, campaign=campaign, data=draft(), actor=coach, now=clock.now())
    assert caught.value.code == "not_editable"


async def test_launch_refuses_what_cannot_go_and_changes_nothing(
    db: AsyncSession, clock: FixedClock
) -> None:
    coach = await coach_and_people(db, clock)
    nobody = AudienceIn(kind="tags", tags=["absent"])
    cases = [
        (draft(email=False), [], "no_channel"),
        (draft(audience=nobody), [], "no_recipients"),
        (draft(), [clock.now() - timedelta(minutes=1)], "past_schedule"),
        (draft(body=""), [], "empty_message"),
    ]
    for data, times, code in cases:
        campaign = await service.create(db, data=data, actor=coach, now=clock.now())
        with pytest.raises(AppError) as caught:
            await service.launch(db, campaign=campaign, times=times, actor=coach, now=clock.now())
        assert caught.value.code == code
        assert campaign.status == CampaignStatus.draft
    assert await db.scalar(select(func.count(CampaignSend.id))) == 0


async def test_a_draft_is_checked_as_it_is_written(db: AsyncSession, clock: FixedClock) -> None:
    coach = await coach_and_people(db, clock)
    for data, code in [
        (draft(name=""), "name_required"),
        (draft(body="Salut {firstname}"), "unknown_variable"),
        (draft(media_url="javascript:alert(1)"), "bad_media_url"),
        (draft(audience=AudienceIn(kind="booked_within")), "bad_days"),
    ]:
        with pytest.raises(AppError) as caught:
            await service.create(db, data=data, actor=coach, now=clock.now())
        assert caught.value.code == code
    assert await service.all_campaigns(db) == []


async def test_launching_now_makes_one_send_due_at_once(
    db: AsyncSession, clock: FixedClock
) -> None:
    coach = await coach_and_people(db, clock)
    campaign = await service.create(db, data=draft(), actor=coach, now=clock.now())
    await service.launch(db, campaign=campaign, times=[], actor=coach, now=clock.now())
    assert [(s.due_at, s.status) for s in campaign.sends] == [(clock.now(), SendStatus.scheduled)]
