"""Reads of committees, always given the user: what they may not see raises ``Http404``.

The scope rules are those of ``permissions.py``, written here as querysets for lists.
"""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db.models import (
    Case,
    Count,
    F,
    IntegerField,
    Max,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.http import Http404

from tremplin.accounts.roles import Role
from tremplin.search import query as search
from tremplin.territories.models import Territory

from . import permissions
from .models import (
    ActionItem,
    ActionStatus,
    Attendance,
    AttendanceStatus,
    Committee,
    CommitteeKind,
    CommitteeMembership,
    Decision,
    Meeting,
    active_on,
)


def _require(user):
    if not permissions.can_use(user):
        raise Http404


def _covering(territory_ids) -> Q:
    """Committees covering one of these territories (an ÉLÉ through its local team)."""
    ele = Committee.objects.filter(
        kind=CommitteeKind.LOCAL_TEAM,
        local_team__municipalities__mrc__territory__in=territory_ids,
    ).values("pk")
    listed = Committee.objects.filter(territories__in=territory_ids).values("pk")
    return Q(pk__in=ele) | (~Q(kind=CommitteeKind.LOCAL_TEAM) & Q(pk__in=listed))


def _regional() -> Q:
    with_territories = Committee.objects.filter(territories__isnull=False).values("pk")
    return ~Q(kind=CommitteeKind.LOCAL_TEAM) & ~Q(pk__in=with_territories)


def committees_for_user(user) -> QuerySet:
    """The committees the user may read (each once)."""
    _require(user)
    role = permissions.role_of(user)
    qs = Committee.objects.all()
    if role == Role.ORGANIZER:
        qs = qs.filter(_covering(user.membership.territory_ids()) | _regional())
    elif role == Role.PARTNER:
        from tremplin.partners.permissions import user_partner_ids

        seats = CommitteeMembership.objects.filter(
            Q(user=user) | Q(partner_id__in=user_partner_ids(user))
        ).values("committee_id")
        qs = qs.filter(pk__in=seats)
    return qs


def committee_list(
    user, *, kind="", region=None, territory=None, status="", today=None, q=""
) -> QuerySet:
    """The committee list with what its rows show, annotated in the same query: members
    today, last and next meeting (cancelled meetings left out), open action items. ``q``:
    the full-text search (name, mandate, objectives) within the committees the user reads."""
    today = today or dt.date.today()
    qs = search.filter(committees_for_user(user), q)
    if kind:
        qs = qs.filter(kind=kind)
    if region is not None:
        qs = qs.filter(region=region)
    if territory is not None:
        qs = qs.filter(_covering([territory.pk]))
    if status == "active":
        qs = qs.filter(start_date__lte=today).filter(
            Q(end_date__isnull=True) | Q(end_date__gte=today)
        )
    elif status == "ended":
        qs = qs.filter(end_date__lt=today)

    members = CommitteeMembership.objects.filter(committee=OuterRef("pk")).filter(active_on(today))
    open_items = ActionItem.objects.filter(
        meeting__committee=OuterRef("pk"), status=ActionStatus.OPEN
    )
    held = Q(meetings__cancelled_at__isnull=True)
    return (
        qs.select_related("local_team", "region")
        .prefetch_related("territories")
        .annotate(
            members_today=_count(members, "committee"),
            open_actions=_count(open_items, "meeting__committee"),
            last_meeting=Max("meetings__date", filter=held & Q(meetings__date__lt=today)),
            next_meeting=Min("meetings__date", filter=held & Q(meetings__date__gte=today)),
        )
        .order_by("kind", "name")
    )


def _count(queryset, group: str):
    """A correlated COUNT subquery (no join, no duplicate rows in the outer query)."""
    sub = queryset.order_by().values(group).annotate(c=Count("pk")).values("c")
    return Coalesce(Subquery(sub, output_field=IntegerField()), Value(0))


def _get(queryset, public_id):
    try:
        return queryset.get(public_id=public_id)
    except (queryset.model.DoesNotExist, ValueError, ValidationError):
        raise Http404 from None


def _reads(user, committee: Committee) -> None:
    _require(user)
    if not permissions.can_read_committee(user, committee):
        raise Http404


def _manages(user, committee: Committee) -> None:
    _require(user)
    if not permissions.can_manage_committee(user, committee):
        raise Http404


def get_committee_for_user(user, public_id) -> Committee:
    committee = _get(
        Committee.objects.select_related("local_team", "agreement", "region"), public_id
    )
    _reads(user, committee)
    return committee


def get_committee_for_manage(user, public_id) -> Committee:
    committee = get_committee_for_user(user, public_id)
    _manages(user, committee)
    return committee


def get_meeting_for_user(user, public_id) -> Meeting:
    meeting = _get(
        Meeting.objects.select_related("committee__local_team", "cancelled_by"), public_id
    )
    _reads(user, meeting.committee)
    return meeting


def get_meeting_for_manage(user, public_id) -> Meeting:
    meeting = get_meeting_for_user(user, public_id)
    _manages(user, meeting.committee)
    return meeting


def get_membership_for_manage(user, public_id) -> CommitteeMembership:
    seat = _get(CommitteeMembership.objects.select_related("committee"), public_id)
    _manages(user, seat.committee)
    return seat


def get_action_item_for_manage(user, public_id) -> ActionItem:
    item = _get(ActionItem.objects.select_related("meeting__committee", "owner"), public_id)
    _manages(user, item.meeting.committee)
    return item


# --- members over time ----------------------------------------------------------------------


def _seats(committee: Committee) -> QuerySet:
    return CommitteeMembership.objects.filter(committee=committee).select_related(
        "partner", "provider", "association", "user"
    )


ROLE_ORDER = {"chair": 0, "secretary": 1, "member": 2, "observer": 3}


def members_on(committee: Committee, day: dt.date) -> list[CommitteeMembership]:
    """The seats held on ``day`` (from/to dates inclusive): chair, secretary, members, observers,
    each group by name."""
    seats = _seats(committee).filter(active_on(day))
    return sorted(seats, key=lambda s: (ROLE_ORDER.get(s.role, 9), s.person_name.lower()))


def other_mandates(committee: Committee, day: dt.date) -> dict[str, list[CommitteeMembership]]:
    """Seats not held on ``day``: ``past`` (ended before it, latest first) and ``future``."""
    seats = _seats(committee).exclude(active_on(day))
    past = sorted(
        (s for s in seats if s.end_date is not None and s.end_date < day),
        key=lambda s: (s.end_date, s.person_name.lower()),
        reverse=True,
    )
    future = sorted(
        (s for s in seats if s.start_date > day), key=lambda s: (s.start_date, s.person_name)
    )
    return {"past": past, "future": future}


# --- meetings and action items --------------------------------------------------------------


def committee_meetings(committee: Committee) -> QuerySet:
    """Meetings, latest first, with their counts (present members, decisions, action items).
    A cancelled meeting stays listed; it has no attendance count (``present_count`` is None)."""
    present = Attendance.objects.filter(meeting=OuterRef("pk"), status=AttendanceStatus.PRESENT)
    return (
        Meeting.objects.filter(committee=committee)
        .select_related("cancelled_by")
        .annotate(
            present_count=Case(
                When(cancelled_at__isnull=False, then=Value(None)),
                default=_count(present, "meeting"),
                output_field=IntegerField(),
            ),
            decision_count=_count(Decision.objects.filter(meeting=OuterRef("pk")), "meeting"),
            action_count=_count(ActionItem.objects.filter(meeting=OuterRef("pk")), "meeting"),
        )
        .order_by("-date", "-start_time")
    )


def _items() -> QuerySet:
    return ActionItem.objects.select_related("meeting", "owner")


def open_action_items(committee: Committee) -> QuerySet:
    """Every action item still to do, across the committee's meetings (earliest due first,
    those without a due date last)."""
    return (
        _items()
        .filter(meeting__committee=committee, status=ActionStatus.OPEN)
        .order_by(F("due_date").asc(nulls_last=True), "meeting__date", "id")
    )


def earlier(meeting: Meeting, prefix: str = "meeting__") -> Q:
    """Meetings of the same committee held before ``meeting`` (same day: an earlier hour)."""
    return Q(**{f"{prefix}committee_id": meeting.committee_id}) & (
        Q(**{f"{prefix}date__lt": meeting.date})
        | Q(**{f"{prefix}date": meeting.date, f"{prefix}start_time__lt": meeting.start_time})
    )


def carried_action_items(meeting: Meeting) -> QuerySet:
    """Action items decided at earlier meetings that were still open when this one was held:
    open now, or closed on or after its date (closed at this meeting or later). A meeting's
    page therefore shows the same follow-ups today as on the day it was held."""
    return (
        _items()
        .filter(earlier(meeting))
        .filter(Q(status=ActionStatus.OPEN) | Q(closed_on__gte=meeting.date))
        .order_by("meeting__date", "meeting__start_time", "id")
    )


def meeting_attendance(meeting: Meeting) -> list[dict]:
    """One row per member active on the meeting's date (in ``members_on`` order), with the
    recorded status (``None``: not recorded; always, for a cancelled meeting: what was noted
    there counts for nothing)."""
    recorded = {}
    if not meeting.is_cancelled:
        recorded = {a.member_id: a.status for a in Attendance.objects.filter(meeting=meeting)}
    return [
        {"member": m, "status": recorded.get(m.pk)}
        for m in members_on(meeting.committee, meeting.date)
    ]


def attendance_counts(rows: list[dict]) -> dict[str, int]:
    counts = {s: 0 for s in AttendanceStatus.values}
    counts["unknown"] = 0
    for row in rows:
        counts[row["status"] or "unknown"] += 1
    return counts


def committee_territories(committee: Committee) -> QuerySet:
    """The territories a committee covers (an ÉLÉ: those of its local team's municipalities)."""
    return Territory.objects.filter(pk__in=permissions.committee_territory_ids(committee))
