"""Staff pages of events (list, event page, form, reach). Thin: reads through selectors,
writes through services. Running an event (registrations, door, counts): ``views_running.py``.

Who may open what is in ``permissions.py``; anything outside a user's scope answers 404.
Pages with registrants' personal information are never cached (``Cache-Control: no-store``).
"""

import datetime as dt
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from tremplin.concertation.permissions import can_read_committee
from tremplin.core import keyset
from tremplin.core.form_pages import form_page

from . import permissions, reach, selectors, services
from .forms import (
    EventForm,
    ReachForm,
    fiscal_year_bounds,
    stop_formset,
)
from .models import (
    Event,
    EventKind,
    EventStatus,
)

PAGE_SIZE = 25
REACH_PAGE_SIZE = 50
MAX_PAGE = 10_000


def personal(view):
    """Pages showing registrants: never stored by browsers or proxies."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        add_never_cache_headers(response)  # includes no-store and private
        return response

    return wrapper


# --------------------------------------------------------------------------- list


@login_required
@require_GET
def event_list(request):
    events, filters = selectors.event_list(request.user, request.GET)
    total = events.count()
    page = keyset.offset_page(
        events.prefetch_related(selectors.STOPS),
        per_page=PAGE_SIZE,
        total=total,
        params=request.GET,
        most=MAX_PAGE,
    )
    rows = page.rows
    counts = selectors.registration_counts([e.pk for e in rows])
    for event in rows:
        event.counts = counts[event.pk]
    return render(
        request,
        keyset.results_template(request, "events/event_list.html"),
        {
            **page.context(),
            "total": total,
            "filters": filters,
            "statuses": EventStatus.choices,
            "kinds": EventKind.choices,
            "can_create": permissions.can_create(request.user),
        },
    )


# --------------------------------------------------------------------------- event page


@login_required
@require_GET
def event_detail(request, public_id):
    event = selectors.get_event_for_user(request.user, public_id)
    stops = list(event.stops.all())
    by_stop, providers = reach.by_stop([stop.pk for stop in stops])
    for stop in stops:
        stop.reach = by_stop[stop.pk]
    return render(
        request,
        "events/event_detail.html",
        {
            "event": event,
            "stops": stops,
            "staff": event.staff.all(),
            "counts": selectors.registration_counts([event.pk])[event.pk],
            "people": sum(row["people"] for row in by_stop.values()),
            "providers": len(providers),
            "counts_in_reach": event.status in (EventStatus.PUBLISHED, EventStatus.HELD),
            "can_edit": permissions.can_edit(request.user, event),
            "can_run": permissions.can_run_attendance(request.user, event),
            # The committee's name is shown to all; a link only to those who may open it.
            "committee_link": event.committee is not None
            and can_read_committee(request.user, event.committee),
        },
    )


# --------------------------------------------------------------------------- create and edit


def _save_event(request, event, *, creating):
    form = EventForm(request.POST or None, instance=event, user=request.user)
    formset = stop_formset(data=request.POST or None, instance=event, user=request.user)

    def save():
        return services.event_save(
            user=request.user,
            event=form.save(commit=False),
            stops=[f.save(commit=False) for f in formset.forms if _keeps(formset, f)],
            deleted_stops=[f.instance for f in formset.deleted_forms if f.instance.pk],
            staff=form.cleaned_data["staff"],
            request=request,
        )

    return form_page(
        request,
        form,
        save,
        others=(formset,),
        success=_("L'événement a été enregistré."),
        to=lambda saved: reverse("events:event-detail", args=[saved.public_id]),
        template="events/event_form.html",
        context={"formset": formset, "event": event, "creating": creating},
        invalid_status=400,
    )


def _keeps(formset, form) -> bool:
    """A stop form to save: filled in (or existing) and not marked for removal."""
    if form in formset.deleted_forms:
        return False
    return bool(form.instance.pk) or form.has_changed()


@login_required
@require_http_methods(["GET", "POST"])
def event_create(request):
    if not permissions.can_create(request.user):
        raise Http404
    return _save_event(request, Event(), creating=True)


@login_required
@require_http_methods(["GET", "POST"])
def event_edit(request, public_id):
    event = selectors.get_event_for_edit(request.user, public_id)
    return _save_event(request, event, creating=False)


# --------------------------------------------------------------------------- reach


@login_required
@require_GET
def reach_page(request):
    selectors.events_for_user(request.user)  # 404 for those without access
    today = timezone.localdate()
    default_start, default_end = fiscal_year_bounds(today)
    params = request.GET if request.GET.get("start") else None
    form = ReachForm(params or None, initial={"start": default_start, "end": default_end})
    start, end, territory = default_start, default_end, None
    if params is not None and form.is_valid():
        start, end = form.cleaned_data["start"], form.cleaned_data["end"]
        territory = form.cleaned_data["territory"]
    elif params is not None:
        return render(request, "events/reach.html", {"form": form, "invalid": True}, status=400)
    totals = selectors.period_reach(request.user, start, end, territory)
    events = selectors.period_events(request.user, start, end, territory)
    page = keyset.offset_page(
        events, per_page=REACH_PAGE_SIZE, total=totals.events, params=request.GET, most=MAX_PAGE
    )
    rows = page.rows
    in_page = selectors.period_stops(request.user, start, end, territory).filter(
        event__in=[e.pk for e in rows]
    )
    figures = reach.by_event(in_page)
    for event in rows:
        event.reach = figures.get(event.pk, {"people": 0, "providers": 0})
    previous_start = fiscal_year_bounds(start - dt.timedelta(days=1))
    next_start = fiscal_year_bounds(end + dt.timedelta(days=1))
    return render(
        request,
        "events/reach.html",
        {
            "form": form,
            "totals": totals,
            **page.context(),
            "territory": territory,
            "previous_year": previous_start,
            "next_year": next_start,
        },
    )
