"""Real-browser fixtures: the app served by `coachdesk run`, Debian's chromium via Playwright.

Skipped (with the reason) when chromium is not installed. Screenshots go to
tests/e2e/artifacts/ (git-ignored): look at them.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.servers import coachdesk, environment, running

ARTIFACTS = Path(__file__).parent / "artifacts"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}


def chromium_path() -> str | None:
    return os.environ.get("CHROMIUM_PATH") or shutil.which("chromium")


SERVED: dict[str, Path] = {}  # where the served app keeps its data (its SQLite file)


@pytest.fixture(scope="package")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    data = tmp_path_factory.mktemp("e2e")
    SERVED["data"] = data
    env = environment(data)
    coachdesk("migrate", env=env)
    coachdesk("demo", "--if-empty", env=env)
    with running(env, data / "server.log") as url:
        yield url


@pytest.fixture(scope="package")  # closed before other packages' async tests run
def browser() -> Iterator[object]:
    path = chromium_path()
    if not path:
        pytest.skip(
            "Debian chromium not installed (apt-get install chromium): browser tests skipped"
        )
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@pytest.fixture(params=["phone", "desktop"])
def page(request: pytest.FixtureRequest, browser: object, server: str) -> Iterator[object]:
    viewport = PHONE if request.param == "phone" else DESKTOP
    context = browser.new_context(  # type: ignore[attr-defined]
        viewport=viewport,
        base_url=server,
        locale="fr-CH",
        is_mobile=request.param == "phone",
        has_touch=request.param == "phone",
    )
    tab = context.new_page()
    tab.viewport_name = request.param
    yield tab
    context.close()


def shot(page: object, name: str) -> Path:
    path = ARTIFACTS / f"{name}-{page.viewport_name}.png"  # type: ignore[attr-defined]
    page.screenshot(path=str(path), full_page=True)  # type: ignore[attr-defined]
    return path


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Every browser test carries the `e2e` marker: `pytest -m "not e2e"` skips them all."""
    for item in items:
        if "tests/e2e/" in str(item.path).replace("\\", "/"):
            item.add_marker(pytest.mark.e2e)
