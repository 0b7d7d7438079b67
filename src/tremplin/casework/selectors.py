"""Reads of case files, always given the user: the object, or ``Http404``.

Every getter goes through ``permissions.follow_ups_in_scope`` / ``persons_in_scope``. When the
object exists but is out of the user's scope (another worker's file, a forged form field, a
coordinator trying a URL), the 404 is logged as ``casework.forbidden_attempt`` with the person
concerned, for the privacy officer.

Opening a file (``open_person_file``, ``record_read``) is logged as a read and counted against
the bulk-reading limit: more than ``TREMPLIN_CASEWORK_HOURLY_FILE_LIMIT`` (default 60) distinct
persons' files opened or exported by one user within an hour raises ``BulkReadBlockedError``, which
the views turn into a 429 page, and is logged as ``casework.bulk_read.blocked`` (unless a lift of
the bar by a supervisor or the privacy officer is running: ``limits``).
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import (
    Case,
    Count,
    F,
    IntegerField,
    Prefetch,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.http import Http404
from django.utils import timezone

from tremplin.accounts.roles import Role
from tremplin.audit.models import AuditEntry
from tremplin.audit.services import log_action
from tremplin.core.text import fold
from tremplin.search import query as search

from . import permissions
from .limits.models import BulkReadLift
from .models import (
    Communication,
    Consent,
    EmergencyAccess,
    FollowUp,
    FollowUpStatus,
    Intervention,
    Person,
    Referral,
    Resource,
    WorkerBar,
)

DEFAULT_HOURLY_FILE_LIMIT = 60
# Audit actions that count as opening (or exporting) a person's file for the bulk limit. The
# privacy officer's pages log the last two and call ``guard_bulk_read`` before reading: an
# access request is about one identified person, so each file exported counts like a file
# opened. The de-identified research export names nobody and does not count
# (``privacy.selectors.OUTSIDE_BULK_LIMIT``: the journal shows it apart, with why).
FILE_READ_ACTIONS = (
    "casework.person.read",
    "casework.person.export",
    "casework.follow_up.read",
    "casework.intervention.read",
    "casework.person.access_export",
    "casework.privacy.person.read",
)
# How each model reaches the person it is about, for the audit's subject.
PERSON_PATH = {
    Person: "",
    FollowUp: "person",
    Consent: "person",
    Communication: "person",
    Intervention: "follow_up__person",
    Referral: "follow_up__person",
}


class BulkReadBlockedError(Exception):
    """Too many distinct files opened within an hour."""

    def __init__(self, limit: int):
        super().__init__(limit)
        self.limit = limit


def hourly_file_limit() -> int:
    return int(getattr(settings, "TREMPLIN_CASEWORK_HOURLY_FILE_LIMIT", DEFAULT_HOURLY_FILE_LIMIT))


def parse_uuid(value) -> uuid.UUID | None:
    if isinstance(value, uuid.UUID):
        return value
    try:
        return uuid.UUID(str(value))
    except (TypeError, ValueError, AttributeError):
        return None


# --------------------------------------------------------------------------- refusals


def deny(user, model, public_id, *, request=None, write=False):
    """Raise Http404; first log the attempt when the object exists (and the user is known)."""
    key = parse_uuid(public_id)
    if key is not None and user is not None and user.is_authenticated:
        path = PERSON_PATH[model]
        related = [path] if path else []
        obj = model.objects.select_related(*related).filter(public_id=key).first()
        if obj is not None:
            person = obj
            for part in path.split("__") if path else []:
                person = getattr(person, part)
            log_action(
                obj,
                "casework.forbidden_attempt",
                user=user,
                request=request,
                subject=person,
                data={"target": model._meta.model_name, "write": write},
            )
    raise Http404


def _get(queryset, model, user, public_id, *, request=None, write=False):
    key = parse_uuid(public_id)
    if key is None:
        raise Http404
    obj = queryset.filter(public_id=key).first()
    if obj is None:
        deny(user, model, key, request=request, write=write)
    return obj


def get_person_for_user(user, public_id, *, write=False, request=None) -> Person:
    """A person whose file ``user`` may read (or write), else 404 (logged if it exists)."""
    qs = permissions.persons_in_scope(user, write=write).select_related(
        "building__municipality", "territory", "municipality"
    )
    return _get(qs, Person, user, public_id, request=request, write=write)


def get_follow_up_for_user(user, public_id, *, write=False, request=None) -> FollowUp:
    qs = permissions.follow_ups_in_scope(user, write=write).select_related(
        "person", "consent", "territory"
    )
    return _get(qs, FollowUp, user, public_id, request=request, write=write)


def get_intervention_for_user(user, public_id, *, write=False, request=None) -> Intervention:
    qs = Intervention.objects.filter(
        follow_up__in=permissions.follow_ups_in_scope(user, write=write)
    ).select_related("follow_up__person", "follow_up__consent", "created_by")
    return _get(qs, Intervention, user, public_id, request=request, write=write)


def get_referral_for_user(user, public_id, *, write=False, request=None) -> Referral:
    qs = Referral.objects.filter(
        follow_up__in=permissions.follow_ups_in_scope(user, write=write)
    ).select_related("follow_up__person", "follow_up__consent", "resource")
    return _get(qs, Referral, user, public_id, request=request, write=write)


def get_consent_for_user(user, public_id, *, write=False, request=None) -> Consent:
    qs = Consent.objects.filter(
        person__in=permissions.persons_in_scope(user, write=write)
    ).select_related("person")
    return _get(qs, Consent, user, public_id, request=request, write=write)


# --------------------------------------------------------------------------- reads, logged


def guard_bulk_read(user, person, *, request=None) -> None:
    """Raise ``BulkReadBlockedError`` when opening ``person``'s file would exceed the hourly limit.

    One query on the audit journal (index on user, at): the distinct persons whose file the
    user opened in the last hour, and whether this one is among them (reopening is free).
    """
    limit = hourly_file_limit()
    subject = str(person.public_id)
    seen = AuditEntry.objects.filter(
        user=user,
        at__gte=timezone.now() - dt.timedelta(hours=1),
        action__in=FILE_READ_ACTIONS,
    ).aggregate(
        distinct=Count("subject_id", distinct=True),
        this=Count("id", filter=Q(subject_id=subject)),
    )
    if seen["this"] or seen["distinct"] < limit:
        return
    # Over the limit: a lift still running (``limits``) may let the user go on.
    extra = lifted_files(user)
    if seen["distinct"] < limit + extra:
        return
    data = {"limit": limit, "distinct_files_last_hour": seen["distinct"], "flag": True}
    if extra:
        data["lifted_files"] = extra
    log_action(
        person,
        "casework.bulk_read.blocked",
        user=user,
        request=request,
        subject=person,
        data=data,
    )
    raise BulkReadBlockedError(limit + extra)


def lifted_files(user) -> int:
    """Extra distinct files ``user`` may open this hour: the lifts of their bar still running
    (``BulkReadLift``, one hour each), added up."""
    total = BulkReadLift.objects.filter(worker=user, expires_at__gt=timezone.now()).aggregate(
        total=Sum("extra_files")
    )["total"]
    return total or 0


def record_read(user, obj, action: str, *, person, request=None, data=None) -> None:
    """Count the read against the bulk limit, then log it (``data``: identifiers only)."""
    guard_bulk_read(user, person, request=request)
    log_action(obj, action, user=user, request=request, subject=person, data=data or {})


def active_emergency_access(user, person) -> EmergencyAccess | None:
    return (
        EmergencyAccess.objects.filter(user=user, person=person, expires_at__gt=timezone.now())
        .order_by("-expires_at")
        .first()
    )


@dataclass
class PersonFile:
    person: Person
    consents: list
    follow_ups: list
    referrals: list
    communications: list
    bars: list
    emergency: EmergencyAccess | None
    other_follow_ups: int
    can_write: bool
    writable_ids: set = field(default_factory=set)


def _workers_prefetch():
    return Prefetch(
        "workers",
        queryset=get_user_model()
        .objects.select_related("membership")
        .order_by("last_name", "first_name", "username"),
    )


def open_person_file(user, public_id, *, request=None) -> PersonFile:
    """Everything a person's file page shows, within ``user``'s scope; logged as a read.

    A constant number of queries whatever the size of the file: interventions and referrals
    of every visible follow-up are read in one query each.
    """
    person = get_person_for_user(user, public_id, request=request)
    follow_ups = list(
        permissions.follow_ups_in_scope(user)
        .filter(person=person)
        .select_related("territory", "consent")
        .prefetch_related(_workers_prefetch())
        .order_by("-started_on", "-id")
    )
    by_id = {f.pk: f for f in follow_ups}
    emergency = active_emergency_access(user, person)
    record_read(
        user,
        person,
        "casework.person.read",
        person=person,
        request=request,
        data={
            "follow_ups": [str(f.public_id) for f in follow_ups],
            "emergency_access": emergency is not None,
        },
    )
    for f in follow_ups:
        f.intervention_list = []
        f.referral_list = []
        f.writable = emergency is None and permissions.can_write_follow_up(user, f)
    # Interventions in time order (oldest first), as a file is read.
    interventions = Intervention.objects.filter(follow_up_id__in=list(by_id)).select_related(
        "created_by"
    )
    for i in interventions.order_by("occurred_on", "id"):
        by_id[i.follow_up_id].intervention_list.append(i)
    referrals = list(
        Referral.objects.filter(follow_up_id__in=list(by_id))
        .select_related("resource", "follow_up")
        .order_by("referred_on", "id")
    )
    for r in referrals:
        by_id[r.follow_up_id].referral_list.append(r)
    writable_ids = {f.pk for f in follow_ups if f.writable}
    other = FollowUp.objects.filter(person=person).exclude(pk__in=list(by_id)).count()
    return PersonFile(
        person=person,
        consents=list(
            person.consents.select_related("recorded_by", "withdrawal_recorded_by").order_by(
                "given_on", "id"
            )
        ),
        follow_ups=follow_ups,
        referrals=referrals,
        communications=list(
            person.communications.select_related("consent", "recorded_by").order_by(
                "shared_on", "id"
            )
        ),
        bars=list(person.bars.select_related("worker").order_by("created_at")),
        emergency=emergency,
        other_follow_ups=other,
        can_write=bool(writable_ids),
        writable_ids=writable_ids,
    )


# --------------------------------------------------------------------------- caseload


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
    """The open follow-ups ``user`` may add an intervention to (the fast entry form)."""
    if not permissions.is_caseworker(user):
        raise Http404
    return list(
        permissions.follow_ups_in_scope(user, write=True)
        .filter(status=FollowUpStatus.OPEN)
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


# --------------------------------------------------------------------------- resources


def resources_for_user(user) -> QuerySet[Resource]:
    """The resource directory: every member reads it; editors also see inactive entries."""
    if not permissions.can_read_resources(user):
        raise Http404
    qs = Resource.objects.select_related("territory", "municipality")
    if not permissions.can_edit_resources(user):
        qs = qs.filter(is_active=True)
    return qs


def get_resource_for_edit(user, public_id) -> Resource:
    if not permissions.can_edit_resources(user):
        raise Http404
    key = parse_uuid(public_id)
    resource = Resource.objects.filter(public_id=key).first() if key else None
    if resource is None:
        raise Http404
    return resource


def resource_choices(user, territory=None) -> QuerySet[Resource]:
    """Active resources for a referral: the person's territory first, then regional ones."""
    qs = Resource.objects.filter(is_active=True).select_related("territory")
    if territory is not None:
        qs = qs.filter(Q(territory=territory) | Q(territory__isnull=True))
    return qs.order_by(F("territory_id").asc(nulls_last=True), "name_key")


def workers_for_bar(user, person) -> QuerySet:
    """Who may be barred from a file: workers and supervisors not already barred."""
    return (
        get_user_model()
        .objects.filter(is_active=True, membership__role__in=[Role.WORKER, Role.SUPERVISOR])
        .exclude(pk__in=person.bars.values("worker_id"))
        .select_related("membership")
        .order_by("last_name", "first_name", "username")
    )
