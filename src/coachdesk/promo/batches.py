"""Generating codes in bulk (1 to 10,000 in one action) and handling a batch as a whole."""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from coachdesk.audit.service import record
from coachdesk.errors import Conflict, NotFound
from coachdesk.kit.clock import to_local
from coachdesk.kit.codes import random_code
from coachdesk.kit.i18n import N_
from coachdesk.models import (
    Coach,
    Contact,
    Course,
    Offer,
    PromoBatch,
    PromoCode,
    PromoRedemption,
)
from coachdesk.models.promo import promo_code_courses, promo_code_offers
from coachdesk.promo.admin import UNKNOWN_COURSE, UNKNOWN_OFFER, linked
from coachdesk.promo.schemas import BatchIn

BATCH_NOT_FOUND = N_("Ce lot n'existe pas.")
BATCH_USED = N_("Des codes de ce lot ont déjà servi : désactivez le lot plutôt.")
UNKNOWN_CONTACTS = N_("Certains contacts choisis n'existent pas.")
CHUNK = 500


def _chunks(items: list[str], size: int = CHUNK) -> Iterable[list[str]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


async def _taken(session: AsyncSession, codes: list[str]) -> set[str]:
    found: set[str] = set()
    for chunk in _chunks(codes):
        found.update(await session.scalars(select(PromoCode.code).where(PromoCode.code.in_(chunk))))
    return found


async def random_codes(session: AsyncSession, *, prefix: str, length: int, count: int) -> list[str]:
    codes: set[str] = set()
    while len(codes) < count:
        fresh = {random_code(length, prefix) for _ in range(count - len(codes))}
        codes |= fresh - await _taken(session, list(fresh))
    return sorted(codes)


async def sequence_codes(session: AsyncSession, *, prefix: str, count: int) -> list[str]:
    """PREFIX-001, PREFIX-002, … continuing after the highest one already there."""
    stem = f"{prefix}-"
    pattern = re.compile(rf"^{re.escape(stem)}(\d+)$")
    existing = await session.scalars(
        select(PromoCode.code).where(PromoCode.code.startswith(stem, autoescape=True))
    )
    start = max((int(m.group(1)) for c in existing if (m := pattern.match(c))), default=0) + 1
    width = max(3, len(str(start + count - 1)))
    return [f"{stem}{n:0{width}d}" for n in range(start, start + count)]


async def _contacts(session: AsyncSession, ids: list[int]) -> list[int]:
    found = set(await session.scalars(select(Contact.id).where(Contact.id.in_(ids))))
    if len(found) != len(set(ids)):
        raise NotFound(UNKNOWN_CONTACTS, code="unknown_contact", field="contact_ids")
    return ids


async def create_batch(
    session: AsyncSession, *, data: BatchIn, actor: Coach | None, now: datetime
) -> PromoBatch:
    courses = await linked(session, Course, data.course_ids, UNKNOWN_COURSE, "course_ids")
    offers = await linked(session, Offer, data.offer_ids, UNKNOWN_OFFER, "offer_ids")
    beneficiaries = await _contacts(session, data.contact_ids)
    if data.naming == "sequence":
        codes = await sequence_codes(session, prefix=data.prefix or "PROMO", count=data.count)
    else:
        codes = await random_codes(
            session, prefix=data.prefix, length=data.random_length, count=data.count
        )
    name = data.name or f"{data.prefix or 'Codes'} {to_local(now):%d.%m.%Y %H:%M}"
    batch = PromoBatch(
        name=name,
        prefix=data.prefix,
        size=len(codes),
        created_at=now,
        created_by=actor.email if actor else "",
    )
    session.add(batch)
    await session.flush()
    await _insert_codes(session, batch, codes, data, beneficiaries, now)
    await _link_all(session, batch, [c.id for c in courses], [o.id for o in offers])
    await record(
        session,
        actor=actor,
        action="promo.batch_created",
        obj=batch,
        now=now,
        data={"size": len(codes), "prefix": data.prefix, "naming": data.naming},
    )
    return batch


async def _insert_codes(
    session: AsyncSession,
    batch: PromoBatch,
    codes: list[str],
    data: BatchIn,
    beneficiaries: list[int],
    now: datetime,
) -> None:
    common = {
        "kind": data.kind,
        "value": data.value,
        "max_uses": data.max_uses,
        "uses": 0,
        "valid_from": data.valid_from,
        "valid_until": data.valid_until,
        "active": data.active,
        "note": data.note,
        "batch_id": batch.id,
        "created_at": now,
        "updated_at": now,
    }
    rows = [
        {
            **common,
            "code": code,
            "beneficiary_id": beneficiaries[i % len(beneficiaries)] if beneficiaries else None,
        }
        for i, code in enumerate(codes)
    ]
    for start in range(0, len(rows), CHUNK):
        await session.execute(insert(PromoCode), rows[start : start + CHUNK])


async def _link_all(
    session: AsyncSession, batch: PromoBatch, course_ids: list[int], offer_ids: list[int]
) -> None:
    if not course_ids and not offer_ids:
        return
    ids = list(await session.scalars(select(PromoCode.id).where(PromoCode.batch_id == batch.id)))
    for table, column, targets in (
        (promo_code_courses, "course_id", course_ids),
        (promo_code_offers, "offer_id", offer_ids),
    ):
        rows = [{"promo_code_id": i, column: other} for i in ids for other in targets]
        for start in range(0, len(rows), CHUNK):
            await session.execute(insert(table), rows[start : start + CHUNK])


async def get_batch(session: AsyncSession, batch_id: int) -> PromoBatch:
    batch = await session.get(PromoBatch, batch_id)
    if batch is None:
        raise NotFound(BATCH_NOT_FOUND)
    return batch


async def batch_codes(session: AsyncSession, batch: PromoBatch) -> list[PromoCode]:
    query = select(PromoCode).where(PromoCode.batch_id == batch.id).order_by(PromoCode.code)
    return list((await session.scalars(query)).all())


async def set_batch_active(
    session: AsyncSession, *, batch: PromoBatch, active: bool, actor: Coach, now: datetime
) -> None:
    await session.execute(
        update(PromoCode)
        .where(PromoCode.batch_id == batch.id)
        .values(active=active, updated_at=now)
    )
    await record(
        session,
        actor=actor,
        action="promo.batch_" + ("activated" if active else "deactivated"),
        obj=batch,
        now=now,
        data={"name": batch.name},
    )


async def delete_batch(
    session: AsyncSession, *, batch: PromoBatch, actor: Coach, now: datetime
) -> None:
    used = await session.scalar(
        select(func.count(PromoRedemption.id)).join(PromoCode).where(PromoCode.batch_id == batch.id)
    )
    if used:
        raise Conflict(BATCH_USED, code="batch_used")
    await record(
        session,
        actor=actor,
        action="promo.batch_deleted",
        obj=batch,
        now=now,
        data={"name": batch.name, "size": batch.size},
    )
    await session.execute(delete(PromoCode).where(PromoCode.batch_id == batch.id))
    await session.delete(batch)
    await session.flush()
