"""Per-request context as a pure ASGI middleware (cheap on the hot public pages).

- the visitor's language (cookie, then Accept-Language) into ``kit.i18n.current_language``;
- a random CSRF cookie for every visitor, whose HMAC is the form / header token;
- security headers on every response.
"""

from __future__ import annotations

import secrets
from http.cookies import SimpleCookie
from typing import Any

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from coachdesk.kit.i18n import current_language, pick_language

LANGUAGE_COOKIE = "cd_lang"
CSRF_COOKIE = "cd_csrf"
YEAR = 365 * 24 * 3600

CSP = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' https: data: blob:",
        "media-src 'self' https: blob:",
        "frame-src https://www.youtube-nocookie.com https://player.vimeo.com",
        "connect-src 'self'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
        "object-src 'none'",
    ]
)


def read_cookies(scope: Scope) -> dict[str, str]:
    for name, value in scope.get("headers", []):
        if name == b"cookie":
            jar: SimpleCookie = SimpleCookie()
            try:
                jar.load(value.decode("latin-1"))
            except Exception:  # a malformed cookie header: ignore it
                return {}
            return {key: morsel.value for key, morsel in jar.items()}
    return {}


def header(scope: Scope, wanted: bytes) -> str | None:
    for name, value in scope.get("headers", []):
        if name == wanted:
            return str(value.decode("latin-1"))
    return None


def is_https(scope: Scope) -> bool:
    return scope.get("scheme") in ("https", "wss")


def cookie_header(
    name: str, value: str, *, secure: bool, max_age: int = YEAR, http_only: bool = True
) -> str:
    parts = [f"{name}={value}", "Path=/", f"Max-Age={max_age}", "SameSite=Lax"]
    if http_only:
        parts.append("HttpOnly")
    if secure:
        parts.append("Secure")
    return "; ".join(parts)


class RequestContextMiddleware:
    def __init__(self, app: ASGIApp, *, cookie_secure: bool | None) -> None:
        self.app = app
        self.cookie_secure = cookie_secure

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        cookies = read_cookies(scope)
        language = pick_language(cookies.get(LANGUAGE_COOKIE), header(scope, b"accept-language"))
        csrf = cookies.get(CSRF_COOKIE) or ""
        fresh_csrf = len(csrf) < 32
        if fresh_csrf:
            csrf = secrets.token_urlsafe(32)
        state: dict[str, Any] = scope.setdefault("state", {})
        state.update(language=language, csrf_cookie=csrf, cookies=cookies)
        token = current_language.set(language)
        secure = self.cookie_secure if self.cookie_secure is not None else is_https(scope)
        path = scope.get("path", "")

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                headers.setdefault("X-Content-Type-Options", "nosniff")
                headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
                headers.setdefault("X-Frame-Options", "DENY")
                headers.setdefault("Content-Security-Policy", CSP)
                if fresh_csrf and not path.startswith("/static/"):
                    headers.append("Set-Cookie", cookie_header(CSRF_COOKIE, csrf, secure=secure))
            await send(message)

        try:
            await self.app(scope, receive, send_with_headers)
        finally:
            current_language.reset(token)
