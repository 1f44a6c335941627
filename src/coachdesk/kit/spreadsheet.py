"""CSV files that open cleanly in Excel (UTF-8 with BOM, semicolons), where a cell typed by
a visitor can never run as a formula."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


NUMBER = re.compile(r"^[+-]?[0-9][0-9 .,']*$")  # a phone number or amount stays as it is


def cell(value: object) -> str:
    """The text of a cell; one that a spreadsheet would read as a formula is quoted."""
    text = "" if value is None else str(value)
    if text.startswith(FORMULA_STARTS) and not NUMBER.match(text):
        return f"'{text}"
    return text


def uncell(text: str) -> str:
    """The value ``cell`` quoted, back as it was typed (for files that are read again)."""
    if text.startswith("'") and text[1:].startswith(FORMULA_STARTS) and not NUMBER.match(text[1:]):
        return text[1:]
    return text


def excel_csv(header: Sequence[str], rows: Iterable[Sequence[object]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows([cell(value) for value in row] for row in rows)
    return ("\ufeff" + out.getvalue()).encode("utf-8")
