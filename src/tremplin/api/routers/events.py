"""Events and their stops: the published ones for anyone (``events.selectors.public_events``,
no token needed); the staff's view (every status, registrations counted) with
``events:read``, through ``events.selectors`` (coordination: all; an organizer: the events with
a stop in their territories; anyone else: 404)."""

import datetime as dt
import uuid

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Prefetch
from ninja import Field, Query, Router, Schema, Status

from tremplin.events import selectors, services
from tremplin.events.forms import AttendanceForm
from tremplin.events.models import MAX_CAPACITY, EventStop, RegistrationStatus, StopAttendance

from .. import idempotency
from ..auth import PublicAuth, scoped
from ..pagination import ListParams, page, page_schema
from ..schemas import StrictSchema, fields

router = Router()


class StopOut(Schema):
    id: uuid.UUID
    starts_at: dt.datetime
    ends_at: dt.datetime
    place: str
    address: str
    municipality: str | None


class EventOut(Schema):
    id: uuid.UUID
    title: str
    kind: str
    scope: str
    status: str
    description: str
    target_audience: str
    starts_at: dt.datetime | None
    ends_at: dt.datetime | None
    capacity: int | None
    registration_open: bool
    stops: list[StopOut]
    is_demo: bool
    updated_at: dt.datetime


EventPage = page_schema("EventPage", EventOut)


class StaffEventOut(EventOut):
    published: bool
    registrations_confirmed: int
    registrations_waiting: int
    checked_in: int


StaffEventPage = page_schema("StaffEventPage", StaffEventOut)


STOPS = Prefetch(
    "stops",
    queryset=EventStop.objects.select_related("municipality").order_by("starts_at", "id"),
)


def event_out(e) -> dict:
    return {
        "id": e.public_id,
        "stops": [
            {
                "id": s.public_id,
                **fields(s, "starts_at", "ends_at", "place", "address"),
                "municipality": s.municipality.code if s.municipality_id else None,
            }
            for s in e.stops.all()
        ],
        **fields(
            e,
            "title",
            "kind",
            "scope",
            "status",
            "description",
            "target_audience",
            "starts_at",
            "ends_at",
            "capacity",
            "registration_open",
            "is_demo",
            "updated_at",
        ),
    }


@router.get("/public", response=EventPage, auth=PublicAuth(), summary="Événements publiés")
@scoped(None)
def public(request, params: Query[ListParams]):
    """What the public events page shows (published, also once cancelled or held)."""
    qs = selectors.public_events(request.user).prefetch_related(STOPS)
    return page(request, qs, params, event_out)


@router.get(
    "/public/{event_id}", response=EventOut, auth=PublicAuth(), summary="Un événement publié"
)
@scoped(None)
def public_event(request, event_id: uuid.UUID):
    return event_out(selectors.get_public_event(request.user, event_id))


def _staff_items(rows) -> list[dict]:
    counts = selectors.registration_counts([e.pk for e in rows])
    return [
        {
            **event_out(e),
            "published": e.published_at is not None,
            "registrations_confirmed": counts[e.pk]["confirmed"],
            "registrations_waiting": counts[e.pk]["waitlisted"],
            "checked_in": counts[e.pk]["present"],
        }
        for e in rows
    ]


@router.get("", response=StaffEventPage, summary="Événements (équipe)")
@scoped("events:read")
def events(request, params: Query[ListParams]):
    qs = selectors.events_for_user(request.user).prefetch_related(STOPS)
    return page(request, qs, params, many=_staff_items)


@router.get("/{event_id}", response=StaffEventOut, summary="Un événement (équipe)")
@scoped("events:read")
def event(request, event_id: uuid.UUID):
    return _staff_items([selectors.get_event_for_user(request.user, event_id)])[0]


class RegistrationOut(Schema):
    id: uuid.UUID
    stop: uuid.UUID | None
    name: str
    organization: str
    is_tenant: bool
    status: str
    checked_in_at: dt.datetime | None
    updated_at: dt.datetime


RegistrationPage = page_schema("RegistrationPage", RegistrationOut)


class CheckIn(StrictSchema):
    present: bool


def registration_out(r) -> dict:
    return {
        "id": r.public_id,
        "stop": r.stop.public_id if r.stop_id else None,
        **fields(r, "name", "organization", "is_tenant", "status", "checked_in_at", "updated_at"),
    }


@router.get("/{event_id}/registrations", response=RegistrationPage, summary="Inscriptions (équipe)")
@scoped("events:read")
def registrations(request, event_id: uuid.UUID, params: Query[ListParams]):
    """Names and organizations only (no contact details), for those who run the event's
    attendance (``events.selectors.get_event_for_attendance``: 404 otherwise)."""
    event = selectors.get_event_for_attendance(request.user, event_id)
    qs = selectors.active_registrations(event)
    return page(request, qs, params, registration_out)


@router.post(
    "/registrations/{registration_id}/check-in",
    response={200: RegistrationOut},
    summary="Noter une présence (ou l'annuler)",
)
@scoped("events:write")
def check_in(
    request,
    registration_id: uuid.UUID,
    payload: CheckIn,
    key: str | None = idempotency.IdempotencyKey,
):
    registration = selectors.get_registration_for_attendance(request.user, registration_id)

    def write():
        services.registration_check_in(
            user=request.user, registration=registration, present=payload.present, request=request
        )
        return 200, registration_out(registration)

    return idempotency.run(request, key, write)


class WalkInIn(StrictSchema):
    name: str = Field(..., min_length=1, max_length=120)
    organization: str = Field("", max_length=200)
    is_tenant: bool = False


@router.post(
    "/stops/{stop_id}/walk-ins",
    response={201: RegistrationOut},
    summary="Noter une personne venue sans inscription",
)
@scoped("events:write")
def walk_in(
    request, stop_id: uuid.UUID, payload: WalkInIn, key: str | None = idempotency.IdempotencyKey
):
    """Recorded present at once (``events.services.walk_in_add``), for those who run the
    event's attendance (404 otherwise)."""
    stop = selectors.get_stop_for_attendance(request.user, stop_id)

    def write():
        registration = services.walk_in_add(
            user=request.user,
            stop=stop,
            name=payload.name.strip(),
            organization=payload.organization,
            is_tenant=payload.is_tenant,
            request=request,
        )
        return 201, registration_out(registration)

    return idempotency.run(request, key, write)


# --------------------------------------------------------------------------- counted attendance


class StopAttendanceOut(Schema):
    stop: uuid.UUID
    counted: bool = Field(
        ..., description="Des nombres sont saisis : ils remplacent les présences notées de l'étape."
    )
    tenants: int
    provider_staff: int
    partners: int
    others: int
    people: int
    providers: list[uuid.UUID]
    note: str
    checked_in: int = Field(..., description="Présences notées par nom à cette étape.")
    updated_at: dt.datetime | None


class StopAttendanceIn(StrictSchema):
    """The whole count of a stop (a field left out is 0, or empty): it replaces the last one."""

    tenants: int = Field(0, ge=0, le=MAX_CAPACITY)
    provider_staff: int = Field(0, ge=0, le=MAX_CAPACITY)
    partners: int = Field(0, ge=0, le=MAX_CAPACITY)
    others: int = Field(0, ge=0, le=MAX_CAPACITY)
    providers: list[uuid.UUID] = Field(
        default_factory=list,
        max_length=200,
        description="Organismes d'habitation représentés : ceux de la région de l'étape.",
    )
    note: str = Field("", max_length=500)


def _checked_in(stop) -> int:
    return (
        stop.event.registrations.filter(stop=stop, checked_in_at__isnull=False)
        .exclude(status=RegistrationStatus.CANCELLED)
        .count()
    )


def attendance_out(stop, attendance) -> dict:
    counted = attendance is not None and attendance.pk is not None
    return {
        "stop": stop.public_id,
        "counted": counted,
        **{name: getattr(attendance, name) if counted else 0 for name in StopAttendance.CATEGORIES},
        "people": attendance.people if counted else 0,
        "providers": [p.public_id for p in attendance.providers.all()] if counted else [],
        "note": attendance.note if counted else "",
        "checked_in": _checked_in(stop),
        "updated_at": attendance.updated_at if counted else None,
    }


def _current(stop):
    return StopAttendance.objects.filter(stop=stop).first()


@router.get(
    "/stops/{stop_id}/attendance",
    response=StopAttendanceOut,
    summary="Présences comptées d'une étape",
)
@scoped("events:read")
def attendance(request, stop_id: uuid.UUID):
    """The counts entered after the fact (``counted``: false when none), for those who run the
    event's attendance (``events.selectors.get_stop_for_attendance``: 404 otherwise)."""
    stop = selectors.get_stop_for_attendance(request.user, stop_id)
    return attendance_out(stop, _current(stop))


@router.put(
    "/stops/{stop_id}/attendance",
    response={200: StopAttendanceOut},
    summary="Saisir les présences comptées d'une étape",
)
@scoped("events:write")
def attendance_put(
    request,
    stop_id: uuid.UUID,
    payload: StopAttendanceIn,
    key: str | None = idempotency.IdempotencyKey,
):
    """The web page's form and rules (``events.forms.AttendanceForm``: providers of the stop's
    region, at most 100 000 people) and its service (``events.services.attendance_save``,
    audited); the counts then replace the stop's check-ins in reach. 404 for a stop whose
    attendance the caller does not run."""
    stop = selectors.get_stop_for_attendance(request.user, stop_id)

    def write():
        # One writer at a time per stop (PostgreSQL; SQLite serializes writes anyway).
        EventStop.objects.select_for_update().filter(pk=stop.pk).first()
        attendance = _current(stop) or StopAttendance(stop=stop)
        data = payload.dict()
        data["providers"] = [str(p) for p in data["providers"]]
        form = AttendanceForm(data, instance=attendance, stop=stop)
        form.fields["providers"].to_field_name = "public_id"
        if not form.is_valid():
            raise ValidationError(
                {
                    field: [e["message"] for e in errors]
                    for field, errors in form.errors.get_json_data().items()
                }
            )
        saved = services.attendance_save(
            user=request.user,
            attendance=form.save(commit=False),
            providers=form.cleaned_data["providers"],
            request=request,
        )
        return 200, attendance_out(stop, saved)

    with transaction.atomic():
        return idempotency.run(request, key, write)


@router.delete(
    "/stops/{stop_id}/attendance",
    response={204: None},
    summary="Retirer les présences comptées d'une étape",
)
@scoped("events:write")
def attendance_delete(request, stop_id: uuid.UUID):
    """``events.services.attendance_clear``: the stop's check-ins count again. 204 also when
    there were no counts (nothing to remove)."""
    stop = selectors.get_stop_for_attendance(request.user, stop_id)
    services.attendance_clear(user=request.user, stop=stop, request=request)
    return Status(204, None)
