"""Keeps secrets carried in URLs out of the access log: one-time setup and sign-in links,
ticket and waiting-list links, chat device tokens and chat links, consent and unsubscribe
links."""

from __future__ import annotations

import logging
import re

SECRET_PATHS = re.compile(
    r"(?<![^\s\"])(/coach/setup/|/coach/sign-in/|/t/|/w/|/chat/|/consent/|"
    r"/api/v1/bookings/|/u/\d+/\w+/)[^/?\s\"]+"
)
SECRET_QUERIES = re.compile(r"([?&](?:token|code)=)[^&\s\"]+")


def redact(text: str) -> str:
    return SECRET_QUERIES.sub(r"\1[redacted]", SECRET_PATHS.sub(r"\1[redacted]", text))


class RedactSecrets(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple):
            record.args = tuple(redact(a) if isinstance(a, str) else a for a in record.args)
        record.msg = redact(str(record.msg))
        return True


def install() -> None:
    for name in ("uvicorn.access", "uvicorn.error"):
        logger = logging.getLogger(name)
        if not any(isinstance(f, RedactSecrets) for f in logger.filters):
            logger.addFilter(RedactSecrets())
