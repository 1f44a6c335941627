"""Writing a campaign, checking it, and launching it now or at chosen moments; pause,
resume and cancel. Sending the deliveries belongs to the worker."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from coachdesk.audit.service import record
from coachdesk.campaigns import message
from coachdesk.campaigns.audience import Audience, AudienceKind, Summary, members, plan, summarise
from coachdesk.errors import Conflict, Invalid, NotFound
from coachdesk.kit.i18n import N_
from coachdesk.kit.ids import Id
from coachdesk.models import Campaign, CampaignSend, CampaignStatus, Coach, SendStatus

NAME_REQUIRED = N_("Donnez un nom à la campagne.")
NO_CHANNEL = N_("Choisissez au moins un canal : e-mail ou WhatsApp.")
NO_RECIPIENTS = N_("Personne ne peut recevoir cette campagne (accord, adresse).")
PAST_SCHEDULE = N_("Ce moment est déjà passé : choisissez une date à venir.")
TOO_MANY_TIMES = N_("Dix envois programmés au plus.")
NOT_EDITABLE = N_("Cette campagne est partie : elle ne peut plus être modifiée.")
WRONG_STATE = N_("Impossible dans l'état actuel de la campagne.")
CAMPAIGN_NOT_FOUND = N_("Cette campagne n'existe pas.")
EDITABLE = (CampaignStatus.draft, CampaignStatus.scheduled, CampaignStatus.paused)


class AudienceIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    kind: AudienceKind = AudienceKind.everyone
    contact_ids: list[Id] = Field(default_factory=list, max_length=100_000)
    tags: list[str] = Field(default_factory=list, max_length=50)
    days: int | None = Field(None, ge=1, le=3650)
    course_id: Id | None = None
    link_id: Id | None = None

    def audience(self) -> Audience:
        return Audience(
            self.kind,
            tuple(self.contact_ids),
            tuple(t.strip().lower() for t in self.tags if t.strip()),
            self.days,
            self.course_id,
            self.link_id,
        )


class CampaignIn(BaseModel):
    model_config = ConfigDict(str_strip_whitespace=True, extra="forbid")

    name: str = Field("", max_length=120)
    subject: str = Field("", max_length=200)
    body: str = Field("", max_length=message.MAX_LENGTH)
    media_url: str = Field("", max_length=500)
    email: bool = True
    whatsapp: bool = False
    audience: AudienceIn = Field(default_factory=AudienceIn)


def audience_of(campaign: Campaign) -> Audience:
    return AudienceIn.model_validate(campaign.audience or {}).audience()


def _apply(campaign: Campaign, data: CampaignIn, now: datetime) -> None:
    if not data.name:
        raise Invalid(NAME_REQUIRED, code="name_required", field="name")
    if data.body:  # a draft may have no message yet; launch requires one
        message.checked(data.body)
    message.checked_media(data.media_url)
    data.audience.audience().checked()
    campaign.name, campaign.subject, campaign.body = data.name, data.subject, data.body
    campaign.media_url, campaign.email, campaign.whatsapp = (
        data.media_url,
        data.email,
        data.whatsapp,
    )
    campaign.audience = data.audience.model_dump()
    campaign.updated_at = now


async def create(
    session: AsyncSession, *, data: CampaignIn, actor: Coach, now: datetime
) -> Campaign:
    campaign = Campaign(created_at=now, created_by=actor.email, sends=[])
    _apply(campaign, data, now)
    session.add(campaign)
    await session.flush()
    await record(session, actor=actor, action="campaign.created", obj=campaign, now=now)
    return campaign


async def get(session: AsyncSession, campaign_id: int) -> Campaign:
    campaign = await session.get(Campaign, campaign_id)
    if campaign is None:
        raise NotFound(CAMPAIGN_NOT_FOUND)
    return campaign


async def all_campaigns(session: AsyncSession) -> list[Campaign]:
    query = select(Campaign).order_by(Campaign.created_at.desc(), Campaign.id.desc())
    return list((await session.scalars(query)).all())


async def update(
    session: AsyncSession, *, campaign: Campaign, data: CampaignIn, actor: Coach, now: datetime
) -> Campaign:
    if campaign.status not in EDITABLE:
        raise Conflict(NOT_EDITABLE, code="not_editable")
    _apply(campaign, data, now)
    await record(session, actor=actor, action="campaign.updated", obj=campaign, now=now)
    return campaign


async def reach(session: AsyncSession, campaign: Campaign, now: datetime) -> Summary:
    """Who would receive it, and who is skipped and why — shown before launch."""
    people = await members(session, audience_of(campaign), now)
    return summarise(plan(people, campaign.channels))


async def launch(
    session: AsyncSession,
    *,
    campaign: Campaign,
    times: list[datetime],
    actor: Coach,
    now: datetime,
) -> Campaign:
    """Scheduled at each of ``times`` (none: now). Everything is checked first."""
    if campaign.status not in (CampaignStatus.draft, CampaignStatus.paused):
        raise Conflict(WRONG_STATE, code="wrong_state")
    message.checked(campaign.body, campaign.media_url)
    if not campaign.channels:
        raise Invalid(NO_CHANNEL, code="no_channel", field="channels")
    if len(times) > 10:
        raise Invalid(TOO_MANY_TIMES, code="too_many_times", field="times")
    if any(when < now for when in times):
        raise Invalid(PAST_SCHEDULE, code="past_schedule", field="times")
    if (await reach(session, campaign, now)).recipients == 0:
        raise Invalid(NO_RECIPIENTS, code="no_recipients", field="audience")
    for when in sorted(set(times)) or [now]:
        campaign.sends.append(CampaignSend(due_at=when, status=SendStatus.scheduled))
    campaign.status = CampaignStatus.scheduled
    campaign.updated_at = now
    await session.flush()
    data = {"times": [s.due_at.isoformat() for s in campaign.sends]}
    await record(session, actor=actor, action="campaign.launched", obj=campaign, now=now, data=data)
    return campaign


async def _move(
    session: AsyncSession,
    campaign: Campaign,
    allowed: tuple[CampaignStatus, ...],
    to: CampaignStatus,
    actor: Coach,
    now: datetime,
) -> Campaign:
    if campaign.status not in allowed:
        raise Conflict(WRONG_STATE, code="wrong_state")
    campaign.status, campaign.updated_at = to, now
    await record(session, actor=actor, action=f"campaign.{to.value}", obj=campaign, now=now)
    return campaign


async def pause(
    session: AsyncSession, *, campaign: Campaign, actor: Coach, now: datetime
) -> Campaign:
    """The worker stops taking its rows; what is already with a provider stays sent."""
    running = (CampaignStatus.scheduled, CampaignStatus.sending)
    return await _move(session, campaign, running, CampaignStatus.paused, actor, now)


async def resume(
    session: AsyncSession, *, campaign: Campaign, actor: Coach, now: datetime
) -> Campaign:
    started = any(s.status != SendStatus.scheduled for s in campaign.sends)
    to = CampaignStatus.sending if started else CampaignStatus.scheduled
    return await _move(session, campaign, (CampaignStatus.paused,), to, actor, now)


async def cancel(
    session: AsyncSession, *, campaign: Campaign, actor: Coach, now: datetime
) -> Campaign:
    """Nothing more is sent; sends not started are cancelled."""
    for send in campaign.sends:
        if send.status == SendStatus.scheduled:
            send.status = SendStatus.cancelled
    allowed = (
        CampaignStatus.draft,
        CampaignStatus.scheduled,
        CampaignStatus.sending,
        CampaignStatus.paused,
    )
    return await _move(session, campaign, allowed, CampaignStatus.cancelled, actor, now)
