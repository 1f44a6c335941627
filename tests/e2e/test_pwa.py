"""The installable app: a ticket opened once is still there offline, and the install banner
remembers "Non merci" on this device."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import expect

from tests.e2e.conftest import shot

Page = Any
OFFER = """() => {
  const event = new Event("beforeinstallprompt");
  event.prompt = () => { window.prompted = true; };
  event.userChoice = Promise.resolve({ outcome: "accepted" });
  window.dispatchEvent(event);
}"""


def test_a_ticket_opened_once_stays_readable_offline(page: Page) -> None:
    page.goto("/")
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    card = page.locator(".session-card").filter(has=page.get_by_role("link", name="Réserver"))
    card.first.get_by_role("link", name="Réserver").click()
    page.get_by_text("Cours à l'unité").click()
    page.get_by_label("Prénom et nom").fill(f"Hors ligne {page.viewport_name}")
    page.get_by_role("textbox", name="E-mail").fill(f"offline.{page.viewport_name}@example.ch")
    page.get_by_label("J'accepte les conditions").check()
    page.get_by_role("button", name="Réserver").click()
    expect(page.get_by_role("status")).to_contain_text("C'est réservé")
    ticket = page.url
    page.wait_for_function("navigator.serviceWorker.controller !== null")
    page.reload()  # fetched through the service worker, and kept
    code = page.locator(".ticket-code").inner_text()
    page.context.set_offline(True)
    try:
        page.goto(ticket)
        expect(page.locator(".ticket-code")).to_have_text(code)
        expect(page.locator(".ticket-qr svg")).to_be_visible()
        shot(page, "ticket-offline")
    finally:
        page.context.set_offline(False)


def test_the_install_banner_remembers_no_thanks(page: Page) -> None:
    page.goto("/")
    banner = page.locator("[data-install]")
    expect(banner).to_be_hidden()
    page.evaluate(OFFER)  # what the browser sends when the app can be installed
    expect(banner).to_be_visible()
    expect(banner).to_contain_text("à votre écran d'accueil")
    shot(page, "install-banner")
    banner.get_by_role("button", name="Non merci").click()
    expect(banner).to_be_hidden()
    page.reload()
    page.evaluate(OFFER)
    expect(banner).to_be_hidden()  # not asked again on this device
    page.evaluate("localStorage.clear()")
    page.reload()
    page.evaluate(OFFER)
    banner.get_by_role("button", name="Installer").click()
    assert page.evaluate("window.prompted") is True
