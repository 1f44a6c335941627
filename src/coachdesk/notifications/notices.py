"""Recording what the coach should hear about. A notice is stored in the same transaction
as what it tells (a booking that rolls back tells nothing); Coach Mode hears it as soon as
that transaction commits, and the worker then sends it by push, e-mail or WhatsApp."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from coachdesk.kit.i18n import N_, gettext
from coachdesk.models import CoachNotice, NoticeEvent

TITLES = {
    NoticeEvent.booking_new: N_("Nouvelle réservation"),
    NoticeEvent.booking_cancelled: N_("Réservation annulée"),
    NoticeEvent.waitlist_moved: N_("Liste d'attente : une place proposée"),
    NoticeEvent.chat_human: N_("Nouveau message"),
    NoticeEvent.payment_failed: N_("Paiement échoué"),
}


async def tell(
    session: AsyncSession,
    event: NoticeEvent,
    *,
    body: str,
    url: str,
    now: datetime,
) -> CoachNotice:
    notice = CoachNotice(
        event=event, title=gettext(TITLES[event], "fr"), body=body[:1000], url=url, created_at=now
    )
    session.add(notice)
    await session.flush()
    return notice
