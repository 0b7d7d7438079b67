"""POST data of Django formsets for the tests of the pages that have one."""

from __future__ import annotations


def formset(prefix: str, *forms: dict, initial: int = 0, minimum: int = 0) -> dict:
    """The management form of formset ``prefix`` and its ``forms`` (one dict of fields each)::

    formset("hours", {"month": "2008-10", "hours": "6"})
    → {"hours-TOTAL_FORMS": "1", …, "hours-0-month": "2008-10", "hours-0-hours": "6"}
    """
    data = {
        f"{prefix}-TOTAL_FORMS": str(len(forms)),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": str(minimum),
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }
    for i, form in enumerate(forms):
        data.update({f"{prefix}-{i}-{name}": value for name, value in form.items()})
    return data
