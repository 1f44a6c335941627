"""Text helpers: accent folding for search, e-mail normalisation."""

from __future__ import annotations

import unicodedata

from email_validator import EmailNotValidError, validate_email


def fold(text: str) -> str:
    """Lower-case, accent-free form for comparisons and search ('Énergie' → 'energie')."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def normalise_email(raw: str) -> str:
    """Trimmed, syntax-checked, lower-cased address; raises ValueError when invalid."""
    try:
        result = validate_email(raw.strip(), check_deliverability=False)
    except EmailNotValidError as exc:
        raise ValueError(str(exc)) from exc
    return result.normalized.lower()
