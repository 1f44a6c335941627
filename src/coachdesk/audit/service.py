"""Writing and reading audit entries."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from coachdesk.models import AuditEntry, Coach


async def record(
    session: AsyncSession,
    *,
    actor: Coach | None,
    action: str,
    now: datetime,
    obj: Any = None,
    data: dict[str, Any] | None = None,
) -> AuditEntry:
    """Logs one admin change, e.g. ``action="course.created"`` with the course as ``obj``."""
    entry = AuditEntry(
        at=now,
        actor_id=actor.id if actor else None,
        actor_label=actor.email if actor else "system",
        action=action,
        object_type=type(obj).__name__.lower() if obj is not None else "",
        object_id=str(getattr(obj, "id", "")) if obj is not None else "",
        data=data or {},
    )
    session.add(entry)
    await session.flush()
    return entry


async def recent(session: AsyncSession, *, limit: int = 200) -> list[AuditEntry]:
    query = select(AuditEntry).order_by(AuditEntry.at.desc(), AuditEntry.id.desc()).limit(limit)
    return list((await session.scalars(query)).all())
