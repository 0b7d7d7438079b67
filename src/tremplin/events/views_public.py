"""Public pages of events: no account needed. A published event's page and registration form,
the thank-you page, cancellation by the e-mailed link, iCalendar files and the upcoming list.

The registration form is open to the internet: CSRF (Django's middleware), a rate limit per
address, a honeypot field, strict validation, and the same answer whatever happened — a new
registration, someone already registered, the waiting list or a robot — so that the page never
tells whether an e-mail address is registered.
"""

from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from tremplin.core import keyset, ratelimit

from . import ical, selectors, services
from .emails import base_url
from .forms import RegistrationForm
from .models import EventStatus, RegistrationStatus

PUBLIC_PAGE_SIZE = 20
MAX_PAGES = 50
REGISTRANT_FIELDS = (
    "stop",
    "name",
    "organization",
    "email",
    "phone",
    "accessibility_needs",
    "is_tenant",
)


def registrant(data) -> dict:
    """Who registers, from a registration form's cleaned data (the public and staff forms)."""
    return {field: data[field] for field in REGISTRANT_FIELDS}


def _open_stops(event, now=None):
    """The event's stops still to come (from the prefetched stops)."""
    now = now or timezone.now()
    return [stop for stop in event.stops.all() if stop.starts_at > now]


def _accepting(event, stops) -> bool:
    return event.status == EventStatus.PUBLISHED and event.registration_open and bool(stops)


@require_GET
def public_list(request):
    events = selectors.upcoming_public_events(request.user).prefetch_related(selectors.STOPS)
    page = keyset.page_number(request.GET.get("page"), MAX_PAGES)
    rows = list(events[(page - 1) * PUBLIC_PAGE_SIZE : page * PUBLIC_PAGE_SIZE + 1])
    has_next = len(rows) > PUBLIC_PAGE_SIZE and page < MAX_PAGES
    return render(
        request,
        "events/public_list.html",
        {"events": rows[:PUBLIC_PAGE_SIZE], "page": page, "has_next": has_next},
    )


@require_http_methods(["GET", "POST"])
def public_detail(request, public_id):
    event = selectors.get_public_event(request.user, public_id)
    stops = list(event.stops.all())
    upcoming = _open_stops(event)
    accepting = _accepting(event, upcoming)
    status = 200
    form = None
    rate_limited = False
    if accepting:
        form = RegistrationForm(stops=upcoming)
    if request.method == "POST" and accepting:
        if not ratelimit.allow("events.registration", request):
            rate_limited, status = True, 429
            keep = ("name", "organization", "email", "phone", "stop", "is_tenant")
            kept = {k: request.POST.get(k, "")[:300] for k in keep if k in request.POST}
            kept.update(accessibility_needs=request.POST.get("accessibility_needs", "")[:1000])
            form = RegistrationForm(initial=kept, stops=upcoming)
        else:
            form = RegistrationForm(request.POST, stops=upcoming)
            if form.is_spam:
                # A robot filled in the hidden field: answer as if all went well.
                return redirect("events:public-thanks", public_id=event.public_id)
            if form.is_valid():
                try:
                    services.registration_submit(
                        event=event,
                        **registrant(form.cleaned_data),
                        language=getattr(request, "LANGUAGE_CODE", "fr"),
                        request=request,
                    )
                except services.RegistrationClosedError:
                    accepting, form = False, None
                except ValidationError as error:
                    form.add_error(None, error)
                else:
                    return redirect("events:public-thanks", public_id=event.public_id)
            if form is not None and form.errors:
                status = 400
    elif request.method == "POST":
        status = 409  # the form is gone: registration closed meanwhile
    taken = selectors.seats_taken(event) if event.capacity else None
    return render(
        request,
        "events/public_detail.html",
        {
            "event": event,
            "stops": stops,
            "form": form,
            "accepting": accepting,
            "several_stops": len(upcoming) > 1,
            "seats_left": max(event.capacity - taken, 0) if event.capacity else None,
            "rate_limited": rate_limited,
            "closed_on_post": status == 409,
        },
        status=status,
    )


@require_GET
def public_thanks(request, public_id):
    event = selectors.get_public_event(request.user, public_id)
    return render(request, "events/public_thanks.html", {"event": event})


@require_http_methods(["GET", "POST"])
def public_cancel(request, token):
    try:
        registration = selectors.get_registration_by_token(request.user, token)
    except Http404:
        response = render(request, "events/public_cancel_invalid.html", status=404)
        add_never_cache_headers(response)
        return response
    stop = registration.stop
    started = stop.starts_at <= timezone.now()
    done = False
    if request.method == "POST" and not started:
        already = registration.status == RegistrationStatus.CANCELLED
        services.registration_cancel(registration=registration, request=request)
        done = not already
    response = render(
        request,
        "events/public_cancel.html",
        {
            "registration": registration,
            "event": registration.event,
            "stop": stop,
            "started": started,
            "done": done,
            "cancelled": registration.status == RegistrationStatus.CANCELLED,
        },
    )
    add_never_cache_headers(response)
    return response


def _ics_response(content: bytes, filename: str, *, attachment: bool) -> HttpResponse:
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    disposition = "attachment" if attachment else "inline"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    return response


@require_GET
def event_ics(request, public_id):
    event = selectors.get_public_event(request.user, public_id)
    stops = list(event.stops.all())
    for stop in stops:
        stop.event = event
    content = ical.build_calendar(stops, base_url=base_url(request), name=event.title)
    name = slugify(event.title)[:60] or "evenement"
    return _ics_response(content, f"{name}.ics", attachment=True)


@require_GET
def feed(request):
    stops = list(selectors.feed_stops(request.user))
    content = ical.build_calendar(
        stops, base_url=base_url(request), name=_("Tremplin – événements")
    )
    return _ics_response(content, "tremplin-evenements.ics", attachment=False)
