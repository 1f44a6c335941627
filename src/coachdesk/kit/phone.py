"""Phone numbers in E.164, Swiss by default (079 123 45 67 → +41791234567)."""

from __future__ import annotations

import phonenumbers

DEFAULT_REGION = "CH"


def normalise_phone(raw: str, region: str = DEFAULT_REGION) -> str:
    """Raises ValueError when the text is not a possible, valid number."""
    try:
        number = phonenumbers.parse(raw.strip(), region)
    except phonenumbers.NumberParseException as exc:
        raise ValueError(raw) from exc
    if not phonenumbers.is_valid_number(number):
        raise ValueError(raw)
    return str(phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164))
