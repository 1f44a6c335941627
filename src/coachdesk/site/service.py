"""Reading and changing the studio's settings."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from coachdesk.audit.service import record
from coachdesk.models import Coach, SettingValue
from coachdesk.site.registry import SiteSettings


async def load(session: AsyncSession) -> SiteSettings:
    rows = (await session.execute(select(SettingValue.key, SettingValue.value))).all()
    settings = SiteSettings()
    for key, value in rows:
        if key in SiteSettings.model_fields:
            try:
                setattr(settings, key, value)
            except ValidationError:
                continue  # an outdated value: keep the default
    return settings


async def change(
    session: AsyncSession, *, changes: dict[str, Any], actor: Coach | None, now: datetime
) -> SiteSettings:
    """Validates all changes first (raises pydantic's ValidationError), then stores them."""
    current = await load(session)
    updated = SiteSettings.model_validate({**current.model_dump(), **changes})
    changed = {
        key: getattr(updated, key)
        for key in changes
        if getattr(updated, key) != getattr(current, key)
    }
    for key, value in changed.items():
        await session.merge(SettingValue(key=key, value=value, updated_at=now))
    if changed:
        await record(
            session, actor=actor, action="settings.changed", now=now, data={"keys": sorted(changed)}
        )
    return updated
