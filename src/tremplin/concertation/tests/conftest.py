"""A small concertation world on top of the shared ``world`` and ``personas``.

- ``ele``: the ÉLÉ de Lévis (territory A), since 2023-02-15, whose tenant seat changes hands
  on 2024-07-01 (Lucie until 2024-06-30 inclusive, then Marc);
- ``regional``: the regional partners' committee (no territory), where the SHQ sits (the
  ``partner`` persona's organization);
- ``beauce``: a working group of territory B.

Meetings of the ÉLÉ: M1 2023-03-01, M2 2023-09-15, M3 2024-09-10, and M4 thirty days from now.
Action items: A1 (M1, done at M2), A2 (M1, still open), A3 (M2, dropped 2024-01-10),
A4 (M3, open).
"""

import datetime as dt

import pytest

from tremplin.concertation.models import (
    ActionItem,
    ActionStatus,
    AttendanceStatus,
    Committee,
    CommitteeKind,
    CommitteeMembership,
    Meeting,
    MemberRole,
    OrganizationKind,
)
from tremplin.partners.models import Partner, PartnerKind

D = dt.date


def seat(committee, name, start, end=None, **kwargs):
    kwargs.setdefault("organization_kind", OrganizationKind.TENANT)
    return CommitteeMembership.objects.create(
        committee=committee, person_name=name, start_date=start, end_date=end, **kwargs
    )


def meeting(committee, day, hour=13, **kwargs):
    kwargs.setdefault("place", "Salle communautaire, 25, rue Saint-Louis")
    return Meeting.objects.create(
        committee=committee, date=day, start_time=dt.time(hour, 30), **kwargs
    )


def action(meeting_, description, owner=None, due=None, status=ActionStatus.OPEN, closed=None):
    return ActionItem.objects.create(
        meeting=meeting_,
        description=description,
        owner=owner,
        owner_name="" if owner else "Coordination",
        due_date=due,
        status=status,
        closed_on=closed,
    )


@pytest.fixture
def shq(personas):
    partner = Partner.objects.create(
        name="Société d'habitation du Québec", kind=PartnerKind.GOVERNMENT_AGENCY
    )
    partner.users.add(personas["partner"])
    return partner


def three_committees(world, mandate=""):
    """The ÉLÉ de Lévis (territory A, since 2023-02-15), the regional partners' committee (since
    2016-04-01) and the working group of Beauce (territory B, since 2020-01-01)."""
    ele = Committee.objects.create(
        name="ÉLÉ de Lévis",
        kind=CommitteeKind.LOCAL_TEAM,
        local_team=world["team"],
        region=world["region"],
        start_date=D(2023, 2, 15),
        mandate=mandate,
    )
    regional = Committee.objects.create(
        name="Comité des partenaires régionaux",
        kind=CommitteeKind.PARTNERS,
        region=world["region"],
        start_date=D(2016, 4, 1),
    )
    beauce = Committee.objects.create(
        name="Groupe de travail Beauce",
        kind=CommitteeKind.WORKING_GROUP,
        region=world["region"],
        start_date=D(2020, 1, 1),
    )
    beauce.territories.set([world["tb"]])
    return {"ele": ele, "regional": regional, "beauce": beauce}


@pytest.fixture
def cz(world, personas, shq):
    committees = three_committees(world, "Concerter les acteurs du logement social de Lévis.")
    ele, regional, beauce = committees["ele"], committees["regional"], committees["beauce"]

    lucie = seat(ele, "Lucie Fictive", D(2023, 2, 15), D(2024, 6, 30))
    marc = seat(ele, "Marc Inventé", D(2024, 7, 1))
    omh = seat(
        ele,
        "Paul Gestionnaire",
        D(2023, 2, 15),
        organization_kind=OrganizationKind.PROVIDER,
        provider=world["omh_a"],
        role=MemberRole.CHAIR,
    )
    organizer = seat(
        ele,
        "Olivia Organisatrice",
        D(2023, 2, 15),
        organization_kind=OrganizationKind.COMMUNITY,
        community_organization="CISSS de Chaudière-Appalaches",
        role=MemberRole.SECRETARY,
        user=personas["organizer_a"],
    )
    shq_seat = seat(
        regional,
        "Sophie Habitation",
        D(2016, 4, 1),
        organization_kind=OrganizationKind.PARTNER,
        partner=shq,
    )
    seat(beauce, "Bernard Beauceron", D(2020, 1, 1))

    m1 = meeting(ele, D(2023, 3, 1))
    m2 = meeting(ele, D(2023, 9, 15))
    m3 = meeting(ele, D(2024, 9, 10))
    m4 = meeting(ele, dt.date.today() + dt.timedelta(days=30))
    a1 = action(
        m1,
        "Inventorier les salles communautaires",
        owner=omh,
        due=D(2023, 6, 1),
        status=ActionStatus.DONE,
        closed=D(2023, 9, 15),
    )
    a2 = action(m1, "Rencontrer le centre d'action bénévole", owner=organizer, due=D(2023, 5, 1))
    a3 = action(
        m2,
        "Organiser une fête de quartier",
        due=D(2023, 12, 1),
        status=ActionStatus.DROPPED,
        closed=D(2024, 1, 10),
    )
    a4 = action(m3, "Préparer l'enquête auprès des locataires", owner=marc, due=D(2024, 12, 1))
    regional_meeting = meeting(regional, D(2024, 5, 2))
    beauce_meeting = meeting(beauce, D(2024, 5, 3))
    return {
        "ele": ele,
        "regional": regional,
        "beauce": beauce,
        "lucie": lucie,
        "marc": marc,
        "omh": omh,
        "organizer": organizer,
        "shq_seat": shq_seat,
        "m1": m1,
        "m2": m2,
        "m3": m3,
        "m4": m4,
        "a1": a1,
        "a2": a2,
        "a3": a3,
        "a4": a4,
        "regional_meeting": regional_meeting,
        "beauce_meeting": beauce_meeting,
    }


@pytest.fixture
def held(cz, personas):
    """M3 fully written up: agenda, attendance, minutes, decisions, a new action item."""
    from tremplin.concertation import services

    m3 = cz["m3"]
    Meeting.objects.filter(pk=m3.pk).update(
        end_time=dt.time(15, 0), video_link="https://meet.example.org/x"
    )
    m3.refresh_from_db()
    services.meeting_save(
        user=personas["coordination"],
        meeting=m3,
        agenda=[
            services.AgendaLine(title="Mot de bienvenue", presenter="Paul Gestionnaire"),
            services.AgendaLine(title="Enquête auprès des locataires", duration_minutes=45),
        ],
    )
    services.attendance_record(
        user=personas["coordination"],
        meeting=m3,
        statuses={
            cz["omh"]: AttendanceStatus.PRESENT,
            cz["marc"]: AttendanceStatus.PRESENT,
            cz["organizer"]: AttendanceStatus.EXCUSED,
        },
    )
    services.minutes_save(
        user=personas["coordination"],
        meeting=m3,
        minutes="Tour de table.\n\nL'enquête commencera en octobre.",
        decisions=["Adopter l'ordre du jour.", "Lancer l'enquête en octobre."],
    )
    return m3
