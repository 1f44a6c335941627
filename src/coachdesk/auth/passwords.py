"""Password hashing with argon2id, and the passwords anyone would try first."""

from __future__ import annotations

import re
from functools import cache
from importlib.resources import files

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

_hasher = PasswordHasher()
# Checked against when the account does not exist, so both paths cost the same.
_DUMMY_HASH = _hasher.hash("not-a-real-password-only-for-timing")
MIN_LENGTH = 10


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    try:
        return _hasher.verify(password_hash or _DUMMY_HASH, password) and bool(password_hash)
    except (VerificationError, InvalidHashError):
        return False


KEYBOARD_RUNS = (
    "1234567890",
    "0987654321",
    "qwertzuiop",
    "azertyuiop",
    "abcdefghijklmnopqrstuvwxyz",
)
DECORATION = re.compile(r"^[^a-z]*|[^a-z]*$")  # digits and signs around a word


@cache
def common_passwords() -> frozenset[str]:
    text = files("coachdesk.auth").joinpath("common_passwords.txt").read_text("utf-8")
    return frozenset(line for line in text.splitlines() if line and not line.startswith("#"))


def is_common(password: str, *, personal: tuple[str, ...] = ()) -> bool:
    """Found in the list, once digits and signs around it are taken off ("Password2024!"),
    one character repeated, a run of the keyboard, or the account's own name or e-mail."""
    lowered = password.lower().strip()
    core = DECORATION.sub("", lowered).replace(" ", "")
    words = {lowered, lowered.replace(" ", ""), core}
    if words & common_passwords() or len(set(lowered)) <= 2:
        return True
    if any(lowered in run for run in KEYBOARD_RUNS):
        return True
    return any(len(p) >= 4 and p in {core, lowered} for p in personal)
