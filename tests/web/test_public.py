"""The landing page, languages, platform endpoints and friendly errors."""

from __future__ import annotations

from datetime import timedelta

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from coachdesk.kit.clock import FixedClock
from coachdesk.models import OfferKind
from coachdesk.site import service as site_service
from tests.factories import make_course, make_offer


async def seed(db: AsyncSession, clock: FixedClock) -> None:
    await make_offer(
        db,
        now=clock.now(),
        name="Carte 10 cours",
        kind=OfferKind.pack,
        price_cents=15000,
        credits=10,
        validity_days=183,
        description="10 séances à utiliser en 6 mois.",
    )
    await make_course(db, now=clock.now(), name="Silent Disco Cardio", capacity=20)
    await make_course(db, now=clock.now(), name="Cours secret", visible=False)


async def test_landing_shows_sessions_with_seats_and_offers_in_french(
    client: httpx.AsyncClient, db: AsyncSession, clock: FixedClock
) -> None:
    await seed(db, clock)
    page = (await client.get("/")).text
    assert "Prochaines séances" in page and "Silent Disco Cardio" in page
    assert "mercredi 18 novembre" in page and "18:30" in page
    assert "20 places" in page
    assert "Carte 10 cours" in page and "CHF 150.–" in page and "10 cours" in page
    assert "10 séances à utiliser en 6 mois." in page  # the "i" info, readable without JS
    assert "Cours secret" not in page
    assert '<html lang="fr">' in page


async def test_full_and_cancelled_sessions_say_so(
    client: httpx.AsyncClient, db: AsyncSession, clock: FixedClock
) -> None:
    course = await make_course(db, now=clock.now(), capacity=2)
    await db.execute(
        text(
            "UPDATE course_sessions SET seats_taken = 2 WHERE id = "
            "(SELECT MIN(id) FROM course_sessions)"
        )
    )
    await db.execute(
        text(
            "UPDATE course_sessions SET status = 'cancelled' WHERE id = "
            "(SELECT MAX(id) FROM course_sessions)"
        )
    )
    await db.commit()
    page = (await client.get("/")).text
    assert course.name in page and "Complet" in page and "Annulée" in page


@pytest.mark.parametrize(
    ("accept", "expected"),
    [
        ("de-CH,de;q=0.9", "Nächste Termine"),
        ("en-GB,en;q=0.8", "Upcoming classes"),
        ("it-CH", "Prochaines séances"),
    ],
)
async def test_the_browser_language_is_used(
    client: httpx.AsyncClient, db: AsyncSession, clock: FixedClock, accept: str, expected: str
) -> None:
    await seed(db, clock)
    page = (await client.get("/", headers={"Accept-Language": accept})).text
    assert expected in page


async def test_switching_language_sticks_and_returns_to_the_page(
    client: httpx.AsyncClient, db: AsyncSession, clock: FixedClock
) -> None:
    await seed(db, clock)
    response = await client.get("/lang/de", params={"next": "/#offres"})
    assert response.status_code == 303 and response.headers["location"] == "/#offres"
    page = (await client.get("/")).text
    assert '<html lang="de">' in page and "Mittwoch, 18. November" in page and "20 Plätze" in page
    bad = await client.get("/lang/de", params={"next": "https://evil.example"})
    assert bad.headers["location"] == "/"


async def test_the_theme_colours_come_from_the_settings(
    client: httpx.AsyncClient, db: AsyncSession, clock: FixedClock
) -> None:
    await site_service.change(db, changes={"primary_color": "#00AA55"}, actor=None, now=clock.now())
    await db.commit()
    page = (await client.get("/")).text
    assert "--primary:#00aa55" in page


async def test_youtube_shorts_hero_is_embedded_muted_and_looping(
    client: httpx.AsyncClient, db: AsyncSession, clock: FixedClock
) -> None:
    await site_service.change(
        db,
        changes={"hero_media_url": "https://youtube.com/shorts/abcDEF12345"},
        actor=None,
        now=clock.now(),
    )
    await db.commit()
    page = (await client.get("/")).text
    assert "youtube-nocookie.com/embed/abcDEF12345?autoplay=1&amp;mute=1&amp;loop=1" in page
    assert "hero-shield" in page  # no click-through to YouTube


async def test_the_page_needs_no_framework_and_stays_small(
    client: httpx.AsyncClient, db: AsyncSession, clock: FixedClock
) -> None:
    await seed(db, clock)
    response = await client.get("/")
    assert response.headers["content-security-policy"].startswith("default-src 'self'")
    total = len(response.content)
    for asset in ("css/base.css", "css/site.css", "js/site.js", "css/chat.css", "js/chat.js"):
        total += len((await client.get(f"/static/{asset}")).content)
    assert total < 60_000


async def test_health_answers_ok_then_503_when_the_database_is_gone(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    ok = await client.get("/health")
    assert ok.status_code == 200 and ok.json()["status"] == "ok"
    from coachdesk.db import make_engine

    real = app.state.core.engine
    app.state.core.engine = make_engine("sqlite+aiosqlite:////nonexistent/dir/x.db")
    try:
        down = await client.get("/health")
    finally:
        await app.state.core.engine.dispose()
        app.state.core.engine = real
    assert down.status_code == 503 and down.json()["status"] != "ok"


async def test_manifest_uses_the_app_name_and_colours(
    client: httpx.AsyncClient, db: AsyncSession, clock: FixedClock
) -> None:
    await site_service.change(
        db, changes={"app_name": "Silent Disco Fit"}, actor=None, now=clock.now()
    )
    await db.commit()
    manifest = (await client.get("/manifest.webmanifest")).json()
    assert manifest["name"] == "Silent Disco Fit" and manifest["display"] == "standalone"
    assert manifest["icons"][-1]["src"] == "/icon.svg"
    icon = await client.get("/icon.svg")
    assert icon.headers["content-type"].startswith("image/svg+xml") and ">S<" in icon.text


async def test_unknown_page_is_a_friendly_404_in_the_visitor_language(
    client: httpx.AsyncClient,
) -> None:
    fr = await client.get("/nope")
    assert fr.status_code == 404 and "Page introuvable" in fr.text
    de = await client.get("/nope", headers={"Accept-Language": "de"})
    assert "Seite nicht gefunden" in de.text
    api = await client.get("/api/v1/nope")
    assert api.status_code == 404 and api.json()["error"]["code"] == "not_found"


async def test_a_crash_is_a_friendly_500_page_without_details(app: FastAPI) -> None:
    async def explode() -> None:
        raise RuntimeError("secret internal detail")

    app.add_api_route("/boom", explode)
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="https://testserver") as http:
        response = await http.get("/boom", headers={"Accept-Language": "en"})
    assert response.status_code == 500
    assert "Oops" in response.text and "secret internal detail" not in response.text


async def test_past_sessions_are_not_listed(
    client: httpx.AsyncClient, db: AsyncSession, clock: FixedClock
) -> None:
    await seed(db, clock)
    clock.advance(timedelta(hours=9))  # 19:00, tonight's class has started
    page = (await client.get("/")).text
    assert "mercredi 18 novembre" not in page and "mercredi 25 novembre" in page
