"""WebSockets: the visitor hears their conversations, the coach's open admin hears all."""

from __future__ import annotations

import asyncio
import contextlib
from typing import Any, cast
from urllib.parse import urlparse

from fastapi import APIRouter, WebSocket, WebSocketDisconnect

from coachdesk.auth.service import resolve_session
from coachdesk.chat import identity, threads
from coachdesk.errors import AppError
from coachdesk.realtime.hub import COACH, conversation_channel
from coachdesk.web.deps import SESSION_COOKIE
from coachdesk.web.state import AppState

router = APIRouter()
REFUSED = 4401  # close code: not allowed


def _state(socket: WebSocket) -> AppState:
    return cast(AppState, socket.app.state.core)


def same_origin(socket: WebSocket) -> bool:
    origin = socket.headers.get("origin")
    return origin is None or urlparse(origin).netloc == socket.headers.get("host")


async def _relay(socket: WebSocket, channels: list[str]) -> None:
    """Forwards the channels' events until the browser goes away. Subscribed before the
    socket is accepted: once the browser sees it open, no event can be missed."""
    async with _state(socket).hub.listen(*channels) as queue:
        await socket.accept()

        async def forward() -> None:
            while True:
                event: dict[str, Any] = await queue.get()
                await socket.send_json(event)

        async def until_closed() -> None:
            with contextlib.suppress(WebSocketDisconnect):
                while True:
                    await socket.receive_text()

        tasks = [asyncio.create_task(forward()), asyncio.create_task(until_closed())]
        await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)


@router.websocket("/ws/chat")
async def visitor_socket(socket: WebSocket, token: str = "") -> None:
    state = _state(socket)
    try:
        async with state.sessions() as db:
            visitor = await identity.resume(db, token=token, now=state.clock.now())
            channels = [conversation_channel(c.id) for c in await threads.readable(db, visitor)]
            await db.commit()
    except AppError:
        await socket.close(code=REFUSED)
        return
    await _relay(socket, channels)


@router.websocket("/ws/coach")
async def coach_socket(socket: WebSocket) -> None:
    """The studio's live events (visitors' messages with their details, bookings, notices):
    what only an owner may read. Staff accounts (door and today's list) get none of it."""
    state = _state(socket)
    cookie = socket.cookies.get(SESSION_COOKIE, "")
    async with state.sessions() as db:
        login = await resolve_session(db, token=cookie, now=state.clock.now()) if cookie else None
        await db.commit()
    if login is None or not login.coach.is_owner or not same_origin(socket):
        await socket.close(code=REFUSED)
        return
    await _relay(socket, [COACH])
