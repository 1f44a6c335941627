"""Every UI text marked in the code and templates is translated into German and English."""

from __future__ import annotations

from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from coachdesk.kit import i18n

ROOT = Path(__file__).resolve().parents[2]
METHODS = [
    ("src/coachdesk/**.py", "python"),
    ("src/coachdesk/web/templates/**.html", "jinja2"),
    ("src/coachdesk/web/templates/**.txt", "jinja2"),
]
JINJA = {"extensions": "jinja2.ext.i18n", "trim_blocks": "true", "lstrip_blocks": "true"}
OPTIONS = {pattern: JINJA for pattern, method in METHODS if method == "jinja2"}


def marked_messages() -> set[str]:
    found = set()
    for _file, _line, message, _comments, _context in extract_from_dir(
        str(ROOT),
        METHODS,
        options_map=OPTIONS,
        keywords={"N_": None, "gettext": None, "_": None, "ngettext": (1, 2)},
    ):
        found.add(message[0] if isinstance(message, tuple) else message)
    return found


@pytest.mark.parametrize("language", ["de", "en"])
def test_every_marked_text_has_a_translation(language: str) -> None:
    path = ROOT / "src/coachdesk/locales" / language / "LC_MESSAGES" / "messages.po"
    with path.open("rb") as handle:
        catalog = read_po(handle)
    translated = {
        (m.id[0] if isinstance(m.id, tuple) else m.id)
        for m in catalog
        if m.id and all(m.string if isinstance(m.string, tuple) else [m.string])
    }
    missing = sorted(marked_messages() - translated)
    assert missing == [], f"untranslated in {language}: {missing[:10]}"


def test_placeholders_survive_translation() -> None:
    token = i18n.current_language.set("de")
    try:
        assert i18n.gettext("Doit être au moins %(ge)s.", ge=5) == "Muss mindestens 5 sein."
        assert i18n.ngettext("%(num)s place", "%(num)s places", 1) == "1 Platz"
    finally:
        i18n.current_language.reset(token)
