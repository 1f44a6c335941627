"""Public pages."""

from fastapi import APIRouter

from coachdesk.web.public import landing, platform

router = APIRouter()
router.include_router(landing.router)
router.include_router(platform.router)
