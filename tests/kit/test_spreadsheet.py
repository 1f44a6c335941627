"""CSV exports: a cell typed by a visitor never runs as a formula in a spreadsheet."""

from __future__ import annotations

import pytest

from coachdesk.kit.spreadsheet import cell, excel_csv


@pytest.mark.parametrize(
    ("typed", "written"),
    [
        ('=HYPERLINK("http://evil","x")', '\'=HYPERLINK("http://evil","x")'),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0"),
        ("-2+3", "'-2+3"),
        ("+41791234567", "+41791234567"),  # phone numbers stay readable
        ("-12.50", "-12.50"),
        ("Léa", "Léa"),
        (None, ""),
    ],
)
def test_formulas_are_quoted_numbers_are_not(typed: str | None, written: str) -> None:
    assert cell(typed) == written


def test_excel_csv_has_a_bom_and_semicolons() -> None:
    body = excel_csv(["nom", "note"], [["Léa", "=1+1"]])
    assert body == "\ufeffnom;note\r\nLéa;'=1+1\r\n".encode()
