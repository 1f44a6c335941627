"""The coach's inbox: conversations, replies, modes, soft delete and restore, chat links."""

from __future__ import annotations

from datetime import datetime

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.ext.asyncio import AsyncSession

from coachdesk.chat import links, threads
from coachdesk.errors import AppError
from coachdesk.kit.ids import IdPath
from coachdesk.models import Coach, ConversationMode
from coachdesk.web.api.chat import announce
from coachdesk.web.deps import DB, Now, Owner, State
from coachdesk.web.forms import app_error_fields, checkbox, read_form
from coachdesk.web.templating import render

router = APIRouter(prefix="/inbox")


def back(conversation_id: int, anchor: str = "reply") -> RedirectResponse:
    return RedirectResponse(f"/coach/inbox/{conversation_id}#{anchor}", status_code=303)


@router.get("")
async def list_page(request: Request, db: DB, owner: Owner) -> Response:
    params = request.query_params
    wanted = threads.InboxFilter(
        mode=params.get("mode", ""), include_deleted=params.get("deleted") == "1"
    )
    context = {"conversations": await threads.inbox(db, wanted), "wanted": wanted, "tab": "inbox"}
    return render(request, "coach/inbox.html", context)


@router.get("/links")
async def links_page(request: Request, db: DB, owner: Owner) -> Response:
    context = {"links": await links.all_links(db), "tab": "inbox", "errors": {}}
    return render(request, "coach/chat_links.html", context)


@router.post("/links")
async def create_link(request: Request, db: DB, now: Now, owner: Owner) -> Response:
    form = checkbox(await read_form(request), "community")
    try:
        await links.create(
            db, title=form.get("title", ""), community=form["community"], actor=owner, now=now
        )
    except AppError as exc:
        context = {
            "links": await links.all_links(db),
            "tab": "inbox",
            "errors": app_error_fields(exc),
        }
        return render(request, "coach/chat_links.html", context, status=exc.status)
    return RedirectResponse("/coach/inbox/links?msg=created", status_code=303)


@router.post("/links/{link_id}/toggle")
async def toggle_link(link_id: IdPath, db: DB, now: Now, owner: Owner) -> Response:
    await links.toggle(db, link_id=link_id, actor=owner, now=now)
    return RedirectResponse("/coach/inbox/links?msg=saved", status_code=303)


async def conversation_page(
    request: Request,
    db: DB,
    conversation_id: int,
    *,
    errors: dict[str, str] | None = None,
    status: int = 200,
) -> Response:
    conversation = await threads.get(db, conversation_id)
    show_deleted = request.query_params.get("deleted") == "1"
    conversation.unread = 0
    context = {
        "conversation": conversation,
        "tab": "inbox",
        "errors": errors or {},
        "messages": await threads.history(db, conversation, include_deleted=show_deleted),
        "members": await threads.members(db, conversation),
        "show_deleted": show_deleted,
        "modes": list(ConversationMode),
    }
    return render(request, "coach/conversation.html", context, status=status)


@router.get("/{conversation_id}")
async def show(request: Request, conversation_id: IdPath, db: DB, owner: Owner) -> Response:
    return await conversation_page(request, db, conversation_id)


@router.post("/{conversation_id}/reply")
async def reply(
    request: Request, conversation_id: IdPath, db: DB, now: Now, owner: Owner, state: State
) -> Response:
    conversation = await threads.get(db, conversation_id)
    form = await read_form(request)
    try:
        message = await threads.coach_reply(
            db, conversation=conversation, body=form.get("body", ""), coach=owner, now=now
        )
    except AppError as exc:
        return await conversation_page(
            request, db, conversation_id, errors=app_error_fields(exc), status=exc.status
        )
    await db.commit()
    await announce(state, conversation, [message])
    return back(conversation_id)


@router.post("/{conversation_id}/mode")
async def mode(
    request: Request, conversation_id: IdPath, db: DB, now: Now, owner: Owner
) -> Response:
    conversation = await threads.get(db, conversation_id)
    wanted = (await read_form(request)).get("mode", "")
    if wanted in ConversationMode.__members__:
        await threads.set_mode(
            db, conversation=conversation, mode=ConversationMode(wanted), actor=owner, now=now
        )
    return back(conversation_id, "mode")


@router.post("/{conversation_id}/delete")
async def delete(conversation_id: IdPath, db: DB, now: Now, owner: Owner) -> Response:
    conversation = await threads.get(db, conversation_id)
    await threads.delete_conversation(db, conversation=conversation, by=owner.email, now=now)
    return RedirectResponse("/coach/inbox?msg=deleted", status_code=303)


@router.post("/{conversation_id}/restore")
async def restore(conversation_id: IdPath, db: DB, now: Now, owner: Owner) -> Response:
    conversation = await threads.get(db, conversation_id)
    await threads.restore_conversation(db, conversation=conversation, actor=owner, now=now)
    return back(conversation_id)


@router.post("/messages/{message_id}/delete")
async def hide_message(message_id: IdPath, db: DB, now: Now, owner: Owner) -> Response:
    return await _message_shown(db, message_id, hidden=True, owner=owner, now=now)


@router.post("/messages/{message_id}/restore")
async def restore_message(message_id: IdPath, db: DB, now: Now, owner: Owner) -> Response:
    return await _message_shown(db, message_id, hidden=False, owner=owner, now=now)


async def _message_shown(
    db: AsyncSession, message_id: int, *, hidden: bool, owner: Coach, now: datetime
) -> Response:
    message = await threads.set_message_deleted(
        db, message_id=message_id, deleted=hidden, actor=owner, now=now
    )
    return RedirectResponse(f"/coach/inbox/{message.conversation_id}?deleted=1", status_code=303)
