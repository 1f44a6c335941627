"""The Jinja environment: translations, formatting filters, static URLs with versions."""

from __future__ import annotations

import hashlib
from functools import cache
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.templating import Jinja2Templates
from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.responses import HTMLResponse

from coachdesk.kit import i18n
from coachdesk.kit.money import cents_to_decimal_text, format_amount
from coachdesk.site.registry import text_on
from coachdesk.web.deps import app_state, csrf_token

WEB_DIR = Path(__file__).resolve().parent
TEMPLATES_DIR = WEB_DIR / "templates"
STATIC_DIR = WEB_DIR / "static"
WEEKDAYS = [
    i18n.N_("lundi"),
    i18n.N_("mardi"),
    i18n.N_("mercredi"),
    i18n.N_("jeudi"),
    i18n.N_("vendredi"),
    i18n.N_("samedi"),
    i18n.N_("dimanche"),
]


@cache
def _static_version(path: str) -> str:
    try:
        return hashlib.sha256((STATIC_DIR / path).read_bytes()).hexdigest()[:10]
    except OSError:
        return "0"


def static_url(path: str) -> str:
    return f"/static/{path}?v={_static_version(path)}"


def _gettext(message: str) -> str:
    return i18n.translations(i18n.current_language.get()).gettext(message)


def _ngettext(singular: str, plural: str, n: int) -> str:
    return i18n.translations(i18n.current_language.get()).ngettext(singular, plural, n)


def _weekday(index: int) -> str:
    return _gettext(WEEKDAYS[index])


def build_environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES_DIR),
        autoescape=select_autoescape(["html", "xml"]),
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.install_gettext_callables(_gettext, _ngettext, newstyle=True)  # type: ignore[attr-defined]
    env.filters.update(
        money=format_amount,
        amount_field=cents_to_decimal_text,
        day=i18n.format_day,
        time=i18n.format_time,
        moment=i18n.format_moment,
        weekday=_weekday,
        text_on=text_on,
    )
    env.globals.update(static=static_url, languages=i18n.LANGUAGES)
    return env


templates = Jinja2Templates(env=build_environment())


def render(
    request: Request, name: str, context: dict[str, Any] | None = None, *, status: int = 200
) -> HTMLResponse:
    state = app_state(request)
    base = {
        "lang": i18n.current_language.get(),
        "site": getattr(request.state, "site", None) or state.site,
        "csrf_token": csrf_token(request),
        "coach": getattr(request.state, "coach", None),
        "path": request.url.path,
    }
    return templates.TemplateResponse(
        request, name, {**base, **(context or {})}, status_code=status
    )
