"""Keeps the de / en catalogs in step with the French texts marked in the code.

    python tools/translations.py missing          # JSON of the French texts lacking a translation
    python tools/translations.py add FILE.json    # {"French": {"de": "…", "en": "…"}, …}
    python tools/translations.py prune            # drops entries no code marks any more
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po, write_po

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from tests.kit.test_translations import marked_messages  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
LANGUAGES = ("de", "en")


def path(language: str) -> Path:
    return ROOT / "src/coachdesk/locales" / language / "LC_MESSAGES" / "messages.po"


def load(language: str) -> Catalog:
    with path(language).open("rb") as handle:
        return read_po(handle)


def save(language: str, catalog: Catalog) -> None:
    with path(language).open("wb") as handle:
        write_po(handle, catalog, width=0, sort_output=True, omit_header=False)


def translated(catalog: Catalog) -> set[str]:
    return {
        (m.id[0] if isinstance(m.id, tuple) else m.id)
        for m in catalog
        if m.id and all(m.string if isinstance(m.string, tuple) else [m.string])
    }


def missing() -> None:
    marked = marked_messages()
    gaps = sorted(set().union(*(marked - translated(load(lang)) for lang in LANGUAGES)))
    print(json.dumps(gaps, ensure_ascii=False, indent=1))


def add(file: str) -> None:
    entries: dict[str, dict[str, str | list[str]]] = json.loads(Path(file).read_text())
    for language in LANGUAGES:
        catalog = load(language)
        for french, texts in entries.items():
            text = texts[language]
            if isinstance(text, list):  # plural: [msgid_plural, singular, plural]
                catalog[french] = None  # type: ignore[index]
                catalog.add((french, text[0]), tuple(text[1:]), flags=["python-format"])
            else:
                flags = ["python-format"] if "%(" in french else []
                catalog.add(french, text, flags=flags)
        save(language, catalog)


def prune() -> None:
    marked = marked_messages()
    for language in LANGUAGES:
        catalog = load(language)
        for message in list(catalog):
            key = message.id[0] if isinstance(message.id, tuple) else message.id
            if key and key not in marked:
                catalog.delete(message.id, message.context)
        save(language, catalog)


if __name__ == "__main__":
    {"missing": missing, "add": lambda: add(sys.argv[2]), "prune": prune}[sys.argv[1]]()
