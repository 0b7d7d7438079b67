"""The program's fiscal year: April 1st to March 31st, named by the year it starts in
(fiscal 2008 is 2008-04-01 → 2009-03-31, shown « 2008-2009 »). The one place for it."""

import datetime as dt

from django.utils import timezone


def fiscal_year_of(day: dt.date) -> int:
    """The fiscal year a date falls in."""
    return day.year if day.month >= 4 else day.year - 1


def fiscal_year_bounds(year: int) -> tuple[dt.date, dt.date]:
    """First and last day of fiscal year ``year``."""
    return dt.date(year, 4, 1), dt.date(year + 1, 3, 31)


def fiscal_year_label(year: int) -> str:
    return f"{year}-{year + 1}"


def current_fiscal_year(today: dt.date | None = None) -> int:
    """The fiscal year of ``today`` (by default the local date)."""
    return fiscal_year_of(today or timezone.localdate())
