"""Real-browser fixtures: the app served by `coachdesk run`, Debian's chromium via Playwright.

Skipped (with the reason) when chromium is not installed. Screenshots go to
tests/e2e/artifacts/ (git-ignored): look at them.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

ARTIFACTS = Path(__file__).parent / "artifacts"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
OWNER_EMAIL = "coach@example.ch"
OWNER_PASSWORD = "correct horse battery"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}


def chromium_path() -> str | None:
    return os.environ.get("CHROMIUM_PATH") or shutil.which("chromium")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def coachdesk(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "coachdesk", *args],
        env=env,
        check=True,
        capture_output=True,
        timeout=120,
    )


@pytest.fixture(scope="package")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    data = tmp_path_factory.mktemp("e2e")
    port = free_port()
    env = {
        **os.environ,
        "COACHDESK_DATA_DIR": str(data),
        "COACHDESK_ADMIN_EMAIL": OWNER_EMAIL,
        "COACHDESK_ADMIN_PASSWORD": OWNER_PASSWORD,
        "COACHDESK_PORT": str(port),
        "COACHDESK_BASE_URL": f"http://127.0.0.1:{port}",
        "COACHDESK_LOG_LEVEL": "warning",
    }
    env.pop("COACHDESK_DATABASE_URL", None)
    coachdesk("migrate", env=env)
    coachdesk("demo", "--if-empty", env=env)
    log = (data / "server.log").open("wb")
    process = subprocess.Popen(
        [sys.executable, "-m", "coachdesk", "run"], env=env, stdout=log, stderr=subprocess.STDOUT
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{url}/health", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.2)
        else:
            raise RuntimeError((data / "server.log").read_text())
        yield url
    finally:
        process.terminate()
        process.wait(timeout=10)


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
