"""Public pages."""

from fastapi import APIRouter, Depends

from coachdesk.web.deps import refresh_site
from coachdesk.web.public import (
    booking,
    chat_links,
    consent,
    landing,
    platform,
    tickets,
    unsubscribe,
    waitlist,
)

router = APIRouter(dependencies=[Depends(refresh_site)])
router.include_router(landing.router)
router.include_router(platform.router)
router.include_router(booking.router)
router.include_router(tickets.router)
router.include_router(waitlist.router)
router.include_router(chat_links.router)
router.include_router(unsubscribe.router)
router.include_router(consent.router)
