"""The issue's own check, in a real browser on a phone: the coach writes a campaign, sends
themself a test, schedules it two minutes ahead and closes the browser; the worker sends it
at its time to a real SMTP server (aiosmtpd) with {prénom} replaced, and the unsubscribe
link works for the person who receives it."""

from __future__ import annotations

import asyncio
import os
import re
import sqlite3
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from coachdesk.config import Settings
from coachdesk.db import make_engine, make_session_factory
from coachdesk.integrations.email import SmtpSender
from coachdesk.kit.clock import FixedClock, SystemClock, to_local
from coachdesk.realtime.hub import Hub
from coachdesk.worker.loop import Worker
from tests.e2e.conftest import DESKTOP, PHONE, shot
from tests.fakes.smtp import Inbox, smtp_server
from tests.servers import OWNER_EMAIL, OWNER_PASSWORD, coachdesk, environment, running

PERSON = "lea.campagne@example.ch"
REDIS = os.environ.get("COACHDESK_TEST_REDIS_URL")


@pytest.fixture(scope="module")
def studio(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path, Inbox, int]]:
    """`coachdesk run` sending its e-mails to aiosmtpd; the worker runs in the test."""
    data = tmp_path_factory.mktemp("campaign")
    with smtp_server() as (inbox, port):
        env = environment(
            data,
            COACHDESK_SMTP_HOST="127.0.0.1",
            COACHDESK_SMTP_PORT=str(port),
            COACHDESK_SMTP_STARTTLS="false",
            COACHDESK_MAIL_FROM="studio@example.ch",
            COACHDESK_EMBEDDED_WORKER="false",
            **({"COACHDESK_REDIS_URL": REDIS} if REDIS else {}),
        )
        coachdesk("migrate", env=env)
        coachdesk("demo", "--if-empty", env=env)
        with running(env, data / "server.log") as url:
            yield url, data, inbox, port


def send_due(url: str, data: Path, port: int, minutes: int) -> None:
    """The worker, as it runs at that moment (its clock moved on), whoever has a browser."""
    settings = Settings(data_dir=data, database_url="")

    async def once() -> None:
        engine = make_engine(settings.database_url)
        clock = FixedClock(SystemClock().now() + timedelta(minutes=minutes))
        email = SmtpSender(host="127.0.0.1", port=port, sender="studio@example.ch")
        worker = Worker(
            make_session_factory(engine),
            clock,
            email=email,
            base_url=url,
            secret=settings.resolved_secret(),
            hub=Hub(REDIS) if REDIS else None,  # tells the served app's open pages
        )
        await worker.run_once()
        await engine.dispose()
        if worker.hub is not None:
            await worker.hub.disconnect()

    with ThreadPoolExecutor(1) as thread:  # Playwright holds this thread's event loop
        thread.submit(asyncio.run, once()).result()


def test_write_test_schedule_close_and_it_is_sent_with_a_working_unsubscribe(
    browser: Any, studio: tuple[str, Path, Inbox, int]
) -> None:
    url, data, inbox, port = studio
    context = browser.new_context(
        viewport=PHONE, base_url=url, locale="fr-CH", is_mobile=True, has_touch=True
    )
    page = context.new_page()
    page.viewport_name = "phone"
    page.goto("/coach")
    page.get_by_role("textbox", name="E-mail").fill(OWNER_EMAIL)
    page.get_by_label("Mot de passe").fill(OWNER_PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.goto("/coach/contacts/new")
    page.get_by_label("Nom", exact=True).fill("Léa Campagne")
    page.get_by_role("textbox", name="E-mail").fill(PERSON)
    page.get_by_label("Accepte les nouvelles par e-mail").check()
    page.get_by_role("button", name="Ajouter").click()
    expect(page.get_by_role("status")).to_contain_text("C'est créé.")

    page.goto("/coach/campaigns/new")
    page.get_by_label("Nom (pour vous)").fill("Soirée disco")
    page.get_by_label("Objet de l'e-mail").fill("Vendredi, on danse")
    page.get_by_label("Message").fill("Salut {prénom} ! Casques prêts vendredi à 19h.")
    page.get_by_label("À qui").select_option("contacts")
    page.get_by_label("Contacts choisis").fill(PERSON)
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_role("status")).to_contain_text("C'est créé.")
    expect(page.locator("[data-preview-text]")).to_contain_text("Salut Léa !")
    page.get_by_role("button", name="Tester l'e-mail").click()
    expect(page.get_by_role("status")).to_contain_text("Test envoyé par e-mail.")
    test_mail = next(m for m in inbox.messages if m["To"] == OWNER_EMAIL)
    assert test_mail["Subject"] == "[Test] Vendredi, on danse"

    soon = to_local(SystemClock().now() + timedelta(minutes=2)).strftime("%Y-%m-%dT%H:%M")
    page.get_by_label("Quand (vide = maintenant)").fill(soon)
    page.get_by_role("button", name="Lancer").click()
    expect(page.locator("h1 .badge")).to_have_text("Programmée")
    shot(page, "campaign-scheduled")
    context.close()  # nobody has Coach Mode open any more

    assert not any(m["To"] == PERSON for m in inbox.messages)  # not before its time
    send_due(url, data, port, minutes=3)
    mail = next(m for m in inbox.messages if m["To"] == PERSON)
    text = mail.get_body(preferencelist=("plain",)).get_content()
    assert text.startswith("Salut Léa ! Casques prêts vendredi à 19h.")
    assert mail.get_body(preferencelist=("html",)) is not None
    leave = mail["List-Unsubscribe"].strip().strip("<>")  # a long header may be folded
    assert leave.startswith(f"{url}/u/")

    visitor = browser.new_context(viewport=PHONE, locale="fr-CH", is_mobile=True, has_touch=True)
    tab = visitor.new_page()
    tab.viewport_name = "phone"
    tab.goto(leave)
    tab.get_by_role("button", name="Me désabonner").click()
    expect(tab.get_by_role("status")).to_contain_text("C'est fait")
    shot(tab, "campaign-unsubscribed")
    visitor.close()
    with sqlite3.connect(data / "coachdesk.db") as db:
        (consent,) = db.execute(
            "select consent_email from contacts where email = ?", (PERSON,)
        ).fetchone()
    assert consent == 0


def login(page: Any) -> None:
    page.goto("/coach")
    page.get_by_role("textbox", name="E-mail").fill(OWNER_EMAIL)
    page.get_by_label("Mot de passe").fill(OWNER_PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_role("heading", name=re.compile("Aujourd'hui"))).to_be_visible()


def whatsapp_campaign(page: Any, name: str, phone: str) -> None:
    page.goto("/coach/contacts/new")
    page.get_by_label("Nom", exact=True).fill(name)
    page.get_by_label("Téléphone / WhatsApp").fill(phone)
    page.get_by_label("Accepte les nouvelles par WhatsApp").check()
    page.get_by_role("button", name="Ajouter").click()
    expect(page.get_by_role("status")).to_contain_text("C'est créé.")
    page.goto("/coach/campaigns/new")
    page.get_by_label("Nom (pour vous)").fill(f"WhatsApp {name}")
    page.get_by_label("Message").fill("Salut {prénom}, à vendredi !")
    page.get_by_label("E-mail", exact=True).uncheck()
    page.get_by_label("WhatsApp", exact=True).check()
    page.get_by_label("À qui").select_option("contacts")
    page.get_by_label("Contacts choisis").fill(phone)
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_role("status")).to_contain_text("C'est créé.")
    page.get_by_role("button", name="Lancer").click()


def test_whatsapp_by_hand_on_a_phone_one_tap_each(
    browser: Any, studio: tuple[str, Path, Inbox, int]
) -> None:
    url, data, _, port = studio
    context = browser.new_context(
        viewport=PHONE, base_url=url, locale="fr-CH", is_mobile=True, has_touch=True
    )
    page = context.new_page()
    page.viewport_name = "phone"
    login(page)
    whatsapp_campaign(page, "Nina Main", "079 555 12 34")
    send_due(url, data, port, minutes=0)  # no provider: the message waits for the coach
    page.reload()
    page.get_by_role("link", name="Envoyer 1 message WhatsApp à la main").click()
    expect(page.get_by_role("heading", name="Nina Main")).to_be_visible()
    opener = page.get_by_role("link", name="1. Ouvrir dans WhatsApp")
    href = opener.get_attribute("href") or ""
    assert href.startswith("https://wa.me/41795551234?text=Salut%20Nina%2C%20%C3%A0%20vendredi")
    shot(page, "campaign-whatsapp-by-hand")
    page.get_by_role("button", name="2. C'est envoyé").click()
    expect(page.get_by_text("Aucun message WhatsApp n'attend")).to_be_visible()
    page.get_by_role("link", name=re.compile("WhatsApp Nina Main")).click()
    expect(page.locator("h1 .badge")).to_have_text("Envoyée")
    context.close()


@pytest.mark.skipif(not REDIS, reason="set COACHDESK_TEST_REDIS_URL: the worker runs apart")
def test_the_report_moves_on_by_itself_while_the_worker_sends(
    browser: Any, studio: tuple[str, Path, Inbox, int]
) -> None:
    url, data, _, port = studio
    context = browser.new_context(viewport=DESKTOP, base_url=url, locale="fr-CH")
    page = context.new_page()
    page.viewport_name = "desktop"
    login(page)
    whatsapp_campaign(page, "Zoé Live", "079 555 67 89")
    expect(page.locator("html[data-live=on]")).to_be_attached()  # Coach Mode's socket open
    expect(page.locator("[data-report]")).to_contain_text("Rien n'est encore parti.")
    send_due(url, data, port, minutes=0)  # another process; told through Redis
    expect(page.locator("[data-report]")).to_contain_text("Envoyer 1 message WhatsApp à la main")
    shot(page, "campaign-live-report")
    context.close()
