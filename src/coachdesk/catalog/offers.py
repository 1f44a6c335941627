"""Creating, changing, duplicating, archiving and deleting offers."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from coachdesk.audit.service import record
from coachdesk.catalog.schemas import OfferIn
from coachdesk.errors import Conflict, NotFound
from coachdesk.kit.i18n import N_
from coachdesk.models import Coach, Offer
from coachdesk.promo import admin as promo_admin

OFFER_NOT_FOUND = N_("Cette offre n'existe pas.")


async def get_offer(session: AsyncSession, offer_id: int) -> Offer:
    offer = await session.scalar(
        select(Offer).where(Offer.id == offer_id).options(selectinload(Offer.restricted_to))
    )
    if offer is None:
        raise NotFound(OFFER_NOT_FOUND)
    return offer


async def list_offers(session: AsyncSession, *, archived: bool = False) -> list[Offer]:
    query = (
        select(Offer)
        .where(Offer.archived_at.is_not(None) if archived else Offer.archived_at.is_(None))
        .options(selectinload(Offer.restricted_to))
        .order_by(Offer.display_order, Offer.id)
    )
    return list((await session.scalars(query)).all())


async def create_offer(
    session: AsyncSession, *, data: OfferIn, actor: Coach | None, now: datetime
) -> Offer:
    offer = Offer(**data.model_dump(), created_at=now, updated_at=now)
    session.add(offer)
    await session.flush()
    await record(
        session,
        actor=actor,
        action="offer.created",
        obj=offer,
        now=now,
        data={"name": offer.name, "price_cents": offer.price_cents},
    )
    return offer


async def update_offer(
    session: AsyncSession, *, offer: Offer, data: OfferIn, actor: Coach, now: datetime
) -> Offer:
    changed = {k: v for k, v in data.model_dump().items() if getattr(offer, k) != v}
    for key, value in changed.items():
        setattr(offer, key, value)
    offer.updated_at = now
    await record(
        session,
        actor=actor,
        action="offer.updated",
        obj=offer,
        now=now,
        data={"fields": sorted(changed)},
    )
    return offer


async def duplicate_offer(
    session: AsyncSession, *, offer: Offer, actor: Coach, now: datetime
) -> Offer:
    data = OfferIn.model_validate(
        {
            **{key: getattr(offer, key) for key in OfferIn.model_fields},
            "name": f"{offer.name} (copie)"[:120],
            "visible": False,
        }
    )
    copy = await create_offer(session, data=data, actor=actor, now=now)
    await record(
        session, actor=actor, action="offer.duplicated", obj=copy, now=now, data={"from": offer.id}
    )
    return copy


async def archive_offer(
    session: AsyncSession, *, offer: Offer, actor: Coach, now: datetime
) -> None:
    offer.archived_at = now
    await record(session, actor=actor, action="offer.archived", obj=offer, now=now)


async def restore_offer(
    session: AsyncSession, *, offer: Offer, actor: Coach, now: datetime
) -> None:
    offer.archived_at = None
    await record(session, actor=actor, action="offer.restored", obj=offer, now=now)


async def delete_offer(session: AsyncSession, *, offer: Offer, actor: Coach, now: datetime) -> None:
    """Refused while a course is restricted to this offer: removing it silently would open
    that course to every offer."""
    if offer.restricted_to:
        raise Conflict(
            N_(
                "Cette offre est réservée au cours « %(course)s » : retirez-la d'abord de ce cours."
            ),
            code="offer_referenced",
            course=offer.restricted_to[0].name,
        )
    await record(
        session, actor=actor, action="offer.deleted", obj=offer, now=now, data={"name": offer.name}
    )
    await promo_admin.detach(session, now=now, offer_id=offer.id)
    await session.delete(offer)
    await session.flush()
