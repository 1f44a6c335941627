"""Joining a full session's waiting list, and taking a seat offered from it."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import RedirectResponse, Response

from coachdesk.booking import waitlist
from coachdesk.booking.placing import place_booking
from coachdesk.booking.schemas import BookingRequest
from coachdesk.catalog.schedule import get_session
from coachdesk.contacts.matching import Identity
from coachdesk.errors import AppError
from coachdesk.kit.i18n import current_language
from coachdesk.web.booking_steps import payments_of
from coachdesk.web.deps import DB, Now, Site, State, requester, verify_csrf
from coachdesk.web.forms import app_error_fields, read_form, validate
from coachdesk.web.public.booking import (
    as_request,
    form_context,
    next_step,
    session_ids,
)
from coachdesk.web.templating import render

router = APIRouter(include_in_schema=False)


@router.get("/waitlist")
async def join_page(request: Request, db: DB, s: list[str] = Query(default=[])) -> Response:
    ids = session_ids(s)
    if not ids:
        return RedirectResponse("/#seances", status_code=303)
    occurrence = await get_session(db, ids[0])
    return render(
        request, "site/waitlist.html", {"occurrence": occurrence, "form": {}, "errors": {}}
    )


@router.post("/waitlist", dependencies=[Depends(verify_csrf)])
async def join(request: Request, db: DB, now: Now) -> Response:
    form = await read_form(request)
    occurrence_id = (session_ids([form.get("s", "")]) or [0])[0]
    occurrence = await get_session(db, occurrence_id)
    try:
        identity = Identity.parse(
            name=form.get("name", ""),
            email=form.get("email", ""),
            phone=form.get("phone", ""),
            language=current_language.get(),
        )
        entry = await waitlist.join(db, occurrence=occurrence, identity=identity, now=now)
    except AppError as exc:
        await db.rollback()
        occurrence = await get_session(db, occurrence_id)
        context = {"occurrence": occurrence, "form": form, "errors": app_error_fields(exc)}
        return render(request, "site/waitlist.html", context, status=exc.status)
    context = {
        "occurrence": occurrence,
        "entry": entry,
        "position": await waitlist.position(db, entry),
    }
    return render(request, "site/waitlist_joined.html", context)


@router.get("/w/{token}")
async def offer_page(
    request: Request, token: str, db: DB, state: State, site: Site, now: Now
) -> Response:
    try:
        entry = await waitlist.offered(db, token=token, now=now)
    except AppError as exc:
        return render(
            request, "site/book_unavailable.html", {"message": exc.translated()}, status=exc.status
        )
    context = await form_context(
        db, state, site, now, [entry.session_id], held=frozenset({entry.session_id})
    )
    form = {"name": entry.contact.name, "email": entry.contact.email}
    return render(
        request, "site/book.html", {**context, "form": form, "errors": {}, "entry": entry}
    )


@router.post("/w/{token}", dependencies=[Depends(verify_csrf)])
async def claim(
    request: Request, token: str, db: DB, state: State, site: Site, now: Now
) -> Response:
    entry = await waitlist.offered(db, token=token, now=now)
    held = frozenset({entry.session_id})
    form = await read_form(request)
    form.update(s=[entry.session_id], email=entry.contact.email or "")
    data, errors = validate(BookingRequest, as_request(form))
    if data is not None:
        try:
            booking = await place_booking(
                db,
                data=data,
                now=now,
                site=site,
                payments=payments_of(state, site),
                held=held,
                requester=requester(request),
            )
            await waitlist.mark_claimed(db, entry=entry, booking_id=booking.id)
        except AppError as exc:
            await db.rollback()
            errors = app_error_fields(exc)
        else:
            await db.commit()
            await db.refresh(booking)
            return await next_step(request, db, state, booking, now)
    entry = await waitlist.offered(db, token=token, now=now)
    context = await form_context(db, state, site, now, [entry.session_id], held=held)
    return render(
        request,
        "site/book.html",
        {**context, "form": form, "errors": errors, "entry": entry},
        status=422,
    )


@router.post("/w/{token}/leave", dependencies=[Depends(verify_csrf)])
async def leave(request: Request, token: str, db: DB, now: Now) -> Response:
    entry = await waitlist.offered(db, token=token, now=now)
    await waitlist.leave(db, entry=entry, now=now)
    return RedirectResponse("/#seances", status_code=303)
