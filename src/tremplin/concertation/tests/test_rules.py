"""Membership over time, action items carrying over, and the bad inputs refused by the rules."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from tremplin.audit.models import AuditEntry
from tremplin.concertation import selectors, services
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

from .conftest import D, action, meeting

# --------------------------------------------------------------------------- members over time


def _names(seats):
    return sorted(s.person_name for s in seats)


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (D(2023, 2, 14), []),  # the day before the ÉLÉ existed
        (D(2023, 2, 15), ["Lucie Fictive", "Olivia Organisatrice", "Paul Gestionnaire"]),
        (D(2024, 6, 30), ["Lucie Fictive", "Olivia Organisatrice", "Paul Gestionnaire"]),
        (D(2024, 7, 1), ["Marc Inventé", "Olivia Organisatrice", "Paul Gestionnaire"]),
        (D(2030, 1, 1), ["Marc Inventé", "Olivia Organisatrice", "Paul Gestionnaire"]),
    ],
)
def test_it_lists_the_members_on_a_date_with_inclusive_bounds(cz, day, expected):
    assert _names(selectors.members_on(cz["ele"], day)) == expected


def test_it_orders_members_by_role_then_name(cz):
    seats = selectors.members_on(cz["ele"], D(2024, 7, 1))
    assert [s.get_role_display() for s in seats] == ["Présidence", "Secrétariat", "Membre"]


def test_it_separates_past_and_future_mandates(cz):
    others = selectors.other_mandates(cz["ele"], D(2024, 1, 1))
    assert _names(others["past"]) == []
    assert _names(others["future"]) == ["Marc Inventé"]
    others = selectors.other_mandates(cz["ele"], D(2025, 1, 1))
    assert _names(others["past"]) == ["Lucie Fictive"]
    assert others["future"] == []


def test_it_takes_attendance_only_of_members_active_that_day(cz, personas):
    # M2 (2023-09-15): Lucie sits, Marc does not yet.
    rows = selectors.meeting_attendance(cz["m2"])
    assert "Marc Inventé" not in _names(r["member"] for r in rows)
    with pytest.raises(ValidationError) as exc:
        services.attendance_record(
            user=personas["coordination"],
            meeting=cz["m2"],
            statuses={cz["lucie"]: AttendanceStatus.PRESENT, cz["marc"]: AttendanceStatus.PRESENT},
        )
    assert "Marc Inventé n'était pas membre du comité le 15 septembre 2023" in str(exc.value)
    assert not Attendance.objects.exists()  # nothing saved, not even Lucie's

    counts = services.attendance_record(
        user=personas["coordination"],
        meeting=cz["m2"],
        statuses={
            cz["lucie"]: AttendanceStatus.PRESENT,
            cz["omh"]: AttendanceStatus.EXCUSED,
            cz["organizer"]: AttendanceStatus.PRESENT,
        },
    )
    assert counts == {"present": 2, "excused": 1}
    # Changing one and clearing another.
    counts = services.attendance_record(
        user=personas["coordination"],
        meeting=cz["m2"],
        statuses={cz["lucie"]: AttendanceStatus.ABSENT, cz["omh"]: None},
    )
    assert counts == {"absent": 1, "present": 1}
    assert AuditEntry.objects.filter(action="concertation.meeting.attendance").count() == 2


def test_it_refuses_attendance_of_a_meeting_that_has_not_happened(cz, personas):
    with pytest.raises(ValidationError) as exc:
        services.attendance_record(
            user=personas["coordination"],
            meeting=cz["m4"],
            statuses={cz["marc"]: AttendanceStatus.PRESENT},
        )
    assert "pas à l'avance" in str(exc.value)
    assert not Attendance.objects.exists()


def test_it_refuses_to_shorten_a_mandate_past_recorded_attendance(cz, personas):
    services.attendance_record(
        user=personas["coordination"],
        meeting=cz["m3"],
        statuses={cz["marc"]: AttendanceStatus.PRESENT},
    )
    marc = CommitteeMembership.objects.get(pk=cz["marc"].pk)
    marc.end_date = D(2024, 8, 31)  # M3 is on 2024-09-10
    with pytest.raises(ValidationError) as exc:
        services.membership_save(user=personas["coordination"], membership=marc)
    assert "notée à la rencontre du 10 septembre 2024" in str(exc.value)
    marc.refresh_from_db()
    assert marc.end_date is None


# --------------------------------------------------------------------------- carrying over


def _descriptions(items):
    return [i.description for i in items]


def test_it_carries_action_items_over_until_they_are_closed(cz):
    assert _descriptions(selectors.carried_action_items(cz["m1"])) == []
    # M2: A1 was closed at M2 (reviewed there), A2 is still open.
    assert _descriptions(selectors.carried_action_items(cz["m2"])) == [
        "Inventorier les salles communautaires",
        "Rencontrer le centre d'action bénévole",
    ]
    # M3: A1 closed before; A3 (from M2) dropped on 2024-01-10, before M3.
    assert _descriptions(selectors.carried_action_items(cz["m3"])) == [
        "Rencontrer le centre d'action bénévole"
    ]
    # M4 (upcoming): A2 and A4, decided at M1 and M3.
    assert _descriptions(selectors.carried_action_items(cz["m4"])) == [
        "Rencontrer le centre d'action bénévole",
        "Préparer l'enquête auprès des locataires",
    ]


def test_it_stops_carrying_an_item_once_done(cz, personas):
    services.action_item_close(user=personas["organizer_a"], item=cz["a2"])
    a2 = ActionItem.objects.get(pk=cz["a2"].pk)
    assert a2.status == ActionStatus.DONE and a2.closed_on == dt.date.today()
    # The upcoming meeting no longer lists it; M3 (held before it was done) still does.
    assert _descriptions(selectors.carried_action_items(cz["m4"])) == [
        "Préparer l'enquête auprès des locataires"
    ]
    assert "Rencontrer le centre d'action bénévole" in _descriptions(
        selectors.carried_action_items(cz["m3"])
    )


def test_it_carries_over_between_two_meetings_of_the_same_day(cz):
    morning = cz["m1"]
    afternoon = meeting(cz["ele"], morning.date, hour=15)
    item = action(morning, "Appeler la municipalité")
    assert item in selectors.carried_action_items(afternoon)
    assert item not in selectors.carried_action_items(morning)


def test_it_does_not_carry_items_of_another_committee(cz):
    other = action(cz["regional_meeting"], "Action du comité régional", due=D(2024, 6, 1))
    assert other not in selectors.carried_action_items(cz["m4"])
    assert other not in selectors.open_action_items(cz["ele"])


def test_it_lists_every_open_action_item_of_the_committee(cz):
    # Worked out from the fixture: A2 (due 2023-05-01) and A4 (due 2024-12-01) are open.
    assert _descriptions(selectors.open_action_items(cz["ele"])) == [
        "Rencontrer le centre d'action bénévole",
        "Préparer l'enquête auprès des locataires",
    ]


def test_it_reopening_an_item_clears_its_closing_date(cz, personas):
    a1 = cz["a1"]
    a1.status = ActionStatus.OPEN
    services.action_item_save(user=personas["coordination"], item=a1)
    a1.refresh_from_db()
    assert a1.closed_on is None
    assert a1 in selectors.open_action_items(cz["ele"])


# --------------------------------------------------------------------------- bad input


def test_it_refuses_a_meeting_dated_before_its_committee_existed(cz, personas):
    before = Meeting(committee=cz["ele"], date=D(2023, 2, 14), start_time=dt.time(9), place="Lévis")
    with pytest.raises(ValidationError) as exc:
        services.meeting_save(
            user=personas["coordination"],
            meeting=before,
            agenda=[services.AgendaLine(title="Accueil")],
        )
    assert exc.value.message_dict["date"] == [
        "La rencontre est datée avant la création du comité (le 15 février 2023)."
    ]
    assert Meeting.objects.filter(committee=cz["ele"]).count() == 4


def test_it_refuses_a_meeting_after_the_committee_ended(cz, personas):
    ended = Committee.objects.create(
        name="Comité de gestion",
        kind=CommitteeKind.AGREEMENT,
        start_date=D(2008, 4, 1),
        end_date=D(2011, 3, 31),
    )
    late = Meeting(committee=ended, date=D(2011, 4, 1), start_time=dt.time(9), place="Lévis")
    with pytest.raises(ValidationError) as exc:
        services.meeting_save(user=personas["coordination"], meeting=late)
    assert "après la fin du comité (le 31 mars 2011)" in str(exc.value)


def test_it_refuses_a_meeting_without_place_or_link_and_end_before_start(cz, personas):
    bad = Meeting(
        committee=cz["ele"],
        date=D(2024, 1, 10),
        start_time=dt.time(14),
        end_time=dt.time(13),
    )
    with pytest.raises(ValidationError) as exc:
        services.meeting_save(user=personas["coordination"], meeting=bad)
    assert exc.value.message_dict == {
        "place": ["Indiquez un lieu ou un lien de visioconférence."],
        "end_time": ["L'heure de fin doit suivre l'heure de début."],
    }


def test_it_refuses_an_action_item_due_before_its_meeting(cz, personas):
    item = ActionItem(
        meeting=cz["m2"], description="Trop tard", owner_name="X", due_date=D(2023, 9, 14)
    )
    with pytest.raises(ValidationError) as exc:
        services.action_item_save(user=personas["coordination"], item=item)
    assert exc.value.message_dict["due_date"] == [
        "L'échéance précède la rencontre où l'action a été décidée (le 15 septembre 2023)."
    ]
    assert not ActionItem.objects.filter(description="Trop tard").exists()
    # Due the day of the meeting is fine.
    item.due_date = D(2023, 9, 15)
    services.action_item_save(user=personas["coordination"], item=item)
    assert ActionItem.objects.filter(description="Trop tard").exists()


def test_it_refuses_an_action_item_without_owner_or_closed_before_its_meeting(cz, personas):
    item = ActionItem(meeting=cz["m2"], description="Sans responsable")
    with pytest.raises(ValidationError) as exc:
        services.action_item_save(user=personas["coordination"], item=item)
    assert "owner_name" in exc.value.message_dict
    item = ActionItem(
        meeting=cz["m2"],
        description="Réglée trop tôt",
        owner_name="X",
        status=ActionStatus.DONE,
        closed_on=D(2023, 9, 1),
    )
    with pytest.raises(ValidationError) as exc:
        services.action_item_save(user=personas["coordination"], item=item)
    assert "closed_on" in exc.value.message_dict
    assert not ActionItem.objects.filter(
        description__in=["Sans responsable", "Réglée trop tôt"]
    ).exists()


def test_it_refuses_an_owner_from_another_committee(cz, personas):
    item = ActionItem(meeting=cz["m2"], description="Mauvais comité", owner=cz["shq_seat"])
    with pytest.raises(ValidationError) as exc:
        services.action_item_save(user=personas["coordination"], item=item)
    assert exc.value.message_dict["owner"] == ["Cette personne n'est pas membre de ce comité."]


def test_it_refuses_a_membership_ending_before_it_starts(cz, personas):
    seat = CommitteeMembership(
        committee=cz["ele"],
        person_name="Rita Rebours",
        organization_kind=OrganizationKind.TENANT,
        start_date=D(2024, 5, 1),
        end_date=D(2024, 4, 30),
    )
    with pytest.raises(ValidationError) as exc:
        services.membership_save(user=personas["coordination"], membership=seat)
    assert exc.value.message_dict["end_date"] == ["La fin du mandat précède son début."]
    assert not CommitteeMembership.objects.filter(person_name="Rita Rebours").exists()


def test_it_refuses_a_membership_before_the_committee_or_without_its_organization(cz, personas):
    seat = CommitteeMembership(
        committee=cz["ele"],
        person_name="Précoce",
        organization_kind=OrganizationKind.PARTNER,
        start_date=D(2022, 1, 1),
    )
    with pytest.raises(ValidationError) as exc:
        services.membership_save(user=personas["coordination"], membership=seat)
    assert exc.value.message_dict == {
        "start_date": ["Le mandat commence avant la création du comité (le 15 février 2023)."],
        "partner": ["Choisissez le partenaire que la personne représente."],
    }


def test_it_keeps_only_the_organization_of_the_chosen_kind(cz, personas, shq, world):
    seat = CommitteeMembership(
        committee=cz["ele"],
        person_name="Locataire engagée",
        organization_kind=OrganizationKind.TENANT,
        partner=shq,
        provider=world["omh_a"],
        community_organization="Ignoré",
        start_date=D(2024, 1, 1),
    )
    services.membership_save(user=personas["coordination"], membership=seat)
    seat.refresh_from_db()
    assert (seat.partner, seat.provider, seat.community_organization) == (None, None, "")
    assert seat.organization_name == ""


def test_it_refuses_moving_a_committee_start_after_its_first_meeting(cz, personas):
    ele = Committee.objects.get(pk=cz["ele"].pk)
    ele.start_date = D(2023, 6, 1)
    with pytest.raises(ValidationError) as exc:
        services.committee_save(user=personas["coordination"], committee=ele)
    assert "avant cette date (le 1er mars 2023)" in str(exc.value)


def test_it_requires_a_local_team_for_an_ele(personas):
    committee = Committee(
        name="ÉLÉ sans équipe", kind=CommitteeKind.LOCAL_TEAM, start_date=D(2023, 1, 1)
    )
    with pytest.raises(ValidationError) as exc:
        services.committee_save(user=personas["coordination"], committee=committee)
    assert "local_team" in exc.value.message_dict
    assert not Committee.objects.filter(name="ÉLÉ sans équipe").exists()


def test_it_renumbers_the_agenda_in_order(cz, personas):
    m = cz["m3"]
    services.meeting_save(
        user=personas["coordination"],
        meeting=m,
        agenda=[
            services.AgendaLine(title="Accueil"),
            services.AgendaLine(title="  "),
            services.AgendaLine(title="Tour de table", presenter="Tous", duration_minutes=20),
        ],
    )
    assert [(i.position, i.title) for i in m.agenda_items.all()] == [
        (1, "Accueil"),
        (2, "Tour de table"),
    ]


def test_it_refuses_moving_a_meeting_after_an_action_items_due_date(cz, personas):
    m1 = Meeting.objects.get(pk=cz["m1"].pk)
    m1.date = D(2023, 5, 15)  # A2 decided at M1 is due 2023-05-01
    with pytest.raises(ValidationError) as exc:
        services.meeting_save(user=personas["coordination"], meeting=m1)
    assert "échéance antérieure" in str(exc.value)
