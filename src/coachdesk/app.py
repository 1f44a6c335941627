"""The application factory."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from coachdesk import __version__
from coachdesk.config import Settings, get_settings
from coachdesk.db import make_engine, make_session_factory
from coachdesk.integrations.email import EmailSender, OutboxSender, SmtpSender
from coachdesk.integrations.payments import PaymentGateway
from coachdesk.integrations.stripe_gateway import StripeGateway
from coachdesk.integrations.whatsapp import Endpoints
from coachdesk.kit.clock import Clock, SystemClock
from coachdesk.limits.budgets import Budgets
from coachdesk.notifications import live, push
from coachdesk.realtime.hub import Hub
from coachdesk.web import api_docs, errors, logs
from coachdesk.web.admin import router as admin_router
from coachdesk.web.api import router as api_router
from coachdesk.web.body_limit import BodyLimitMiddleware
from coachdesk.web.cache import MicroCache
from coachdesk.web.context import RequestContextMiddleware
from coachdesk.web.public import router as public_router
from coachdesk.web.sockets import router as sockets_router
from coachdesk.web.state import AppState
from coachdesk.web.templating import STATIC_DIR
from coachdesk.worker.loop import Worker


def payment_gateway(settings: Settings) -> PaymentGateway | None:
    if settings.stripe_secret_key is None or settings.stripe_webhook_secret is None:
        return None
    return StripeGateway(
        secret_key=settings.stripe_secret_key.get_secret_value(),
        webhook_secret=settings.stripe_webhook_secret.get_secret_value(),
        api_base=settings.stripe_api_base,
    )


def email_sender(settings: Settings) -> EmailSender:
    """SMTP when a host is configured; otherwise messages stay in the outbox."""
    if not settings.smtp_host:
        return OutboxSender()
    password = settings.smtp_password.get_secret_value() if settings.smtp_password else None
    return SmtpSender(
        host=settings.smtp_host,
        port=settings.smtp_port,
        sender=settings.mail_from,
        username=settings.smtp_username,
        password=password,
        starttls=settings.smtp_starttls,
        tls=settings.smtp_tls,
    )


def whatsapp_endpoints(settings: Settings) -> Endpoints:
    return Endpoints(twilio=settings.twilio_api_url, cloud=settings.whatsapp_api_url)


def create_app(settings: Settings | None = None, *, clock: Clock | None = None) -> FastAPI:
    settings = settings or get_settings()
    engine = make_engine(settings.database_url)
    hub = Hub(settings.redis_url)
    state = AppState(
        settings=settings,
        engine=engine,
        sessions=make_session_factory(engine, info={live.HUB: hub}),
        clock=clock or SystemClock(),
        secret=settings.resolved_secret(),
        public_cache=MicroCache(settings.public_cache_seconds),
        payments=payment_gateway(settings),
        email=email_sender(settings),
        whatsapp=whatsapp_endpoints(settings),
        hub=hub,
        budgets=Budgets.of(settings),
    )

    @contextlib.asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        push.keys(settings.data_dir)  # the Web Push key pair exists from the first run
        task = None
        if settings.embedded_worker:
            worker = Worker(
                state.sessions,
                state.clock,
                settings.worker_interval_seconds,
                email=state.email,
                base_url=settings.public_url(),
                secret=state.secret,
                campaign_per_minute=settings.campaign_emails_per_minute,
                data_dir=settings.data_dir,
                push_contact=f"mailto:{settings.mail_from}",
                whatsapp=state.whatsapp,
                hub=state.hub,
            )
            task = asyncio.create_task(worker.run_forever())
        yield
        if task:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        await state.hub.disconnect()
        await engine.dispose()

    app = FastAPI(
        title="coachdesk API",
        version=__version__,
        lifespan=lifespan,
        docs_url=None,  # served by web.api_docs from local files
        redoc_url=None,
        openapi_url="/api/openapi.json",
    )
    app.state.core = state
    logs.install()
    app.add_middleware(BodyLimitMiddleware)  # inside the context: errors in the visitor's words
    app.add_middleware(RequestContextMiddleware, cookie_secure=settings.cookie_secure)
    errors.install(app)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    app.include_router(public_router)
    app.include_router(admin_router)
    app.include_router(api_router)
    api_docs.install(app)
    app.include_router(sockets_router)
    return app
