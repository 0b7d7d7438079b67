"""The access rule applied to one object, and the logged reads: the getters (the object, or
``Http404``, logged as ``casework.forbidden_attempt`` when it exists), the bulk-reading limit
(``guard_bulk_read``) and ``record_read``."""

from __future__ import annotations

import datetime as dt
import uuid

from django.conf import settings
from django.db.models import Count, Q, Sum
from django.http import Http404
from django.utils import timezone

from tremplin.audit.models import AuditEntry
from tremplin.audit.services import log_action

from .. import permissions
from ..limits.models import BulkReadLift
from ..models import (
    Communication,
    Consent,
    EmergencyAccess,
    FollowUp,
    Intervention,
    Person,
    Referral,
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
