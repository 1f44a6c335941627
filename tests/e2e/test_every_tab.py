"""Every Coach Mode tab and the public page, at 390×844 and 1280×800: nothing wider than
the screen, every form control labelled, every image described, and the tabs usable with
the keyboard alone. Screenshots of each go to tests/e2e/artifacts/ to be looked at."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import expect

from tests.e2e.conftest import shot
from tests.servers import OWNER_EMAIL, OWNER_PASSWORD

Page = Any
TABS = (
    "today",
    "bookings",
    "inbox",
    "contacts",
    "campaigns",
    "courses",
    "promo",
    "offers",
    "analytics",
    "appearance",
    "settings",
    "team",
    "outbox",
    "backup",
    "audit",
)
PROBLEMS = """() => {
  const problems = [];
  const wide = document.scrollingElement.scrollWidth - Math.min(window.innerWidth, screen.width);
  if (wide > 1) problems.push(`page ${wide}px wider than the screen`);
  for (const control of document.querySelectorAll("input, select, textarea")) {
    if (control.type === "hidden" || control.hidden || control.closest("[hidden]")) continue;
    const labelled = control.labels?.length || control.getAttribute("aria-label")
      || control.getAttribute("aria-labelledby") || control.title;
    if (!labelled) problems.push(`unlabelled ${control.tagName} ${control.name}`);
  }
  for (const image of document.querySelectorAll("img")) {
    if (!image.hasAttribute("alt")) problems.push(`image without alt ${image.src}`);
  }
  for (const button of document.querySelectorAll("button, a[href]")) {
    if (button.closest("[hidden]") || button.offsetParent === null) continue;
    const name = (button.textContent || "").trim() || button.getAttribute("aria-label")
      || button.title || button.querySelector("img[alt]")?.alt;
    if (!name) problems.push(`nameless ${button.tagName} ${button.outerHTML.slice(0, 80)}`);
  }
  return problems;
}"""


def sign_in(page: Page) -> None:
    page.goto("/coach")
    page.get_by_role("textbox", name="E-mail").fill(OWNER_EMAIL)
    page.get_by_label("Mot de passe").fill(OWNER_PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    expect(page.locator(".tabs")).to_be_visible()


def test_every_tab_fits_is_labelled_and_shot(page: Page) -> None:
    sign_in(page)
    found = {}
    for tab in TABS:
        page.goto(f"/coach/{tab}")
        expect(page.locator(".tabs a[aria-current]")).to_have_count(1)
        problems = page.evaluate(PROBLEMS)
        if problems:
            found[tab] = problems
        shot(page, f"tab-{tab}")
    page.goto("/")
    if problems := page.evaluate(PROBLEMS):
        found["public"] = problems
    shot(page, "public")
    assert found == {}
    page.evaluate(
        "document.body.append(Object.assign(document.createElement('input'), {name: 'x'}))"
    )
    assert page.evaluate(PROBLEMS) == ["unlabelled INPUT x"]  # the checks do catch it


def test_the_tabs_work_with_the_keyboard_alone(page: Page) -> None:
    sign_in(page)
    page.goto("/coach/today")
    tab = page.locator(".tabs a", has_text="Contacts")
    for _ in range(40):  # Tab through the page until the Contacts tab has the focus
        page.keyboard.press("Tab")
        if tab.evaluate("element => element === document.activeElement"):
            break
    else:
        raise AssertionError("the Contacts tab never got the keyboard focus")
    outline = tab.evaluate("element => getComputedStyle(element).outlineStyle")
    assert outline != "none"  # the focus can be seen
    page.keyboard.press("Enter")
    expect(page).to_have_url(f"{page.url.split('/coach')[0]}/coach/contacts")
