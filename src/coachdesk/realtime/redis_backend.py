"""A Redis pub/sub backend for ``broadcaster`` that is ready only once subscribed.

(The backend shipped with broadcaster 0.3 can start listening before its first SUBSCRIBE
has completed, see nothing subscribed, and then never listen again.)"""

from __future__ import annotations

import asyncio
import contextlib
from typing import Any

from broadcaster import Event
from broadcaster._backends.base import BroadcastBackend
from redis import asyncio as redis


class RedisPubSubBackend(BroadcastBackend):
    def __init__(self, url: str) -> None:
        self._conn = redis.Redis.from_url(url)
        self._pubsub = self._conn.pubsub(ignore_subscribe_messages=True)
        self._queue: asyncio.Queue[Event] = asyncio.Queue()
        self._subscribed = asyncio.Event()
        self._listener: asyncio.Task[None] | None = None

    async def connect(self) -> None:
        await self._pubsub.connect()  # type: ignore[no-untyped-call]
        self._listener = asyncio.create_task(self._listen())

    async def disconnect(self) -> None:
        if self._listener is not None:
            self._listener.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._listener
        await self._pubsub.aclose()  # type: ignore[no-untyped-call,unused-ignore]  # typed from redis 8
        await self._conn.aclose()

    async def subscribe(self, channel: str) -> None:
        await self._pubsub.subscribe(channel)
        self._subscribed.set()

    async def unsubscribe(self, channel: str) -> None:
        await self._pubsub.unsubscribe(channel)

    async def publish(self, channel: str, message: Any) -> None:
        await self._conn.publish(channel, message)

    async def next_published(self) -> Event:
        return await self._queue.get()

    async def _listen(self) -> None:
        await self._subscribed.wait()
        while True:
            found = await self._pubsub.get_message(timeout=1.0)
            if found and found.get("type") == "message":
                await self._queue.put(
                    Event(channel=found["channel"].decode(), message=found["data"].decode())
                )
