"""The coach hears of a new booking: live in Coach Mode as soon as it is committed, then by
Web Push to a subscribed device (a local push-service stand-in decrypts what pywebpush sent,
checked the way a push service checks it), and by e-mail when switched on. A device the push
service forgot is dropped; each channel follows the settings."""

from __future__ import annotations

import base64
import json
import os
from dataclasses import dataclass, field
from typing import Any

import http_ece
import httpx
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, utils
from fastapi import FastAPI
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from coachdesk.booking.payments import take_event
from coachdesk.integrations.payments import PaymentEventData
from coachdesk.kit.clock import FixedClock
from coachdesk.models import Booking, CoachNotice, EmailMessage, NoticeEvent, PushSubscription
from coachdesk.notifications import push
from coachdesk.realtime.hub import COACH
from coachdesk.site import service as site_service
from coachdesk.worker.loop import Worker
from tests.conftest import BASE_URL
from tests.factories import csrf_token, login, make_coach, make_course, make_offer, next_sessions
from tests.fakes.server import serving


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


@dataclass
class Device:
    """A browser's side of a push subscription: its key pair and auth secret."""

    key: ec.EllipticCurvePrivateKey = field(
        default_factory=lambda: ec.generate_private_key(ec.SECP256R1())
    )
    auth: bytes = field(default_factory=lambda: os.urandom(16))

    def keys(self) -> dict[str, str]:
        point = self.key.public_key().public_bytes(
            serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
        )
        return {"p256dh": b64(point), "auth": b64(self.auth)}


@dataclass
class PushService:
    device: Device
    gone: bool = False
    received: list[dict[str, Any]] = field(default_factory=list)
    headers: list[dict[str, str]] = field(default_factory=list)

    async def deliver(self, request: Request) -> Response:
        if self.gone:
            return Response(status_code=410)
        body = await request.body()
        plain = http_ece.decrypt(
            body, private_key=self.device.key, auth_secret=self.device.auth, version="aes128gcm"
        )
        self.received.append(json.loads(plain))
        self.headers.append(dict(request.headers))
        return Response(status_code=201)

    def app(self) -> Starlette:
        return Starlette(routes=[Route("/push/{token}", self.deliver, methods=["POST"])])


def verified_claims(token: str, vapid: Any) -> dict[str, Any]:
    """Checks the VAPID JWT's ES256 signature as a push service does; returns its claims."""
    head, body, signature = token.split(".")
    raw = base64.urlsafe_b64decode(signature + "=" * (-len(signature) % 4))
    der = utils.encode_dss_signature(int.from_bytes(raw[:32]), int.from_bytes(raw[32:]))
    vapid.public_key.verify(der, f"{head}.{body}".encode(), ec.ECDSA(hashes.SHA256()))
    return dict(json.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))))


async def a_booking(client: httpx.AsyncClient, db: AsyncSession, clock: FixedClock) -> None:
    offer = await make_offer(db, now=clock.now())
    course = await make_course(db, now=clock.now(), offer_ids=[offer.id])
    target = (await next_sessions(db, course.id))[0]
    await db.commit()
    form = {
        "csrf_token": await csrf_token(client, "/"),
        "s": str(target.id),
        "choice": f"offer:{offer.id}",
        "name": "Léa Martin",
        "email": "lea@example.ch",
        "accept_terms": "1",
        "payment_method": "on_site",
    }
    done = await client.post("/book", data=form)
    assert done.status_code == 303, done.text


async def test_a_new_booking_is_told_live_then_pushed_and_emailed(
    app: FastAPI, client: httpx.AsyncClient, db: AsyncSession, clock: FixedClock
) -> None:
    core = app.state.core
    await make_coach(db, now=clock.now())
    headers = {"X-CSRF-Token": await login(client)}
    key = (await client.get("/api/v1/admin/push-subscriptions/key")).json()["key"]
    assert key == push.public_key(core.settings.data_dir)
    device = PushService(Device())
    await site_service.change(
        db, changes={"notify_email": ["booking_new"]}, actor=None, now=clock.now()
    )
    await db.commit()
    with serving(device.app()) as url:
        endpoint = f"{url}/push/abc"
        made = await client.post(
            "/api/v1/admin/push-subscriptions",
            json={"endpoint": endpoint, "keys": device.device.keys()},
            headers=headers,
        )
        assert made.status_code == 204
        async with core.hub.listen(COACH) as events:
            await a_booking(client, db, clock)
            live = await events.get()
        assert live["type"] == "notice" and live["title"] == "Nouvelle réservation"
        assert live["body"].startswith("Léa Martin · ") and live["url"].startswith(
            "/coach/bookings/"
        )
        worker = Worker(
            core.sessions,
            clock,
            base_url=BASE_URL,
            data_dir=core.settings.data_dir,
            push_contact="mailto:studio@example.ch",
        )
        await worker.run_once()
    [pushed] = device.received
    assert pushed == {"title": "Nouvelle réservation", "body": live["body"], "url": live["url"]}
    sent = device.headers[0]
    assert sent["content-encoding"] == "aes128gcm" and int(sent["ttl"]) > 0
    scheme, rest = sent["authorization"].split(" ", 1)
    parts = dict(part.strip().split("=", 1) for part in rest.split(","))
    assert scheme == "vapid" and parts["k"] == key
    claims = verified_claims(parts["t"], push.keys(core.settings.data_dir))
    assert claims["sub"] == "mailto:studio@example.ch" and claims["aud"] == url
    mail = await db.scalar(select(EmailMessage).where(EmailMessage.kind == "coach_notice"))
    assert mail is not None and mail.subject == "Nouvelle réservation"
    assert f"{BASE_URL}/coach/bookings/" in mail.text
    notice = await db.scalar(select(CoachNotice).execution_options(populate_existing=True))
    assert notice is not None and notice.status.value == "done" and notice.error == ""


async def test_a_forgotten_device_is_dropped_and_switches_are_followed(
    app: FastAPI, client: httpx.AsyncClient, db: AsyncSession, clock: FixedClock
) -> None:
    core = app.state.core
    coach = await make_coach(db, now=clock.now())
    device = PushService(Device(), gone=True)
    with serving(device.app()) as url:
        db.add(
            PushSubscription(
                coach_id=coach.id,
                endpoint=f"{url}/push/x",
                created_at=clock.now(),
                **device.device.keys(),
            )
        )
        await site_service.change(db, changes={"notify_push": []}, actor=None, now=clock.now())
        await db.commit()
        await a_booking(client, db, clock)
        worker = Worker(core.sessions, clock, base_url=BASE_URL, data_dir=core.settings.data_dir)
        await worker.run_once()
        assert await db.scalar(select(PushSubscription)) is not None  # push off: not tried
        await site_service.change(
            db, changes={"notify_push": ["booking_cancelled"]}, actor=None, now=clock.now()
        )
        await db.commit()
        booking = await db.scalar(select(Booking))
        assert booking is not None
        token = await login(client)
        cancelled = await client.post(
            f"/coach/bookings/{booking.id}/cancel", data={"csrf_token": token}
        )
        assert cancelled.status_code in (200, 303)
        await worker.run_once()
    assert await db.scalar(select(PushSubscription)) is None  # 410: the device is gone
    assert await db.scalar(select(EmailMessage).where(EmailMessage.kind == "coach_notice")) is None


async def test_a_failed_payment_and_the_settings_grid(
    client: httpx.AsyncClient, db: AsyncSession, clock: FixedClock
) -> None:
    await make_coach(db, now=clock.now())
    token = await login(client)
    await a_booking(client, db, clock)
    booking = await db.scalar(select(Booking))
    assert booking is not None
    booking.stripe_session_id = "cs_test_1"
    await db.commit()
    event = PaymentEventData(
        id="evt_1",
        type="checkout.session.async_payment_failed",
        payload={"data": {"object": {"id": "cs_test_1"}}},
    )
    assert await take_event(db, event=event, now=clock.now()) == "failed"
    told = await db.scalar(
        select(CoachNotice).where(CoachNotice.event == NoticeEvent.payment_failed)
    )
    assert told is not None and told.body == f"Léa Martin · {booking.code}"
    await db.commit()
    page = await client.get("/coach/settings")
    assert 'name="notify_push" value="payment_failed" aria-label' in page.text
    form = {
        "csrf_token": token,
        "notify_form": "1",
        "notify_email": ["payment_failed", "booking_new"],
        "coach_whatsapp": "079 123 45 67",
    }
    assert (await client.post("/coach/settings", data=form)).status_code == 303
    saved = await site_service.load(db)
    assert saved.notify_push == [] and sorted(saved.notify_email) == [
        "booking_new",
        "payment_failed",
    ]
    assert saved.coach_whatsapp == "+41791234567"


async def test_a_malformed_subscription_is_refused_and_a_broken_one_blocks_no_notice(
    app: FastAPI, client: httpx.AsyncClient, db: AsyncSession, clock: FixedClock
) -> None:
    """Issue 12 #7: the API refuses what is not a push subscription; one already stored
    that fails (VAPID refuses its address) is noted, and the other device and the e-mail
    still get the notice."""
    core = app.state.core
    coach = await make_coach(db, now=clock.now())
    headers = {"X-CSRF-Token": await login(client)}
    good = Device().keys()
    for endpoint, keys in [
        ("http://", good),
        ("http://push.example.com/x", good),
        ("https://[", good),
        ("https://push", good),
        ("https://push.example.com/x", {"p256dh": "A" * 40, "auth": good["auth"]}),
        ("https://push.example.com/x", {"p256dh": good["p256dh"], "auth": "short"}),
    ]:
        refused = await client.post(
            "/api/v1/admin/push-subscriptions",
            json={"endpoint": endpoint, "keys": keys},
            headers=headers,
        )
        assert refused.status_code == 422, endpoint
    assert await db.scalar(select(PushSubscription)) is None
    device = PushService(Device())
    with serving(device.app()) as url:
        db.add(
            PushSubscription(coach_id=coach.id, endpoint="http://", created_at=clock.now(), **good)
        )
        db.add(
            PushSubscription(
                coach_id=coach.id,
                endpoint=f"{url}/push/ok",
                created_at=clock.now(),
                **device.device.keys(),
            )
        )
        await site_service.change(
            db, changes={"notify_email": ["booking_new"]}, actor=None, now=clock.now()
        )
        await db.commit()
        await a_booking(client, db, clock)
        worker = Worker(core.sessions, clock, base_url=BASE_URL, data_dir=core.settings.data_dir)
        await worker.run_once()
    assert [p["title"] for p in device.received] == ["Nouvelle réservation"]
    assert await db.scalar(select(EmailMessage).where(EmailMessage.kind == "coach_notice"))
    notice = await db.scalar(select(CoachNotice).execution_options(populate_existing=True))
    assert notice is not None and notice.status.value == "done" and "push" in notice.error
