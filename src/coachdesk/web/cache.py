"""A per-process micro-cache for the public read model (landing page, public API).

The public pages are read far more than the catalog changes: keeping what they show for
about a second spares the database nearly all of that load. Bookings never rely on it:
seats are always checked in the database. ``public_cache_seconds = 0`` turns it off.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from typing import Any


class MicroCache:
    def __init__(self, seconds: float, timer: Callable[[], float] = time.monotonic) -> None:
        self.seconds = seconds
        self.timer = timer
        self._values: dict[str, tuple[float, Any]] = {}
        self._locks: dict[str, asyncio.Lock] = {}

    async def get(self, key: str, load: Callable[[], Awaitable[Any]]) -> Any:
        if self.seconds <= 0:
            return await load()
        hit = self._values.get(key)
        if hit and hit[0] > self.timer():
            return hit[1]
        async with self._locks.setdefault(key, asyncio.Lock()):  # one load, not a stampede
            hit = self._values.get(key)
            if hit and hit[0] > self.timer():
                return hit[1]
            value = await load()
            self._values[key] = (self.timer() + self.seconds, value)
            return value

    def clear(self) -> None:
        self._values.clear()
