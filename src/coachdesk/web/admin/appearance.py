"""The Apparence tab: name, texts, links, colours (with the six presets), images uploaded
and resized, the event poster and the section the public page opens on."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import ValidationError
from starlette.datastructures import UploadFile

from coachdesk.errors import AppError
from coachdesk.kit.validation import field_errors
from coachdesk.site import service as site_service
from coachdesk.site import uploads
from coachdesk.site.registry import ALL_PAYMENT_LOGOS, PRESETS
from coachdesk.web.deps import DB, Now, Owner, Site, State
from coachdesk.web.forms import rollback
from coachdesk.web.state import AppState
from coachdesk.web.templating import render

router = APIRouter(prefix="/appearance")
TEXTS = (
    "app_name",
    "tagline",
    "concept_title",
    "concept_text",
    "terms_text",
    "hero_media_url",
    "poster_url",
    "reviews_url",
    "footer_link1_label",
    "footer_link1_url",
    "footer_link2_label",
    "footer_link2_url",
    "default_section",
    "primary_color",
    "secondary_color",
    "logo_url",
    "favicon_url",
)
IMAGES = {"logo_file": ("logo", "logo_url"), "favicon_file": ("favicon", "favicon_url")}
IMAGES |= {"poster_file": ("poster", "poster_url"), "hero_file": ("hero", "hero_media_url")}


def page(
    request: Request, form: dict[str, Any], errors: dict[str, str], status: int = 200
) -> Response:
    context = {
        "form": form,
        "errors": errors,
        "presets": PRESETS,
        "payment_logos": ALL_PAYMENT_LOGOS,
        "tab": "appearance",
    }
    return render(request, "coach/appearance.html", context, status=status)


@router.get("")
async def show(request: Request, owner: Owner, site: Site) -> Response:
    return page(request, site.model_dump(), {})


async def _changes(request: Request, state: AppState) -> tuple[dict[str, Any], dict[str, str]]:
    """The form's values, with each uploaded image checked, resized and stored."""
    form = await request.form()
    changes: dict[str, Any] = {key: str(form.get(key, "")) for key in TEXTS if key in form}
    changes["poster_active"] = "poster_active" in form
    changes["audio_player_enabled"] = "audio_player_enabled" in form
    changes["payment_logos"] = [v for v in form.getlist("payment_logos") if isinstance(v, str)]
    preset = str(form.get("preset", ""))
    if preset in PRESETS:
        changes["primary_color"], changes["secondary_color"] = PRESETS[preset]
    errors: dict[str, str] = {}
    for field, (use, target) in IMAGES.items():
        upload = form.get(field)
        if isinstance(upload, UploadFile) and upload.filename:
            try:
                data = await upload.read(uploads.MAX_BYTES + 1)
                changes[target] = await uploads.store_in_thread(data, use, state.settings.data_dir)
            except AppError as exc:
                errors[field] = exc.translated()
    return changes, errors


@router.post("")
async def save(request: Request, db: DB, now: Now, owner: Owner, state: State) -> Response:
    changes, errors = await _changes(request, state)
    shown = {**state.site.model_dump(), **changes}
    if errors:
        return page(request, shown, errors, status=422)
    try:
        await site_service.change(db, changes=changes, actor=owner, now=now)
    except ValidationError as exc:
        await rollback(request, db)
        return page(request, shown, field_errors(exc.errors()), status=422)
    state.public_cache.clear()
    return RedirectResponse("/coach/appearance?msg=saved", status_code=303)
