"""Staff pages for running an event: its registrations, the door (check-in by name, walk-ins,
the printed sign-in sheet) and the counts entered afterwards.

Who runs an event is ``permissions.can_run_attendance``; anyone else gets 404. Pages showing
registrants are never cached (``views.personal``).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from tremplin.core import keyset
from tremplin.core.form_pages import NOT_SAVED, form_page, submitted
from tremplin.core.keyset import is_htmx

from . import selectors, services
from .forms import AttendanceForm, RegistrationEditForm, StaffRegistrationForm, WalkInForm
from .models import RegistrationSource, RegistrationStatus, StopAttendance
from .views import personal
from .views_public import registrant

REGISTRATION_ORDER = ("created_at", "id")
REGISTRATIONS_PER_PAGE = 50

# --------------------------------------------------------------------------- registrations


@login_required
@require_GET
@personal
def registration_list(request, public_id):
    """One status at a time (confirmed by default), in order of arrival, page by page: each
    page is read after the previous page's last row (or from the nearer end), so the last page
    of a forum's thousand registrations costs what the first costs."""
    event = selectors.get_event_for_attendance(request.user, public_id)
    counts = selectors.registration_status_counts(event)
    status = request.GET.get("status")
    if status not in counts:
        status = RegistrationStatus.CONFIRMED
    total = counts[status]
    page = keyset.keyset_page(
        event.registrations.filter(status=status).order_by(*REGISTRATION_ORDER),
        REGISTRATION_ORDER,
        per_page=REGISTRATIONS_PER_PAGE,
        total=total,
        params=request.GET,
        select_related=["stop__municipality", "provider"],
    )
    return render(
        request,
        "events/registration_list.html",
        {
            "event": event,
            "counts": counts,
            "status": status,
            "total": total,
            "tabs": [(value, label, counts[value]) for value, label in RegistrationStatus.choices],
            **page.context(),
            "cancellable": status != RegistrationStatus.CANCELLED,
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
    saved = submitted(
        request,
        form,
        lambda: services.registration_submit(
            event=event,
            **registrant(form.cleaned_data),
            source=RegistrationSource.STAFF,
            user=request.user,
            request=request,
        ),
    )
    if saved is not NOT_SAVED:
        registration, created = saved
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
    return form_page(
        request,
        form,
        lambda: services.registration_update(
            user=request.user, registration=form.save(commit=False), request=request
        ),
        success=_("L'inscription a été modifiée."),
        to=reverse("events:registration-list", args=[event.public_id]),
        template="events/registration_form.html",
        context={"event": event, "registration": registration, "creating": False},
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


def _event_at_stop(request, public_id):
    """The event run at the door, its stops and the one chosen (404: no stop)."""
    event = selectors.get_event_for_attendance(request.user, public_id)
    stops = list(event.stops.all())
    stop = _chosen_stop(request, event, stops)
    if stop is None:
        raise Http404
    return event, stops, stop


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
    event, stops, stop = _event_at_stop(request, public_id)
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
        if not is_htmx(request):
            for text in error.messages:
                messages.error(request, text)
    if is_htmx(request):
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
    event, stops, stop = _event_at_stop(request, public_id)
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
    checked_in = event.registrations.filter(stop=stop, checked_in_at__isnull=False).exclude(
        status=RegistrationStatus.CANCELLED
    )
    return form_page(
        request,
        form,
        lambda: services.attendance_save(
            user=request.user,
            attendance=form.save(commit=False),
            providers=form.cleaned_data["providers"],
            request=request,
        ),
        success=_("Les présences de l'étape sont enregistrées."),
        to=reverse("events:event-detail", args=[event.public_id]),
        template="events/attendance_form.html",
        context={
            "event": event,
            "stop": stop,
            "exists": attendance.pk is not None,
            "checked_in": checked_in.count(),
        },
        invalid_status=400,
    )
