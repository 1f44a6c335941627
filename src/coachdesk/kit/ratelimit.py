"""A per-process sliding-window counter (e.g. wrong promo-code guesses per address)."""

from __future__ import annotations

import time
from collections import defaultdict, deque
from collections.abc import Callable


class SlidingWindow:
    def __init__(
        self, limit: int, seconds: float, timer: Callable[[], float] = time.monotonic
    ) -> None:
        self.limit = limit
        self.seconds = seconds
        self.timer = timer
        self._hits: defaultdict[str, deque[float]] = defaultdict(deque)

    def _recent(self, key: str) -> deque[float]:
        hits = self._hits[key]
        horizon = self.timer() - self.seconds
        while hits and hits[0] <= horizon:
            hits.popleft()
        return hits

    def blocked(self, key: str) -> bool:
        return len(self._recent(key)) >= self.limit

    def hit(self, key: str) -> None:
        self._recent(key).append(self.timer())
        if len(self._hits) > 50_000:  # keep memory bounded under a flood of addresses
            self._hits.clear()
