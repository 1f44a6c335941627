"""Coach Mode: server-rendered pages under /coach. Every state change checks the CSRF token."""

from fastapi import APIRouter, Depends

from coachdesk.web.admin import (
    audit,
    auth,
    bookings,
    courses,
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
from coachdesk.web.deps import verify_csrf

router = APIRouter(include_in_schema=False, dependencies=[Depends(verify_csrf)])
# promo_import and promo_batches before promo: /promo/{code_id} would catch their paths
ROUTERS = (
    auth,
    today,
    bookings,
    courses,
    sessions,
    offers,
    promo_import,
    promo_batches,
    promo,
    settings,
    team,
    outbox,
    audit,
)
for module in ROUTERS:
    router.include_router(module.router, prefix="/coach")
