"""The Apparence tab: a preset restyles every page at once, uploaded images are checked,
resized and served by the app; SVG, non-images, oversize files and non-colours refused."""

from __future__ import annotations

import io

import httpx
from PIL import Image
from sqlalchemy.ext.asyncio import AsyncSession

from coachdesk.kit.clock import FixedClock
from coachdesk.site import service as site_service
from coachdesk.site.registry import PRESETS, contrast, text_on
from tests.factories import login, make_coach


def picture(size: tuple[int, int], kind: str = "PNG", colour: str = "#ff2d95") -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, kind)
    return out.getvalue()


async def coach(client: httpx.AsyncClient, db: AsyncSession, clock: FixedClock) -> str:
    await make_coach(db, now=clock.now())
    return await login(client)


async def test_a_preset_restyles_the_site_and_coach_mode_at_once(
    client: httpx.AsyncClient, db: AsyncSession, clock: FixedClock
) -> None:
    token = await coach(client, db, clock)
    saved = await client.post(
        "/coach/appearance",
        data={"csrf_token": token, "app_name": "Disco Fit", "preset": "Vert Menthe"},
    )
    assert saved.status_code == 303
    mint, purple = PRESETS["Vert Menthe"]
    for url in ("/", "/coach/today", "/coach/team"):  # public, and pages without settings
        page = await client.get(url)
        assert f"--primary:{mint};--secondary:{purple};--on-primary:#000000" in page.text
    assert "<title>Disco Fit</title>" in (await client.get("/")).text


async def test_the_settings_saved_elsewhere_show_on_every_page(
    client: httpx.AsyncClient, db: AsyncSession, clock: FixedClock
) -> None:
    await coach(client, db, clock)
    await client.get("/coach/today")
    await site_service.change(db, changes={"app_name": "Ailleurs"}, actor=None, now=clock.now())
    await db.commit()  # as if another process had saved it
    assert "Ailleurs" in (await client.get("/coach/team")).text


async def test_uploaded_images_are_checked_resized_and_served(
    client: httpx.AsyncClient, db: AsyncSession, clock: FixedClock
) -> None:
    token = await coach(client, db, clock)
    files = {
        "logo_file": ("logo.jpg", picture((2400, 1200), "JPEG"), "image/jpeg"),
        "favicon_file": ("icon.png", picture((300, 200)), "image/png"),
    }
    saved = await client.post(
        "/coach/appearance",
        data={"csrf_token": token, "app_name": "Disco", "poster_active": "1"},
        files=files,
    )
    assert saved.status_code == 303
    site = await site_service.load(db)
    assert site.logo_url.startswith("/media/") and site.logo_url.endswith(".webp")
    logo = await client.get(site.logo_url)
    assert logo.status_code == 200 and logo.headers["content-type"] == "image/webp"
    assert "immutable" in logo.headers["cache-control"]
    assert Image.open(io.BytesIO(logo.content)).size == (512, 256)  # resized, same shape
    icon = Image.open(io.BytesIO((await client.get(site.favicon_url)).content))
    assert icon.size == (200, 200)  # square
    assert f'<link rel="icon" href="{site.favicon_url}">' in (await client.get("/")).text
    assert (await client.get("/media/../secret.key")).status_code == 404
    assert (await client.get("/media/0123456789abcdef01234567.webp")).status_code == 404


async def test_bad_files_and_colours_are_refused_and_nothing_changes(
    client: httpx.AsyncClient, db: AsyncSession, clock: FixedClock
) -> None:
    token = await coach(client, db, clock)
    before = await site_service.load(db)
    svg = b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
    cases = [
        ("logo_file", ("logo.svg", svg, "image/svg+xml"), "Les images SVG ne sont pas acceptées"),
        ("logo_file", ("logo.png", b"%PDF-1.7 not an image", "image/png"), "pas une image"),
        ("poster_file", ("big.png", b"\x89PNG" + b"0" * 8_000_001, "image/png"), "trop lourde"),
    ]
    for field, upload, message in cases:
        refused = await client.post(
            "/coach/appearance",
            data={"csrf_token": token, "app_name": "Autre nom"},
            files={field: upload},
        )
        assert refused.status_code == 422 and message in refused.text
    colour = await client.post(
        "/coach/appearance",
        data={"csrf_token": token, "app_name": "Autre nom", "primary_color": "red; }"},
    )
    assert colour.status_code == 422
    assert await site_service.load(db) == before


def test_every_preset_keeps_button_text_readable() -> None:
    for primary, secondary in PRESETS.values():
        assert contrast(primary, text_on(primary)) >= 4.5  # WCAG AA for button labels
        assert contrast(secondary, "#0b0b10") >= 4.5  # accents on the dark background


async def test_the_app_manifest_icons_and_service_worker(
    client: httpx.AsyncClient, db: AsyncSession, clock: FixedClock
) -> None:
    token = await coach(client, db, clock)
    manifest = (await client.get("/manifest.webmanifest")).json()
    sizes = {icon["sizes"]: icon["src"] for icon in manifest["icons"]}
    for size in (192, 512):
        drawn = Image.open(io.BytesIO((await client.get(sizes[f"{size}x{size}"])).content))
        assert drawn.format == "PNG" and drawn.size == (size, size)
    assert (await client.get("/icon-64.png")).status_code == 404
    await client.post(
        "/coach/appearance",
        data={"csrf_token": token, "app_name": "Disco"},
        files={"favicon_file": ("i.png", picture((600, 600), colour="#123456"), "image/png")},
    )
    icon = Image.open(io.BytesIO((await client.get("/icon-192.png")).content)).convert("RGB")
    assert icon.getpixel((96, 96)) == (0x12, 0x34, 0x56)  # the uploaded icon, resized
    worker = await client.get("/sw.js")
    assert worker.headers["content-type"].startswith("text/javascript")
    assert worker.headers["cache-control"] == "no-cache"
    assert "/static/js/ticket.js?v=" in worker.text and 'startsWith("/t/")' in worker.text


async def test_course_playlists_play_on_the_public_page_when_switched_on(
    client: httpx.AsyncClient, db: AsyncSession, clock: FixedClock
) -> None:
    token = await coach(client, db, clock)
    course = {
        "csrf_token": token,
        "name": "Disco Cardio",
        "weekday": "4",
        "start_time": "18:30",
        "capacity": "20",
        "visible": "1",
    }
    bad = await client.post(
        "/coach/courses", data={**course, "playlist": "Échauffement | ftp://x/a.mp3"}
    )
    assert bad.status_code == 422 and "Échauffement | ftp://x/a.mp3</textarea>" in bad.text
    tracks = "Échauffement | https://cdn.studio.ch/warm.mp3\nhttps://cdn.studio.ch/cardio.mp3"
    made = await client.post("/coach/courses", data={**course, "playlist": tracks})
    assert made.status_code == 303
    edit = await client.get(made.headers["location"])
    assert "Échauffement | https://cdn.studio.ch/warm.mp3\ncardio.mp3 | https://" in edit.text
    assert "<audio" not in (await client.get("/")).text  # the player is off by default
    await client.post(
        "/coach/appearance",
        data={"csrf_token": token, "app_name": "Disco", "audio_player_enabled": "1"},
    )
    page = (await client.get("/")).text
    assert "La musique des cours" in page
    assert '<audio controls preload="none" src="https://cdn.studio.ch/warm.mp3"' in page
    assert page.count("<audio") == 2
