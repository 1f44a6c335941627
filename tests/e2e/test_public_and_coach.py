"""As a visitor and as the coach, in a real browser, at phone and desktop sizes."""

from __future__ import annotations

import re
from typing import Any

from playwright.sync_api import expect

from tests.e2e.conftest import shot
from tests.servers import OWNER_EMAIL, OWNER_PASSWORD

Page = Any


def test_visitor_sees_sessions_and_offers_in_french_then_switches_to_german(page: Page) -> None:
    page.goto("/")
    expect(page.get_by_role("heading", name="Prochaines séances")).to_be_visible()
    demo_session = page.locator(".session-card", has_text="18:30").first
    expect(demo_session).to_contain_text("20 places")
    expect(page.locator(".offer-card")).to_have_count(3)
    expect(page.locator(".offer-card").nth(1)).to_contain_text("CHF 150.–")
    page.locator(".offer-card").nth(1).locator("summary").click()
    expect(page.get_by_text("10 séances à utiliser en 6 mois")).to_be_visible()
    shot(page, "landing-fr")
    page.locator(".lang-switch summary").click()
    page.get_by_role("link", name="Deutsch").click()
    expect(page.get_by_role("heading", name="Nächste Termine")).to_be_visible()
    expect(page.locator("html")).to_have_attribute("lang", "de")
    expect(page.locator(".session-card", has_text="18:30").first).to_contain_text("20 Plätze")
    shot(page, "landing-de")


def test_three_quick_taps_on_the_copyright_open_the_coach_login(page: Page) -> None:
    page.goto("/")
    door = page.locator("[data-coach-door]")
    for _ in range(3):
        door.click()
    expect(page).to_have_url(re.compile(r"/coach$"))
    expect(page.get_by_role("heading", name="Connexion coach")).to_be_visible()


def test_coach_logs_in_creates_a_course_and_sees_it_on_the_public_page(page: Page) -> None:
    name = f"Zumba casque {page.viewport_name}"
    page.goto("/coach")
    page.get_by_role("textbox", name="E-mail").fill(OWNER_EMAIL)
    page.get_by_label("Mot de passe").fill(OWNER_PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_role("heading", name=re.compile("Aujourd'hui"))).to_be_visible()
    page.get_by_role("link", name="Cours", exact=True).click()
    shot(page, "coach-courses")
    page.get_by_role("link", name=re.compile("Nouveau cours")).click()
    page.get_by_label("Nom du cours").fill(name)
    page.get_by_label("Jour").select_option(label="Samedi")
    page.get_by_label("Heure de début").fill("10:00")
    page.get_by_label("Places (casques)").fill("15")
    page.get_by_label("Lieu").fill("Jeunes-Rives")
    shot(page, "coach-course-form")
    page.get_by_role("button", name="Créer le cours").click()
    expect(page.get_by_role("status")).to_contain_text("C'est créé.")
    expect(page.locator("#sessions .row").first).to_be_visible()
    assert page.locator("#sessions .row").count() in (3, 4)  # 4 weeks, minus today if past
    shot(page, "coach-course-created")
    page.goto("/")
    card = page.locator(".session-card", has_text=name).first
    expect(card).to_contain_text("15 places")
    expect(card).to_contain_text("10:00")


def test_an_invalid_course_shows_errors_in_place(page: Page) -> None:
    page.goto("/coach")
    page.get_by_role("textbox", name="E-mail").fill(OWNER_EMAIL)
    page.get_by_label("Mot de passe").fill(OWNER_PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.goto("/coach/courses/new")
    page.get_by_label("Places (casques)").fill("0")
    page.get_by_role("button", name="Créer le cours").click()
    expect(page.locator(".field-error").first).to_be_visible()
    expect(page.get_by_text("Ce champ est obligatoire.")).to_be_visible()
    expect(page.get_by_text("Doit être au moins 1.")).to_be_visible()
    shot(page, "coach-course-errors")


def test_visitor_books_a_session_and_gets_a_ticket(page: Page) -> None:
    page.goto("/")
    first = page.locator(".session-card").filter(has=page.get_by_role("link", name="Réserver"))
    first.first.get_by_role("link", name="Réserver").click()
    expect(page.get_by_role("heading", name="Réserver")).to_be_visible()
    page.get_by_text("Cours à l'unité").click()
    expect(page.locator("[data-total-value]")).to_have_text("CHF 30.–")
    expect(page.get_by_label("Code de la carte")).to_be_hidden()
    page.get_by_label("Prénom et nom").fill(f"Léa {page.viewport_name}")
    page.get_by_role("textbox", name="E-mail").fill(f"lea.{page.viewport_name}@example.ch")
    page.get_by_label("WhatsApp (facultatif)").fill("079 123 45 67")
    page.get_by_label("J'accepte les conditions").check()
    shot(page, "book-form")
    page.get_by_role("button", name="Réserver").click()
    expect(page.get_by_role("status")).to_contain_text("C'est réservé")
    expect(page.locator(".ticket-status")).to_have_text("En attente de paiement")
    expect(page.locator(".ticket-qr svg")).to_be_visible()
    shot(page, "ticket")


def test_coach_generates_fifty_codes_and_a_visitor_uses_one(page: Page) -> None:
    prefix = f"E2E{page.viewport_name[:1].upper()}"
    page.goto("/coach")
    page.get_by_role("textbox", name="E-mail").fill(OWNER_EMAIL)
    page.get_by_label("Mot de passe").fill(OWNER_PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.goto("/coach/promo")
    page.get_by_role("link", name="Générer en série").click()
    page.get_by_label("Nombre de codes (1 à 10 000)").fill("50")
    page.get_by_label("Préfixe", exact=True).fill(prefix)
    page.get_by_label("Forme des codes").select_option("sequence")
    page.get_by_label("Type de réduction").select_option("amount")
    page.get_by_label("Valeur", exact=True).fill("10")
    shot(page, "promo-batch-form")
    page.get_by_role("button", name="Générer").click()
    expect(page.get_by_role("status")).to_contain_text("C'est créé.")
    expect(page.locator(".code-grid li")).to_have_count(50)
    shot(page, "promo-batch")
    code = f"{prefix}-007"
    page.goto("/")
    page.locator(".session-card", has_text="18:30").first.get_by_role(
        "link", name="Réserver"
    ).click()
    page.get_by_text("Cours à l'unité").click()
    page.get_by_label("Code promo (facultatif)").fill(code.lower())
    expect(page.locator("[data-promo-status]")).to_contain_text("Code appliqué.")
    expect(page.locator("[data-total-value]")).to_have_text("CHF 20.–")
    page.get_by_label("Prénom et nom").fill("Promo Visitor")
    page.get_by_role("textbox", name="E-mail").fill(f"promo.{page.viewport_name}@example.ch")
    page.get_by_label("J'accepte les conditions").check()
    shot(page, "book-with-promo")
    page.get_by_role("button", name="Réserver").click()
    expect(page.locator(".ticket-facts")).to_contain_text(f"{code} · −CHF 10.–")
    expect(page.locator(".ticket-facts")).to_contain_text("CHF 20.–")
