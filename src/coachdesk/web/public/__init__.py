"""Public pages."""

from fastapi import APIRouter

from coachdesk.web.public import (
    booking,
    chat_links,
    landing,
    platform,
    tickets,
    unsubscribe,
    waitlist,
)

router = APIRouter()
router.include_router(landing.router)
router.include_router(platform.router)
router.include_router(booking.router)
router.include_router(tickets.router)
router.include_router(waitlist.router)
router.include_router(chat_links.router)
router.include_router(unsubscribe.router)
