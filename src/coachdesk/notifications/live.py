"""Coach Mode hears each notice once the transaction that wrote it has committed: the
session factory carries the hub, a flush collects the new notices, the commit publishes
them (a rollback forgets them). Wired once per session factory, whoever commits."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import Any

from sqlalchemy import event
from sqlalchemy.orm import Session

from coachdesk.models import CoachNotice, NoticeEvent
from coachdesk.realtime.hub import COACH, Hub

log = logging.getLogger("coachdesk.notifications")
HUB, NEW = "notice_hub", "new_notices"
TOLD_BY_CHAT = {NoticeEvent.chat_human}  # the chat publishes its own, richer live event


def payload(notice: CoachNotice) -> dict[str, Any]:
    return {
        "type": "notice",
        "event": notice.event.value,
        "title": notice.title,
        "body": notice.body,
        "url": notice.url,
    }


@event.listens_for(Session, "after_flush")
def _collect(session: Session, _: Any) -> None:
    if session.info.get(HUB) is None:
        return
    found = [
        obj for obj in session.new if isinstance(obj, CoachNotice) and obj.event not in TOLD_BY_CHAT
    ]
    if found:
        session.info.setdefault(NEW, []).extend(payload(notice) for notice in found)


@event.listens_for(Session, "after_commit")
def _publish(session: Session) -> None:
    hub: Hub | None = session.info.get(HUB)
    events = session.info.pop(NEW, [])
    if hub is None or not events:
        return
    with contextlib.suppress(RuntimeError):  # no running loop: nobody is listening
        loop = asyncio.get_running_loop()
        for item in events:
            task = loop.create_task(_send(hub, item))
            _PENDING.add(task)
            task.add_done_callback(_PENDING.discard)


@event.listens_for(Session, "after_rollback")
def _forget(session: Session) -> None:
    session.info.pop(NEW, None)


_PENDING: set[asyncio.Task[None]] = set()


async def _send(hub: Hub, item: dict[str, Any]) -> None:
    try:
        await hub.publish(COACH, item)
    except Exception:  # live news is a courtesy: push and e-mail still follow
        log.warning("could not publish a notice to Coach Mode")
