"""Cursor pagination that stays stable while rows are inserted, and ``updated_since``.

Rows come in key order; the cursor is the last key of the page, signed (``django.core.signing``,
salted with the list's path) so that a cursor edited by hand or taken from another list is a
400, never a different page. A row inserted while a client pages has a larger key: it comes on
a later page, and nothing is skipped or repeated. ``updated_since`` keeps rows changed at or
after a time (incremental sync: keep the time of the last full pass).
"""

import datetime as dt

from django.core import signing
from ninja import Field, Schema
from pydantic import create_model

from .problems import BadCursorError

MAX_LIMIT = 500
DEFAULT_LIMIT = 100


class ListParams(Schema):
    cursor: str | None = Field(None, description="Curseur de la page suivante (`next_cursor`).")
    limit: int = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT, description="Lignes par page.")
    updated_since: dt.datetime | None = Field(
        None, description="Seulement les lignes modifiées depuis (ISO 8601, avec fuseau)."
    )


def page_schema(name: str, item: type) -> type[Schema]:
    """The schema of one page of a list, named ``name``: its ``items`` and the
    ``next_cursor`` of the page after it (``null`` on the last)."""
    return create_model(
        name, __base__=Schema, items=(list[item], ...), next_cursor=(str | None, ...)
    )


def _salt(request) -> str:
    return f"tremplin.api.cursor:{request.path}"


def page(
    request,
    queryset,
    params: ListParams,
    serialize=None,
    *,
    many=None,
    key="pk",
    updated_field="updated_at",
):
    """One page of ``queryset`` (already limited to what the user may see) as
    ``{"items": [...], "next_cursor": ...}``; ``serialize(obj)`` gives each item (or
    ``many(rows)`` all of them, for a figure read in one query for the whole page)."""
    qs = queryset
    if params.updated_since is not None and updated_field:
        since = params.updated_since
        if since.tzinfo is None:
            since = since.replace(tzinfo=dt.UTC)
        qs = qs.filter(**{f"{updated_field}__gte": since})
    if params.cursor:
        try:
            after = signing.loads(params.cursor, salt=_salt(request))
        except signing.BadSignature:
            raise BadCursorError from None
        if not isinstance(after, int):
            raise BadCursorError
        qs = qs.filter(**{f"{key}__gt": after})
    rows = list(qs.order_by(key)[: params.limit + 1])
    more = len(rows) > params.limit
    rows = rows[: params.limit]
    next_cursor = (
        signing.dumps(getattr(rows[-1], key if key != "pk" else "pk"), salt=_salt(request))
        if more and rows
        else None
    )
    items = many(rows) if many is not None else [serialize(r) for r in rows]
    return {"items": items, "next_cursor": next_cursor}
