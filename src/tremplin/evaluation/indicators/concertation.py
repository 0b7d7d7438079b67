"""Concertation: meetings held by the committees, attendance at them, action items completed.

**Held.** A meeting counts as held when it is dated in the period, on or before today, not
cancelled (``Meeting.cancelled_at``), and its attendance or its minutes were recorded
(attendance can only be recorded from the meeting's day on). A meeting to come, a cancelled
one (whatever was noted there), or a past one with neither attendance nor minutes, is not
counted — nor is its attendance.

**Attendance rate.** Present / expected, over the attendance rows of the meetings held in the
period. Every recorded row is a member who was expected that day: present, excused (expected
but absent, with notice) or absent. Members whose presence was not recorded are left out of
both numbers: nothing is known of them.

**Action items completed.** Action items marked done (not dropped) whose closing date
(``closed_on``) falls in the period, whenever they were decided.

**Where a committee counts** (the rule of ``concertation.permissions.committee_territory_ids``):
an ÉLÉ in the territories of its local team's municipalities (a local team without
municipalities: in its region); another committee in the territories it lists. A committee
listing no territory (the partners' committee, a management committee, a regional working
group) has no region recorded: it counts only for the whole program. A committee covering two
territories counts once in each, once in their region and once overall.

The drill-down lists meetings (or action items) of the committees the viewer may read
(``concertation.selectors.committees_for_user``, which answers 404 to roles without the
committee pages: the dashboard then says the records are closed to them).
"""

from collections import defaultdict

from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tremplin.concertation.models import (
    ActionItem,
    ActionStatus,
    Attendance,
    AttendanceStatus,
    Committee,
    CommitteeKind,
    Meeting,
)
from tremplin.concertation.selectors import committees_for_user
from tremplin.territories.models import Territory

from ..catalogue import COUNT, PERCENT, Breakdown, Indicator, group, register
from ..periods import ALL, REGION, TERRITORY
from .common import link, table

group(
    "concertation",
    _("Concertation"),
    (
        "concertation.Committee",
        "concertation.CommitteeMembership",
        "concertation.Meeting",
        "concertation.Attendance",
        "concertation.ActionItem",
        # An ÉLÉ counts where its local team's municipalities are.
        "territories.LocalTeam",
    ),
)


def _committee_labels() -> dict[str, str]:
    return {str(pid): name for pid, name in Committee.objects.values_list("public_id", "name")}


COMMITTEE = Breakdown("committee", _("Comité"), _committee_labels)
WHOLE_PROGRAM = [(None, None)]


def _places() -> dict[int, list[tuple[int | None, int | None]]]:
    """Committee id → the (territory, region) pairs it counts in (absent: whole program)."""
    places: dict[int, set] = defaultdict(set)
    teams = Committee.objects.filter(kind=CommitteeKind.LOCAL_TEAM, local_team__isnull=False)
    for pk, territory_id, region_id in teams.values_list(
        "pk", "local_team__municipalities__mrc__territory_id", "local_team__region_id"
    ).distinct():
        places[pk].add((territory_id, None) if territory_id else (None, region_id))
    listed = Committee.territories.through.objects.exclude(committee__kind=CommitteeKind.LOCAL_TEAM)
    for pk, territory_id in listed.values_list("committee_id", "territory_id"):
        places[pk].add((territory_id, None))
    # A local team with municipalities counts in its territories (and so its region) only.
    return {
        pk: sorted(p for p in pairs if p[0] is not None) or sorted(pairs)
        for pk, pairs in places.items()
    }


def _spread(rows, breakdown):
    """Rows (committee id, committee public id, weight) → one row per place of the committee;
    the key (the committee) makes a committee of two territories count once in their region."""
    places = _places()
    by_committee = breakdown == COMMITTEE.name
    for committee_id, public_id, weight in rows:
        item = str(public_id) if by_committee else ""
        for territory_id, region_id in places.get(committee_id, WHOLE_PROGRAM):
            yield territory_id, region_id, item, committee_id, weight


def _held(period):
    """Meetings held in the period (see the module docstring)."""
    last = min(period.end, timezone.localdate())
    recorded = Attendance.objects.filter(meeting=OuterRef("pk"))
    return Meeting.objects.filter(
        date__gte=period.start, date__lte=last, cancelled_at__isnull=True
    ).filter(Q(Exists(recorded)) | ~Q(minutes=""))


def _per_committee(queryset, committee: str, **counts):
    fields = [committee, f"{committee}__public_id"]
    return queryset.order_by().values(*fields).annotate(**counts).values_list(*fields, *counts)


def _meeting_rows(period, breakdown):
    return _spread(_per_committee(_held(period), "committee", n=Count("id")), breakdown)


def _attendance_rows(period, breakdown, present_only: bool):
    rows = Attendance.objects.filter(meeting__in=_held(period))
    if present_only:
        rows = rows.filter(status=AttendanceStatus.PRESENT)
    return _spread(_per_committee(rows, "meeting__committee", n=Count("id")), breakdown)


def _completed(period):
    return ActionItem.objects.filter(
        status=ActionStatus.DONE, closed_on__gte=period.start, closed_on__lte=period.end
    )


def _action_rows(period, breakdown):
    return _spread(
        _per_committee(_completed(period), "meeting__committee", n=Count("id")), breakdown
    )


# --- the records behind a value -------------------------------------------------------------


def _committees_in(area) -> set[int] | None:
    """Ids of the committees counting in an area (None: every committee)."""
    if area.kind == ALL:
        return None
    places = _places()
    if area.kind == TERRITORY:
        return {pk for pk, pairs in places.items() if any(t == area.pk for t, _r in pairs)}
    if area.kind == REGION:
        regions = dict(Territory.objects.values_list("id", "region_id"))
        return {
            pk
            for pk, pairs in places.items()
            if any((regions.get(t) if t else r) == area.pk for t, r in pairs)
        }
    raise ValueError(area)


def _readable(user, queryset, committee: str, area, breakdown, item):
    queryset = queryset.filter(**{f"{committee}__in": committees_for_user(user).values("pk")})
    ids = _committees_in(area)
    if ids is not None:
        queryset = queryset.filter(**{f"{committee}__in": ids})
    if breakdown == COMMITTEE.name and item:
        queryset = queryset.filter(**{f"{committee}__public_id": item})
    return queryset


NOTE = _("Les comités que votre rôle vous permet de consulter.")


def _meeting_records(user, period, area, breakdown, item):
    meetings = _readable(user, _held(period), "committee", area, breakdown, item)
    present = Count("attendance", filter=Q(attendance__status=AttendanceStatus.PRESENT))
    return table(
        [_("Comité"), _("Date"), _("Présences"), _("Présences notées")],
        meetings.select_related("committee")
        .annotate(present=present, recorded=Count("attendance"))
        .order_by("date", "start_time", "id"),
        lambda m: [m.committee.name, m.date.isoformat(), m.present, m.recorded],
        lambda m: link("concertation:meeting-detail", m),
        note=NOTE,
    )


def _action_records(user, period, area, breakdown, item):
    items = _readable(user, _completed(period), "meeting__committee", area, breakdown, item)
    return table(
        [_("Action"), _("Comité"), _("Décidée le"), _("Réalisée le")],
        items.select_related("meeting__committee").order_by("closed_on", "id"),
        lambda a: [
            a.description,
            a.meeting.committee.name,
            a.meeting.date.isoformat(),
            a.closed_on.isoformat(),
        ],
        lambda a: link("concertation:meeting-detail", a.meeting),
        note=NOTE,
    )


SOURCE = _("Rencontres des comités et leurs présences")


def _concertation(**fields) -> Indicator:
    """By committee; the meetings behind the value unless told otherwise."""
    fields.setdefault("unit", COUNT)
    fields.setdefault("source", SOURCE)
    fields.setdefault("records", _meeting_records)
    return register(Indicator(group="concertation", breakdowns=(COMMITTEE,), **fields))


_concertation(
    id="concertation.meetings",
    label=_("Rencontres tenues"),
    definition=_(
        "Rencontres de comités datées de la période et tenues : passées, avec les présences "
        "ou le compte rendu notés (une rencontre sans présences ni compte rendu est tenue "
        "pour annulée). Un comité compte dans ses territoires; un comité sans territoire, "
        "pour l'ensemble du programme seulement."
    ),
    rows=_meeting_rows,
)

_concertation(
    id="concertation.attendance_present",
    label=_("Présences aux rencontres"),
    definition=_(
        "Membres notés présents aux rencontres tenues dans la période; une personne venue "
        "à trois rencontres compte trois fois."
    ),
    rows=lambda period, breakdown: _attendance_rows(period, breakdown, present_only=True),
)

_concertation(
    id="concertation.attendance_expected",
    label=_("Présences attendues"),
    definition=_(
        "Membres dont la présence a été notée aux rencontres tenues dans la période : "
        "présents, excusés ou absents. Les membres dont la présence n'a pas été notée ne "
        "comptent pas."
    ),
    rows=lambda period, breakdown: _attendance_rows(period, breakdown, present_only=False),
)

_concertation(
    id="concertation.attendance_rate",
    label=_("Taux de présence"),
    definition=_(
        "Présences sur présences attendues aux rencontres tenues dans la période. Une "
        "personne excusée était attendue : elle compte comme absente."
    ),
    unit=PERCENT,
    ratio_of=("concertation.attendance_present", "concertation.attendance_expected", 100),
)

_concertation(
    id="concertation.actions_done",
    label=_("Suivis réalisés"),
    definition=_(
        "Actions décidées en comité et marquées réalisées (pas abandonnées) dont la date de "
        "règlement tombe dans la période, quelle que soit la date de la rencontre où elles "
        "ont été décidées."
    ),
    source=_("Suivis (actions) décidés aux rencontres des comités"),
    rows=_action_rows,
    records=_action_records,
)
