"""Money as integer cents (CHF by default)."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

CURRENCY = "CHF"


def parse_amount(text: str) -> int:
    """'30', '30.50', '30,5' or 'CHF 30.-' → cents. Raises ValueError on anything else."""
    cleaned = text.strip().upper().removeprefix(CURRENCY).strip().rstrip("-").rstrip(".")
    cleaned = cleaned.replace("'", "").replace(" ", "").replace(",", ".")
    try:
        value = Decimal(cleaned)
    except InvalidOperation as exc:
        raise ValueError(text) from exc
    if not value.is_finite() or value < 0 or value.as_tuple().exponent < -2:  # type: ignore[operator]
        raise ValueError(text)
    return int((value * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def format_amount(cents: int, *, currency: bool = True) -> str:
    """12345 → 'CHF 123.45'; whole francs as 'CHF 30.–' the Swiss way."""
    francs, rest = divmod(abs(cents), 100)
    sign = "-" if cents < 0 else ""
    amount = f"{francs:,}".replace(",", "\u2019") + (f".{rest:02d}" if rest else ".–")
    return f"{CURRENCY} {sign}{amount}" if currency else f"{sign}{amount}"


def cents_to_decimal_text(cents: int) -> str:
    """For form fields: 3000 → '30.00'."""
    return f"{cents // 100}.{cents % 100:02d}"
