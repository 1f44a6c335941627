"""Admin API: promo codes and batches."""

from __future__ import annotations

from fastapi import APIRouter, Response

from coachdesk.kit.clock import to_local
from coachdesk.kit.ids import IdPath, IdQuery
from coachdesk.models import PromoCode
from coachdesk.promo import admin, batches
from coachdesk.promo.schemas import BatchIn, BatchOut, PromoCodeIn, PromoCodeOut, PromoCodePatch
from coachdesk.web.api.common import ERRORS
from coachdesk.web.deps import DB, Now, Owner

codes_router = APIRouter(prefix="/promo-codes", tags=["admin: promo codes"], responses=ERRORS)
batches_router = APIRouter(
    prefix="/promo-code-batches", tags=["admin: promo codes"], responses=ERRORS
)


def code_out(code: PromoCode) -> PromoCodeOut:
    return PromoCodeOut(
        id=code.id,
        code=code.code,
        kind=code.kind,
        value=code.value,
        max_uses=code.max_uses,
        uses=code.uses,
        valid_from=code.valid_from,
        valid_until=code.valid_until,
        active=code.active,
        note=code.note,
        beneficiary_email=code.beneficiary.email if code.beneficiary else None,
        course_ids=[c.id for c in code.courses],
        offer_ids=[o.id for o in code.offers],
        batch_id=code.batch_id,
    )


@codes_router.get("", response_model=list[PromoCodeOut])
async def list_codes(
    db: DB, now: Now, owner: Owner, q: str = "", status: str = "", batch_id: IdQuery = None
) -> list[PromoCodeOut]:
    """status: active | inactive | expired | used_up. At most 500, newest first."""
    wanted = admin.CodeFilter(text=q, status=status, batch_id=batch_id)
    return [code_out(c) for c in await admin.search(db, wanted, today=to_local(now).date())]


@codes_router.post("", response_model=PromoCodeOut, status_code=201)
async def create_code(data: PromoCodeIn, db: DB, now: Now, owner: Owner) -> PromoCodeOut:
    code = await admin.create_code(db, data=data, actor=owner, now=now)
    return code_out(await admin.get(db, code.id))


@codes_router.get("/{code_id}", response_model=PromoCodeOut)
async def get_code(code_id: IdPath, db: DB, owner: Owner) -> PromoCodeOut:
    return code_out(await admin.get(db, code_id))


@codes_router.patch("/{code_id}", response_model=PromoCodeOut)
async def update_code(
    code_id: IdPath, data: PromoCodePatch, db: DB, now: Now, owner: Owner
) -> PromoCodeOut:
    code = await admin.get(db, code_id)
    await admin.update_code(db, code=code, data=data, actor=owner, now=now)
    return code_out(await admin.get(db, code_id))


@codes_router.delete("/{code_id}", status_code=204)
async def delete_code(code_id: IdPath, db: DB, now: Now, owner: Owner) -> Response:
    await admin.delete_code(db, code=await admin.get(db, code_id), actor=owner, now=now)
    return Response(status_code=204)


@batches_router.post("", response_model=BatchOut, status_code=201)
async def create_batch(data: BatchIn, db: DB, now: Now, owner: Owner) -> BatchOut:
    """1 to 10,000 codes with the same rules, in one transaction."""
    batch = await batches.create_batch(db, data=data, actor=owner, now=now)
    codes = [c.code for c in await batches.batch_codes(db, batch)]
    return BatchOut(id=batch.id, name=batch.name, prefix=batch.prefix, size=batch.size, codes=codes)


@batches_router.post("/{batch_id}/deactivate", status_code=204)
async def deactivate_batch(batch_id: IdPath, db: DB, now: Now, owner: Owner) -> Response:
    batch = await batches.get_batch(db, batch_id)
    await batches.set_batch_active(db, batch=batch, active=False, actor=owner, now=now)
    return Response(status_code=204)


@batches_router.delete("/{batch_id}", status_code=204)
async def delete_batch(batch_id: IdPath, db: DB, now: Now, owner: Owner) -> Response:
    batch = await batches.get_batch(db, batch_id)
    await batches.delete_batch(db, batch=batch, actor=owner, now=now)
    return Response(status_code=204)
