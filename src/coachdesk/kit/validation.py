"""Pydantic validation errors, as field messages in the visitor's language."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from coachdesk.kit.i18n import N_, gettext

REQUIRED = N_("Ce champ est obligatoire.")
_BY_TYPE = {
    "missing": REQUIRED,
    "string_too_long": N_("Trop long : %(max_length)s caractères au maximum."),
    "string_pattern_mismatch": N_("Format invalide (une adresse web commence par https://)."),
    "int_parsing": N_("Nombre entier attendu."),
    "int_type": N_("Nombre entier attendu."),
    "int_from_float": N_("Nombre entier attendu."),
    "greater_than_equal": N_("Doit être au moins %(ge)s."),
    "greater_than": N_("Doit être plus grand que %(gt)s."),
    "less_than_equal": N_("Doit être au plus %(le)s."),
    "time_parsing": N_("Heure invalide (HH:MM)."),
    "time_type": N_("Heure invalide (HH:MM)."),
    "datetime_parsing": N_("Date invalide."),
    "datetime_from_date_parsing": N_("Date invalide."),
    "datetime_type": N_("Date invalide."),
    "date_parsing": N_("Date invalide."),
    "date_from_datetime_parsing": N_("Date invalide."),
    "enum": N_("Choix invalide."),
    "literal_error": N_("Choix invalide."),
    "too_long": N_("Trop d'éléments : %(max_length)s au maximum."),
    "bool_parsing": N_("Oui ou non attendu."),
    "extra_forbidden": N_("Champ inconnu."),
}
_BY_RULE = {
    "pack_needs_credits": ("credits", N_("Une carte doit indiquer son nombre de cours.")),
    "subscription_needs_validity": (
        "validity_days",
        N_("Un abonnement doit indiquer sa durée en jours."),
    ),
    "colour": ("", N_("Couleur invalide (format #RRGGBB).")),
    "offer_or_pass": ("choice", N_("Choisissez une formule, ou indiquez votre carte.")),
    "code_required": ("code", N_("Ce champ est obligatoire.")),
    "code_chars": ("", N_("Lettres, chiffres, - et _ uniquement.")),
    "percent_range": ("value", N_("Un pourcentage va de 1 à 100.")),
    "amount_required": ("value", N_("Indiquez le montant de la réduction.")),
    "dates_order": ("valid_until", N_("La fin de validité précède son début.")),
    "prefix_too_long": ("prefix", N_("Préfixe trop long.")),
}
DEFAULT = N_("Valeur invalide.")
LOCATIONS = {"body", "query", "path", "header", "cookie"}


def _field(loc: Sequence[Any]) -> str:
    if len(loc) >= 2 and loc[0] in ("query", "path", "header", "cookie"):
        return str(loc[1])  # further parts name the union member that failed, not a field
    parts = [str(p) for p in loc if str(p) not in LOCATIONS and not isinstance(p, int)]
    return ".".join(parts) or "__all__"


def _message(error: dict[str, Any]) -> tuple[str | None, str]:
    if error["type"] == "value_error":
        rule = str(error.get("ctx", {}).get("error", ""))
        if rule in _BY_RULE:
            field, message = _BY_RULE[rule]
            return field or None, gettext(message)
    if error["type"] == "string_too_short" and error.get("ctx", {}).get("min_length") == 1:
        return None, gettext(REQUIRED)
    message = _BY_TYPE.get(error["type"], DEFAULT)
    return None, gettext(message, **error.get("ctx", {})) if "%(" in message else gettext(message)


def field_errors(errors: Sequence[Any]) -> dict[str, str]:
    """{field: message} — the first message per field, translated."""
    result: dict[str, str] = {}
    for error in errors:
        override, message = _message(error)
        result.setdefault(override or _field(error["loc"]), message)
    return result


def error_list(errors: Sequence[Any]) -> list[dict[str, str]]:
    return [
        {"field": field, "code": "invalid", "message": message}
        for field, message in field_errors(errors).items()
    ]
