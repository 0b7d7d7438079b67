"""A person's file as its page shows it, and a follow-up's interventions page by page; both
logged as reads of the file and counted against the bulk-reading limit."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, F, Window, prefetch_related_objects
from django.db.models.functions import RowNumber

from tremplin.core import keyset

from .. import permissions
from ..models import EmergencyAccess, FollowUp, Intervention, Person, Referral
from .access import (
    active_emergency_access,
    get_follow_up_for_user,
    get_person_for_user,
    record_read,
)
from .caseload import _workers_prefetch

# A file shows each follow-up's latest interventions; all of them, page by page, are on the
# follow-up's list (``interventions_page``). Both in time order (oldest first), as a file is
# read; ``id`` makes the order total (core.keyset).
FILE_INTERVENTIONS = 10
INTERVENTIONS_PER_PAGE = 25
INTERVENTION_ORDER = ("occurred_on", "id")


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


def open_person_file(user, public_id, *, request=None) -> PersonFile:
    """Everything a person's file page shows, within ``user``'s scope; logged as a read.

    A constant number of queries and rows whatever the size of the file: the latest
    ``FILE_INTERVENTIONS`` interventions of every visible follow-up (with each one's total) in
    one query, their referrals in another.
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
        f.intervention_total = 0
        f.referral_list = []
        f.writable = emergency is None and permissions.can_write_follow_up(user, f)
    for i in _latest_interventions(list(by_id)):
        f = by_id[i.follow_up_id]
        f.intervention_list.append(i)
        f.intervention_total = i.total
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


def _latest_interventions(follow_up_ids):
    """The latest ``FILE_INTERVENTIONS`` interventions of each follow-up, oldest first within
    it, each with ``total``: the follow-up's number of interventions (one query)."""
    latest_first = (F("occurred_on").desc(), F("id").desc())
    by_follow_up = {"partition_by": [F("follow_up_id")]}
    return (
        Intervention.objects.filter(follow_up_id__in=follow_up_ids)
        .annotate(
            rank=Window(RowNumber(), order_by=latest_first, **by_follow_up),
            total=Window(Count("id"), **by_follow_up),
        )
        .filter(rank__lte=FILE_INTERVENTIONS)
        .select_related("created_by")
        .order_by("follow_up_id", *INTERVENTION_ORDER)
    )


@dataclass
class InterventionPage:
    follow_up: FollowUp
    rows: list
    page: int
    pages: int
    total: int
    writable: bool
    emergency: EmergencyAccess | None


def interventions_page(user, public_id, *, page, params, request=None) -> InterventionPage:
    """Page ``page`` of a follow-up's interventions, oldest first, within ``user``'s read
    scope (an emergency access reads, never writes); logged as a read of the file
    (``casework.follow_up.read``) and counted against the bulk-reading limit before any note
    is read.

    Keyset pagination (``core.keyset``): "Suivante" / "Précédente" carry the edge row's public
    id (``apres`` / ``avant``), a page number is read from the nearer end, so the last page
    costs what the first costs. An unknown or malformed cursor (another follow-up's
    intervention included) is ignored: the page by its number. The count is cheap (one
    follow-up's rows, on the (follow-up, date) index), so pages keep their numbers.
    """
    follow_up = get_follow_up_for_user(user, public_id, request=request)
    prefetch_related_objects([follow_up], _workers_prefetch())
    person = follow_up.person
    emergency = active_emergency_access(user, person)
    interventions = Intervention.objects.filter(follow_up=follow_up).order_by(*INTERVENTION_ORDER)
    total = interventions.count()
    pages = max(1, -(-total // INTERVENTIONS_PER_PAGE))
    page = min(max(1, page), pages)
    record_read(
        user,
        follow_up,
        "casework.follow_up.read",
        person=person,
        request=request,
        data={
            "follow_up": str(follow_up.public_id),
            "page": page,
            "emergency_access": emergency is not None,
        },
    )
    ids = keyset.page_ids(
        interventions,
        INTERVENTION_ORDER,
        per_page=INTERVENTIONS_PER_PAGE,
        page=page,
        total=total,
        params=params,
    )
    rows = list(
        Intervention.objects.filter(pk__in=ids)
        .select_related("created_by")
        .order_by(*INTERVENTION_ORDER)
    )
    return InterventionPage(
        follow_up=follow_up,
        rows=rows,
        page=page,
        pages=pages,
        total=total,
        writable=emergency is None and permissions.can_write_follow_up(user, follow_up),
        emergency=emergency,
    )
