"""The waiting list of a full session.

When a seat frees up, it is not given back to the public: it goes straight to the first
person waiting (the session's seats_taken stays as it is), held until ``hold_until``. Taken
in time, it becomes their booking; otherwise it passes to the next, or back to the public.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import CursorResult, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from coachdesk.auth.tokens import new_token
from coachdesk.booking import seats
from coachdesk.contacts.matching import Identity, match_or_create
from coachdesk.errors import Conflict, Invalid, NotFound
from coachdesk.kit.clock import to_local
from coachdesk.kit.i18n import N_
from coachdesk.mail import service as mail
from coachdesk.models import CourseSession, WaitlistEntry, WaitlistStatus
from coachdesk.models.notice import NoticeEvent
from coachdesk.notifications import notices
from coachdesk.site import service as site_service

ALREADY_WAITING = N_("Vous êtes déjà sur la liste d'attente de cette séance.")
SEATS_LEFT = N_("Il reste des places : réservez directement.")
OFFER_GONE = N_("Cette offre de place n'est plus valable.")


async def join(
    session: AsyncSession, *, occurrence: CourseSession, identity: Identity, now: datetime
) -> WaitlistEntry:
    seats.check_bookable(occurrence, now)
    if occurrence.seats_left > 0:
        raise Invalid(SEATS_LEFT, code="seats_left", field="sessions")
    contact = await match_or_create(session, identity=identity, source="waitlist", now=now)
    active = [WaitlistStatus.waiting, WaitlistStatus.offered]
    if await session.scalar(
        select(WaitlistEntry.id).where(
            WaitlistEntry.session_id == occurrence.id,
            WaitlistEntry.contact_id == contact.id,
            WaitlistEntry.status.in_(active),
        )
    ):
        raise Conflict(ALREADY_WAITING, code="already_waiting")
    entry = WaitlistEntry(
        session_id=occurrence.id, contact_id=contact.id, token=new_token(), created_at=now
    )
    session.add(entry)
    await session.flush()
    return entry


async def position(session: AsyncSession, entry: WaitlistEntry) -> int:
    ahead = select(func.count(WaitlistEntry.id)).where(
        WaitlistEntry.session_id == entry.session_id,
        WaitlistEntry.status == WaitlistStatus.waiting,
        WaitlistEntry.id < entry.id,
    )
    return (await session.scalar(ahead) or 0) + 1


async def pass_seat(session: AsyncSession, *, session_id: int, now: datetime) -> bool:
    """A held seat of this session is being given up: offer it to the first in line (True)
    or release it to the public (False)."""
    occurrence = await session.get_one(CourseSession, session_id)
    hold = timedelta(hours=(await site_service.load(session)).waitlist_hold_hours)
    hold_until = min(now + hold, occurrence.starts_at)
    while occurrence.starts_at > now:
        nxt = await session.scalar(
            select(WaitlistEntry)
            .where(
                WaitlistEntry.session_id == session_id,
                WaitlistEntry.status == WaitlistStatus.waiting,
            )
            .order_by(WaitlistEntry.id)
            .limit(1)
        )
        if nxt is None:
            break
        if await _move(
            session,
            nxt,
            WaitlistStatus.waiting,
            WaitlistStatus.offered,
            offered_at=now,
            hold_until=hold_until,
        ):
            await mail.queue(
                session,
                kind="waitlist_offer",
                to=nxt.contact.email,
                now=now,
                waitlist_entry_id=nxt.id,
            )
            when = f"{to_local(occurrence.starts_at):%d.%m %H:%M} {occurrence.course.name}"
            await notices.tell(
                session,
                NoticeEvent.waitlist_moved,
                body=f"{nxt.contact.name} · {when}",
                url="/coach/today",
                now=now,
            )
            return True
    await seats.release(session, session_id=session_id)
    return False


async def _move(
    session: AsyncSession,
    entry: WaitlistEntry,
    source: WaitlistStatus,
    target: WaitlistStatus,
    **values: object,
) -> bool:
    result = await session.execute(
        update(WaitlistEntry)
        .where(WaitlistEntry.id == entry.id, WaitlistEntry.status == source)
        .values(status=target, **values)
        .execution_options(synchronize_session=False)
    )
    await session.refresh(entry)
    return isinstance(result, CursorResult) and result.rowcount == 1


async def offered(session: AsyncSession, *, token: str, now: datetime) -> WaitlistEntry:
    entry = await session.scalar(select(WaitlistEntry).where(WaitlistEntry.token == token))
    if entry is None:
        raise NotFound(OFFER_GONE, code="unknown_offer")
    if entry.status != WaitlistStatus.offered or (entry.hold_until or now) <= now:
        raise Invalid(OFFER_GONE, code="offer_gone")
    return entry


async def mark_claimed(session: AsyncSession, *, entry: WaitlistEntry, booking_id: int) -> None:
    if not await _move(
        session, entry, WaitlistStatus.offered, WaitlistStatus.claimed, booking_id=booking_id
    ):
        raise Invalid(OFFER_GONE, code="offer_gone")


async def leave(session: AsyncSession, *, entry: WaitlistEntry, now: datetime) -> None:
    """Leaving while a seat is held for you passes that seat on."""
    was_offered = entry.status == WaitlistStatus.offered
    if await _move(session, entry, entry.status, WaitlistStatus.left) and was_offered:
        await pass_seat(session, session_id=entry.session_id, now=now)


async def lapse_due(session: AsyncSession, now: datetime) -> int:
    """Worker job: offers not taken in time pass to the next in line."""
    due = await session.scalars(
        select(WaitlistEntry)
        .where(WaitlistEntry.status == WaitlistStatus.offered, WaitlistEntry.hold_until <= now)
        .limit(100)
    )
    lapsed = 0
    for entry in list(due):
        if await _move(session, entry, WaitlistStatus.offered, WaitlistStatus.lapsed):
            await pass_seat(session, session_id=entry.session_id, now=now)
            lapsed += 1
    return lapsed
