"""Admin API: campaigns — write, see who they reach, launch, pause / resume / cancel,
follow the deliveries, and settle rows interrupted by a crash."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field

from coachdesk.campaigns import sending, service
from coachdesk.campaigns.service import CampaignIn
from coachdesk.kit.days import Moment
from coachdesk.kit.ids import Id, IdPath, Offset
from coachdesk.models import (
    Campaign,
    CampaignStatus,
    ConsentChannel,
    Delivery,
    DeliveryStatus,
    SendStatus,
)
from coachdesk.web.api.common import ERRORS
from coachdesk.web.deps import DB, Now, Owner

router = APIRouter(prefix="/campaigns", tags=["admin: campaigns"], responses=ERRORS)


class SendOut(BaseModel):
    id: Id
    due_at: datetime
    status: SendStatus
    started_at: datetime | None
    finished_at: datetime | None


class CampaignOut(BaseModel):
    id: Id
    name: str
    subject: str
    body: str
    media_url: str
    email: bool
    whatsapp: bool
    audience: dict[str, Any]
    status: CampaignStatus
    created_at: datetime
    updated_at: datetime
    sends: list[SendOut]


class ReachOut(BaseModel):
    recipients: int
    per_channel: dict[str, int]
    skipped: dict[str, int]


class LaunchIn(BaseModel):
    times: list[Moment] = Field(default_factory=list, max_length=10)


class DeliveryOut(BaseModel):
    id: Id
    send_id: Id
    contact_id: Id
    name: str
    channel: ConsentChannel
    address: str
    status: DeliveryStatus
    reason: str
    error: str
    attempts: int
    sent_at: datetime | None


def campaign_out(campaign: Campaign) -> CampaignOut:
    fields = {k: getattr(campaign, k) for k in CampaignOut.model_fields if k != "sends"}
    sends = [SendOut.model_validate(s, from_attributes=True) for s in campaign.sends]
    return CampaignOut(**fields, sends=sends)


def delivery_out(row: Delivery) -> DeliveryOut:
    fields = {k: getattr(row, k) for k in DeliveryOut.model_fields if k != "name"}
    return DeliveryOut(**fields, name=row.contact.name)


@router.get("", response_model=list[CampaignOut])
async def list_campaigns(db: DB, owner: Owner) -> list[CampaignOut]:
    return [campaign_out(c) for c in await service.all_campaigns(db)]


@router.post("", response_model=CampaignOut, status_code=201)
async def create_campaign(data: CampaignIn, db: DB, now: Now, owner: Owner) -> CampaignOut:
    return campaign_out(await service.create(db, data=data, actor=owner, now=now))


@router.get("/{campaign_id}", response_model=CampaignOut)
async def get_campaign(campaign_id: IdPath, db: DB, owner: Owner) -> CampaignOut:
    return campaign_out(await service.get(db, campaign_id))


@router.put("/{campaign_id}", response_model=CampaignOut)
async def update_campaign(
    campaign_id: IdPath, data: CampaignIn, db: DB, now: Now, owner: Owner
) -> CampaignOut:
    campaign = await service.get(db, campaign_id)
    return campaign_out(
        await service.update(db, campaign=campaign, data=data, actor=owner, now=now)
    )


@router.get("/{campaign_id}/reach", response_model=ReachOut)
async def reach(campaign_id: IdPath, db: DB, now: Now, owner: Owner) -> ReachOut:
    """Who it would reach now, and who is skipped and why (no consent, no address…)."""
    summary = await service.reach(db, await service.get(db, campaign_id), now)
    return ReachOut(
        recipients=summary.recipients,
        per_channel=dict(summary.per_channel),
        skipped=dict(summary.skipped),
    )


@router.post("/{campaign_id}/launch", response_model=CampaignOut)
async def launch(
    campaign_id: IdPath, data: LaunchIn, db: DB, now: Now, owner: Owner
) -> CampaignOut:
    """Now (no `times`) or at each of up to ten future moments."""
    campaign = await service.get(db, campaign_id)
    await service.launch(db, campaign=campaign, times=data.times, actor=owner, now=now)
    return campaign_out(campaign)


@router.post("/{campaign_id}/pause", response_model=CampaignOut)
async def pause(campaign_id: IdPath, db: DB, now: Now, owner: Owner) -> CampaignOut:
    campaign = await service.get(db, campaign_id)
    return campaign_out(await service.pause(db, campaign=campaign, actor=owner, now=now))


@router.post("/{campaign_id}/resume", response_model=CampaignOut)
async def resume(campaign_id: IdPath, db: DB, now: Now, owner: Owner) -> CampaignOut:
    campaign = await service.get(db, campaign_id)
    return campaign_out(await service.resume(db, campaign=campaign, actor=owner, now=now))


@router.post("/{campaign_id}/cancel", response_model=CampaignOut)
async def cancel(campaign_id: IdPath, db: DB, now: Now, owner: Owner) -> CampaignOut:
    campaign = await service.get(db, campaign_id)
    return campaign_out(await service.cancel(db, campaign=campaign, actor=owner, now=now))


@router.get("/{campaign_id}/report")
async def report(campaign_id: IdPath, db: DB, owner: Owner) -> dict[str, dict[str, int]]:
    """Deliveries per channel and status."""
    await service.get(db, campaign_id)
    return await sending.report(db, campaign_id)


@router.get("/{campaign_id}/deliveries", response_model=list[DeliveryOut])
async def deliveries(
    campaign_id: IdPath,
    db: DB,
    owner: Owner,
    status: DeliveryStatus | None = None,
    limit: int = Query(500, ge=1, le=10_000),
    offset: Offset = 0,
) -> list[DeliveryOut]:
    found = await sending.deliveries(db, campaign_id, status=status, limit=limit, offset=offset)
    return [delivery_out(row) for row in found]


@router.post("/deliveries/{delivery_id}/resend", response_model=DeliveryOut)
async def resend(delivery_id: IdPath, db: DB, now: Now, owner: Owner) -> DeliveryOut:
    """An interrupted row goes back to the queue (the coach checked it did not arrive)."""
    row = await sending.settle_interrupted(db, delivery_id=delivery_id, resend=True, now=now)
    return delivery_out(row)


@router.post("/deliveries/{delivery_id}/drop", response_model=DeliveryOut)
async def drop(delivery_id: IdPath, db: DB, now: Now, owner: Owner) -> DeliveryOut:
    row = await sending.settle_interrupted(db, delivery_id=delivery_id, resend=False, now=now)
    return delivery_out(row)
