"""Committees, their meetings and action items, through ``concertation.selectors`` (the
coordination: all; an organizer: their territories' committees and the regional ones; a
partner: the committees they sit on; anyone else: 404). A meeting's minutes are in the
meeting itself (``/concertation/meetings/{id}``), as on its page — every reader of the meeting
reads them there; lists carry no minutes."""

import datetime as dt
import uuid

from django.utils import timezone
from ninja import Field, Query, Router, Schema

from tremplin.concertation import selectors
from tremplin.concertation.models import ActionItem, CommitteeMembership

from ..auth import scoped
from ..pagination import ListParams, page, page_schema
from ..schemas import fields

router = Router()


class CommitteeOut(Schema):
    id: uuid.UUID
    name: str
    kind: str
    region: str | None
    local_team: uuid.UUID | None
    territories: list[str]
    mandate: str
    objectives: str
    start_date: dt.date
    end_date: dt.date | None
    members_today: int
    open_action_items: int
    last_meeting: dt.date | None
    next_meeting: dt.date | None
    is_demo: bool
    updated_at: dt.datetime


CommitteePage = page_schema("CommitteePage", CommitteeOut)


class SeatOut(Schema):
    id: uuid.UUID
    person_name: str
    organization_kind: str
    organization: str
    role: str
    start_date: dt.date
    end_date: dt.date | None


class CommitteeDetailOut(CommitteeOut):
    members: list[SeatOut]


class MeetingWhen(Schema):
    """What a meeting's list row and its detail both begin with."""

    id: uuid.UUID
    committee: uuid.UUID
    date: dt.date
    start_time: str = Field(..., description="HH:MM, heure locale (America/Toronto).")
    end_time: str | None
    place: str


class MeetingOut(MeetingWhen):
    cancelled: bool
    present_count: int | None
    decision_count: int
    action_item_count: int
    is_demo: bool
    updated_at: dt.datetime


MeetingPage = page_schema("MeetingPage", MeetingOut)


class AgendaItemOut(Schema):
    position: int
    title: str
    presenter: str
    duration_minutes: int | None


class AttendanceOut(Schema):
    member: uuid.UUID
    person_name: str
    status: str | None


class ActionItemOut(Schema):
    id: uuid.UUID
    meeting: uuid.UUID
    meeting_date: dt.date
    description: str
    owner: str
    due_date: dt.date | None
    status: str
    closed_on: dt.date | None
    updated_at: dt.datetime


ActionItemPage = page_schema("ActionItemPage", ActionItemOut)


class MeetingDetailOut(MeetingWhen):
    video_link: str
    guests: str
    cancelled: bool
    cancellation_reason: str
    agenda: list[AgendaItemOut]
    attendance: list[AttendanceOut]
    minutes: str
    decisions: list[str]
    action_items: list[ActionItemOut]
    carried_action_items: list[ActionItemOut]
    is_demo: bool
    updated_at: dt.datetime


def _hhmm(value):
    """A time of day (a time without offset is not an RFC 3339 "time": plain text)."""
    return value.strftime("%H:%M") if value is not None else None


def committee_out(c) -> dict:
    return {
        "id": c.public_id,
        "region": c.region.code if c.region_id else None,
        "local_team": c.local_team.public_id if c.local_team_id else None,
        "territories": [t.slug for t in c.territories.all()],
        "open_action_items": c.open_actions,
        **fields(
            c,
            "name",
            "kind",
            "mandate",
            "objectives",
            "start_date",
            "end_date",
            "members_today",
            "last_meeting",
            "next_meeting",
            "is_demo",
            "updated_at",
        ),
    }


def _annotated(user):
    return selectors.committee_list(user)  # territories prefetched there


def action_out(a) -> dict:
    return {
        "id": a.public_id,
        "meeting": a.meeting.public_id,
        "meeting_date": a.meeting.date,
        "owner": a.owner_label,
        **fields(a, "description", "due_date", "status", "closed_on", "updated_at"),
    }


def meeting_common(m, committee) -> dict:
    """What a meeting's list row and its detail share."""
    return {
        "id": m.public_id,
        "committee": committee.public_id,
        "start_time": _hhmm(m.start_time),
        "end_time": _hhmm(m.end_time),
        "cancelled": m.is_cancelled,
        **fields(m, "date", "place", "is_demo", "updated_at"),
    }


def meeting_out(m, committee) -> dict:
    return {
        **meeting_common(m, committee),
        "action_item_count": m.action_count,
        **fields(m, "present_count", "decision_count"),
    }


@router.get("/committees", response=CommitteePage, summary="Comités")
@scoped("concertation:read")
def committees(request, params: Query[ListParams]):
    return page(request, _annotated(request.user), params, committee_out)


@router.get("/committees/{committee_id}", response=CommitteeDetailOut, summary="Un comité")
@scoped("concertation:read")
def committee(request, committee_id: uuid.UUID):
    """With the seats held today (chair, secretary, members, observers)."""
    found = selectors.get_committee_for_user(request.user, committee_id)
    annotated = _annotated(request.user).get(pk=found.pk)
    seats: list[CommitteeMembership] = selectors.members_on(found, timezone.localdate())
    return {
        **committee_out(annotated),
        "members": [
            {
                "id": s.public_id,
                "organization": s.organization_name,
                **fields(s, "person_name", "organization_kind", "role", "start_date", "end_date"),
            }
            for s in seats
        ],
    }


@router.get(
    "/committees/{committee_id}/meetings", response=MeetingPage, summary="Rencontres d'un comité"
)
@scoped("concertation:read")
def meetings(request, committee_id: uuid.UUID, params: Query[ListParams]):
    found = selectors.get_committee_for_user(request.user, committee_id)
    return page(
        request, selectors.committee_meetings(found), params, lambda m: meeting_out(m, found)
    )


@router.get(
    "/committees/{committee_id}/action-items",
    response=ActionItemPage,
    summary="Suivis décidés par un comité",
)
@scoped("concertation:read")
def action_items(request, committee_id: uuid.UUID, params: Query[ListParams]):
    """Every action item decided at the committee's meetings (open, done or dropped)."""
    found = selectors.get_committee_for_user(request.user, committee_id)
    qs = ActionItem.objects.filter(meeting__committee=found).select_related("meeting", "owner")
    return page(request, qs, params, action_out)


@router.get("/meetings/{meeting_id}", response=MeetingDetailOut, summary="Une rencontre")
@scoped("concertation:read")
def meeting(request, meeting_id: uuid.UUID):
    """What the meeting's page shows: agenda, attendance, minutes, decisions, the action items
    decided there and those carried over from earlier meetings."""
    m = selectors.get_meeting_for_user(request.user, meeting_id)
    return {
        **meeting_common(m, m.committee),
        "agenda": [
            fields(a, "position", "title", "presenter", "duration_minutes")
            for a in m.agenda_items.all()
        ],
        "attendance": [
            {
                "member": row["member"].public_id,
                "person_name": row["member"].person_name,
                "status": row["status"],
            }
            for row in selectors.meeting_attendance(m)
        ],
        "decisions": [d.text for d in m.decisions.all()],
        "action_items": [action_out(a) for a in m.action_items.select_related("meeting", "owner")],
        "carried_action_items": [action_out(a) for a in selectors.carried_action_items(m)],
        **fields(m, "video_link", "guests", "cancellation_reason", "minutes"),
    }
