"""The lists of a worker's desk: the caseload (a supervisor's: the team's), the fast entry's
follow-ups, emergency accesses and who may be barred from a file. Lists of names: nothing
here opens a file, so nothing is logged per person."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db.models import Case, F, IntegerField, Prefetch, QuerySet, Value, When
from django.http import Http404
from django.utils import timezone

from tremplin.accounts.roles import Role
from tremplin.core.text import fold
from tremplin.search import query as search

from .. import permissions
from ..models import EmergencyAccess, FollowUp, FollowUpStatus, Person, WorkerBar


def _workers_prefetch():
    return Prefetch(
        "workers",
        queryset=get_user_model()
        .objects.select_related("membership")
        .order_by("last_name", "first_name", "username"),
    )


def _search(qs, q: str):
    # Full-text index of persons' names (tremplin.search): every word starts a first or last
    # name; only narrows the follow-ups already in the user's scope.
    return search.filter(qs, q, field="person")


def caseload(user, *, q: str = "", status: str = "open") -> QuerySet[FollowUp]:
    """The user's own load (a worker's follow-ups, a supervisor's team's): overdue next steps
    first, then the nearest next steps, then follow-ups without one. Emergency accesses are
    not part of a load. ``status``: "open", "closed" or "all"."""
    if not permissions.is_caseworker(user):
        raise Http404
    today = timezone.localdate()
    qs = permissions.follow_ups_in_scope(user, write=True)
    if status == "open":
        qs = qs.filter(status=FollowUpStatus.OPEN)
    elif status == "closed":
        qs = qs.filter(status=FollowUpStatus.CLOSED)
    qs = _search(qs, q)
    return (
        qs.select_related("person__building", "territory")
        .annotate(
            overdue=Case(
                When(status=FollowUpStatus.OPEN, next_step_on__lt=today, then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            )
        )
        .order_by(
            "overdue",
            F("next_step_on").asc(nulls_last=True),
            "person__name_key",
            "-started_on",
            "id",
        )
    )


def persons_in_caseload(user) -> QuerySet[Person]:
    """The persons of the user's own load (the caseload list's rule: their follow-ups, open or
    closed, without emergency accesses); 404 outside casework. For the global search, which
    like the caseload lists names without opening any file (nothing logged per person)."""
    if not permissions.is_caseworker(user):
        raise Http404
    follow_ups = permissions.follow_ups_in_scope(user, write=True)
    return Person.objects.filter(pk__in=follow_ups.values("person_id"))


def with_workers(qs):
    return qs.prefetch_related(_workers_prefetch())


def open_follow_ups_for_entry(user) -> list[FollowUp]:
    """The open follow-ups ``user`` may add an intervention to (the fast entry form): not
    those whose consent was withdrawn, which take nothing new."""
    if not permissions.is_caseworker(user):
        raise Http404
    return list(
        permissions.follow_ups_in_scope(user, write=True)
        .filter(status=FollowUpStatus.OPEN, consent__withdrawn_on__isnull=True)
        .select_related("person")
        .order_by("person__name_key", "-started_on")
    )


def emergency_accesses_of(user) -> list[EmergencyAccess]:
    """The user's emergency accesses still running (shown on their caseload)."""
    return list(
        EmergencyAccess.objects.filter(
            user=user, expires_at__gt=timezone.now(), person__anonymized_at__isnull=True
        )
        .exclude(person__bars__worker=user)
        .select_related("person")
        .order_by("expires_at")
    )


def emergency_access_matches(user, *, first_name, last_name, birth_year, building=None):
    """Persons matching exactly what the requester knows (name and year of birth, and the
    building when given). Not a search: nothing partial, barred persons never match."""
    if not permissions.can_request_emergency_access(user):
        raise Http404
    qs = Person.objects.filter(
        name_key=fold(f"{last_name} {first_name}"),
        birth_year=birth_year,
        anonymized_at__isnull=True,
    ).exclude(pk__in=WorkerBar.objects.filter(worker=user).values("person_id"))
    if building is not None:
        qs = qs.filter(building=building)
    return list(qs[:5])


def workers_for_bar(user, person) -> QuerySet:
    """Who may be barred from a file: workers and supervisors not already barred."""
    return (
        get_user_model()
        .objects.filter(is_active=True, membership__role__in=[Role.WORKER, Role.SUPERVISOR])
        .exclude(pk__in=person.bars.values("worker_id"))
        .select_related("membership")
        .order_by("last_name", "first_name", "username")
    )
