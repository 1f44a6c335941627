"""Check-in API for the scanner (owner and staff)."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from pydantic import BaseModel, Field

from coachdesk.booking import checkin
from coachdesk.booking.frames import MAX_FRAME_BYTES, read_qr_in_thread
from coachdesk.kit.i18n import gettext
from coachdesk.web.api.common import ERRORS
from coachdesk.web.checkin import NO_CODE, CheckInOut, to_out
from coachdesk.web.deps import DB, CurrentCoach, Now, verify_csrf

router = APIRouter(
    prefix="/checkins", tags=["check-in"], responses=ERRORS, dependencies=[Depends(verify_csrf)]
)


class CheckInIn(BaseModel):
    code: str = Field(min_length=1, max_length=300, description="Ticket URL, token or code")
    mark_paid: bool = Field(False, description="Cash taken at the door: confirm, then admit")


@router.post("", response_model=CheckInOut)
async def check_in(data: CheckInIn, db: DB, now: Now, coach: CurrentCoach) -> CheckInOut:
    """Validates a ticket for today's session. Always 200: the outcome says what happened."""
    result = await checkin.check_in(
        db, scanned=data.code, now=now, actor=coach, mark_paid=data.mark_paid
    )
    return to_out(result)


@router.post("/frame", response_model=CheckInOut)
async def check_in_frame(request: Request, db: DB, now: Now, coach: CurrentCoach) -> CheckInOut:
    """A camera frame (JPEG / PNG / WebP body) from a browser without BarcodeDetector: the
    server reads the QR code, then checks the ticket in."""
    frame = await request.body()
    code = await read_qr_in_thread(frame[: MAX_FRAME_BYTES + 1])
    if code is None:
        return CheckInOut(outcome="no_code", message=gettext(NO_CODE))
    return to_out(await checkin.check_in(db, scanned=code, now=now, actor=coach))
