"""The global search: ``/recherche/?q=`` (the page) and ``/recherche/suggestions/?q=`` (the
combobox's options, an HTML fragment). Both for signed-in users with a role; 404 otherwise."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.utils.html import escape

from . import query as search
from .groups import GROUPS

PAGE_LIMIT = 10  # rows per group on the page
SUGGESTION_LIMIT = 3  # rows per group in the suggestions
COUNT_CAP = 100  # "100+" beyond: the count costs the same at any scale


def _require_member(user):
    if getattr(user, "membership", None) is None:
        raise Http404


def _results(user, text: str, *, limit: int, counts: bool) -> list[dict]:
    results = []
    for group in GROUPS:
        qs = group.queryset(user)
        if qs is None:
            continue  # a kind the user may not read: not even its heading
        hits = search.query(qs, text, limit=limit)
        for hit in hits:
            hit.search_url = group.url(hit)
            if not str(hit.search_title).strip():
                hit.search_title = escape(getattr(hit, "address", "") or str(hit))
            hit.search_line = group.describe(hit) if group.describe else ""
        total = None
        if counts and hits:
            total = len(hits) if len(hits) < limit else search.count(qs, text, cap=COUNT_CAP)
        results.append({"group": group, "hits": hits, "total": total})
    return results


@login_required
def results(request):
    _require_member(request.user)
    text = request.GET.get("q", "")[: search.MAX_INPUT].strip()
    groups = _results(request.user, text, limit=PAGE_LIMIT, counts=True) if text else []
    for g in groups:
        g["more_url"] = g["group"].more_url(text) if g["total"] and g["total"] > PAGE_LIMIT else ""
    return render(
        request,
        "search/results.html",
        {
            "q": text,
            "groups": groups,
            "found": any(g["hits"] for g in groups),
            "usable": bool(search.parse(text)),
            "count_cap": COUNT_CAP,
        },
    )


@login_required
def suggestions(request):
    _require_member(request.user)
    text = request.GET.get("q", "")[: search.MAX_INPUT].strip()
    groups = []
    if len(text) >= 2:
        groups = [
            g
            for g in _results(request.user, text, limit=SUGGESTION_LIMIT, counts=False)
            if g["hits"]
        ]
    return render(request, "search/suggestions.html", {"q": text, "groups": groups})
