"""The chat in real browsers: a visitor on a phone, the coach on a desktop, live both ways."""

from __future__ import annotations

import re
import sqlite3
from typing import Any

from playwright.sync_api import expect

from tests.e2e.conftest import ARTIFACTS, DESKTOP, PHONE, SERVED
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
        expect(coach.locator("html[data-live=on]")).to_have_count(1)  # its WebSocket is open

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


def last_code(email: str) -> str:
    """The identity code e-mailed to this address (read from the served app's database)."""
    with sqlite3.connect(SERVED["data"] / "coachdesk.db") as db:
        row = db.execute(
            "SELECT identity_code FROM email_messages WHERE to_address = ? AND kind = 'chat_code'"
            " ORDER BY id DESC LIMIT 1",
            (email,),
        ).fetchone()
    assert row and row[0], f"no code e-mailed to {email}"
    return str(row[0])


def phone(browser: Any, server: str) -> Any:
    return browser.new_context(
        viewport=PHONE, base_url=server, locale="fr-CH", is_mobile=True, has_touch=True
    ).new_page()


def introduce(page: Any, name: str, email: str, path: str = "/") -> Any:
    page.goto(path)
    if path == "/":
        page.get_by_role("button", name="Discuter avec nous").click()
    widget = page.locator(".chat-panel")
    widget.get_by_label("Prénom").fill(name)
    widget.locator("input[name=email]").fill(email)
    widget.get_by_label("J'accepte que ces coordonnées servent à me répondre").check()
    widget.get_by_role("button", name="Commencer").click()
    return widget


def say(widget: Any, text: str) -> None:
    widget.get_by_label("Votre message…").fill(text)
    widget.get_by_role("button", name="Envoyer").click()
    expect(widget.get_by_text(text, exact=True)).to_be_visible()


def test_history_comes_back_only_with_the_code_and_a_community_gathers_visitors(
    browser: Any, server: str
) -> None:
    first, second, impostor = (phone(browser, server) for _ in range(3))
    coach, members = phone(browser, server), [phone(browser, server) for _ in range(2)]
    try:
        say(introduce(first, "Inès", "ines@example.ch"), "Mon genou va mieux, mercredi ok ?")

        other = introduce(second, "Inès", "INES@example.ch")  # another browser, same person
        expect(other.get_by_text("entrez le code reçu par e-mail")).to_be_visible()
        expect(other).not_to_contain_text("Mon genou")
        other.get_by_label("Code").fill(last_code("ines@example.ch"))
        other.get_by_role("button", name="Valider").click()
        expect(other.get_by_text("Ravi de vous revoir, Inès !")).to_be_visible()
        # the first browser never proved the address: what it wrote stays its own
        expect(other).not_to_contain_text("Mon genou")

        mine = first.locator(".chat-panel")  # it proves it in turn: one history
        mine.get_by_role("button", name="Options").click()
        mine.get_by_role("button", name="Retrouver mon historique (code par e-mail)").click()
        expect(mine.get_by_label("Code")).to_be_visible()  # the new code is written by now
        mine.get_by_label("Code").fill(last_code("ines@example.ch"))
        mine.get_by_role("button", name="Valider").click()
        expect(mine.get_by_label("Code")).to_have_count(0)
        second.reload()
        second.get_by_role("button", name="Discuter avec nous").click()
        expect(other).to_contain_text("Mon genou va mieux, mercredi ok ?")
        second.screenshot(path=str(ARTIFACTS / "chat-history-back-phone.png"))

        stranger = introduce(impostor, "Inès", "autre@example.ch")  # the name alone: nothing
        say(stranger, "Bonjour")
        expect(stranger).not_to_contain_text("Mon genou")

        coach.goto("/coach")
        coach.get_by_role("textbox", name="E-mail").fill(OWNER_EMAIL)
        coach.get_by_label("Mot de passe").fill(OWNER_PASSWORD)
        coach.get_by_role("button", name="Se connecter").click()
        coach.goto("/coach/inbox")
        coach.get_by_role("link", name="Inès").first.click()
        coach.locator("#mode").get_by_role("button", name="Coach").click()
        expect(coach.locator("#mode .btn-primary")).to_have_text("Coach")
        coach.screenshot(path=str(ARTIFACTS / "conversation-mode-phone.png"), full_page=True)

        coach.goto("/coach/inbox/links")
        coach.get_by_label("Titre").fill("Groupe du mercredi")
        coach.get_by_label("Communauté").check()
        coach.get_by_role("button", name="Créer le lien").click()
        link = coach.locator(".code", has_text="/chat/").first.inner_text().strip()

        say(introduce(members[0], "Noé", "noe@example.ch", link), "Qui vient mercredi ?")
        joined = introduce(members[1], "Lou", "lou@example.ch", link)
        expect(joined).to_contain_text("Qui vient mercredi ?")
        say(joined, "Moi !")
        expect(members[0].locator(".chat-panel")).to_contain_text("Moi !")  # live
        members[1].screenshot(path=str(ARTIFACTS / "chat-community-phone.png"))
    finally:
        for page in (first, second, impostor, coach, *members):
            page.context.close()
