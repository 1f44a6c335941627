"""Admin API: offers."""

from __future__ import annotations

from fastapi import APIRouter, Response

from coachdesk.catalog import offers as service
from coachdesk.catalog.schemas import AdminOfferOut, OfferIn
from coachdesk.kit.ids import IdPath
from coachdesk.web.api.common import ERRORS, offer_out
from coachdesk.web.deps import DB, Now, Owner

router = APIRouter(prefix="/offers", tags=["admin: offers"], responses=ERRORS)


@router.get("", response_model=list[AdminOfferOut])
async def list_offers(db: DB, owner: Owner, archived: bool = False) -> list[AdminOfferOut]:
    return [offer_out(o) for o in await service.list_offers(db, archived=archived)]


@router.post("", response_model=AdminOfferOut, status_code=201)
async def create_offer(data: OfferIn, db: DB, now: Now, owner: Owner) -> AdminOfferOut:
    return offer_out(await service.create_offer(db, data=data, actor=owner, now=now))


@router.get("/{offer_id}", response_model=AdminOfferOut)
async def get_offer(offer_id: IdPath, db: DB, owner: Owner) -> AdminOfferOut:
    return offer_out(await service.get_offer(db, offer_id))


@router.put("/{offer_id}", response_model=AdminOfferOut)
async def replace_offer(
    offer_id: IdPath, data: OfferIn, db: DB, now: Now, owner: Owner
) -> AdminOfferOut:
    offer = await service.get_offer(db, offer_id)
    return offer_out(await service.update_offer(db, offer=offer, data=data, actor=owner, now=now))


@router.post("/{offer_id}/duplicate", response_model=AdminOfferOut, status_code=201)
async def duplicate_offer(offer_id: IdPath, db: DB, now: Now, owner: Owner) -> AdminOfferOut:
    offer = await service.get_offer(db, offer_id)
    return offer_out(await service.duplicate_offer(db, offer=offer, actor=owner, now=now))


@router.post("/{offer_id}/archive", response_model=AdminOfferOut)
async def archive_offer(offer_id: IdPath, db: DB, now: Now, owner: Owner) -> AdminOfferOut:
    offer = await service.get_offer(db, offer_id)
    await service.archive_offer(db, offer=offer, actor=owner, now=now)
    return offer_out(offer)


@router.post("/{offer_id}/restore", response_model=AdminOfferOut)
async def restore_offer(offer_id: IdPath, db: DB, now: Now, owner: Owner) -> AdminOfferOut:
    offer = await service.get_offer(db, offer_id)
    await service.restore_offer(db, offer=offer, actor=owner, now=now)
    return offer_out(offer)


@router.delete("/{offer_id}", status_code=204)
async def delete_offer(offer_id: IdPath, db: DB, now: Now, owner: Owner) -> Response:
    offer = await service.get_offer(db, offer_id)
    await service.delete_offer(db, offer=offer, actor=owner, now=now)
    return Response(status_code=204)
