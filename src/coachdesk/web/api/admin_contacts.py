"""Admin API: contacts — search, add, edit, tags, duplicates and merges, GDPR export and erase."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from fastapi import APIRouter, Query, Response
from pydantic import BaseModel, Field

from coachdesk.contacts import crm, gdpr, merge
from coachdesk.contacts.crm import ContactFilter, ContactIn
from coachdesk.kit.ids import Id, IdPath
from coachdesk.models import Contact, ContactMerge
from coachdesk.web.api.common import ERRORS
from coachdesk.web.deps import DB, Now, Owner

router = APIRouter(prefix="/contacts", tags=["admin: contacts"], responses=ERRORS)


class ContactOut(BaseModel):
    id: Id
    name: str
    email: str | None
    phone: str | None
    language: str
    source: str
    notes: str
    tags: list[str]
    consent_email: bool
    consent_whatsapp: bool
    first_seen_at: datetime
    last_seen_at: datetime


class TagIn(BaseModel):
    tag: str = Field(max_length=100)


class MergeIn(BaseModel):
    kept_id: Id
    merged_id: Id


class MergeOut(BaseModel):
    id: Id
    kept_id: Id
    merged_id: Id
    at: datetime
    actor: str
    undone_at: datetime | None


def contact_out(contact: Contact) -> ContactOut:
    fields = {k: getattr(contact, k) for k in ContactOut.model_fields if k != "tags"}
    return ContactOut(**fields, tags=contact.tag_names)


def merge_out(done: ContactMerge) -> MergeOut:
    return MergeOut(**{k: getattr(done, k) for k in MergeOut.model_fields})


@router.get("", response_model=list[ContactOut])
async def search_contacts(
    db: DB,
    now: Now,
    owner: Owner,
    q: str = Query("", max_length=100, description="name, e-mail or phone"),
    tag: str = "",
    source: str = "",
    consent: str = Query("", pattern="^(|email|whatsapp)$"),
    active_days: int | None = Query(None, ge=1, le=3650),
    limit: int = Query(500, ge=1, le=10_000),
) -> list[ContactOut]:
    """Most recently seen first. Merged and erased people are not listed."""
    wanted = ContactFilter(text=q, tag=tag, source=source, consent=consent, active_days=active_days)
    return [contact_out(c) for c in await crm.search(db, wanted, now=now, limit=limit)]


@router.post("", response_model=ContactOut, status_code=201)
async def create_contact(data: ContactIn, db: DB, now: Now, owner: Owner) -> ContactOut:
    return contact_out(await crm.create(db, data=data, actor=owner, now=now))


@router.get("/duplicates", response_model=list[list[ContactOut]])
async def duplicates(db: DB, owner: Owner) -> list[list[ContactOut]]:
    """Groups of contacts that share a phone number."""
    return [[contact_out(c) for c in group] for group in await merge.suspects(db)]


@router.get("/merges", response_model=list[MergeOut])
async def merges(db: DB, owner: Owner) -> list[MergeOut]:
    return [merge_out(done) for done in await merge.merges(db)]


@router.post("/merges", response_model=MergeOut, status_code=201)
async def merge_contacts(data: MergeIn, db: DB, now: Now, owner: Owner) -> MergeOut:
    """Everything of `merged_id` goes to `kept_id`; undo with `/merges/{id}/undo`."""
    kept = await crm.get(db, data.kept_id)
    merged = await crm.get(db, data.merged_id)
    return merge_out(await merge.merge(db, kept=kept, merged=merged, actor=owner, now=now))


@router.post("/merges/{merge_id}/undo", status_code=204)
async def undo_merge(merge_id: IdPath, db: DB, now: Now, owner: Owner) -> Response:
    await merge.undo(db, merge_id=merge_id, actor=owner, now=now)
    return Response(status_code=204)


@router.get("/{contact_id}", response_model=ContactOut)
async def get_contact(contact_id: IdPath, db: DB, owner: Owner) -> ContactOut:
    return contact_out(await crm.get(db, contact_id))


@router.put("/{contact_id}", response_model=ContactOut)
async def update_contact(
    contact_id: IdPath, data: ContactIn, db: DB, now: Now, owner: Owner
) -> ContactOut:
    """Replaces the details; a consent that changes is recorded in its history."""
    contact = await crm.get(db, contact_id)
    return contact_out(await crm.update(db, contact=contact, data=data, actor=owner, now=now))


@router.post("/{contact_id}/tags", response_model=ContactOut)
async def add_tag(contact_id: IdPath, data: TagIn, db: DB, owner: Owner) -> ContactOut:
    contact = await crm.get(db, contact_id)
    await crm.add_tag(db, contact=contact, tag=data.tag)
    return contact_out(contact)


@router.delete("/{contact_id}/tags/{tag}", response_model=ContactOut)
async def remove_tag(contact_id: IdPath, tag: str, db: DB, owner: Owner) -> ContactOut:
    contact = await crm.get(db, contact_id)
    await crm.remove_tag(db, contact=contact, tag=tag)
    return contact_out(contact)


@router.get("/{contact_id}/export")
async def export_contact(contact_id: IdPath, db: DB, owner: Owner) -> dict[str, Any]:
    """Everything stored about the person (data-protection request)."""
    return await gdpr.export(db, await crm.get(db, contact_id))


@router.post("/{contact_id}/erase", status_code=204)
async def erase_contact(contact_id: IdPath, db: DB, now: Now, owner: Owner) -> Response:
    """Erases the person for good; their bookings stay, anonymous, for the accounts."""
    await gdpr.erase(db, contact=await crm.get(db, contact_id), actor=owner, now=now)
    return Response(status_code=204)
