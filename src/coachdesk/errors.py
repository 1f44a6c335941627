"""One error type for the whole app.

Services raise ``AppError`` (or a subclass) with a stable machine code and a French
message marked for translation; the web layer renders it as JSON under ``/api`` or as a
page / form error elsewhere, translated into the visitor's language.
"""

from __future__ import annotations

from typing import Any

from coachdesk.kit.i18n import N_, gettext


class AppError(Exception):
    status = 400
    code = "bad_request"
    message = N_("La demande n'est pas valide.")

    def __init__(
        self,
        message: str | None = None,
        *,
        code: str | None = None,
        field: str | None = None,
        status: int | None = None,
        **params: Any,
    ) -> None:
        self.message = message or self.message
        self.code = code or self.code
        self.field = field
        self.status = status or self.status
        self.params = params
        super().__init__(self.code)

    def translated(self) -> str:
        return gettext(self.message, **self.params)

    def as_dict(self) -> dict[str, Any]:
        body: dict[str, Any] = {"code": self.code, "message": self.translated()}
        if self.field:
            body["field"] = self.field
        return body


class NotFound(AppError):
    status = 404
    code = "not_found"
    message = N_("Introuvable.")


class Conflict(AppError):
    status = 409
    code = "conflict"


class Invalid(AppError):
    """Input that breaks a rule; carries the field it concerns when there is one."""

    status = 422
    code = "invalid"


class Unauthorized(AppError):
    status = 401
    code = "unauthorized"
    message = N_("Connexion requise.")


class Forbidden(AppError):
    status = 403
    code = "forbidden"
    message = N_("Accès refusé.")


class RateLimited(AppError):
    status = 429
    code = "rate_limited"
    message = N_("Trop de tentatives. Réessayez dans quelques minutes.")
