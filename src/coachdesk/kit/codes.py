"""Short human codes without look-alike characters (no 0/O, 1/I)."""

from __future__ import annotations

import secrets

UNAMBIGUOUS = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def random_code(length: int = 6, prefix: str = "") -> str:
    return prefix + "".join(secrets.choice(UNAMBIGUOUS) for _ in range(length))


def clean_code(text: str) -> str:
    """A code as a person typed it, in its stored form: trimmed and upper-case."""
    return text.strip().upper()[:32]
