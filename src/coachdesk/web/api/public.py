"""Public read API: upcoming sessions and offers."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from fastapi import APIRouter, Query

from coachdesk.catalog import queries
from coachdesk.catalog.schemas import OfferOut, SessionOut
from coachdesk.errors import Invalid
from coachdesk.kit.clock import ZURICH
from coachdesk.kit.days import plausible
from coachdesk.kit.i18n import N_
from coachdesk.site import service as site_service
from coachdesk.web.api.common import ERRORS
from coachdesk.web.deps import DB, Now, State

router = APIRouter(tags=["public"], responses={422: ERRORS[422]})
MAX_RANGE = timedelta(days=186)
BAD_RANGE = N_("Période invalide (six mois au plus).")


def _moment(value: date | datetime | None, default: datetime) -> datetime:
    if value is None:
        return default
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=ZURICH)
    return datetime.combine(value, time.min, tzinfo=ZURICH)


@router.get("/sessions", response_model=list[SessionOut])
async def list_sessions(
    state: State,
    now: Now,
    start: datetime | date | None = Query(None, alias="from", description="Default: now"),
    end: datetime | date | None = Query(None, alias="to", description="Default: +N weeks"),
) -> list[SessionOut]:
    """Sessions of visible courses in [from, to); dates are local days (Europe/Zurich)."""

    async def load() -> list[SessionOut]:
        async with state.sessions() as db:
            weeks = (await site_service.load(db)).weeks_ahead
            if not all(plausible(v) for v in (start, end) if v is not None):
                raise Invalid(BAD_RANGE, code="invalid_range", field="from")
            first = max(_moment(start, now), now)
            last = _moment(end, now + timedelta(weeks=weeks))
            if last < first or last - first > MAX_RANGE:
                raise Invalid(BAD_RANGE, code="invalid_range", field="to")
            found = await queries.public_sessions(db, start=first, end=last)
            return [queries.session_out(s) for s in found]

    if start is None and end is None:  # the common call: shared for a moment
        cached: list[SessionOut] = await state.public_cache.get("api:sessions", load)
        return cached
    return await load()


@router.get("/offers", response_model=list[OfferOut])
async def list_offers(db: DB) -> list[OfferOut]:
    """Visible offers, in display order. Prices in cents (CHF)."""
    return [OfferOut.model_validate(o) for o in await queries.public_offers(db)]
