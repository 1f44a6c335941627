"""The OpenAPI explorer works from the app's own files under the app's own CSP."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import expect

from tests.e2e.conftest import ARTIFACTS, DESKTOP


def test_the_api_explorer_runs_from_local_files_under_the_csp(browser: Any, server: str) -> None:
    page = browser.new_context(viewport=DESKTOP, base_url=server).new_page()
    refused: list[str] = []
    outside: list[str] = []
    page.on("console", lambda m: refused.append(m.text) if "Content Security" in m.text else None)
    page.on("request", lambda r: None if r.url.startswith(server) else outside.append(r.url))
    response = page.goto("/api/docs")
    assert (
        response is not None and "script-src 'self'" in response.headers["content-security-policy"]
    )
    expect(page.get_by_text("/api/v1/bookings").first).to_be_visible()
    page.screenshot(path=str(ARTIFACTS / "api-docs-desktop.png"))
    assert refused == [] and outside == []
