"""How an indicator's value is written (pages, exports and reports use this one function)."""

from decimal import Decimal

from django.utils.translation import gettext as _

from tremplin.core.formatting import money, number

from .catalogue import AVERAGE, MONEY, PERCENT, Indicator


def shown(indicator: Indicator, value) -> Decimal | None:
    """The value as it may be shown: None when there is none or when it is suppressed."""
    if value is None or indicator.suppressed(value):
        return None
    return Decimal(value)


def format_value(indicator: Indicator, value) -> str:
    """``62``, ``62,5 %``, ``255 000 $``, ``< 5`` (a suppressed small count) or ``—``."""
    if value is None:
        return "—"
    if indicator.suppressed(value):
        return _("< %(n)s") % {"n": indicator.suppress_below}
    value = Decimal(value)
    if indicator.unit == MONEY:
        return money(value, 0 if value == value.to_integral_value() else 2)
    if indicator.unit == PERCENT:
        return f"{number(value, 1)} %"
    if indicator.unit == AVERAGE:
        return number(value, 1)
    return number(value)


def change(indicator: Indicator, current, previous) -> Decimal | None:
    """current − previous, or None when either is missing or suppressed."""
    current, previous = shown(indicator, current), shown(indicator, previous)
    if current is None or previous is None:
        return None
    return current - previous
