"""The one place where numbers, money and dates are formatted for people.

Québec French: ``255 000 $`` (non-breaking spaces), ``2009-06-06`` or ``6 juin 2009``.
English: ``$255,000``, ``June 6, 2009``.
"""

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

from django.utils import formats
from django.utils.translation import get_language

NBSP = "\u00a0"
NNBSP = "\u202f"  # narrow no-break space, the French thousands separator


def _is_french() -> bool:
    return (get_language() or "fr").startswith("fr")


def number(value, decimals: int = 0) -> str:
    """Group thousands: ``160 000`` in French, ``160,000`` in English."""
    if value is None or value == "":
        return ""
    quantum = Decimal(1).scaleb(-decimals)
    amount = Decimal(value).quantize(quantum, rounding=ROUND_HALF_UP)
    text = f"{amount:,.{decimals}f}"
    if _is_french():
        text = text.replace(",", NNBSP).replace(".", ",")
    return text


def money(value, decimals: int = 0) -> str:
    """Canadian dollars: ``255 000 $`` in French, ``$255,000`` in English."""
    if value is None or value == "":
        return ""
    amount = Decimal(value)
    sign = "-" if amount < 0 else ""
    text = number(abs(amount), decimals)
    if _is_french():
        return f"{sign}{text}{NBSP}$"
    return f"{sign}${text}"


def exact_money(value: Decimal) -> str:
    """``4 522 $``, or ``4 522,50 $`` when there are cents (never rounded away)."""
    return money(value, 0 if value == value.to_integral_value() else 2)


def date_long(value: dt.date | None) -> str:
    """``6 juin 2009`` / ``June 6, 2009``."""
    if not value:
        return ""
    if _is_french():
        day = "1er" if value.day == 1 else str(value.day)
        return f"{day} {formats.date_format(value, 'F').lower()} {value.year}"
    return formats.date_format(value, "F j, Y")


def date_iso(value: dt.date | None) -> str:
    """``2009-06-06``: the numeric form Québec uses in both languages."""
    if not value:
        return ""
    return value.isoformat()[:10]
