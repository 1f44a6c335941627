"""Courses in Coach Mode: list, create, edit, duplicate, archive / restore, delete."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from coachdesk.catalog import courses as service
from coachdesk.catalog import queries
from coachdesk.catalog.offers import list_offers
from coachdesk.catalog.schemas import CourseIn
from coachdesk.errors import AppError
from coachdesk.kit.ids import IdPath
from coachdesk.models import Course
from coachdesk.web.deps import DB, Now, Owner, Site
from coachdesk.web.forms import app_error_fields, checkbox, read_form, validate
from coachdesk.web.templating import render

router = APIRouter(prefix="/courses")


def back(course_id: int | None = None, msg: str = "saved") -> RedirectResponse:
    path = f"/coach/courses/{course_id}" if course_id else "/coach/courses"
    return RedirectResponse(f"{path}?msg={msg}", status_code=303)


def course_form(course: Course) -> dict[str, Any]:
    fields = {key: getattr(course, key) for key in CourseIn.model_fields if hasattr(course, key)}
    fields["start_time"] = course.start_time.strftime("%H:%M")
    fields["allowed_offer_ids"] = [offer.id for offer in course.allowed_offers]
    fields["playlist"] = tracks_text(course.playlist)
    return fields


def tracks_text(playlist: list[dict[str, str]]) -> str:
    return "\n".join(f"{track['title']} | {track['url']}" for track in playlist)


def with_tracks(form: dict[str, Any]) -> dict[str, Any]:
    """The playlist typed one track per line ("Title | https://…"), as the schema wants it;
    a line without a title takes the file's name."""
    tracks = []
    for line in str(form.get("playlist", "")).splitlines():
        if not line.strip():
            continue
        title, _, url = line.rpartition("|") if "|" in line else ("", "", line)
        url = url.strip()
        tracks.append({"title": title.strip() or url.rsplit("/", 1)[-1][:120], "url": url})
    return {**form, "playlist": tracks}


def shown(form: dict[str, Any]) -> dict[str, Any]:
    """The form as typed, for the page that says what is wrong."""
    playlist = form.get("playlist")
    if isinstance(playlist, list):
        return {**form, "playlist": tracks_text(playlist)}
    return form


async def course_form_page(
    request: Request,
    db: DB,
    now: Now,
    *,
    form: dict[str, Any],
    errors: dict[str, str],
    course: Course | None = None,
    status: int = 200,
) -> Response:
    sessions = []
    if course is not None:
        sessions = await queries.admin_sessions(
            db, start=now - timedelta(days=1), end=now + timedelta(weeks=12), course_id=course.id
        )
    context = {
        "form": form,
        "errors": errors,
        "course": course,
        "sessions": sessions,
        "offers": await list_offers(db),
        "tab": "courses",
        "now": now,
    }
    return render(request, "coach/course_form.html", context, status=status)


@router.get("")
async def list_page(request: Request, db: DB, owner: Owner, archived: bool = False) -> Response:
    items = await service.list_courses(db, archived=archived)
    context = {"courses": items, "archived": archived, "tab": "courses"}
    return render(request, "coach/courses.html", context)


@router.get("/new")
async def new_page(request: Request, db: DB, now: Now, owner: Owner) -> Response:
    form = {
        "weekday": 2,
        "start_time": "18:30",
        "duration_minutes": 60,
        "capacity": 20,
        "visible": True,
    }
    return await course_form_page(request, db, now, form=form, errors={})


@router.post("")
async def create(request: Request, db: DB, now: Now, owner: Owner, site: Site) -> Response:
    form = with_tracks(checkbox(await read_form(request, lists=("allowed_offer_ids",)), "visible"))
    data, errors = validate(CourseIn, form)
    form = shown(form)
    if data is None:
        return await course_form_page(request, db, now, form=form, errors=errors, status=422)
    try:
        course = await service.create_course(
            db, data=data, actor=owner, now=now, weeks=site.weeks_ahead
        )
    except AppError as exc:
        return await course_form_page(
            request, db, now, form=form, errors=app_error_fields(exc), status=exc.status
        )
    return back(course.id, "created")


@router.get("/{course_id}")
async def edit_page(
    request: Request, course_id: IdPath, db: DB, now: Now, owner: Owner
) -> Response:
    course = await service.get_course(db, course_id)
    return await course_form_page(
        request, db, now, form=course_form(course), errors={}, course=course
    )


@router.post("/{course_id}")
async def update(
    request: Request, course_id: IdPath, db: DB, now: Now, owner: Owner, site: Site
) -> Response:
    course = await service.get_course(db, course_id)
    form = with_tracks(checkbox(await read_form(request, lists=("allowed_offer_ids",)), "visible"))
    data, errors = validate(CourseIn, form)
    form = shown(form)
    if data is None:
        return await course_form_page(
            request, db, now, form=form, errors=errors, course=course, status=422
        )
    try:
        await service.update_course(
            db, course=course, data=data, actor=owner, now=now, weeks=site.weeks_ahead
        )
    except AppError as exc:
        course = await service.get_course(db, course_id)
        return await course_form_page(
            request,
            db,
            now,
            form=form,
            errors=app_error_fields(exc),
            course=course,
            status=exc.status,
        )
    return back(course.id)


@router.post("/{course_id}/duplicate")
async def duplicate(course_id: IdPath, db: DB, now: Now, owner: Owner, site: Site) -> Response:
    course = await service.get_course(db, course_id)
    copy = await service.duplicate_course(
        db, course=course, actor=owner, now=now, weeks=site.weeks_ahead
    )
    return back(copy.id, "duplicated")


@router.post("/{course_id}/archive")
async def archive(course_id: IdPath, db: DB, now: Now, owner: Owner) -> Response:
    course = await service.get_course(db, course_id)
    await service.archive_course(db, course=course, actor=owner, now=now)
    return back(msg="archived")


@router.post("/{course_id}/restore")
async def restore(course_id: IdPath, db: DB, now: Now, owner: Owner, site: Site) -> Response:
    course = await service.get_course(db, course_id)
    await service.restore_course(db, course=course, actor=owner, now=now, weeks=site.weeks_ahead)
    return back(msg="restored")


@router.post("/{course_id}/delete")
async def delete(request: Request, course_id: IdPath, db: DB, now: Now, owner: Owner) -> Response:
    course = await service.get_course(db, course_id)
    try:
        await service.delete_course(db, course=course, actor=owner, now=now)
    except AppError as exc:
        return await course_form_page(
            request,
            db,
            now,
            form=course_form(course),
            errors=app_error_fields(exc),
            course=course,
            status=exc.status,
        )
    return back(msg="deleted")
