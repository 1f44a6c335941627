"""Coach Mode: server-rendered pages under /coach. Every state change checks the CSRF token."""

from fastapi import APIRouter, Depends

from coachdesk.web.admin import (
    analytics,
    appearance,
    audit,
    auth,
    backup,
    bookings,
    campaign_tools,
    campaigns,
    contacts,
    courses,
    duplicates,
    inbox,
    offers,
    outbox,
    promo,
    promo_batches,
    promo_import,
    sessions,
    settings,
    team,
    today,
)
from coachdesk.web.deps import refresh_site, verify_csrf

router = APIRouter(
    include_in_schema=False, dependencies=[Depends(verify_csrf), Depends(refresh_site)]
)
# more specific paths first: /promo/{code_id} and /contacts/{contact_id} would catch them
ROUTERS = (
    auth,
    today,
    bookings,
    duplicates,
    contacts,
    inbox,
    campaign_tools,
    campaigns,
    courses,
    sessions,
    offers,
    promo_import,
    promo_batches,
    promo,
    settings,
    analytics,
    appearance,
    team,
    outbox,
    audit,
    backup,
)
for module in ROUTERS:
    router.include_router(module.router, prefix="/coach")
