"""Writes on committees, memberships, meetings, attendance and action items.

Each service validates with ``full_clean()`` inside a transaction and writes one audit entry;
a ``ValidationError`` leaves nothing saved.
"""

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tremplin.audit.services import log_action, save_audited

from . import regions
from .models import (
    CANCELLED_ATTENDANCE,
    ActionItem,
    ActionStatus,
    AgendaItem,
    Attendance,
    Committee,
    CommitteeKind,
    CommitteeMembership,
    Decision,
    Meeting,
)


@transaction.atomic
def committee_save(*, user, committee: Committee, territories=None, request=None) -> Committee:
    """Validate and save a committee. ``territories`` (for a committee other than an ÉLÉ):
    the territories it covers, none for the whole region. An ÉLÉ covers its local team's.
    Without a region, the committee gets the one its local team, its territories, the user's
    territories or the database tell (``regions.default_region``); the territories must lie
    in it."""
    created = committee.pk is None
    if committee.kind == CommitteeKind.LOCAL_TEAM:
        territories = []
    if committee.region_id is None:
        committee.region = regions.default_region(
            local_team=committee.local_team if committee.local_team_id else None,
            territories=territories or [],
            user=user,
        )
    committee.full_clean()
    if territories is not None:
        listed = territories
    else:
        listed = committee.territories.all() if committee.pk else []
    regions.check_territories(committee.region, listed)
    committee.save()
    if territories is not None:
        committee.territories.set(territories)
    log_action(
        committee,
        "concertation.committee.create" if created else "concertation.committee.update",
        user=user,
        request=request,
    )
    return committee


@transaction.atomic
def membership_save(*, user, membership: CommitteeMembership, request=None) -> CommitteeMembership:
    """Validate and save a seat (a new one, a change, or the end of a mandate)."""
    membership.clear_other_organizations()
    return save_audited(
        membership,
        "concertation.membership",
        on=membership.committee,
        user=user,
        request=request,
        data={"membership": str(membership.public_id)},
    )


@dataclass
class AgendaLine:
    title: str
    presenter: str = ""
    duration_minutes: int | None = None


def _renumber(objects) -> None:
    for position, obj in enumerate(objects, start=1):
        obj.position = position


@transaction.atomic
def meeting_save(
    *, user, meeting: Meeting, agenda: list[AgendaLine] | None = None, request=None
) -> Meeting:
    """Validate and save a meeting; ``agenda`` (in order) replaces its agenda items."""
    save_audited(
        meeting,
        "concertation.meeting",
        on=meeting.committee,
        user=user,
        request=request,
        data={"meeting": str(meeting.public_id)},
    )
    if agenda is not None:
        items = [
            AgendaItem(
                meeting=meeting,
                title=line.title.strip(),
                presenter=(line.presenter or "").strip(),
                duration_minutes=line.duration_minutes,
            )
            for line in agenda
            if line.title and line.title.strip()
        ]
        _renumber(items)
        for item in items:
            item.full_clean()
        meeting.agenda_items.all().delete()
        AgendaItem.objects.bulk_create(items)
    return meeting


@transaction.atomic
def minutes_save(
    *, user, meeting: Meeting, minutes: str, decisions: list[str], request=None
) -> Meeting:
    """Save the minutes and the decisions (in order; they replace the previous ones)."""
    meeting.minutes = (minutes or "").strip()
    meeting.full_clean()
    meeting.save(update_fields=["minutes", "updated_at"])
    rows = [Decision(meeting=meeting, text=text.strip()) for text in decisions if text.strip()]
    _renumber(rows)
    for row in rows:
        row.full_clean()
    meeting.decisions.all().delete()
    Decision.objects.bulk_create(rows)
    log_action(
        meeting.committee,
        "concertation.meeting.minutes",
        user=user,
        request=request,
        data={"meeting": str(meeting.public_id), "decisions": len(rows)},
    )
    return meeting


@transaction.atomic
def attendance_record(*, user, meeting: Meeting, statuses: dict, request=None) -> dict:
    """Record attendance: ``statuses`` maps a membership to a status, or to ``None`` to clear
    it. Every member must be active on the meeting's date; the meeting must have taken place
    (today or before) and not be cancelled. Returns the counts by status of what is now
    recorded."""
    # Read under a lock: a cancellation at the same moment waits, or is seen.
    locked = Meeting.objects.select_for_update().filter(pk=meeting.pk)
    if meeting.is_cancelled or locked.filter(cancelled_at__isnull=False).exists():
        raise ValidationError(CANCELLED_ATTENDANCE)
    if meeting.date > dt.date.today():
        raise ValidationError(
            _("Les présences se notent le jour de la rencontre ou après, pas à l'avance.")
        )
    existing = {a.member_id: a for a in Attendance.objects.filter(meeting=meeting)}
    to_create, to_update, to_delete = [], [], []
    for member, status in statuses.items():
        current = existing.get(member.pk)
        if not status:
            if current is not None:
                to_delete.append(current.pk)
            continue
        row = current or Attendance(meeting=meeting, member=member)
        row.status = status
        row.meeting, row.member = meeting, member
        row.full_clean(validate_unique=False, validate_constraints=False)
        (to_update if current is not None else to_create).append(row)
    Attendance.objects.filter(pk__in=to_delete).delete()
    Attendance.objects.bulk_create(to_create)
    Attendance.objects.bulk_update(to_update, ["status"])
    # Bulk writes send no signal: saving the meeting tells the evaluation its counts changed.
    meeting.save(update_fields=["updated_at"])
    counts: dict[str, int] = {}
    for status in Attendance.objects.filter(meeting=meeting).values_list("status", flat=True):
        counts[status] = counts.get(status, 0) + 1
    log_action(
        meeting.committee,
        "concertation.meeting.attendance",
        user=user,
        request=request,
        data={"meeting": str(meeting.public_id), **counts},
    )
    return counts


def _locked(meeting: Meeting) -> Meeting:
    """The meeting's row as it is now, locked until the end of the transaction."""
    return Meeting.objects.select_for_update().get(pk=meeting.pk)


@transaction.atomic
def meeting_cancel(*, user, meeting: Meeting, reason: str, request=None) -> Meeting:
    """Cancel a meeting: it stays in the committee's history, marked cancelled with the reason,
    and counts in no attendance figure; no attendance can be recorded at it."""
    if _locked(meeting).is_cancelled:
        raise ValidationError(_("Cette rencontre est déjà annulée."))
    meeting.cancelled_at = timezone.now()
    meeting.cancelled_by = user if getattr(user, "is_authenticated", False) else None
    meeting.cancellation_reason = (reason or "").strip()
    return _cancellation_save(meeting, "cancel", user=user, request=request)


@transaction.atomic
def meeting_restore(*, user, meeting: Meeting, request=None) -> Meeting:
    """Undo a cancellation (the meeting took place after all, or was cancelled by mistake)."""
    if not _locked(meeting).is_cancelled:
        raise ValidationError(_("Cette rencontre n'est pas annulée."))
    meeting.cancelled_at, meeting.cancelled_by, meeting.cancellation_reason = None, None, ""
    return _cancellation_save(meeting, "restore", user=user, request=request)


def _cancellation_save(meeting: Meeting, action: str, *, user, request) -> Meeting:
    return save_audited(
        meeting,
        "concertation.meeting",
        verb=action,
        on=meeting.committee,
        user=user,
        request=request,
        data={"meeting": str(meeting.public_id)},
        update_fields=["cancelled_at", "cancelled_by", "cancellation_reason", "updated_at"],
    )


@transaction.atomic
def action_item_save(*, user, item: ActionItem, request=None) -> ActionItem:
    """Validate and save an action item. Closing it without a date closes it today; reopening
    it clears its closing date."""
    if item.status == ActionStatus.OPEN:
        item.closed_on = None
    elif item.closed_on is None:
        item.closed_on = dt.date.today()
    return save_audited(
        item,
        "concertation.action",
        on=item.meeting.committee,
        user=user,
        request=request,
        data={"action": str(item.public_id), "status": item.status},
    )


def action_item_close(*, user, item: ActionItem, status=ActionStatus.DONE, request=None):
    """Mark an action item done (or dropped) today."""
    item.status = status
    item.closed_on = dt.date.today()
    return action_item_save(user=user, item=item, request=request)
