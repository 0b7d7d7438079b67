"""Writes on events: an event and its stops, registrations (public and by the staff), the
waiting list, check-ins and attendance counted after the fact.

Seats are taken under a lock on the event row (``select_for_update``): two people registering
for the last seat at the same moment are serialized, one gets it, the other is wait-listed.
On SQLite the lock is a no-op but writes are serialized anyway (``IMMEDIATE`` transactions).
"""

import datetime as dt
from functools import partial

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max, Min
from django.utils import timezone
from django.utils.translation import gettext as _

from tremplin.audit.services import log_action
from tremplin.concertation.permissions import can_read_committee
from tremplin.core.formatting import date_long
from tremplin.core.text import fold

from . import emails
from .models import (
    ACTIVE_STATUSES,
    Event,
    EventStatus,
    EventStop,
    Registration,
    RegistrationSource,
    RegistrationStatus,
    StopAttendance,
)

# Registering again with the same e-mail resends the confirmation, at most this often.
RESEND_AFTER = dt.timedelta(minutes=10)


class RegistrationClosedError(Exception):
    """The event does not take online registrations (any more)."""


def _actor(user):
    return user if getattr(user, "is_authenticated", False) else None


# --------------------------------------------------------------------------- events


def event_refresh(event: Event) -> None:
    """Derive the event's first and last moments and its folded search text from its stops."""
    bounds = event.stops.aggregate(first=Min("starts_at"), last=Max("ends_at"))
    places = event.stops.values_list("place", "municipality__name")
    parts = [event.title] + [f"{place} {town}" for place, town in places]
    Event.objects.filter(pk=event.pk).update(
        starts_at=bounds["first"],
        ends_at=bounds["last"],
        search_key=" | ".join(fold(p) for p in parts if p),
    )
    event.starts_at, event.ends_at = bounds["first"], bounds["last"]


@transaction.atomic
def event_save(
    *,
    user,
    event: Event,
    stops=(),
    deleted_stops=(),
    staff=None,
    request=None,
) -> Event:
    """Validate and save an event with its new or changed ``stops`` (and remove
    ``deleted_stops``, refused when someone registered for them).

    Publishing sets ``published_at`` once. Raising the capacity (or removing it) promotes
    people from the waiting list; cancelling the event tells the registrants by e-mail.
    """
    created = event.pk is None
    previous = None
    if not created:
        previous = Event.objects.select_for_update().get(pk=event.pk)
    else:
        event.created_by = _actor(user)
    if event.status == EventStatus.PUBLISHED and event.published_at is None:
        event.published_at = timezone.now()
    event.revision = (previous.revision if previous else event.revision) + 1
    event.full_clean()
    event.save()
    for stop in deleted_stops:
        if stop.registrations.exists():
            raise ValidationError(
                _("L'étape de %(place)s a des inscriptions : elle ne peut pas être retirée.")
                % {"place": stop.municipality.name}
            )
        stop.delete()
    for stop in stops:
        stop.event = event
        stop.full_clean()
        stop.save()
    if staff is not None:
        event.staff.set(staff)
    event_refresh(event)
    if event.status == EventStatus.PUBLISHED and not event.stops.exists():
        raise ValidationError(_("Ajoutez au moins une étape avant de publier l'événement."))
    _check_committee(event, user, previous)

    promoted: list[int] = []
    if previous is not None and event.status == EventStatus.PUBLISHED:
        promoted = _promote_waitlist(event)
    cancelled_now = (
        previous is not None
        and previous.status != EventStatus.CANCELLED
        and event.status == EventStatus.CANCELLED
    )
    log_action(
        event,
        "events.event.create" if created else "events.event.update",
        user=_actor(user),
        request=request,
        data={"status": event.status, "promoted": len(promoted)},
    )
    base = emails.base_url(request)
    if promoted:
        transaction.on_commit(partial(emails.send, promoted, "promoted", base))
    if cancelled_now:
        notify = list(
            event.registrations.filter(status__in=ACTIVE_STATUSES).values_list("pk", flat=True)
        )
        transaction.on_commit(partial(emails.send, notify, "event_cancelled", base))
    return event


def _check_committee(event: Event, user, previous: Event | None) -> None:
    """An event is linked only to a committee its author may read (a link already there is
    kept), and begins while the committee is active."""
    if not event.committee_id:
        return
    committee = event.committee
    changed = previous is None or previous.committee_id != event.committee_id
    if changed and _actor(user) is not None:
        if not can_read_committee(user, committee):
            raise ValidationError(
                {"committee": _("Choisissez un comité parmi ceux que vous pouvez consulter.")}
            )
    if event.starts_at is None:
        return
    first = timezone.localtime(event.starts_at).date()
    if first < committee.start_date:
        message = _("L'événement commence avant la création du comité (le %(date)s).")
        raise ValidationError({"committee": message % {"date": date_long(committee.start_date)}})
    if committee.end_date and first > committee.end_date:
        message = _("L'événement commence après la fin du comité (le %(date)s).")
        raise ValidationError({"committee": message % {"date": date_long(committee.end_date)}})


# --------------------------------------------------------------------------- registrations


def accepts_online_registrations(event: Event, now=None) -> bool:
    """Published, registration open, and at least one stop still to come."""
    return (
        event.status == EventStatus.PUBLISHED
        and event.registration_open
        and event.ends_at is not None
        and upcoming_stops(event, now).exists()
    )


def upcoming_stops(event: Event, now=None):
    now = now or timezone.now()
    return event.stops.filter(starts_at__gt=now).select_related("municipality")


def _seat_status(event: Event) -> str:
    if event.capacity is None:
        return RegistrationStatus.CONFIRMED
    taken = event.registrations.filter(status=RegistrationStatus.CONFIRMED).count()
    return RegistrationStatus.CONFIRMED if taken < event.capacity else RegistrationStatus.WAITLISTED


def _promote_waitlist(event: Event) -> list[int]:
    """Give free seats to the waiting list, first come first served. Call with the event
    row locked. Returns the promoted registrations' ids."""
    waiting = event.registrations.filter(status=RegistrationStatus.WAITLISTED).order_by(
        "created_at", "id"
    )
    if event.capacity is not None:
        taken = event.registrations.filter(status=RegistrationStatus.CONFIRMED).count()
        free = max(event.capacity - taken, 0)
        if not free:
            return []
        waiting = waiting[:free]
    ids = list(waiting.values_list("pk", flat=True))
    if ids:
        Registration.objects.filter(pk__in=ids).update(
            status=RegistrationStatus.CONFIRMED, promoted_at=timezone.now()
        )
    return ids


@transaction.atomic
def registration_submit(
    *,
    event: Event,
    stop: EventStop,
    name: str,
    organization: str = "",
    email: str = "",
    phone: str = "",
    accessibility_needs: str = "",
    is_tenant: bool = False,
    language: str = "fr",
    source: str = RegistrationSource.ONLINE,
    user=None,
    request=None,
) -> tuple[Registration, bool]:
    """Register someone for ``stop`` of ``event``; returns (registration, created).

    Idempotent: an active registration with the same e-mail (or, without e-mail, the same
    phone) is returned unchanged — nothing a stranger typed overwrites it — and its
    confirmation is sent again to that address (not more than once every ten minutes).
    A seat is taken if one is left, otherwise a place on the waiting list.
    Online registrations raise ``RegistrationClosedError`` when the event no longer takes them.
    """
    locked = Event.objects.select_for_update().get(pk=event.pk)
    if source == RegistrationSource.ONLINE and (
        not accepts_online_registrations(locked) or stop.starts_at <= timezone.now()
    ):
        raise RegistrationClosedError
    registration = Registration(
        event=locked,
        stop=stop,
        name=name,
        organization=organization.strip(),
        email=email,
        phone=phone,
        accessibility_needs=accessibility_needs.strip(),
        is_tenant=is_tenant,
        source=source,
        language=language,
    )
    # The lock and the lookup below keep one active registration per contact; the database
    # constraint is the last line of defence.
    registration.full_clean(validate_unique=False, validate_constraints=False)
    if not registration.contact_key:
        raise ValidationError(_("Indiquez un courriel ou un numéro de téléphone."))
    base = emails.base_url(request)
    existing = None
    if registration.contact_key:
        existing = locked.registrations.filter(
            contact_key=registration.contact_key, status__in=ACTIVE_STATUSES
        ).first()
    if existing is not None:
        recently = existing.confirmation_sent_at and (
            timezone.now() - existing.confirmation_sent_at < RESEND_AFTER
        )
        if not recently:
            transaction.on_commit(partial(emails.send, [existing.pk], "confirmation", base))
        return existing, False
    registration.status = _seat_status(locked)
    registration.save()
    log_action(
        locked,
        "events.registration.create",
        user=_actor(user),
        request=request,
        data={
            "registration": str(registration.public_id),
            "status": registration.status,
            "source": source,
        },
    )
    transaction.on_commit(partial(emails.send, [registration.pk], "confirmation", base))
    return registration, True


@transaction.atomic
def registration_cancel(*, registration: Registration, user=None, request=None) -> list[int]:
    """Cancel a registration (from the e-mail's link or by the staff) and give the freed
    seat to the waiting list. Cancelling twice does nothing. Returns the promoted ids."""
    locked_event = Event.objects.select_for_update().get(pk=registration.event_id)
    current = Registration.objects.get(pk=registration.pk)
    if current.status == RegistrationStatus.CANCELLED:
        return []
    current.status = RegistrationStatus.CANCELLED
    current.cancelled_at = timezone.now()
    current.save(update_fields=["status", "cancelled_at", "updated_at"])
    registration.status, registration.cancelled_at = current.status, current.cancelled_at
    promoted = []
    if locked_event.status == EventStatus.PUBLISHED:
        promoted = _promote_waitlist(locked_event)
    log_action(
        locked_event,
        "events.registration.cancel",
        user=_actor(user),
        request=request,
        data={"registration": str(current.public_id), "promoted": len(promoted)},
    )
    if promoted:
        transaction.on_commit(partial(emails.send, promoted, "promoted", emails.base_url(request)))
    return promoted


def _log_registration(registration: Registration, action: str, *, user, request) -> None:
    log_action(
        registration.event,
        action,
        user=user,
        request=request,
        data={"registration": str(registration.public_id)},
    )


@transaction.atomic
def registration_update(*, user, registration: Registration, request=None) -> Registration:
    """The staff correct a registration (details, stop, housing provider)."""
    registration.full_clean()
    try:
        with transaction.atomic():
            registration.save()
    except IntegrityError:
        raise ValidationError(
            _(
                "Une autre inscription active à cet événement utilise déjà ce courriel ou ce téléphone."
            )
        ) from None
    _log_registration(registration, "events.registration.update", user=user, request=request)
    return registration


@transaction.atomic
def registration_check_in(*, user, registration: Registration, present: bool, request=None):
    """Mark someone present (or undo it) at the door."""
    if registration.status == RegistrationStatus.CANCELLED:
        raise ValidationError(_("Cette inscription est annulée."))
    registration.checked_in_at = timezone.now() if present else None
    registration.checked_in_by = user if present else None
    registration.save(update_fields=["checked_in_at", "checked_in_by", "updated_at"])
    _log_registration(
        registration,
        "events.registration.check_in" if present else "events.registration.check_in_undo",
        user=user,
        request=request,
    )
    return registration


@transaction.atomic
def walk_in_add(
    *, user, stop: EventStop, name: str, organization="", is_tenant=False, request=None
) -> Registration:
    """Someone who did not register shows up: recorded present at once (the seat is theirs:
    they are in the room)."""
    registration = Registration(
        event=stop.event,
        stop=stop,
        name=name,
        organization=(organization or "").strip(),
        is_tenant=is_tenant,
        source=RegistrationSource.WALK_IN,
        status=RegistrationStatus.CONFIRMED,
        checked_in_at=timezone.now(),
        checked_in_by=user,
    )
    registration.full_clean()
    registration.save()
    _log_registration(registration, "events.registration.walk_in", user=user, request=request)
    return registration


# --------------------------------------------------------------------------- attendance


@transaction.atomic
def attendance_save(
    *, user, attendance: StopAttendance, providers=None, request=None
) -> StopAttendance:
    """Save the counts of one stop (they replace its check-ins in reach)."""
    attendance.entered_by = _actor(user)
    attendance.full_clean()
    attendance.save()
    if providers is not None:
        attendance.providers.set(providers)
    log_action(
        attendance.stop.event,
        "events.attendance.save",
        user=_actor(user),
        request=request,
        data={"stop": str(attendance.stop.public_id), "people": attendance.people},
    )
    return attendance


@transaction.atomic
def attendance_clear(*, user, stop: EventStop, request=None) -> None:
    """Remove a stop's counts: its check-ins count again."""
    deleted, _rows = StopAttendance.objects.filter(stop=stop).delete()
    if deleted:
        log_action(
            stop.event,
            "events.attendance.clear",
            user=user,
            request=request,
            data={"stop": str(stop.public_id)},
        )
