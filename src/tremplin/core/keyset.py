"""Pages of a long list that cost the same at the end as at the start.

A list page gets its rows with ``keyset_page(qs, ordering, per_page=…, total=…, params=…)``
(the page number, the rows and what the template shows of them: ``Page.context()``), or only
their ids with ``page_ids(qs, ordering, per_page=…, page=…, total=…, params=…)``:

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
from dataclasses import dataclass

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


# --------------------------------------------------------------------------- page numbers


def page_count(total: int, per_page: int) -> int:
    """How many pages ``total`` rows make (one, even empty)."""
    return max(1, -(-total // per_page))


def page_number(value, pages: int | None = None, *, default: int = 1) -> int:
    """The page asked for (``?page=``): a whole number from 1 (``default`` when it is not a
    number), at most ``pages`` when given."""
    try:
        number = max(1, int(value))
    except (TypeError, ValueError):
        number = default
    return number if pages is None else min(number, pages)


def page_size(value, sizes) -> int:
    """The page size asked for (``?per_page=``) when it is one of ``sizes``, else the first."""
    try:
        size = int(value)
    except (TypeError, ValueError):
        return sizes[0]
    return size if size in sizes else sizes[0]


@dataclass
class Page:
    rows: list
    number: int
    pages: int
    per_page: int

    def context(self) -> dict:
        """What a list template shows: the rows, "Page 3 sur 40", "Projets 51 à 75"."""
        start = (self.number - 1) * self.per_page
        return {
            "rows": self.rows,
            "page": self.number,
            "pages": self.pages,
            "first_index": start + 1 if self.rows else 0,
            "last_index": start + len(self.rows),
        }


def keyset_page(qs, ordering, *, per_page: int, total: int, params, select_related=()) -> Page:
    """The page ``params`` asks for: its ids first, in a subquery that reads only the sort
    index (``page_ids``), then those rows in full, in ``ordering`` (with ``select_related``).
    ``total`` is the list's count, which the caller has at hand (an aggregate, a kept count)."""
    pages = page_count(total, per_page)
    number = page_number(params.get("page", 1), pages)
    ids = page_ids(qs, ordering, per_page=per_page, page=number, total=total, params=params)
    rows = qs.model._default_manager.filter(pk__in=ids)
    if select_related:
        rows = rows.select_related(*select_related)
    return Page(list(rows.order_by(*ordering)), number, pages, per_page)


def offset_page(qs, *, per_page: int, total: int, params, most: int | None = None) -> Page:
    """The page ``params`` asks for, by offset (short lists), at most page ``most``."""
    pages = page_count(total, per_page)
    number = page_number(params.get("page", 1), pages if most is None else min(pages, most))
    start = (number - 1) * per_page
    return Page(list(qs[start : start + per_page]), number, pages, per_page)


# --------------------------------------------------------------------------- list pages


def is_htmx(request) -> bool:
    """An htmx request for a fragment (not a boosted link, which wants the whole page)."""
    return request.headers.get("HX-Request") == "true" and not request.headers.get("HX-Boosted")


def results_template(request, template: str) -> str:
    """A list page's template, or only its ``results`` partial for live search (htmx)."""
    return f"{template}#results" if is_htmx(request) else template


NOT_FILTERS = ("q", "sort")  # the search box and the sort order, beside the filter panel


def list_page(request, filterset, *, total: int, sizes, select_related=()) -> dict:
    """What a filtered, sorted list page shows (``filterset``: its ``qs`` and ``ordering``),
    ``?per_page=`` one of ``sizes``: the filter, how many of its filters are in use (the
    search and the sort aside), one keyset page of rows and its numbers."""
    per_page = page_size(request.GET.get("per_page"), sizes)
    page = keyset_page(
        filterset.qs,
        filterset.ordering,
        per_page=per_page,
        total=total,
        params=request.GET,
        select_related=select_related,
    )
    return {
        "filter": filterset,
        "filters_active": sum(
            1 for key in filterset.filters if key not in NOT_FILTERS and request.GET.get(key)
        ),
        **page.context(),
        "per_page": per_page,
        "page_sizes": sizes,
    }
