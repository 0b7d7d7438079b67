"""Reads for the privacy officer: the journal, the flags to review, the registers, persons.

Every selector takes the user and raises ``Http404`` unless they are the privacy officer
(``permissions.is_privacy_officer``): the pages, the exports and their tests share one rule.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from django.db.models import CharField, Exists, OuterRef, QuerySet
from django.db.models.functions import Cast
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _l

from tremplin.audit.models import AuditEntry
from tremplin.core.text import fold

from ..models import (
    Communication,
    ConfidentialityIncident,
    DestructionRecord,
    EmergencyAccess,
    Person,
)
from . import permissions

CASEWORK_PREFIX = "casework."
BULK_BLOCKED = "casework.bulk_read.blocked"
BULK_REVIEWED = "casework.bulk_read.reviewed"
BULK_LIFTED = "casework.bulk_read.lifted"
EMERGENCY_REVIEWED = "casework.emergency_access.reviewed"
PERSON_SEARCH_LIMIT = 20
PER_PAGE = 50
# Offsets stay bounded: past this page, narrow the filters (person, user, dates).
MAX_PAGE = 400


def require_privacy_officer(user) -> None:
    if not permissions.is_privacy_officer(user):
        raise Http404


# --------------------------------------------------------------------------- paging


@dataclass
class Page:
    rows: list
    number: int
    has_previous: bool
    has_next: bool
    first_index: int
    last_index: int


def page_of(qs: QuerySet, number, per_page: int = PER_PAGE) -> Page:
    """One page of ``qs`` by bounded offset, without a COUNT over a growing table: one more
    row than shown tells whether there is a next page."""
    try:
        number = int(number)
    except (TypeError, ValueError):
        number = 1
    number = min(max(1, number), MAX_PAGE)
    start = (number - 1) * per_page
    rows = list(qs[start : start + per_page + 1])
    has_next = len(rows) > per_page and number < MAX_PAGE
    rows = rows[:per_page]
    return Page(
        rows=rows,
        number=number,
        has_previous=number > 1,
        has_next=has_next,
        first_index=start + 1 if rows else 0,
        last_index=start + len(rows),
    )


# --------------------------------------------------------------------------- persons


def person_search(user, query: str) -> list[Person]:
    """Persons whose name holds every word of ``query`` (accents and case ignored).

    The privacy officer finds the person an access request, a rectification or a journal
    filter is about; anonymized persons have no name left to find.
    """
    require_privacy_officer(user)
    words = fold(query).split()
    if not words:
        return []
    qs = Person.objects.filter(anonymized_at__isnull=True)
    for word in words[:5]:
        qs = qs.filter(name_key__contains=word)
    return list(qs.select_related("territory").order_by("name_key", "id")[:PERSON_SEARCH_LIMIT])


def get_person_for_officer(user, public_id) -> Person:
    require_privacy_officer(user)
    try:
        return Person.objects.select_related(
            "territory", "municipality", "building__municipality"
        ).get(public_id=public_id)
    except (Person.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def persons_by_public_id(user, public_ids) -> dict[str, Person]:
    """The persons named by the journal rows of a page (``subject_id``), in one query."""
    require_privacy_officer(user)
    valid = set()
    for value in public_ids:
        try:
            valid.add(uuid.UUID(str(value)))
        except ValueError:
            continue
    if not valid:
        return {}
    return {str(p.public_id): p for p in Person.objects.filter(public_id__in=valid)}


# --------------------------------------------------------------------------- journal


def _start_of(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def journal(
    user,
    *,
    person: Person | None = None,
    actor=None,
    start: dt.date | None = None,
    end: dt.date | None = None,
) -> QuerySet[AuditEntry]:
    """Journal entries about case files, newest first, filtered by the person concerned,
    by the user who acted and by dates (both days included). Read-only: nothing in the
    application updates or deletes these rows."""
    require_privacy_officer(user)
    qs = AuditEntry.objects.filter(action__startswith=CASEWORK_PREFIX)
    if person is not None:
        qs = qs.filter(subject_id=str(person.public_id))
    if actor is not None:
        qs = qs.filter(user_id=actor.pk)
    if start:
        qs = qs.filter(at__gte=_start_of(start))
    if end:
        qs = qs.filter(at__lt=_start_of(end + dt.timedelta(days=1)))
    return qs.order_by("-at", "-id")


def access_log(person: Person) -> QuerySet[AuditEntry]:
    """Every journal entry about ``person`` (reads, writes, exports), oldest first.

    Called by the access-request export once the officer's access was checked.
    """
    return AuditEntry.objects.filter(subject_id=str(person.public_id)).order_by("at", "id")


# --------------------------------------------------------------------------- flags


def emergency_accesses(user, *, unreviewed_only: bool = False) -> QuerySet[EmergencyAccess]:
    """Emergency accesses ("bris de verre"), those not yet reviewed first."""
    require_privacy_officer(user)
    qs = EmergencyAccess.objects.select_related("user", "person__territory", "reviewed_by")
    if unreviewed_only:
        qs = qs.filter(reviewed_at__isnull=True)
    return qs.order_by("-created_at", "-id")


def get_emergency_access_for_officer(user, pk) -> EmergencyAccess:
    require_privacy_officer(user)
    try:
        return EmergencyAccess.objects.select_related("person", "user").get(pk=int(pk))
    except (EmergencyAccess.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def _reviewed_bulk_blocks():
    # A review is itself a journal entry naming the blocked entry: the journal stays
    # append-only and the review leaves a trace.
    return AuditEntry.objects.filter(
        action=BULK_REVIEWED,
        object_type="audit.auditentry",
        object_id=Cast(OuterRef("pk"), output_field=CharField()),
    )


def bulk_read_blocks(user, *, unreviewed_only: bool = False) -> QuerySet[AuditEntry]:
    """Journal entries of users blocked by the bulk-read limit, each with ``is_reviewed``."""
    require_privacy_officer(user)
    qs = AuditEntry.objects.filter(action=BULK_BLOCKED).annotate(
        is_reviewed=Exists(_reviewed_bulk_blocks())
    )
    if unreviewed_only:
        qs = qs.filter(is_reviewed=False)
    return qs.order_by("-at", "-id")


def get_bulk_block_for_officer(user, pk) -> AuditEntry:
    require_privacy_officer(user)
    try:
        return bulk_read_blocks(user).get(pk=int(pk))
    except (AuditEntry.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


# --------------------------------------------------------------------------- registers


def destruction_records(user) -> QuerySet[DestructionRecord]:
    require_privacy_officer(user)
    return DestructionRecord.objects.order_by("-at", "-id")


def incidents(user) -> QuerySet[ConfidentialityIncident]:
    require_privacy_officer(user)
    return ConfidentialityIncident.objects.select_related("recorded_by").order_by(
        "status", "-discovered_on", "-id"
    )


def get_incident_for_officer(user, public_id) -> ConfidentialityIncident:
    require_privacy_officer(user)
    try:
        return ConfidentialityIncident.objects.get(public_id=public_id)
    except (ConfidentialityIncident.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def communications(user, *, person: Person | None = None) -> QuerySet[Communication]:
    """The communications register: what was shared from a file, to whom, why and when."""
    require_privacy_officer(user)
    qs = Communication.objects.select_related("person__territory", "consent", "recorded_by")
    if person is not None:
        qs = qs.filter(person=person)
    return qs.order_by("-shared_on", "-id")


# --------------------------------------------------------------------------- labels

# Exports that do not count toward the hourly bulk-read limit, and why: the journal shows
# the reason beside them (``casework.selectors.FILE_READ_ACTIONS`` holds those that count).
OUTSIDE_BULK_LIMIT = {
    "casework.research.export": _l(
        "Hors de la limite de lecture massive : exportation dépersonnalisée (k ≥ 5), "
        "aucune personne n'y est identifiable et aucun dossier n'y est ouvert."
    ),
}

_OBJECTS = {
    "person": _l("Personne"),
    "followup": _l("Suivi"),
    "follow_up": _l("Suivi"),
    "intervention": _l("Intervention"),
    "referral": _l("Référence"),
    "consent": _l("Consentement"),
    "communication": _l("Communication"),
    "bar": _l("Refus d'un·e intervenant·e"),
    "worker_bar": _l("Refus d'un·e intervenant·e"),
    "resource": _l("Ressource"),
    "forbidden_attempt": _l("Tentative d'accès hors de sa charge (refusée)"),
    "workerbar": _l("Refus d'un·e intervenant·e"),
    "emergency_access": _l("Bris de verre"),
    "emergencyaccess": _l("Bris de verre"),
    "bulk_read": _l("Lecture massive"),
    "caseload": _l("Charge de cas"),
    "search": _l("Recherche"),
    "export": _l("Exportation"),
    "incident": _l("Incident de confidentialité"),
    "retention": _l("Conservation"),
    "research": _l("Exportation pour la recherche"),
    "privacy": _l("Responsable de la protection"),
    "journal": _l("Journal des accès"),
    "register": _l("Registre"),
    "person_search": _l("Recherche de personne"),
}
_VERBS = {
    "read": _l("consultation"),
    "view": _l("consultation"),
    "list": _l("consultation de la liste"),
    "create": _l("création"),
    "created": _l("création"),
    "update": _l("modification"),
    "updated": _l("modification"),
    "delete": _l("suppression"),
    "close": _l("fermeture"),
    "reopen": _l("réouverture"),
    "withdraw": _l("retrait"),
    "export": _l("exportation"),
    "access_export": _l("exportation pour une demande d'accès"),
    "rectified": _l("rectification"),
    "anonymized": _l("anonymisation"),
    "destroyed": _l("destruction"),
    "applied": _l("application"),
    "blocked": _l("bloquée"),
    "reviewed": _l("examiné"),
    "requested": _l("demande"),
    "granted": _l("accordé"),
    "search": _l("recherche"),
    "assign": _l("assignation"),
    "refused": _l("tentative refusée"),
    "lifted": _l("blocage levé"),
}


def action_label(action: str) -> str:
    """A readable label for a journal action code (``casework.person.read`` → « Personne —
    consultation »); unknown parts stay as they are, so nothing is hidden."""
    parts = action.split(".")
    if parts and parts[0] == "casework":
        parts = parts[1:]
    if not parts:
        return action
    if parts[0] == "privacy" and len(parts) > 1:
        parts = parts[1:]
    thing = _OBJECTS.get(parts[0])
    verb = _VERBS.get(parts[-1]) if len(parts) > 1 else None
    if thing and verb and len(parts) == 2:
        return f"{thing} — {verb}"
    if thing and len(parts) == 1:
        return str(thing)
    return action
