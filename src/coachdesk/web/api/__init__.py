"""JSON API under /api/v1, documented at /api/docs."""

from fastapi import APIRouter, Depends

from coachdesk.web.api import (
    admin_campaign_tools,
    admin_campaigns,
    admin_contacts,
    admin_conversations,
    admin_courses,
    admin_offers,
    admin_planning,
    admin_promo,
    admin_push,
    admin_sessions,
    bookings,
    chat,
    checkins,
    payments,
    promo,
    public,
)
from coachdesk.web.api.common import COMMON
from coachdesk.web.deps import verify_csrf

router = APIRouter(prefix="/api/v1", responses=COMMON)
router.include_router(public.router)
router.include_router(payments.router)
router.include_router(bookings.router)
router.include_router(promo.router)
router.include_router(chat.router)
router.include_router(checkins.router)
admin = APIRouter(prefix="/admin", dependencies=[Depends(verify_csrf)])
for module in (admin_courses, admin_offers, admin_sessions):
    admin.include_router(module.router)
admin.include_router(admin_promo.codes_router)
admin.include_router(admin_promo.batches_router)
admin.include_router(admin_contacts.router)
admin.include_router(admin_campaign_tools.router)
admin.include_router(admin_campaigns.router)
admin.include_router(admin_planning.router)
admin.include_router(admin_push.router)
admin.include_router(admin_conversations.router)
admin.include_router(admin_conversations.messages_router)
admin.include_router(admin_conversations.links_router)
router.include_router(admin)
