"""Staff pages of events. Thin: reads through selectors, writes through services.

Who may open what is in ``permissions.py``; anything outside a user's scope answers 404.
Pages with registrants' personal information are never cached (``Cache-Control: no-store``).
"""

import datetime as dt
from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from tremplin.concertation.permissions import can_read_committee

from . import permissions, reach, selectors, services
from .forms import (
    AttendanceForm,
    EventForm,
    ReachForm,
    RegistrationEditForm,
    StaffRegistrationForm,
    WalkInForm,
    fiscal_year_bounds,
    stop_formset,
)
from .models import (
    Event,
    EventKind,
    EventStatus,
    RegistrationSource,
    RegistrationStatus,
    StopAttendance,
)

PAGE_SIZE = 25
REACH_PAGE_SIZE = 50
MAX_PAGE = 10_000


def _int(value, default):
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


def _is_htmx(request) -> bool:
    return request.headers.get("HX-Request") == "true" and not request.headers.get("HX-Boosted")


def personal(view):
    """Pages showing registrants: never stored by browsers or proxies."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        add_never_cache_headers(response)  # includes no-store and private
        return response

    return wrapper


def _page(request, total, size):
    pages = max(1, -(-total // size))
    page = min(max(1, _int(request.GET.get("page"), 1)), pages, MAX_PAGE)
    return page, pages


# --------------------------------------------------------------------------- list


@login_required
@require_GET
def event_list(request):
    events, filters = selectors.event_list(request.user, request.GET)
    total = events.count()
    page, pages = _page(request, total, PAGE_SIZE)
    rows = list(events.prefetch_related(selectors.STOPS)[(page - 1) * PAGE_SIZE : page * PAGE_SIZE])
    counts = selectors.registration_counts([e.pk for e in rows])
    for event in rows:
        event.counts = counts[event.pk]
    template = "events/event_list.html"
    if _is_htmx(request):
        template += "#results"
    return render(
        request,
        template,
        {
            "rows": rows,
            "total": total,
            "page": page,
            "pages": pages,
            "filters": filters,
            "statuses": EventStatus.choices,
            "kinds": EventKind.choices,
            "can_create": permissions.can_create(request.user),
            "first_index": (page - 1) * PAGE_SIZE + 1 if rows else 0,
            "last_index": (page - 1) * PAGE_SIZE + len(rows),
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
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        stops = [f.save(commit=False) for f in formset.forms if _keeps(formset, f)]
        deleted = [f.instance for f in formset.deleted_forms if f.instance.pk]
        try:
            event = services.event_save(
                user=request.user,
                event=form.save(commit=False),
                stops=stops,
                deleted_stops=deleted,
                staff=form.cleaned_data["staff"],
                request=request,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("L'événement a été enregistré."))
            return redirect("events:event-detail", public_id=event.public_id)
    return render(
        request,
        "events/event_form.html",
        {"form": form, "formset": formset, "event": event, "creating": creating},
        status=400 if request.method == "POST" else 200,
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


# --------------------------------------------------------------------------- registrations


@login_required
@require_GET
@personal
def registration_list(request, public_id):
    event = selectors.get_event_for_attendance(request.user, public_id)
    registrations = list(
        event.registrations.select_related("stop__municipality", "provider").order_by(
            "created_at", "id"
        )
    )
    groups = {status: [] for status in RegistrationStatus.values}
    for registration in registrations:
        groups[registration.status].append(registration)
    return render(
        request,
        "events/registration_list.html",
        {
            "event": event,
            "confirmed": groups[RegistrationStatus.CONFIRMED],
            "waitlisted": groups[RegistrationStatus.WAITLISTED],
            "cancelled": groups[RegistrationStatus.CANCELLED],
            "several_stops": len(event.stops.all()) > 1,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
@personal
def registration_create(request, public_id):
    event = selectors.get_event_for_attendance(request.user, public_id)
    stops = list(event.stops.all())
    if not stops:
        raise Http404
    form = StaffRegistrationForm(request.POST or None, stops=stops)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            registration, created = services.registration_submit(
                event=event,
                stop=data["stop"],
                name=data["name"],
                organization=data["organization"],
                email=data["email"],
                phone=data["phone"],
                accessibility_needs=data["accessibility_needs"],
                is_tenant=data["is_tenant"],
                source=RegistrationSource.STAFF,
                user=request.user,
                request=request,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            if not created:
                messages.warning(
                    request,
                    _("%(name)s était déjà inscrit·e : l'inscription existante est conservée.")
                    % {"name": registration.name},
                )
            elif registration.status == RegistrationStatus.WAITLISTED:
                messages.success(request, _("Inscription ajoutée à la liste d'attente."))
            else:
                messages.success(request, _("Inscription ajoutée : place confirmée."))
            return redirect("events:registration-list", public_id=event.public_id)
    return render(
        request,
        "events/registration_form.html",
        {"form": form, "event": event, "creating": True, "several_stops": len(stops) > 1},
    )


@login_required
@require_http_methods(["GET", "POST"])
@personal
def registration_edit(request, public_id):
    registration = selectors.get_registration_for_attendance(request.user, public_id)
    event = registration.event
    form = RegistrationEditForm(request.POST or None, instance=registration)
    if request.method == "POST" and form.is_valid():
        try:
            services.registration_update(
                user=request.user, registration=form.save(commit=False), request=request
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("L'inscription a été modifiée."))
            return redirect("events:registration-list", public_id=event.public_id)
    return render(
        request,
        "events/registration_form.html",
        {"form": form, "event": event, "registration": registration, "creating": False},
    )


@login_required
@require_POST
def registration_cancel(request, public_id):
    registration = selectors.get_registration_for_attendance(request.user, public_id)
    promoted = services.registration_cancel(
        registration=registration, user=request.user, request=request
    )
    message = _("L'inscription de %(name)s est annulée.") % {"name": registration.name}
    if promoted:
        message += " " + _("Place donnée à la personne suivante de la liste d'attente.")
    messages.success(request, message)
    return redirect("events:registration-list", public_id=registration.event.public_id)


# --------------------------------------------------------------------------- check-in


def _chosen_stop(request, event, stops):
    wanted = request.GET.get("etape") or request.POST.get("etape")
    for stop in stops:
        if str(stop.public_id) == wanted:
            return stop
    if len(stops) == 1:
        return stops[0]
    now = timezone.now()
    # Default to the stop under way or next; else the last one.
    for stop in stops:
        if stop.ends_at >= now:
            return stop
    return stops[-1] if stops else None


def _check_in_counts(event, stop):
    registrations = event.registrations.filter(stop=stop).exclude(
        status=RegistrationStatus.CANCELLED
    )
    return {
        "expected": registrations.filter(status=RegistrationStatus.CONFIRMED).count(),
        "present": registrations.filter(checked_in_at__isnull=False).count(),
    }


@login_required
@require_GET
@personal
def check_in(request, public_id):
    event = selectors.get_event_for_attendance(request.user, public_id)
    stops = list(event.stops.all())
    stop = _chosen_stop(request, event, stops)
    if stop is None:
        raise Http404
    q = request.GET.get("q", "").strip()[:100]
    registrations = list(selectors.active_registrations(event, stop=stop, q=q))
    return render(
        request,
        "events/check_in.html",
        {
            "event": event,
            "stops": stops,
            "stop": stop,
            "registrations": registrations,
            "q": q,
            "counts": _check_in_counts(event, stop),
            "walk_in_form": WalkInForm(),
            "next": request.get_full_path(),
        },
    )


def _safe_next(request, fallback: str) -> str:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback


@login_required
@require_POST
@personal
def registration_check_in(request, public_id):
    registration = selectors.get_registration_for_attendance(request.user, public_id)
    event = registration.event
    present = request.POST.get("present") == "1"
    try:
        services.registration_check_in(
            user=request.user, registration=registration, present=present, request=request
        )
    except ValidationError as error:
        if not _is_htmx(request):
            for text in error.messages:
                messages.error(request, text)
    if _is_htmx(request):
        return render(
            request,
            "events/check_in.html#toggle",
            {
                "registration": registration,
                "event": event,
                "stop": registration.stop,
                "counts": _check_in_counts(event, registration.stop),
                "oob": True,
                "next": request.POST.get("next", ""),
            },
        )
    fallback = reverse("events:check-in", args=[event.public_id])
    return redirect(_safe_next(request, fallback))


@login_required
@require_POST
def walk_in(request, public_id):
    stop = selectors.get_stop_for_attendance(request.user, public_id)
    form = WalkInForm(request.POST)
    url = reverse("events:check-in", args=[stop.event.public_id]) + f"?etape={stop.public_id}"
    if form.is_valid():
        services.walk_in_add(
            user=request.user,
            stop=stop,
            name=form.cleaned_data["name"],
            organization=form.cleaned_data["organization"],
            is_tenant=form.cleaned_data["is_tenant"],
            request=request,
        )
        messages.success(
            request, _("%(name)s est inscrit·e présent·e.") % {"name": form.cleaned_data["name"]}
        )
    else:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    return redirect(url)


@login_required
@require_GET
@personal
def sign_in_sheet(request, public_id):
    event = selectors.get_event_for_attendance(request.user, public_id)
    stops = list(event.stops.all())
    stop = _chosen_stop(request, event, stops)
    if stop is None:
        raise Http404
    registrations = list(selectors.active_registrations(event, stop=stop))
    return render(
        request,
        "events/sign_in_sheet.html",
        {
            "event": event,
            "stops": stops,
            "stop": stop,
            "registrations": registrations,
            "blank_rows": range(max(10, 25 - len(registrations)) if registrations else 25),
            "printed_at": timezone.localtime(),
        },
    )


# --------------------------------------------------------------------------- counted attendance


@login_required
@require_http_methods(["GET", "POST"])
def attendance_edit(request, public_id):
    stop = selectors.get_stop_for_attendance(request.user, public_id)
    event = stop.event
    attendance = StopAttendance.objects.filter(stop=stop).first() or StopAttendance(stop=stop)
    if request.method == "POST" and request.POST.get("clear"):
        services.attendance_clear(user=request.user, stop=stop, request=request)
        messages.success(request, _("Les nombres de cette étape sont retirés."))
        return redirect("events:event-detail", public_id=event.public_id)
    form = AttendanceForm(request.POST or None, instance=attendance, stop=stop)
    if request.method == "POST" and form.is_valid():
        try:
            services.attendance_save(
                user=request.user,
                attendance=form.save(commit=False),
                providers=form.cleaned_data["providers"],
                request=request,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Les présences de l'étape sont enregistrées."))
            return redirect("events:event-detail", public_id=event.public_id)
    checked_in = (
        event.registrations.filter(stop=stop, checked_in_at__isnull=False)
        .exclude(status=RegistrationStatus.CANCELLED)
        .count()
    )
    return render(
        request,
        "events/attendance_form.html",
        {
            "form": form,
            "event": event,
            "stop": stop,
            "exists": attendance.pk is not None,
            "checked_in": checked_in,
        },
        status=400 if request.method == "POST" else 200,
    )


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
    page, pages = _page(request, totals.events, REACH_PAGE_SIZE)
    rows = list(events[(page - 1) * REACH_PAGE_SIZE : page * REACH_PAGE_SIZE])
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
            "rows": rows,
            "page": page,
            "pages": pages,
            "territory": territory,
            "previous_year": previous_start,
            "next_year": next_start,
        },
    )
