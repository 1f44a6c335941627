"""On a phone, the coach restyles the site with a preset and a logo; the public page and
Coach Mode take it at once. Screenshots of both sizes are looked at."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PIL import Image, ImageDraw
from playwright.sync_api import expect

from coachdesk.site.registry import PRESETS
from tests.e2e.conftest import DESKTOP, PHONE, shot
from tests.servers import OWNER_EMAIL, OWNER_PASSWORD, coachdesk, environment, running


@pytest.fixture(scope="module")
def studio(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    data = tmp_path_factory.mktemp("appearance")
    env = environment(data)
    coachdesk("migrate", env=env)
    coachdesk("demo", "--if-empty", env=env)
    with running(env, data / "server.log") as url:
        yield url, data


def logo_file(folder: Path) -> Path:
    image = Image.new("RGB", (800, 800), "#111111")
    ImageDraw.Draw(image).ellipse((100, 100, 700, 700), fill="#2ee6a6")
    path = folder / "logo.png"
    out = io.BytesIO()
    image.save(out, "PNG")
    path.write_bytes(out.getvalue())
    return path


@pytest.mark.parametrize("size", ["phone", "desktop"])
def test_restyle_with_a_preset_and_a_logo(
    browser: Any, studio: tuple[str, Path], tmp_path: Path, size: str
) -> None:
    url, _ = studio
    viewport = PHONE if size == "phone" else DESKTOP
    context = browser.new_context(
        viewport=viewport, base_url=url, locale="fr-CH", is_mobile=size == "phone"
    )
    page = context.new_page()
    page.viewport_name = size
    page.goto("/coach")
    page.get_by_role("textbox", name="E-mail").fill(OWNER_EMAIL)
    page.get_by_label("Mot de passe").fill(OWNER_PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.get_by_role("link", name="Apparence").click()
    preset = "Vert Menthe" if size == "phone" else "Orange Sunset"
    page.get_by_role("button", name=preset).click()  # fills the colours, saves nothing yet
    primary = PRESETS[preset][0]
    expect(page.get_by_label("Couleur principale")).to_have_value(primary)
    preview = page.locator("[data-theme-preview] .btn-primary")
    expect(preview).to_have_css("background-color", rgb(primary))
    page.get_by_label("Logo (image)").set_input_files(str(logo_file(tmp_path)))
    shot(page, "appearance-tab")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_role("status")).to_contain_text("Modifications enregistrées.")
    expect(page.locator(".tabs a[aria-current]")).to_have_css("background-color", rgb(primary))
    page.goto("/")
    logo = page.locator(".topbar .brand img")
    expect(logo).to_have_attribute("src", re.compile(r"^/media/[0-9a-f]{24}\.webp$"))
    assert page.evaluate("document.querySelector('.topbar .brand img').naturalWidth") == 512
    expect(page.locator(".hero .btn-primary")).to_have_css("background-color", rgb(primary))
    shot(page, "appearance-landing")
    context.close()


def rgb(colour: str) -> str:
    r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return f"rgb({r}, {g}, {b})"
