"""Who reads and runs events (the one place these rules are written).

- Coordination: every event; creates, edits, runs registrations and attendance.
- Organizer: reads and runs the local events of their territories (an event is in a territory
  when one of its stops is in one of its municipalities; a local event with no stop yet belongs
  to whoever created it); reads regional events without changing them. An organizer named on
  a regional event's organizing staff also checks people in and counts attendance there.
- Other roles and users without a role: no staff page (404). Everyone, signed in or not, sees
  the public page of a published event.

Registrations hold personal information (names, contact details, accessibility needs): only
those who run an event's attendance see them.
"""

from django.db.models import Exists, OuterRef, Q

from tremplin.accounts.roles import Role, membership_of

from .models import Event, EventStop, Scope


def _role(user) -> str | None:
    m = membership_of(user)
    return m.role if m is not None else None


def can_read(user) -> bool:
    """May open the staff pages of events at all."""
    return _role(user) in {Role.COORDINATION, Role.ORGANIZER}


def can_create(user) -> bool:
    return can_read(user)


def can_create_regional(user) -> bool:
    return _role(user) == Role.COORDINATION


def visible_events(user):
    """The events whose staff page ``user`` may open (a queryset filter)."""
    role = _role(user)
    if role == Role.COORDINATION:
        return Event.objects.all()
    if role != Role.ORGANIZER:
        return Event.objects.none()
    return Event.objects.filter(_organizer_scope(user) | Q(scope=Scope.REGIONAL))


def _organizer_scope(user) -> Q:
    territories = membership_of(user).territory_ids()
    in_territory = EventStop.objects.filter(
        event=OuterRef("pk"), municipality__mrc__territory__in=territories
    )
    without_stop = EventStop.objects.filter(event=OuterRef("pk"))
    return Q(scope=Scope.LOCAL) & (
        Q(Exists(in_territory)) | (Q(created_by=user) & ~Q(Exists(without_stop)))
    )


def _territory_ids(event) -> set[int]:
    # Stops are usually prefetched with their municipality and MRC on the pages that ask.
    return {stop.municipality.mrc.territory_id for stop in event.stops.all()}


def can_edit(user, event) -> bool:
    role = _role(user)
    if role == Role.COORDINATION:
        return True
    if role != Role.ORGANIZER or event.scope != Scope.LOCAL:
        return False
    territories = _territory_ids(event)
    if not territories:
        return event.created_by_id == user.pk
    return bool(territories & membership_of(user).territory_ids())


def can_run_attendance(user, event) -> bool:
    """Sees registrations, checks people in, counts attendance."""
    if can_edit(user, event):
        return True
    return _role(user) == Role.ORGANIZER and any(u.pk == user.pk for u in event.staff.all())
