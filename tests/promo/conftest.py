from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from coachdesk.models import PromoCode, PromoKind


async def make_code(
    db: AsyncSession,
    *,
    now: datetime,
    code: str = "SUMMER20",
    kind: PromoKind = PromoKind.percent,
    value: int = 20,
    max_uses: int | None = None,
    valid_until: date | None = None,
    **fields: Any,
) -> PromoCode:
    promo = PromoCode(
        code=code,
        kind=kind,
        value=value,
        max_uses=max_uses,
        valid_until=valid_until,
        created_at=now,
        updated_at=now,
        **fields,
    )
    db.add(promo)
    await db.commit()
    return promo
