"""Admin API: this device receives the coach's notices by Web Push."""

from __future__ import annotations

from fastapi import APIRouter, Response
from pydantic import BaseModel, Field, field_validator
from sqlalchemy import delete, select

from coachdesk.models import PushSubscription
from coachdesk.notifications import push
from coachdesk.web.api.common import ERRORS
from coachdesk.web.deps import DB, Now, Owner, State

router = APIRouter(prefix="/push-subscriptions", tags=["admin: notifications"], responses=ERRORS)


class Keys(BaseModel):
    p256dh: str = Field(max_length=200, description="The device's P-256 key, base64url")
    auth: str = Field(max_length=100, description="16 random bytes, base64url")

    @field_validator("p256dh")
    @classmethod
    def _point(cls, value: str) -> str:
        return push.checked_key(value, size=65, first=4)

    @field_validator("auth")
    @classmethod
    def _secret(cls, value: str) -> str:
        return push.checked_key(value, size=16)


class SubscriptionIn(BaseModel):
    endpoint: str = Field(max_length=1000, description="https:// address of a push service")
    keys: Keys

    @field_validator("endpoint")
    @classmethod
    def _endpoint(cls, value: str) -> str:
        return push.checked_endpoint(value)


class EndpointIn(BaseModel):
    endpoint: str = Field(max_length=1000)


@router.get("/key")
async def application_server_key(owner: Owner, state: State) -> dict[str, str]:
    """The public VAPID key to subscribe with (``applicationServerKey``)."""
    return {"key": push.public_key(state.settings.data_dir)}


@router.post("", status_code=204)
async def subscribe(data: SubscriptionIn, db: DB, now: Now, owner: Owner) -> Response:
    found = await db.scalar(
        select(PushSubscription).where(PushSubscription.endpoint == data.endpoint)
    )
    if found is None:
        found = PushSubscription(endpoint=data.endpoint, coach_id=owner.id, created_at=now)
        db.add(found)
    found.coach_id, found.p256dh, found.auth = owner.id, data.keys.p256dh, data.keys.auth
    return Response(status_code=204)


@router.post("/remove", status_code=204)
async def unsubscribe(data: EndpointIn, db: DB, owner: Owner) -> Response:
    await db.execute(delete(PushSubscription).where(PushSubscription.endpoint == data.endpoint))
    return Response(status_code=204)
