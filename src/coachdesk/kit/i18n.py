"""Translations and locale-aware formatting.

UI text is written in French (the source of truth) and marked with ``_``/``N_``; the
de and en catalogs translate it. Catalogs are read from their ``.po`` files once at
start-up (no compiled ``.mo`` files in the tree). The current request's language lives
in a context variable set by the web layer, so services and templates share it.
"""

from __future__ import annotations

import io
from contextvars import ContextVar
from datetime import date, datetime
from functools import cache
from pathlib import Path

from babel import Locale
from babel.dates import format_date as _babel_format_date
from babel.dates import format_datetime as _babel_format_datetime
from babel.dates import format_skeleton as _babel_format_skeleton
from babel.dates import format_time as _babel_format_time
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import NullTranslations, Translations

from coachdesk.kit.clock import ZURICH

LANGUAGES: dict[str, str] = {"fr": "Français", "de": "Deutsch", "en": "English"}
DEFAULT_LANGUAGE = "fr"
LOCALES_DIR = Path(__file__).resolve().parent.parent / "locales"
_FORMAT_LOCALES = {"fr": "fr_CH", "de": "de_CH", "en": "en_CH"}
_LONG_DAY = {"fr": "EEEE d MMMM", "de": "EEEE, d. MMMM", "en": "EEEE d MMMM"}

current_language: ContextVar[str] = ContextVar("current_language", default=DEFAULT_LANGUAGE)


def N_(message: str) -> str:
    """Marks a message for extraction; translated later, where it is shown."""
    return message


@cache
def translations(language: str) -> NullTranslations:
    path = LOCALES_DIR / language / "LC_MESSAGES" / "messages.po"
    if language == DEFAULT_LANGUAGE or not path.exists():
        return NullTranslations()
    with path.open("rb") as handle:
        catalog = read_po(handle, locale=language)
    buffer = io.BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    buffer.seek(0)
    return Translations(buffer)


def gettext(message: str, language: str | None = None, **params: object) -> str:
    text = translations(language or current_language.get()).gettext(message)
    return text % params if params else text


def ngettext(singular: str, plural: str, n: int, **params: object) -> str:
    text = translations(current_language.get()).ngettext(singular, plural, n)
    return text % {"num": n, **params}


_ = gettext


def pick_language(requested: str | None, accept_language: str | None) -> str:
    """Explicit choice first, then the browser's preferences, then French."""
    if requested in LANGUAGES:
        return requested
    for part in (accept_language or "").split(","):
        tag = part.split(";")[0].strip().lower()[:2]
        if tag in LANGUAGES:
            return tag
    return DEFAULT_LANGUAGE


def _locale() -> Locale:
    return Locale.parse(_FORMAT_LOCALES[current_language.get()])


def format_day(value: date | datetime, style: str = "long") -> str:
    """A local day in the visitor's conventions: long 'mercredi 18 novembre' /
    'Mittwoch, 18. November'; short 'mer. 18 nov.' / 'Mi., 18. Nov.'."""
    if isinstance(value, datetime):
        value = value.astimezone(ZURICH).date()
    if style == "short":
        return _babel_format_skeleton("MMMEd", value, locale=_locale())
    pattern = _LONG_DAY[current_language.get()]
    return _babel_format_date(value, pattern, locale=_locale())


def format_time(value: datetime) -> str:
    return _babel_format_time(value.astimezone(ZURICH), "HH:mm", locale=_locale())


def format_moment(value: datetime, fmt: str = "d MMM yyyy, HH:mm") -> str:
    return _babel_format_datetime(value, fmt, tzinfo=ZURICH, locale=_locale())
