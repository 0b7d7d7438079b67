"""Full-text search behind one interface, on PostgreSQL (``tsvector``) and SQLite (FTS5).

- ``parse(text)``: the user's words → terms. Each word is a prefix ("caf" finds "café");
  a quoted phrase matches those words in that order; accents and case never matter; every
  term must match (AND). Anything but letters and digits is a separator, so ``%``, ``_``,
  quotes, ``*``, ``-``, ``NEAR``, SQL or emoji can never reach the engine as syntax.
- ``filter(qs, text)``: ``qs`` narrowed to the rows that match (a list keeps its own sort and
  its own access rules: the search only takes rows away).
- ``query(qs, text, limit=…)``: the best matches of ``qs``, ranked, each with ``search_title``
  and ``search_snippet`` (HTML-safe, the matched words in ``<mark>``).
- ``count(qs, text, cap)``: how many rows of ``qs`` match, counted up to ``cap`` only.
"""

# ruff: noqa: S608, S611  (table and column names come from kinds.py; the user's text only
# ever reaches SQL as a query parameter)

from __future__ import annotations

import re
from dataclasses import dataclass

from django.core.exceptions import EmptyResultSet
from django.db import connections, router
from django.db.models.expressions import RawSQL
from django.utils.html import escape
from django.utils.safestring import mark_safe

from tremplin.core.text import fold

from .kinds import KINDS, Kind, kind_of

MAX_INPUT = 200  # characters read from the user's text
MAX_TERMS = 8
MAX_WORDS = 8  # in one quoted phrase
MAX_WORD = 40
_TERMS = re.compile(r'"([^"]*)"|([^\s"]+)')
_WORDS = re.compile(r"[^\W_]+")
_START, _STOP = "\x02", "\x03"  # marks around matched words, escaped text in between


@dataclass(frozen=True)
class Term:
    words: tuple[str, ...]
    prefix: bool  # the last word is a prefix


def parse(text: str | None) -> list[Term]:
    """The terms of the user's text (empty: nothing usable in it)."""
    terms = []
    for phrase, word in _TERMS.findall((text or "")[:MAX_INPUT]):
        words = tuple(w[:MAX_WORD] for w in _WORDS.findall(fold(phrase or word)))[:MAX_WORDS]
        if words:
            # A one-letter prefix would match most of the index: it is taken as a whole word.
            terms.append(Term(words, prefix=not phrase and len(words[-1]) > 1))
    return terms[:MAX_TERMS]


def _kind(qs, kind) -> Kind:
    if kind is None:
        return kind_of(qs.model)
    return kind if isinstance(kind, Kind) else KINDS[kind]


def _connection(qs):
    return connections[qs.db or router.db_for_read(qs.model)]


def _pg_tsquery(terms: list[Term]) -> tuple[str, list[str]]:
    # The French stems as whole words ("cuisines" finds "cuisine"), the unstemmed words as
    # prefixes ("caf", "événem"): a stem as a prefix would add little and, OR'ed with the
    # word's own prefix, makes the planner expect three times the matches (and scan).
    parts, params = [], []
    for term in terms:
        words = " <-> ".join(term.words)
        parts.append("(to_tsquery('tremplin_fr', %s) || to_tsquery('tremplin_simple', %s))")
        params += [words, words + (":*" if term.prefix else "")]
    return " && ".join(parts), params


def _fts_match(terms: list[Term]) -> str:
    return " ".join('"' + " ".join(t.words) + '"' + ("*" if t.prefix else "") for t in terms)


def _matching_ids(kind: Kind, terms: list[Term], vendor: str) -> tuple[str, list]:
    """SQL selecting the ids of the kind's rows that match (self-contained: no outer refs)."""
    if vendor == "postgresql":
        tsquery, params = _pg_tsquery(terms)
        return f"SELECT id FROM {kind.index} WHERE vector @@ ({tsquery})", params
    return f"SELECT rowid FROM {kind.index} WHERE {kind.index} MATCH %s", [_fts_match(terms)]


def filter(qs, text, *, kind=None, field: str = "pk"):  # noqa: A001 - the module's verb
    """``qs`` restricted to the rows whose ``field`` (default: the row itself; ``"person"`` on
    follow-ups) matches ``text``. Blank text: ``qs`` unchanged; text without a single letter
    or digit: no rows."""
    if not (text or "").strip():
        return qs
    terms = parse(text)
    if not terms:
        return qs.none()
    if kind is None and field != "pk":
        kind = kind_of(qs.model._meta.get_field(field).related_model)
    kind = _kind(qs, kind)
    sql, params = _matching_ids(kind, terms, _connection(qs).vendor)
    return qs.filter(**{f"{field}__in": RawSQL(sql, params)})


def _scope(qs) -> tuple[str, tuple] | None:
    """The SQL of ``qs``'s ids; None when Django knows it is empty (``pk__in=[]``)."""
    try:
        return qs.order_by().values("pk").query.sql_with_params()
    except EmptyResultSet:
        return None


def count(qs, text, *, cap: int = 100, kind=None) -> int:
    """Matching rows of ``qs``, counted up to ``cap + 1`` (the caller shows "100+")."""
    terms = parse(text)
    if not terms:
        return 0
    kind = _kind(qs, kind)
    connection = _connection(qs)
    ids, params = _matching_ids(kind, terms, connection.vendor)
    if (scoped := _scope(qs)) is None:
        return 0
    scope, scope_params = scoped
    # On SQLite the matches first, on their own (``MATERIALIZED``): given ``rowid IN (…)``
    # beside ``MATCH``, FTS5 tests the phrase row by row over the whole scope.
    if connection.vendor == "postgresql":
        sql = f"SELECT count(*) FROM ({ids} AND id IN ({scope}) LIMIT %s) c"
    else:
        sql = f"""
            WITH m (id) AS MATERIALIZED ({ids})
            SELECT count(*) FROM (SELECT id FROM m WHERE id IN ({scope}) LIMIT %s) c"""
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, *scope_params, cap + 1])
        return cursor.fetchone()[0]


def _marked(text: str) -> str:
    escaped = escape(text or "").replace(_START, "<mark>").replace(_STOP, "</mark>")
    return mark_safe(escaped)  # noqa: S308  (escaped text, then only our own <mark> tags)


def query(qs, text, *, limit: int = 10, kind=None) -> list:
    """The ``limit`` best matches of ``qs`` (ranked: a match in the title before one in the
    body), as model instances from ``qs`` with ``search_title`` and ``search_snippet``."""
    terms = parse(text)
    if not terms:
        return []
    kind = _kind(qs, kind)
    connection = _connection(qs)
    if (scoped := _scope(qs)) is None:
        return []
    scope, scope_params = scoped
    if connection.vendor == "postgresql":
        tsquery, params = _pg_tsquery(terms)
        marks = f"StartSel={_START}, StopSel={_STOP}"
        sql = f"""
            SELECT s.id,
                   ts_headline('tremplin_simple', s.title, ({tsquery}), %s),
                   ts_headline('tremplin_simple', s.body, ({tsquery}), %s)
            FROM (SELECT id, title, body, ts_rank(vector, ({tsquery})) AS rank
                  FROM {kind.index}
                  WHERE vector @@ ({tsquery}) AND id IN ({scope})
                  ORDER BY rank DESC, id LIMIT %s) s
            ORDER BY s.rank DESC, s.id"""
        options = [
            f"{marks}, HighlightAll=true",
            f'{marks}, MaxWords=24, MinWords=10, MaxFragments=2, FragmentDelimiter=" … "',
        ]
        args = [*params, options[0], *params, options[1], *params, *params, *scope_params]
        args.append(limit)
    else:
        # The matches ranked on their own (see ``count``), the best of the scope kept, and
        # the snippets made for those rows only (SQLite computes the selected columns of
        # every row before sorting).
        sql = f"""
            WITH m (id, rank) AS MATERIALIZED (
                SELECT rowid, bm25({kind.index}, 10.0, 4.0, 1.0) FROM {kind.index}
                WHERE {kind.index} MATCH %s),
            best AS MATERIALIZED (
                SELECT id, rank FROM m WHERE id IN ({scope}) ORDER BY rank, id LIMIT %s)
            SELECT f.rowid,
                   highlight({kind.index}, 0, %s, %s),
                   snippet({kind.index}, 1, %s, %s, ' … ', 14)
            FROM {kind.index} f JOIN best ON best.id = f.rowid
            WHERE {kind.index} MATCH %s
            ORDER BY best.rank, best.id"""
        match = _fts_match(terms)
        args = [match, *scope_params, limit, _START, _STOP, _START, _STOP, match]
    with connection.cursor() as cursor:
        cursor.execute(sql, args)
        found = cursor.fetchall()
    objects = qs.in_bulk([row[0] for row in found]) if found else {}
    hits = []
    for pk, title, snippet in found:
        obj = objects.get(pk)
        if obj is None:
            continue
        obj.search_title = _marked(title)
        obj.search_snippet = _marked(snippet) if (snippet or "").strip() else ""
        hits.append(obj)
    return hits
