"""Concertation indicators: meetings held, attendance rate and action items completed, by
committee and by the committee's territories.

Fiscal year 2023 runs from 2023-04-01 to 2024-03-31. Every expected figure is counted by hand
from the records built below.
"""

import datetime as dt
from decimal import Decimal

import pytest
from django.http import Http404
from django.utils import timezone

from tremplin.concertation import services
from tremplin.concertation.models import (
    ActionItem,
    ActionStatus,
    Attendance,
    AttendanceStatus,
    Committee,
    CommitteeKind,
    CommitteeMembership,
    Meeting,
    OrganizationKind,
)
from tremplin.evaluation import catalogue, engine
from tremplin.evaluation.periods import Area, Period, current_fiscal_year
from tremplin.territories.models import LocalTeam

from .fakes import areas

FY = Period.fiscal(2023)
D = dt.date
P, E, A = AttendanceStatus.PRESENT, AttendanceStatus.EXCUSED, AttendanceStatus.ABSENT


def value(indicator_id, area=None, breakdown="", period=FY):
    return engine.compute_one(catalogue.get(indicator_id), period, area or Area(), breakdown)


def committee(name, kind, territories=(), **fields):
    made = Committee.objects.create(name=name, kind=kind, start_date=D(2020, 1, 1), **fields)
    made.territories.set(territories)
    return made


def meeting(on, of, statuses=(), minutes=""):
    """A meeting with one seat per recorded status (statuses: present, excused, absent)."""
    made = Meeting.objects.create(
        committee=of, date=on, start_time=dt.time(13, 30), place="Salle", minutes=minutes
    )
    for i, status in enumerate(statuses):
        seat = CommitteeMembership.objects.create(
            committee=of,
            person_name=f"Membre {on} {i}",
            organization_kind=OrganizationKind.TENANT,
            start_date=D(2020, 1, 1),
        )
        Attendance.objects.create(meeting=made, member=seat, status=status)
    return made


def action(at, status=ActionStatus.OPEN, closed=None):
    return ActionItem.objects.create(
        meeting=at,
        description="Faire suivre",
        owner_name="Coordination",
        status=status,
        closed_on=closed,
    )


@pytest.fixture
def tables(world):
    """ele: ÉLÉ de Lévis (Grand Littoral, through its local team); wg: a working group of
    Grand Littoral and Beauce; regional: the partners' committee (no territory); bare: an ÉLÉ
    whose local team has no municipality yet (its region)."""
    ele = committee("ÉLÉ de Lévis", CommitteeKind.LOCAL_TEAM, local_team=world["team"])
    wg = committee(
        "Groupe Littoral-Beauce", CommitteeKind.WORKING_GROUP, [world["ta"], world["tb"]]
    )
    regional = committee("Comité des partenaires régionaux", CommitteeKind.PARTNERS)
    empty_team = LocalTeam.objects.create(region=world["region"], name="ÉLÉ de Bellechasse")
    bare = committee("ÉLÉ de Bellechasse", CommitteeKind.LOCAL_TEAM, local_team=empty_team)

    m1 = meeting(D(2023, 5, 10), ele, [P, P, E])
    meeting(D(2023, 11, 15), ele, minutes="Compte rendu.")  # minutes only: held
    meeting(D(2024, 1, 17), ele)  # nothing recorded: cancelled, not held
    before = meeting(D(2023, 3, 31), ele, [P])  # the day before the year
    w1 = meeting(D(2023, 6, 6), wg, [P, A])
    r1 = meeting(FY.end, regional, [P, P, E])  # on the last day
    meeting(D(2023, 10, 10), bare, minutes="Compte rendu.")

    action(m1, ActionStatus.DONE, D(2023, 6, 1))
    action(m1, ActionStatus.DROPPED, D(2023, 7, 1))  # dropped: not completed
    action(m1)  # still open
    action(before, ActionStatus.DONE, FY.start)  # decided before the year, done in it
    action(w1, ActionStatus.DONE, D(2024, 4, 1))  # done the day after the year
    action(r1, ActionStatus.DONE, FY.end)
    return {"ele": ele, "wg": wg, "regional": regional, "bare": bare}


def test_it_counts_meetings_held_where_their_committee_counts(world, tables):
    at = areas(world)
    ele, wg, regional, bare = 2, 1, 1, 1  # held in the year (not the cancelled one)
    assert value("concertation.meetings") == ele + wg + regional + bare == 5
    assert value("concertation.meetings", at["ta"]) == ele + wg
    assert value("concertation.meetings", at["tb"]) == wg
    # The working group counts once in the region; the bare ÉLÉ counts in its region; the
    # partners' committee, without territory, only for the whole program.
    assert value("concertation.meetings", at["region"]) == ele + wg + bare
    assert value("concertation.meetings", at["other"]) == 0
    assert value("concertation.meetings", breakdown="committee") == {
        str(tables["ele"].public_id): ele,
        str(tables["wg"].public_id): wg,
        str(tables["regional"].public_id): regional,
        str(tables["bare"].public_id): bare,
    }
    labels = catalogue.get("concertation.meetings").breakdown("committee").labels()
    assert labels[str(tables["wg"].public_id)] == "Groupe Littoral-Beauce"


def test_it_leaves_out_a_cancelled_meeting_and_one_to_come(world, tables):
    today = timezone.localdate()
    around_today = Period.span(today - dt.timedelta(days=30), today + dt.timedelta(days=30))
    ele = tables["ele"]
    meeting(today - dt.timedelta(days=1), ele, [P])  # held yesterday
    meeting(today - dt.timedelta(days=2), ele)  # cancelled: nothing recorded
    meeting(today + dt.timedelta(days=10), ele, minutes="Ordre du jour préparé.")  # to come
    assert value("concertation.meetings", period=around_today) == 1


def test_it_computes_the_attendance_rate_with_excused_members_expected(world, tables):
    at = areas(world)
    # Recorded attendance of the meetings held: M1 present 2 of 3 (one excused), W1 present 1
    # of 2 (one absent), R1 present 2 of 3 (one excused); the meeting before the year is out.
    present = {"ele": 2, "wg": 1, "regional": 2}
    expected = {"ele": 3, "wg": 2, "regional": 3}
    assert value("concertation.attendance_present") == sum(present.values()) == 5
    assert value("concertation.attendance_expected") == sum(expected.values()) == 8
    assert value("concertation.attendance_rate") == Decimal("62.5")  # 5 / 8
    assert value("concertation.attendance_rate", at["ta"]) == Decimal("60.0")  # (2 + 1) / (3 + 2)
    assert value("concertation.attendance_rate", at["tb"]) == Decimal("50.0")  # 1 / 2
    assert value("concertation.attendance_rate", at["region"]) == Decimal("60.0")
    assert value("concertation.attendance_rate", at["other"]) is None  # nothing expected
    by_committee = value("concertation.attendance_rate", breakdown="committee")
    assert by_committee[str(tables["ele"].public_id)] == Decimal("66.7")  # 2 / 3


def test_it_counts_action_items_done_in_the_period(world, tables):
    at = areas(world)
    # Done in the year: M1's (2023-06-01), the one decided the day before the year and done on
    # its first day, R1's on its last day. Not: dropped, open, done the day after.
    assert value("concertation.actions_done") == 3
    assert value("concertation.actions_done", at["ta"]) == 2
    assert value("concertation.actions_done", at["region"]) == 2
    assert value("concertation.actions_done", at["tb"]) == 0
    assert value("concertation.actions_done", breakdown="committee") == {
        str(tables["ele"].public_id): 2,
        str(tables["regional"].public_id): 1,
    }


def test_it_lists_the_meetings_of_the_committees_the_viewer_may_read(world, personas, tables):
    meetings = catalogue.get("concertation.meetings")
    everything = meetings.records(personas["coordination"], FY, Area(), "", "")
    assert everything.total == 5
    ta = meetings.records(personas["coordination"], FY, areas(world)["ta"], "", "")
    assert [row[0][:2] for row in ta.rows] == [
        ["ÉLÉ de Lévis", "2023-05-10"],
        ["Groupe Littoral-Beauce", "2023-06-06"],
        ["ÉLÉ de Lévis", "2023-11-15"],
    ]
    assert ta.rows[0][1].startswith("/")
    # Organizer of Beauce: the working group (covers Beauce) and the regional committee; not
    # the ÉLÉ of Grand Littoral nor the bare ÉLÉ.
    beauce = meetings.records(personas["organizer_b"], FY, Area(), "", "")
    assert sorted(row[0][0] for row in beauce.rows) == [
        "Comité des partenaires régionaux",
        "Groupe Littoral-Beauce",
    ]
    one = meetings.records(
        personas["coordination"], FY, Area(), "committee", str(tables["ele"].public_id)
    )
    assert one.total == 2
    assert meetings.records(personas["partner"], FY, Area(), "", "").total == 0
    for name in ("researcher", "supervisor_a"):  # no committee pages: closed to them
        with pytest.raises(Http404):
            meetings.records(personas[name], FY, Area(), "", "")
    done = catalogue.get("concertation.actions_done").records(
        personas["coordination"], FY, Area(), "", ""
    )
    assert done.total == 3


def test_it_recomputes_stored_values_after_a_meeting_is_recorded(
    world, personas, django_capture_on_commit_callbacks
):
    user = personas["coordination"]
    today = timezone.localdate()
    period = Period.fiscal(current_fiscal_year(today))
    group = services.committee_save(
        user=user,
        committee=Committee(
            name="Groupe de travail Beauce",
            kind=CommitteeKind.WORKING_GROUP,
            start_date=D(2020, 1, 1),
        ),
        territories=[world["tb"]],
    )
    meetings = catalogue.get("concertation.meetings")
    key = (meetings.id, period.key)
    tb = Area("territory", world["tb"].pk)
    assert engine.values([meetings], [period], tb)[key] == 0
    with django_capture_on_commit_callbacks(execute=True):
        held = services.meeting_save(
            user=user,
            meeting=Meeting(committee=group, date=today, start_time=dt.time(9), place="Salle"),
        )
        services.minutes_save(user=user, meeting=held, minutes="Compte rendu.", decisions=[])
    assert engine.values([meetings], [period], tb)[key] == 1
