"""Pages of a long list that cost the same at the end as at the start.

A list page gets its rows with ``page_ids(qs, ordering, per_page=…, page=…, total=…, params=…)``:

- "Suivante" / "Précédente" links carry the public id of the page's last (first) row
  (``?apres=…`` / ``?avant=…``, with ``page`` kept for the "Page 3 sur 40" label): the next
  page is the ``per_page`` rows after that row in the list's order (keyset pagination, the
  sort index read from that row on, whatever the depth);
- a page number without a cursor (typed, or the first and last links) is read from the
  nearer end of the list: the last page is the first page of the reversed order.

``ordering`` must end with a unique column (``id``) so that "after that row" is exact. The
NULLs of a nullable sort column sort as each database puts them (last in ascending order on
PostgreSQL, first on SQLite), and the comparisons below follow the same rule, so that the
rows of a keyset page are exactly the rows of the same page by offset.
"""

from __future__ import annotations

import uuid

from django.db import connections
from django.db.models import Q

AFTER, BEFORE = "apres", "avant"


def _fields(ordering):
    for item in ordering:
        yield (item[1:], True) if item.startswith("-") else (item, False)


def _past(field: str, value, descending: bool, nulls_largest: bool) -> Q | None:
    """Rows strictly past ``value`` on ``field`` in the list's direction (None: no row)."""
    # Past = greater in ascending order, smaller in descending order; NULL is the largest
    # value on PostgreSQL, the smallest on SQLite.
    greater = not descending
    null_is_past = nulls_largest == greater
    if value is None:
        return None if null_is_past else Q(**{f"{field}__isnull": False})
    past = Q(**{f"{field}__gt" if greater else f"{field}__lt": value})
    return past | Q(**{f"{field}__isnull": True}) if null_is_past else past


def _equal(field: str, value) -> Q:
    return Q(**{f"{field}__isnull": True}) if value is None else Q(**{field: value})


def beyond(qs, ordering, values: dict, *, backwards: bool = False) -> Q:
    """Rows after (``backwards``: before) the row whose sort values are ``values``:
    (f1 past v1) or (f1 = v1 and f2 past v2) or …"""
    nulls_largest = connections[qs.db].vendor == "postgresql"
    condition = Q(pk__in=[])
    prefix = Q()
    for field, descending in _fields(ordering):
        step = _past(field, values[field], descending != backwards, nulls_largest)
        if step is not None:
            condition |= prefix & step
        prefix &= _equal(field, values[field])
    return condition


def _cursor_values(qs, ordering, public_id) -> dict | None:
    try:
        key = uuid.UUID(str(public_id))
    except ValueError:
        return None
    return qs.filter(public_id=key).values(*(f for f, _desc in _fields(ordering))).first()


def page_ids(qs, ordering, *, per_page: int, page: int, total: int, params):
    """The primary keys of the rows to show, as a sliced queryset (a subquery for the caller,
    which fetches those rows in ``ordering``); see the module docstring. ``qs`` must already
    be ordered by ``ordering``."""
    for key, backwards in ((AFTER, False), (BEFORE, True)):
        public_id = params.get(key)
        values = _cursor_values(qs, ordering, public_id) if public_id else None
        if values is not None:
            rows = qs.filter(beyond(qs, ordering, values, backwards=backwards))
            return (rows.reverse() if backwards else rows).values("pk")[:per_page]
    start = (page - 1) * per_page
    end = min(page * per_page, total)
    if start > total - end:
        # Nearer the end: counted from there, so the last page costs what the first costs.
        return qs.reverse().values("pk")[total - end : total - start]
    return qs.values("pk")[start:end]
