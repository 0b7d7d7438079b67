"""How a loader brings one record to the demo's values, so that loading the demo twice changes
nothing and never touches real data: a record found by its natural key is updated only when it
is demo data (``is_demo``) and differs; a missing one is created and counted."""

from collections import Counter


def _differs(row, values: dict) -> bool:
    return any(getattr(row, field) != value for field, value in values.items())


def _assign(row, values: dict) -> None:
    for field, value in values.items():
        setattr(row, field, value)


def demo_row(found, make, values: dict, created: Counter, counter: str, *, demo_only=True):
    """The record of one spec, saved one by one (validated with ``full_clean()``).

    ``found`` is the record already there, or None: then ``make(**values)`` is validated,
    saved and counted in ``created[counter]``. A record found is brought to ``values`` when it
    differs, unless it is real data (``is_demo`` false; ``demo_only=False`` for models without
    the flag). Returns the record (a real one as it is: the caller decides whether to use it).
    """
    if found is None:
        row = make(**values)
        row.full_clean()
        row.save()
        created[counter] += 1
        return row
    if (not demo_only or found.is_demo) and _differs(found, values):
        _assign(found, values)
        found.full_clean()
        found.save()
    return found


def plan_demo_row(found, make, values: dict, new: list, changed: list):
    """The same for records written in bulk: a missing record ``make(**values)`` goes to
    ``new`` (for ``bulk_create``), a demo record that differs is brought to ``values`` and goes
    to ``changed`` (for ``bulk_update``). Returns the record, or None for real data (left
    alone)."""
    if found is None:
        row = make(**values)
        new.append(row)
        return row
    if not found.is_demo:
        return None
    if _differs(found, values):
        _assign(found, values)
        changed.append(found)
    return found
