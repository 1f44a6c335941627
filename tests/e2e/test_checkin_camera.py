"""The door scanner in a real browser whose camera shows a real ticket's QR code."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.sync_api import expect

from coachdesk.kit.clock import ZURICH
from tests.e2e.camera import qr_video
from tests.e2e.conftest import ARTIFACTS, CHROMIUM_ARGS, chromium_path
from tests.servers import OWNER_EMAIL, OWNER_PASSWORD

CSRF = re.compile(r'<meta name="csrf-token" content="([0-9a-f]+)">')


def admin_client(server: str) -> tuple[httpx.Client, str]:
    client = httpx.Client(base_url=server, follow_redirects=False)
    token = CSRF.search(client.get("/coach").text).group(1)  # type: ignore[union-attr]
    client.post(
        "/coach/login", data={"email": OWNER_EMAIL, "password": OWNER_PASSWORD, "csrf_token": token}
    )
    return client, token


def a_ticket_for_tonight(server: str) -> tuple[str, int]:
    """A free session starting in a few minutes, booked: the ticket URL and the offer id."""
    starts = datetime.now(UTC) + timedelta(minutes=10)
    if starts.astimezone(ZURICH).date() != datetime.now(UTC).astimezone(ZURICH).date():
        pytest.skip("too close to midnight for a session later today")
    admin, token = admin_client(server)
    headers = {"X-CSRF-Token": token}
    offer = admin.post(
        "/api/v1/admin/offers",
        headers=headers,
        json={"name": "Porte ouverte", "kind": "single", "price_cents": 0},
    ).json()
    course = admin.get("/api/v1/admin/courses", headers=headers).json()[0]
    session = admin.post(
        "/api/v1/admin/sessions",
        headers=headers,
        json={"course_id": course["id"], "starts_at": starts.isoformat(), "capacity": 5},
    ).json()
    visitor = httpx.Client(base_url=server)
    page = visitor.get("/book", params={"s": session["id"]}).text
    booked = visitor.post(
        "/book",
        follow_redirects=False,
        data={
            "csrf_token": CSRF.search(page).group(1),  # type: ignore[union-attr]
            "s": str(session["id"]),
            "choice": f"offer:{offer['id']}",
            "name": "Nora Door",
            "email": "nora@example.ch",
            "accept_terms": "1",
        },
    )
    return server + booked.headers["location"].split("?")[0], offer["id"]


def archive_offer(server: str, offer_id: int) -> None:
    admin, token = admin_client(server)
    admin.post(f"/api/v1/admin/offers/{offer_id}/archive", headers={"X-CSRF-Token": token})


def test_the_camera_reads_a_ticket_then_warns_on_the_second_scan(
    server: str, browser: Any, tmp_path: Path
) -> None:
    ticket, offer_id = a_ticket_for_tonight(server)
    video = qr_video(ticket, tmp_path / "ticket.y4m")
    camera_browser = browser.browser_type.launch(  # a browser of its own, with a fake camera
        executable_path=chromium_path(),
        args=[
            *CHROMIUM_ARGS,
            "--use-fake-device-for-media-stream",
            "--use-fake-ui-for-media-stream",
            f"--use-file-for-fake-video-capture={video}",
        ],
    )
    try:
        context = camera_browser.new_context(
            viewport={"width": 390, "height": 844}, base_url=server, locale="fr-CH"
        )
        context.grant_permissions(["camera"], origin=server)
        page = context.new_page()
        page.goto("/coach")
        page.get_by_role("textbox", name="E-mail").fill(OWNER_EMAIL)
        page.get_by_label("Mot de passe").fill(OWNER_PASSWORD)
        page.get_by_role("button", name="Se connecter").click()
        page.goto("/coach/scan")
        result = page.locator("[data-result]")
        expect(result).to_contain_text("Entrée validée", timeout=15_000)
        expect(result).to_contain_text("Nora Door")
        page.screenshot(path=str(ARTIFACTS / "scanner-valid-phone.png"))
        expect(result).to_contain_text("Déjà validé", timeout=15_000)
        page.screenshot(path=str(ARTIFACTS / "scanner-already-phone.png"))
        page.goto("/coach/today")
        expect(page.get_by_text("Nora Door")).to_be_visible()
        page.screenshot(path=str(ARTIFACTS / "today-phone.png"), full_page=True)
    finally:
        camera_browser.close()
        archive_offer(server, offer_id)  # the other browser tests expect the demo offers
