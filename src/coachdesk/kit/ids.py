"""Ids as the database stores them: a number past PostgreSQL's `integer` names nothing, so
it is refused as invalid input (422) before any query runs, on every database alike."""

from __future__ import annotations

from typing import Annotated

from fastapi import Path, Query
from pydantic import Field

MAX_ID = 2**31 - 1  # PostgreSQL `integer`; SQLite holds more, but both must answer the same

Id = Annotated[int, Field(ge=1, le=MAX_ID)]
IdPath = Annotated[int, Path(ge=1, le=MAX_ID)]
IdQuery = Annotated[int | None, Query(ge=1, le=MAX_ID)]
Offset = Annotated[int, Query(ge=0, le=MAX_ID)]


def parse_id(text: object) -> int | None:
    """An id typed in a form or a query string, or None when it could name nothing."""
    value = str(text or "").strip()
    if not value.isascii() or not value.isdigit() or len(value) > 10:
        return None
    number = int(value)
    return number if 1 <= number <= MAX_ID else None
