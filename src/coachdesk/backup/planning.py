"""The planning as a JSON file: settings (without secrets), offers, courses and promo codes,
linked by name rather than by id so that it can be imported into another studio. Import
shows what it would do first, then applies everything in one transaction."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from coachdesk.catalog.courses import create_course, list_courses, update_course
from coachdesk.catalog.offers import create_offer, update_offer
from coachdesk.catalog.schemas import CourseIn, OfferIn
from coachdesk.errors import Invalid
from coachdesk.kit.i18n import N_
from coachdesk.kit.validation import error_list
from coachdesk.models import Coach, Course, Offer, PromoCode
from coachdesk.promo.admin import create_code, update_code
from coachdesk.promo.schemas import PromoCodeIn
from coachdesk.site import service as site_service
from coachdesk.site.registry import SiteSettings

FORMAT = "coachdesk-planning"
VERSION = 1
SECRETS = {"ai_api_key", "twilio_auth_token", "whatsapp_access_token"}
MAX_BYTES = 5_000_000
TOO_BIG = N_("Ce fichier est trop grand (5 Mo au plus).")
NOT_JSON = N_("Ce fichier n'est pas du JSON lisible.")
NOT_PLANNING = N_("Ce fichier n'est pas un planning coachdesk.")
OTHER_VERSION = N_("Ce planning vient d'une autre version de coachdesk (version %(version)s).")
BAD_CONTENT = N_("Le planning contient une erreur : %(where)s — %(problem)s")
UNKNOWN_NAME = N_("Le planning nomme « %(name)s », qui n'y figure pas.")


class CourseItem(CourseIn):
    offers: list[str] = Field(default_factory=list, description="names of the offers allowed")


class PromoItem(PromoCodeIn):
    courses: list[str] = Field(default_factory=list)
    offers: list[str] = Field(default_factory=list)


class Planning(BaseModel):
    model_config = ConfigDict(extra="forbid")

    format: Literal["coachdesk-planning"]
    version: int
    exported_at: str = ""
    settings: dict[str, Any] = Field(default_factory=dict)
    offers: list[OfferIn] = Field(default_factory=list, max_length=1000)
    courses: list[CourseItem] = Field(default_factory=list, max_length=1000)
    promo_codes: list[PromoItem] = Field(default_factory=list, max_length=20_000)


@dataclass
class Plan:
    """What an import would do: per kind, the names created and those updated."""

    new: dict[str, list[str]] = field(default_factory=dict)
    updated: dict[str, list[str]] = field(default_factory=dict)
    settings: list[str] = field(default_factory=list)


async def export(session: AsyncSession, now: datetime) -> dict[str, Any]:
    offers = list(await session.scalars(select(Offer).where(Offer.archived_at.is_(None))))
    courses = await list_courses(session)
    codes = list(await session.scalars(select(PromoCode).order_by(PromoCode.code)))
    settings = (await site_service.load(session)).model_dump(mode="json", exclude=SECRETS)
    offer_fields = set(OfferIn.model_fields)
    course_fields = set(CourseIn.model_fields) - {"allowed_offer_ids"}
    promo_fields = set(PromoCodeIn.model_fields) - {"course_ids", "offer_ids", "beneficiary_id"}
    return {
        "format": FORMAT,
        "version": VERSION,
        "exported_at": now.isoformat(),
        "settings": settings,
        "offers": [_pick(o, offer_fields) for o in sorted(offers, key=lambda o: o.name)],
        "courses": [
            {**_pick(c, course_fields), "offers": sorted(o.name for o in c.allowed_offers)}
            for c in sorted(courses, key=lambda c: c.name)
        ],
        "promo_codes": [
            {
                **_pick(p, promo_fields),
                "courses": sorted(c.name for c in p.courses),
                "offers": sorted(o.name for o in p.offers),
            }
            for p in codes
        ],
    }


def _pick(row: object, names: set[str]) -> dict[str, Any]:
    values = {name: getattr(row, name) for name in sorted(names)}
    encoded = json.dumps(values, default=lambda v: getattr(v, "value", None) or str(v))
    return dict(json.loads(encoded))


def parse(raw: bytes) -> Planning:
    """The file, checked whole; raises Invalid with the first problem, in words."""
    if len(raw) > MAX_BYTES:
        raise Invalid(TOO_BIG, code="too_big", field="file")
    try:
        data = json.loads(raw)
    except (ValueError, UnicodeDecodeError) as exc:
        raise Invalid(NOT_JSON, code="not_json", field="file") from exc
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise Invalid(NOT_PLANNING, code="not_planning", field="file")
    if data.get("version") != VERSION:
        version = str(data.get("version"))
        raise Invalid(OTHER_VERSION, code="other_version", field="file", version=version)
    try:
        planning = Planning.model_validate(data)
        SiteSettings.model_validate({**planning.settings})
    except ValidationError as exc:
        first = error_list(exc.errors())[0]
        where = ".".join(str(part) for part in exc.errors()[0]["loc"]) or "?"
        raise Invalid(
            BAD_CONTENT, code="bad_planning", field="file", where=where, problem=first["message"]
        ) from exc
    _check_names(planning)
    return planning


def _check_names(planning: Planning) -> None:
    offers = {o.name for o in planning.offers}
    courses = {c.name for c in planning.courses}
    named = [n for c in planning.courses for n in c.offers if n not in offers]
    named += [n for p in planning.promo_codes for n in p.offers if n not in offers]
    named += [n for p in planning.promo_codes for n in p.courses if n not in courses]
    if named:
        raise Invalid(UNKNOWN_NAME, code="unknown_name", field="file", name=named[0])


async def preview(session: AsyncSession, planning: Planning) -> Plan:
    plan = Plan()
    existing = {
        "offers": await _names(session, Offer.name, Offer.archived_at.is_(None)),
        "courses": await _names(session, Course.name, Course.archived_at.is_(None)),
        "promo_codes": set(await session.scalars(select(PromoCode.code))),
    }
    wanted = {
        "offers": [o.name for o in planning.offers],
        "courses": [c.name for c in planning.courses],
        "promo_codes": [p.code for p in planning.promo_codes],
    }
    for kind, names in wanted.items():
        plan.new[kind] = [n for n in names if n not in existing[kind]]
        plan.updated[kind] = [n for n in names if n in existing[kind]]
    current = (await site_service.load(session)).model_dump(mode="json")
    plan.settings = sorted(
        key
        for key, value in planning.settings.items()
        if key in current and key not in SECRETS and current[key] != value
    )
    return plan


async def _names(session: AsyncSession, column: Any, *where: Any) -> set[str]:
    return set(await session.scalars(select(column).where(*where)))


async def apply(session: AsyncSession, planning: Planning, *, actor: Coach, now: datetime) -> Plan:
    """Settings, then offers, courses and codes matched by name (code): updated when they
    exist, created otherwise. Nothing is deleted."""
    plan = await preview(session, planning)
    changes = {k: v for k, v in planning.settings.items() if k not in SECRETS}
    settings = await site_service.change(session, changes=changes, actor=actor, now=now)
    offers = await _apply_offers(session, planning, actor, now)
    courses = await _apply_courses(session, planning, offers, actor, now, settings.weeks_ahead)
    for item in planning.promo_codes:
        data = PromoCodeIn(
            **item.model_dump(exclude={"courses", "offers", "course_ids", "offer_ids"}),
            course_ids=[courses[name].id for name in item.courses],
            offer_ids=[offers[name].id for name in item.offers],
        )
        found = await session.scalar(select(PromoCode).where(PromoCode.code == item.code))
        if found is None:
            await create_code(session, data=data, actor=actor, now=now)
        else:
            await update_code(session, code=found, data=data, actor=actor, now=now)
    return plan


async def _apply_offers(
    session: AsyncSession, planning: Planning, actor: Coach, now: datetime
) -> dict[str, Offer]:
    found = {
        o.name: o for o in await session.scalars(select(Offer).where(Offer.archived_at.is_(None)))
    }
    for item in planning.offers:
        if item.name in found:
            await update_offer(session, offer=found[item.name], data=item, actor=actor, now=now)
        else:
            found[item.name] = await create_offer(session, data=item, actor=actor, now=now)
    return found


async def _apply_courses(
    session: AsyncSession,
    planning: Planning,
    offers: dict[str, Offer],
    actor: Coach,
    now: datetime,
    weeks: int,
) -> dict[str, Course]:
    found = {c.name: c for c in await list_courses(session)}
    for item in planning.courses:
        data = CourseIn(
            **item.model_dump(exclude={"offers", "allowed_offer_ids"}),
            allowed_offer_ids=[offers[name].id for name in item.offers],
        )
        if item.name in found:
            course = found[item.name]
            await update_course(
                session, course=course, data=data, actor=actor, now=now, weeks=weeks
            )
        else:
            found[item.name] = await create_course(
                session, data=data, actor=actor, now=now, weeks=weeks
            )
    return found
