"""Offers in Coach Mode: list, create, edit, duplicate, archive / restore, delete."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from coachdesk.catalog import offers as service
from coachdesk.catalog.schemas import OfferIn
from coachdesk.errors import AppError
from coachdesk.kit.i18n import N_, gettext
from coachdesk.kit.ids import IdPath
from coachdesk.kit.money import cents_to_decimal_text, parse_amount
from coachdesk.models import Offer
from coachdesk.web.deps import DB, Now, Owner
from coachdesk.web.forms import app_error_fields, checkbox, read_form, validate
from coachdesk.web.templating import render

router = APIRouter(prefix="/offers")
IMAGE_FIELDS = [f"image_{n}" for n in range(1, 6)]
BAD_AMOUNT = N_("Montant invalide (par exemple 30 ou 29.50).")


def back(offer_id: int | None = None, msg: str = "saved") -> RedirectResponse:
    path = f"/coach/offers/{offer_id}" if offer_id else "/coach/offers"
    return RedirectResponse(f"{path}?msg={msg}", status_code=303)


def offer_form(offer: Offer) -> dict[str, Any]:
    form = {key: getattr(offer, key) for key in OfferIn.model_fields}
    form["price"] = cents_to_decimal_text(offer.price_cents)
    form.update(zip(IMAGE_FIELDS, offer.images, strict=False))
    return form


def parse_offer_form(form: dict[str, Any]) -> tuple[OfferIn | None, dict[str, str]]:
    data = dict(form)
    data["images"] = [data.pop(name) for name in IMAGE_FIELDS if name in data]
    price_error = {}
    try:
        data["price_cents"] = parse_amount(data.pop("price", ""))
    except ValueError:
        price_error = {"price": gettext(BAD_AMOUNT)}
    offer, errors = validate(OfferIn, data)
    errors.pop("price_cents", None)
    errors = {"images" if k.startswith("images") else k: v for k, v in errors.items()}
    return (offer if not price_error else None), {**price_error, **errors}


def form_page(
    request: Request,
    *,
    form: dict[str, Any],
    errors: dict[str, str],
    offer: Offer | None = None,
    status: int = 200,
) -> Response:
    context = {
        "form": form,
        "errors": errors,
        "offer": offer,
        "tab": "offers",
        "image_fields": IMAGE_FIELDS,
    }
    return render(request, "coach/offer_form.html", context, status=status)


@router.get("")
async def list_page(request: Request, db: DB, owner: Owner, archived: bool = False) -> Response:
    items = await service.list_offers(db, archived=archived)
    return render(
        request, "coach/offers.html", {"offers": items, "archived": archived, "tab": "offers"}
    )


@router.get("/new")
async def new_page(request: Request, owner: Owner) -> Response:
    return form_page(request, form={"kind": "single", "visible": True}, errors={})


@router.post("")
async def create(request: Request, db: DB, now: Now, owner: Owner) -> Response:
    form = checkbox(await read_form(request), "visible")
    data, errors = parse_offer_form(form)
    if data is None:
        return form_page(request, form=form, errors=errors, status=422)
    offer = await service.create_offer(db, data=data, actor=owner, now=now)
    return back(offer.id, "created")


@router.get("/{offer_id}")
async def edit_page(request: Request, offer_id: IdPath, db: DB, owner: Owner) -> Response:
    offer = await service.get_offer(db, offer_id)
    return form_page(request, form=offer_form(offer), errors={}, offer=offer)


@router.post("/{offer_id}")
async def update(request: Request, offer_id: IdPath, db: DB, now: Now, owner: Owner) -> Response:
    offer = await service.get_offer(db, offer_id)
    form = checkbox(await read_form(request), "visible")
    data, errors = parse_offer_form(form)
    if data is None:
        return form_page(request, form=form, errors=errors, offer=offer, status=422)
    await service.update_offer(db, offer=offer, data=data, actor=owner, now=now)
    return back(offer.id)


@router.post("/{offer_id}/duplicate")
async def duplicate(offer_id: IdPath, db: DB, now: Now, owner: Owner) -> Response:
    offer = await service.get_offer(db, offer_id)
    copy = await service.duplicate_offer(db, offer=offer, actor=owner, now=now)
    return back(copy.id, "duplicated")


@router.post("/{offer_id}/archive")
async def archive(offer_id: IdPath, db: DB, now: Now, owner: Owner) -> Response:
    await service.archive_offer(
        db, offer=await service.get_offer(db, offer_id), actor=owner, now=now
    )
    return back(msg="archived")


@router.post("/{offer_id}/restore")
async def restore(offer_id: IdPath, db: DB, now: Now, owner: Owner) -> Response:
    await service.restore_offer(
        db, offer=await service.get_offer(db, offer_id), actor=owner, now=now
    )
    return back(msg="restored")


@router.post("/{offer_id}/delete")
async def delete(request: Request, offer_id: IdPath, db: DB, now: Now, owner: Owner) -> Response:
    offer = await service.get_offer(db, offer_id)
    try:
        await service.delete_offer(db, offer=offer, actor=owner, now=now)
    except AppError as exc:
        return form_page(
            request,
            form=offer_form(offer),
            errors=app_error_fields(exc),
            offer=offer,
            status=exc.status,
        )
    return back(msg="deleted")
