"""Publishing and subscribing to events (``broadcaster``). With Redis, an event published
by one app process reaches WebSockets held by another."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from broadcaster import Broadcast

from coachdesk.realtime.redis_backend import RedisPubSubBackend

COACH = "coach"


def conversation_channel(conversation_id: int) -> str:
    return f"conversation:{conversation_id}"


class Hub:
    def __init__(self, url: str | None = None) -> None:
        self.url = url or "memory://"
        if self.url.startswith(("redis://", "rediss://")):
            self._broadcast = Broadcast(backend=RedisPubSubBackend(self.url))
        else:
            self._broadcast = Broadcast(self.url)
        self._connected = False
        self._lock = asyncio.Lock()

    async def connect(self) -> None:
        async with self._lock:
            if not self._connected:
                await self._broadcast.connect()
                self._connected = True

    async def disconnect(self) -> None:
        async with self._lock:
            if self._connected:
                await self._broadcast.disconnect()
                self._connected = False

    async def publish(self, channel: str, event: dict[str, Any]) -> None:
        await self.connect()
        await self._broadcast.publish(channel=channel, message=json.dumps(event))

    @asynccontextmanager
    async def listen(self, *channels: str) -> AsyncIterator[asyncio.Queue[dict[str, Any]]]:
        """A queue receiving the events of these channels while the block runs."""
        await self.connect()
        queue: asyncio.Queue[dict[str, Any]] = asyncio.Queue(maxsize=500)

        async def pump(channel: str, ready: asyncio.Event) -> None:
            async with self._broadcast.subscribe(channel=channel) as subscriber:
                ready.set()
                async for event in subscriber:  # type: ignore[union-attr]
                    if event is None:
                        continue
                    if queue.full():
                        queue.get_nowait()  # a stalled reader loses the oldest, not memory
                    queue.put_nowait(json.loads(event.message))

        ready = [asyncio.Event() for _ in channels]
        tasks = [asyncio.create_task(pump(c, r)) for c, r in zip(channels, ready, strict=True)]
        await asyncio.gather(*(r.wait() for r in ready))  # subscribed before returning
        try:
            yield queue
        finally:
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
