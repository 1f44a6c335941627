"""Budgets of tries that hold across processes and survive the refusal that spends them.

A try is spent in a transaction of its own, committed before the request goes on: a wrong
code, a refused booking or a crash afterwards cannot give it back. Call ``spend`` before
the request writes anything (on SQLite a second writer would wait for the first).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import CursorResult, delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from coachdesk.auth.tokens import token_hash
from coachdesk.db import side_transaction, upsert_insert
from coachdesk.errors import RateLimited
from coachdesk.models import ThrottleWindow

KEEP = timedelta(days=2)


@dataclass(frozen=True)
class Budget:
    """``limit`` tries per key in each window of ``seconds``."""

    bucket: str
    limit: int
    seconds: int

    def window(self, now: datetime) -> int:
        epoch = int(now.timestamp())
        return epoch - epoch % self.seconds

    def key_hash(self, key: str) -> str:
        return token_hash(f"{self.bucket}\x00{key}")


async def spend(session: AsyncSession, budget: Budget, *keys: str, now: datetime) -> None:
    """One try from each key's budget, or none at all (RateLimited) when one is used up."""
    wanted = [k for k in dict.fromkeys(keys) if k]
    if not wanted or budget.limit <= 0:
        return
    async with side_transaction(session) as side:
        for key in wanted:
            if not await _take(side, budget, key, now):
                raise RateLimited()


async def take(session: AsyncSession, budget: Budget, *keys: str, now: datetime) -> None:
    """Like ``spend``, but in the request's own transaction: what is counted is what
    commits (e.g. bookings placed, not attempts)."""
    for key in dict.fromkeys(k for k in keys if k):
        if budget.limit > 0 and not await _take(session, budget, key, now):
            raise RateLimited()


async def _take(session: AsyncSession, budget: Budget, key: str, now: datetime) -> bool:
    window, key_hash = budget.window(now), budget.key_hash(key)
    await session.execute(
        upsert_insert(session, ThrottleWindow)
        .values(bucket=budget.bucket, key_hash=key_hash, window=window, hits=0)
        .on_conflict_do_nothing()
    )
    result = await session.execute(
        update(ThrottleWindow)
        .where(
            ThrottleWindow.bucket == budget.bucket,
            ThrottleWindow.key_hash == key_hash,
            ThrottleWindow.window == window,
            ThrottleWindow.hits < budget.limit,
        )
        .values(hits=ThrottleWindow.hits + 1)
    )
    return isinstance(result, CursorResult) and result.rowcount == 1


async def give_back(session: AsyncSession, budget: Budget, *keys: str, now: datetime) -> None:
    """A try that turned out right is returned (in the request's own transaction)."""
    for key in dict.fromkeys(k for k in keys if k):
        await session.execute(
            update(ThrottleWindow)
            .where(
                ThrottleWindow.bucket == budget.bucket,
                ThrottleWindow.key_hash == budget.key_hash(key),
                ThrottleWindow.window == budget.window(now),
                ThrottleWindow.hits > 0,
            )
            .values(hits=ThrottleWindow.hits - 1)
        )


async def used_up(session: AsyncSession, budget: Budget, key: str, now: datetime) -> bool:
    hits = await session.scalar(
        select(ThrottleWindow.hits).where(
            ThrottleWindow.bucket == budget.bucket,
            ThrottleWindow.key_hash == budget.key_hash(key),
            ThrottleWindow.window == budget.window(now),
        )
    )
    return (hits or 0) >= budget.limit


async def forget_old(session: AsyncSession, *, now: datetime) -> int:
    """Windows long over are deleted (the worker's housekeeping)."""
    horizon = int((now - KEEP).timestamp())
    result = await session.execute(delete(ThrottleWindow).where(ThrottleWindow.window < horizon))
    return result.rowcount if isinstance(result, CursorResult) else 0
