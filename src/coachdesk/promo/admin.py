"""The coach's side of promo codes: create, change, list, usage, delete."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from pydantic import ValidationError
from sqlalchemy import Select, func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from coachdesk.audit.service import record
from coachdesk.errors import Conflict, Invalid, NotFound
from coachdesk.kit.i18n import N_
from coachdesk.kit.validation import field_errors
from coachdesk.models import (
    Booking,
    Coach,
    Contact,
    Course,
    Offer,
    PromoBatch,
    PromoCode,
    PromoRedemption,
)
from coachdesk.models.promo import promo_code_courses, promo_code_offers
from coachdesk.promo.schemas import PromoCodeIn, PromoCodePatch

CODE_NOT_FOUND = N_("Ce code promo n'existe pas.")
CODE_TAKEN = N_("Ce code existe déjà.")
CODE_USED = N_("Ce code a déjà servi : désactivez-le plutôt que de le supprimer.")
UNKNOWN_COURSE = N_("Cours inconnu.")
UNKNOWN_OFFER = N_("Offre inconnue.")
UNKNOWN_CONTACT = N_("Contact inconnu.")


@dataclass(frozen=True)
class CodeFilter:
    text: str = ""
    status: str = ""  # active | inactive | expired | used_up
    batch_id: int | None = None


async def get(session: AsyncSession, code_id: int) -> PromoCode:
    # read again, links included: a code just created or changed carries only their ids
    code = await session.get(PromoCode, code_id, populate_existing=True)
    if code is None:
        raise NotFound(CODE_NOT_FOUND)
    return code


def _filtered(query: Select[PromoCode], wanted: CodeFilter, today: date) -> Select[PromoCode]:
    text = wanted.text.strip().lower()[:100]
    if text:
        query = query.outerjoin(Contact, PromoCode.beneficiary_id == Contact.id).where(
            or_(
                func.lower(PromoCode.code).contains(text, autoescape=True),
                func.lower(PromoCode.note).contains(text, autoescape=True),
                func.lower(Contact.email).contains(text, autoescape=True),
            )
        )
    used_up = PromoCode.max_uses.is_not(None) & (PromoCode.uses >= PromoCode.max_uses)
    expired = PromoCode.valid_until.is_not(None) & (PromoCode.valid_until < today)
    conditions = {
        "active": PromoCode.active.is_(True) & ~expired & ~used_up,
        "inactive": PromoCode.active.is_(False),
        "expired": expired,
        "used_up": used_up,
    }
    if wanted.status in conditions:
        query = query.where(conditions[wanted.status])
    if wanted.batch_id:
        query = query.where(PromoCode.batch_id == wanted.batch_id)
    return query


async def search(
    session: AsyncSession, wanted: CodeFilter, *, today: date, limit: int = 500
) -> list[PromoCode]:
    query = _filtered(select(PromoCode), wanted, today)
    query = query.order_by(PromoCode.created_at.desc(), PromoCode.id.desc()).limit(limit)
    return list((await session.scalars(query)).all())


async def linked(
    session: AsyncSession, model: type[Any], ids: list[int], message: str, field: str
) -> list[Any]:
    found = list((await session.scalars(select(model).where(model.id.in_(ids)))).all())
    if len(found) != len(set(ids)):
        raise Invalid(message, code=f"unknown_{field}", field=field)
    return found


async def _check_contact(session: AsyncSession, contact_id: int | None) -> None:
    if contact_id is not None and await session.get(Contact, contact_id) is None:
        raise Invalid(UNKNOWN_CONTACT, code="unknown_contact", field="beneficiary_id")


async def create_code(
    session: AsyncSession, *, data: PromoCodeIn, actor: Coach | None, now: datetime
) -> PromoCode:
    if await session.scalar(select(PromoCode.id).where(PromoCode.code == data.code)):
        raise Conflict(CODE_TAKEN, code="code_taken", field="code")
    await _check_contact(session, data.beneficiary_id)
    fields = data.model_dump(exclude={"course_ids", "offer_ids"})
    code = PromoCode(**fields, created_at=now, updated_at=now)
    code.courses = await linked(session, Course, data.course_ids, UNKNOWN_COURSE, "course_ids")
    code.offers = await linked(session, Offer, data.offer_ids, UNKNOWN_OFFER, "offer_ids")
    session.add(code)
    try:
        await session.flush()
    except IntegrityError:  # the same code created at the same moment elsewhere
        raise Conflict(CODE_TAKEN, code="code_taken", field="code") from None
    await record(
        session, actor=actor, action="promo.created", obj=code, now=now, data={"code": code.code}
    )
    return code


async def update_code(
    session: AsyncSession,
    *,
    code: PromoCode,
    data: PromoCodePatch | PromoCodeIn,
    actor: Coach,
    now: datetime,
) -> PromoCode:
    """Checks everything, then applies; the result must still follow the rules."""
    changes = data.model_dump(exclude_unset=isinstance(data, PromoCodePatch), exclude={"code"})
    course_ids, offer_ids = changes.pop("course_ids", None), changes.pop("offer_ids", None)
    merged = {
        **{
            k: getattr(code, k)
            for k in PromoCodeIn.model_fields
            if k not in ("course_ids", "offer_ids")
        },
        **changes,
        "course_ids": course_ids or [],
        "offer_ids": offer_ids or [],
    }
    try:
        PromoCodeIn.model_validate(merged)
    except ValidationError as exc:
        field, message = next(iter(field_errors(exc.errors()).items()))
        raise Invalid(message, code="invalid", field=field) from None
    await _check_contact(session, changes.get("beneficiary_id"))
    courses = (
        await linked(session, Course, course_ids, UNKNOWN_COURSE, "course_ids")
        if course_ids is not None
        else None
    )
    offers = (
        await linked(session, Offer, offer_ids, UNKNOWN_OFFER, "offer_ids")
        if offer_ids is not None
        else None
    )
    for key, value in changes.items():
        setattr(code, key, value)
    if courses is not None:
        code.courses = courses
    if offers is not None:
        code.offers = offers
    code.updated_at = now
    await record(
        session,
        actor=actor,
        action="promo.updated",
        obj=code,
        now=now,
        data={"code": code.code, "fields": sorted(changes)},
    )
    return code


async def delete_code(
    session: AsyncSession, *, code: PromoCode, actor: Coach, now: datetime
) -> None:
    if await session.scalar(
        select(PromoRedemption.id).where(PromoRedemption.promo_code_id == code.id).limit(1)
    ):
        raise Conflict(CODE_USED, code="code_used")
    await record(
        session, actor=actor, action="promo.deleted", obj=code, now=now, data={"code": code.code}
    )
    await session.delete(code)
    await session.flush()


@dataclass(frozen=True)
class UsageRow:
    booking_code: str
    name: str
    discount_cents: int
    at: datetime
    released: bool
    ticket_token: str


async def usage(session: AsyncSession, code: PromoCode) -> list[UsageRow]:
    query = (
        select(PromoRedemption, Booking)
        .join(Booking, PromoRedemption.booking_id == Booking.id)
        .where(PromoRedemption.promo_code_id == code.id)
        .order_by(PromoRedemption.created_at.desc())
    )
    return [
        UsageRow(
            b.code,
            b.contact.name,
            r.discount_cents,
            r.created_at,
            r.released_at is not None,
            b.ticket_token,
        )
        for r, b in (await session.execute(query)).all()
    ]


async def batches(session: AsyncSession) -> list[tuple[PromoBatch, int, int]]:
    """Each batch with its number of codes and of uses."""
    query = (
        select(PromoBatch, func.count(PromoCode.id), func.coalesce(func.sum(PromoCode.uses), 0))
        .outerjoin(PromoCode, PromoCode.batch_id == PromoBatch.id)
        .group_by(PromoBatch.id)
        .order_by(PromoBatch.created_at.desc())
    )
    return [(b, int(n), int(u)) for b, n, u in (await session.execute(query)).all()]


async def detach(
    session: AsyncSession,
    *,
    now: datetime,
    course_id: int | None = None,
    offer_id: int | None = None,
) -> int:
    """Before a course or offer is deleted: codes limited to it alone would become valid
    everywhere once the link goes, so they are deactivated instead. Returns how many."""
    table, column, target = (
        (promo_code_courses, promo_code_courses.c.course_id, course_id)
        if course_id
        else (promo_code_offers, promo_code_offers.c.offer_id, offer_id)
    )
    linked_codes = select(table.c.promo_code_id).where(column == target)
    only_link = (
        select(table.c.promo_code_id)
        .where(table.c.promo_code_id.in_(linked_codes))
        .group_by(table.c.promo_code_id)
        .having(func.count() == 1)
    )
    codes = list(await session.scalars(select(PromoCode).where(PromoCode.id.in_(only_link))))
    for code in codes:
        code.active = False
        code.updated_at = now
    return len(codes)
