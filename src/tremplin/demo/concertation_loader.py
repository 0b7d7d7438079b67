"""Load the demo committees, their members, meetings, decisions and action items.

What comes from the seeds: the management committee of the 2008–2011 agreement (the concertation
of the signatories, Year-1 achievement no. 1) and what it decided in Year 1 (the fall-2008
information tour reaching 62 housing offices and more than 200 people, the evaluation design by
the Agence, the Enquête mobilisante started in 10 targeted sites, the Répertoire, the regional
meeting of 2009-06-06 «Mon OMH et le soutien communautaire»); the regional partners' committee,
led by the public-health directorate of the CISSS since 2016, with about fifteen partner
networks including tenants, implementing the Cadre de référence; the seven ÉLÉ created in 2023.
Everything else — people, dates, places, minutes, most decisions and action items — is invented
and flagged ``is_demo`` (shown as fictitious on screen).

``load_concertation`` is idempotent: records are found again by their natural keys (committee
(name, kind); seat (committee, person, start date); meeting (committee, date); agenda item and
decision (meeting, position); attendance (meeting, seat); action item (meeting, description)),
so a second run creates nothing. Records that are not demo records are never modified. Like the
rest of the demo loader it writes no audit entry (loading the demo is not an action of anyone),
but every record is validated with ``full_clean``. Call it inside a transaction, after the
territories, accounts, directory, partners and projects.
"""

import datetime as dt
from collections import Counter
from functools import partial

from django.contrib.auth import get_user_model

from tremplin.concertation.models import (
    ActionItem,
    ActionStatus,
    AgendaItem,
    Attendance,
    AttendanceStatus,
    Committee,
    CommitteeKind,
    CommitteeMembership,
    Decision,
    Meeting,
    MemberRole,
    OrganizationKind,
)
from tremplin.housing.models import HousingProvider
from tremplin.partners.models import Agreement, Partner
from tremplin.projects.models import TenantAssociation
from tremplin.territories.models import LocalTeam, Region

from .data import read_json
from .rows import demo_row

CREATED_KEYS = (
    "committees",
    "committee_memberships",
    "meetings",
    "agenda_items",
    "decisions",
    "attendance",
    "action_items",
)
FICTITIOUS = "Donnée fictive"
REGION = "12"  # Chaudière-Appalaches: the region of the regional committees
DEMO_TODAY = dt.date(2026, 11, 23)

CISSS_DSP = "CISSS de Chaudière-Appalaches – Direction de santé publique"
CISSS = "CISSS de Chaudière-Appalaches"
T = OrganizationKind.TENANT
P = OrganizationKind.PARTNER
H = OrganizationKind.PROVIDER
A = OrganizationKind.ASSOCIATION
C = OrganizationKind.COMMUNITY


def demo_today() -> dt.date:
    return min(DEMO_TODAY, dt.date.today())


def _d(value: str) -> dt.date:
    return dt.date.fromisoformat(value)


def concertation_data() -> dict:
    """The two regional committees (``committees``: seats, meetings, decisions, action items)
    and what the seven ÉLÉ share (``local_teams``), from ``data/concertation.json``.

    A seat: {person, kind, organization, role, start, end, user}; ``organization`` is a partner
    name (kind ``partner``), a provider name (``provider``), an association name
    (``association``), free text (``community``) or null (``tenant``); ``user`` links the seat
    to a demo account. A meeting: {date, time, end, place, video, agenda, minutes, decisions,
    actions: [{description, owner (a seat's person or null), owner_name, due, status, closed}]}.
    """
    return read_json("concertation.json")


def _seat(person, kind, organization, role, start, end=None, user=None) -> dict:
    return {
        "person": person,
        "kind": kind,
        "organization": organization,
        "role": role,
        "start": start,
        "end": end,
        "user": user,
    }


# --- loading -------------------------------------------------------------------------------


def load_concertation(created: Counter | None = None) -> dict:
    """Create or reset the demo committees; returns a summary of counts."""
    created = created if created is not None else Counter()
    data = concertation_data()
    users = {
        u.username: u
        for u in get_user_model().objects.filter(
            username__in=[
                "coordination",
                "organisateur",
                "organisatrice-beauce",
                "partenaire",
                "intervenant",
                "intervenante-beauce",
            ]
        )
    }
    partners = {p.name: p for p in Partner.objects.all()}
    providers = {p.name: p for p in HousingProvider.objects.filter(is_demo=True)}
    associations = {a.name: a for a in TenantAssociation.objects.filter(is_demo=True)}
    orgs = {P: partners, H: providers, A: associations}
    region = Region.objects.filter(code=REGION).first() or Region.objects.order_by("code").first()

    for spec in data["committees"] if region is not None else ():
        agreement = (
            Agreement.objects.filter(slug=spec["agreement"]).first() if spec["agreement"] else None
        )
        committee = _committee(
            spec["name"],
            spec["kind"],
            start=_d(spec["start"]),
            end=_d(spec["end"]) if spec["end"] else None,
            mandate=spec["mandate"],
            objectives=spec["objectives"] + f"\n({FICTITIOUS} : membres, rencontres et suivis.)",
            agreement=agreement,
            region=region,
            created=created,
        )
        if committee is None:
            continue
        seats = _seats(committee, spec["seats"], orgs, users, created)
        for m in spec["meetings"]:
            _meeting(committee, m, seats, created)

    ele = data["local_teams"]
    for index, team in enumerate(
        LocalTeam.objects.filter(name__in=[e["name"] for e in ele["teams"]])
    ):
        _load_ele(team, index, ele, orgs, users, created)
    return summary()


def summary() -> dict:
    committees = Committee.objects.filter(is_demo=True)
    meetings = Meeting.objects.filter(committee__in=committees)
    items = ActionItem.objects.filter(meeting__in=meetings)
    return {
        "committees": committees.count(),
        "local_teams": committees.filter(kind=CommitteeKind.LOCAL_TEAM).count(),
        "committee_memberships": CommitteeMembership.objects.filter(
            committee__in=committees
        ).count(),
        "meetings": meetings.count(),
        "decisions": Decision.objects.filter(meeting__in=meetings).count(),
        "action_items": items.count(),
        "open_action_items": items.filter(status=ActionStatus.OPEN).count(),
    }


def _committee(
    name,
    kind,
    *,
    start,
    end,
    mandate,
    objectives,
    created,
    agreement=None,
    local_team=None,
    region=None,
):
    committee = Committee.objects.filter(name=name, kind=kind).first()
    values = {
        "region": local_team.region if local_team is not None else region,
        "start_date": start,
        "end_date": end,
        "mandate": mandate,
        "objectives": objectives,
        "agreement": agreement,
        "local_team": local_team,
        "is_demo": True,
    }
    committee = demo_row(
        committee, partial(Committee, name=name, kind=kind), values, created, "committees"
    )
    # A real committee of the same name: leave it alone.
    return committee if committee.is_demo else None


def _seats(committee, specs, orgs, users, created) -> dict[str, CommitteeMembership]:
    """Create or reset seats; returns {person name: their latest seat}."""
    existing = {
        (s.person_name, s.start_date): s
        for s in CommitteeMembership.objects.filter(committee=committee)
    }
    result: dict[str, CommitteeMembership] = {}
    for spec in specs:
        person, kind, organization = spec["person"], spec["kind"], spec["organization"]
        start, end, username = spec["start"], spec["end"], spec["user"]
        role = spec["role"]
        values = {
            "organization_kind": kind,
            "partner": None,
            "provider": None,
            "association": None,
            "community_organization": "",
            "role": role,
            "end_date": _d(end) if end else None,
            "user": users.get(username) if username else None,
            "is_demo": True,
        }
        if kind == C:
            values["community_organization"] = organization
        elif kind in orgs:
            found = orgs[kind].get(organization)
            if found is None:
                # The organization is not in this database (a partial demo): a free-text seat.
                values["organization_kind"] = C
                values["community_organization"] = organization
            else:
                values[{P: "partner", H: "provider", A: "association"}[kind]] = found
        result[person] = demo_row(
            existing.get((person, _d(start))),
            partial(
                CommitteeMembership, committee=committee, person_name=person, start_date=_d(start)
            ),
            values,
            created,
            "committee_memberships",
        )
    return result


def _time(value: str | None) -> dt.time | None:
    return dt.time.fromisoformat(value) if value else None


def _meeting(committee, spec: dict, seats: dict, created: Counter) -> Meeting | None:
    day = _d(spec["date"])
    values = {
        "start_time": _time(spec["time"]),
        "end_time": _time(spec.get("end")),
        "place": spec.get("place", ""),
        "video_link": spec.get("video", ""),
        "minutes": spec.get("minutes", "") and f"{spec['minutes']}\n\n({FICTITIOUS}.)",
        "is_demo": True,
    }
    meeting = demo_row(
        Meeting.objects.filter(committee=committee, date=day).first(),
        partial(Meeting, committee=committee, date=day),
        values,
        created,
        "meetings",
    )
    if not meeting.is_demo:
        return None
    _positioned(meeting, AgendaItem, "title", spec.get("agenda", []), "agenda_items", created)
    _positioned(meeting, Decision, "text", spec.get("decisions", []), "decisions", created)
    _attendance(meeting, seats, created)
    for action in spec.get("actions", []):
        owner, due, closed = action["owner"], action["due"], action["closed"]
        _action(
            meeting,
            action["description"],
            seats.get(owner) if owner else None,
            action["owner_name"],
            _d(due) if due else None,
            action["status"],
            _d(closed) if closed else None,
            created,
        )
    return meeting


def _positioned(meeting, model, field: str, texts: list[str], key: str, created: Counter) -> None:
    existing = {row.position: row for row in model.objects.filter(meeting=meeting)}
    for position, text in enumerate(texts, start=1):
        row = existing.pop(position, None)
        if row is None:
            model.objects.create(meeting=meeting, position=position, **{field: text})
            created[key] += 1
        elif getattr(row, field) != text:
            setattr(row, field, text)
            row.save()
    model.objects.filter(pk__in=[row.pk for row in existing.values()]).delete()


def _attendance(meeting: Meeting, seats: dict, created: Counter) -> None:
    """Past meetings: every seat active that day is present, but for a few excused or absent
    (a fixed pattern, the same on every run)."""
    if meeting.date > demo_today():
        return
    existing = {a.member_id: a for a in Attendance.objects.filter(meeting=meeting)}
    # Every seat of the committee active that day (not only the latest of each person).
    active = sorted(
        (
            s
            for s in CommitteeMembership.objects.filter(committee_id=meeting.committee_id)
            if s.is_active_on(meeting.date)
        ),
        key=lambda s: s.person_name,
    )
    for i, seat in enumerate(active):
        turn = (i + meeting.date.toordinal()) % 9
        status = (
            AttendanceStatus.EXCUSED
            if turn == 4
            else AttendanceStatus.ABSENT
            if turn == 7
            else AttendanceStatus.PRESENT
        )
        row = existing.get(seat.pk)
        if row is None:
            row = Attendance(meeting=meeting, member=seat, status=status)
            row.full_clean(validate_constraints=False, validate_unique=False)
            row.save()
            created["attendance"] += 1
        elif row.status != status:
            row.status = status
            row.save(update_fields=["status"])


def _action(meeting, description, owner, owner_name, due, status, closed, created) -> None:
    if closed is not None and closed > demo_today():
        status, closed = ActionStatus.OPEN, None  # not yet closed on the demo's day
    values = {
        "owner": owner,
        "owner_name": "" if owner else (owner_name or "Équipe de coordination"),
        "due_date": due,
        "status": status,
        "closed_on": closed,
        "is_demo": True,
    }
    demo_row(
        ActionItem.objects.filter(meeting=meeting, description=description).first(),
        partial(ActionItem, meeting=meeting, description=description),
        values,
        created,
        "action_items",
    )


# --- the seven ÉLÉ -------------------------------------------------------------------------


def _ele_dates(team: LocalTeam, index: int, meeting_days: list) -> list[dt.date]:
    """The founding day, then ``meeting_days`` (the first is null: the founding meeting)."""
    founded = team.founded_on or dt.date(2023, 2, 15)
    days = [founded]
    for value in meeting_days[1:]:
        # The ÉLÉ meet on different days of the same weeks.
        days.append(_d(value) + dt.timedelta(days=index % 3))
    return days


def _load_ele(team: LocalTeam, index: int, ele: dict, orgs, users, created: Counter) -> None:
    """One ÉLÉ: its people (``ele["teams"]``), the meetings all ÉLÉ share (``meetings``, on
    ``meeting_days``) and their action items (``actions``: ``meeting`` index, ``owner`` role
    key, ``due_days`` after the meeting, ``outcome`` depending on the ÉLÉ's rank)."""
    spec = next(e for e in ele["teams"] if e["name"] == team.name)
    organizer_name, worker_name = spec["organizer"], spec["worker"]
    chair, tenant_before, tenant_after = spec["chair"], spec["tenant_before"], spec["tenant_after"]
    community_person = spec["community_person"]
    committee = _committee(
        team.name,
        CommitteeKind.LOCAL_TEAM,
        start=team.founded_on or dt.date(2023, 2, 15),
        end=None,
        mandate=ele["mandate"],
        objectives=ele["objectives"],
        local_team=team,
        created=created,
    )
    if committee is None:
        return
    start = committee.start_date.isoformat()
    provider = (
        HousingProvider.objects.filter(is_demo=True, municipality__local_teams=team)
        .order_by("name")
        .first()
    )
    association = (
        TenantAssociation.objects.filter(is_demo=True, provider__municipality__local_teams=team)
        .order_by("name")
        .first()
    )
    seats = [
        _seat(organizer_name, C, CISSS, MemberRole.SECRETARY, start, None, spec["organizer_user"]),
        _seat(community_person, C, spec["community_organization"], MemberRole.MEMBER, start),
        _seat(tenant_before, T, None, MemberRole.MEMBER, start, "2025-06-30"),
        _seat(tenant_after, T, None, MemberRole.MEMBER, "2025-09-01"),
        _seat(worker_name, C, CISSS, MemberRole.MEMBER, "2024-01-15", None, spec["worker_user"]),
    ]
    if provider is not None:
        seats.append(_seat(chair, H, provider.name, MemberRole.CHAIR, start))
    else:
        seats.append(_seat(chair, C, "Office d'habitation du territoire", MemberRole.CHAIR, start))
    if association is not None:
        seats.append(
            _seat(spec["delegate"], A, association.name, MemberRole.OBSERVER, "2024-03-01")
        )
    by_person = _seats(committee, seats, orgs, users, created)
    owners = {
        "organizer": organizer_name,
        "chair": chair,
        "community": community_person,
        "worker": worker_name,
    }
    dates = _ele_dates(team, index, ele["meeting_days"])
    place = (
        f"Salle communautaire, {provider.name}" if provider is not None else "Salle communautaire"
    )
    for i, day in enumerate(dates):
        actions = []
        for item in ele["actions"]:
            if item["meeting"] != i:
                continue
            outcome = item["outcome"]
            owner = owners.get(item["owner"]) or (
                tenant_before if day <= dt.date(2025, 6, 30) else tenant_after
            )
            due = day + dt.timedelta(days=item["due_days"])
            next_day = dates[i + 1] if i + 1 < len(dates) else None
            status, closed = "open", None
            if outcome == "done_next" and next_day:
                status, closed = "done", next_day
            elif outcome == "alternate" and index % 2 == 0 and i + 3 < len(dates):
                status, closed = "done", dates[i + 3]  # carried over two meetings, then done
            elif outcome == "dropped_odd" and index % 2 == 1 and next_day:
                status, closed = "dropped", next_day
            elif outcome == "dropped_odd" and next_day:
                status, closed = "done", next_day
            actions.append(
                {
                    "description": item["description"],
                    "owner": owner,
                    "owner_name": "",
                    "due": due.isoformat(),
                    "status": status,
                    "closed": closed and closed.isoformat(),
                }
            )
        meeting = ele["meetings"][i]
        _meeting(
            committee,
            {
                "date": day.isoformat(),
                "time": "13:30" if index % 2 else "09:30",
                "end": "15:30" if index % 2 else "11:30",
                "place": place,
                "video": "https://visio.example/ele" if i == 3 else "",
                "agenda": meeting["agenda"],
                "minutes": meeting["minutes"],
                "decisions": meeting["decisions"],
                "actions": actions,
            },
            by_person,
            created,
        )
