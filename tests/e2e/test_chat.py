"""The chat in real browsers: a visitor on a phone, the coach on a desktop, live both ways."""

from __future__ import annotations

import re
from typing import Any

from playwright.sync_api import expect

from tests.e2e.conftest import ARTIFACTS, DESKTOP, PHONE
from tests.servers import OWNER_EMAIL, OWNER_PASSWORD


def test_visitor_and_coach_talk_in_real_time(browser: Any, server: str) -> None:
    visitor = browser.new_context(
        viewport=PHONE, base_url=server, locale="fr-CH", is_mobile=True, has_touch=True
    ).new_page()
    coach = browser.new_context(viewport=DESKTOP, base_url=server, locale="fr-CH").new_page()
    try:
        visitor.goto("/")
        visitor.get_by_role("button", name="Discuter avec nous").click()
        widget = visitor.locator(".chat-panel")
        widget.get_by_label("Prénom").fill("Mila")
        widget.locator("input[name=email]").fill("mila@example.ch")
        widget.get_by_label("J'accepte que ces coordonnées servent à me répondre").check()
        widget.get_by_role("button", name="Commencer").click()
        widget.get_by_label("Votre message…").fill("Quels sont vos prix ?")
        widget.get_by_role("button", name="Envoyer").click()
        expect(widget.locator(".chat-msg").last).to_contain_text("Carte 10 cours")
        visitor.screenshot(path=str(ARTIFACTS / "chat-widget-phone.png"))

        coach.goto("/coach")
        coach.get_by_role("textbox", name="E-mail").fill(OWNER_EMAIL)
        coach.get_by_label("Mot de passe").fill(OWNER_PASSWORD)
        coach.get_by_role("button", name="Se connecter").click()
        coach.goto("/coach/inbox")
        coach.get_by_role("link", name="Mila").click()
        expect(coach.locator(".chat-log")).to_contain_text("Quels sont vos prix ?")
        coach.wait_for_timeout(500)  # the page's WebSocket connects

        widget.get_by_label("Votre message…").fill("<script>alert(1)</script> merci !")
        widget.get_by_role("button", name="Envoyer").click()
        expect(coach.locator(".chat-log")).to_contain_text(
            "<script>alert(1)</script> merci !"
        )  # arrived live (no reload), shown as text

        coach.get_by_label("Votre réponse").fill("Avec plaisir, à mercredi !")
        coach.get_by_role("button", name="Envoyer").click()
        expect(widget.locator(".chat-msg").last).to_contain_text("Avec plaisir, à mercredi !")
        expect(coach).to_have_url(re.compile(r"/coach/inbox/\d+"))
        coach.screenshot(path=str(ARTIFACTS / "inbox-desktop.png"), full_page=True)
        visitor.screenshot(path=str(ARTIFACTS / "chat-reply-phone.png"))
    finally:
        visitor.context.close()
        coach.context.close()
