"""The committee pages and forms as users work with them, the Word files read back, and the
query counts of the pages that grow with the data."""

import datetime as dt
import io
import re
from html import unescape

from django.urls import reverse

from tremplin.audit.models import AuditEntry
from tremplin.concertation import selectors
from tremplin.concertation.models import (
    ActionItem,
    ActionStatus,
    Attendance,
    AttendanceStatus,
    Committee,
    CommitteeKind,
    CommitteeMembership,
    Decision,
    Meeting,
)
from tremplin.testing.forms import formset
from tremplin.testing.queries import query_count

from .conftest import D, action, meeting, seat


def _text(response) -> str:
    html = response.content.decode()
    html = re.sub(r"<script.*?</script>", "", html, flags=re.S)
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def _docx_text(content: bytes) -> tuple[list[str], list[list[list[str]]]]:
    from docx import Document

    doc = Document(io.BytesIO(content))
    paragraphs = [p.text for p in doc.paragraphs]
    tables = [[[c.text for c in row.cells] for row in t.rows] for t in doc.tables]
    return paragraphs, tables


# --------------------------------------------------------------------------- committee page


def test_it_shows_members_now_and_past_meetings_and_open_items(cz, login, personas):
    client = login(personas["organizer_a"])
    response = client.get(reverse("concertation:committee-detail", args=[cz["ele"].public_id]))
    assert response.status_code == 200
    assert [m.person_name for m in response.context["members"]] == [
        "Paul Gestionnaire",
        "Olivia Organisatrice",
        "Marc Inventé",
    ]
    assert [m.person_name for m in response.context["others"]["past"]] == ["Lucie Fictive"]
    assert [m.date for m in response.context["past"]] == [
        D(2024, 9, 10),
        D(2023, 9, 15),
        D(2023, 3, 1),
    ]
    assert [m.date for m in response.context["upcoming"]] == [cz["m4"].date]
    assert [i.description for i in response.context["open_items"]] == [
        "Rencontrer le centre d'action bénévole",
        "Préparer l'enquête auprès des locataires",
    ]
    text = _text(response)
    assert "Membres aujourd'hui" in text
    assert "3 membres" in text
    assert "2 actions à faire, toutes rencontres confondues" in text
    assert "Office municipal d'habitation de Lévis (Organisme d'habitation)" in text
    assert "en retard" in text  # both open items are past due


def test_it_shows_the_members_on_a_chosen_date(cz, login, personas):
    client = login(personas["coordination"])
    url = reverse("concertation:committee-detail", args=[cz["ele"].public_id])
    response = client.get(url, {"on": "2024-06-30"})
    assert [m.person_name for m in response.context["members"]] == [
        "Paul Gestionnaire",
        "Olivia Organisatrice",
        "Lucie Fictive",
    ]
    assert "Membres au 30 juin 2024" in _text(response)
    assert [m.person_name for m in response.context["others"]["future"]] == ["Marc Inventé"]
    # A date that is not one: the form says so, the page shows today's members.
    response = client.get(url, {"on": "2024-02-31"})
    assert response.status_code == 200
    assert "Saisissez une date valide." in _text(response)
    assert "Marc Inventé" in [m.person_name for m in response.context["members"]]


def test_it_lists_an_ended_committee_members_as_of_its_last_day(world, personas, login):
    committee = Committee.objects.create(
        name="Comité de gestion 2008-2011",
        kind=CommitteeKind.AGREEMENT,
        start_date=D(2008, 4, 1),
        end_date=D(2011, 3, 31),
    )
    seat(committee, "Jeanne Départ", D(2008, 4, 1), D(2010, 3, 31))
    seat(committee, "Jacques Jusquau", D(2008, 4, 1))
    response = login(personas["coordination"]).get(
        reverse("concertation:committee-detail", args=[committee.public_id])
    )
    assert response.context["day"] == D(2011, 3, 31)
    assert [m.person_name for m in response.context["members"]] == ["Jacques Jusquau"]
    assert "Membres au 31 mars 2011" in _text(response)


# --------------------------------------------------------------------------- committee list


def test_it_lists_committees_with_their_counts(cz, login, personas):
    response = login(personas["coordination"]).get(reverse("concertation:committee-list"))
    rows = {c.name: c for c in response.context["rows"]}
    ele = rows["ÉLÉ de Lévis"]
    # Today: Marc, Paul, Olivia (Lucie's mandate ended in 2024); A2 and A4 are open.
    assert (ele.members_today, ele.open_actions) == (3, 2)
    assert ele.last_meeting == D(2024, 9, 10)
    assert ele.next_meeting == cz["m4"].date
    regional = rows["Comité des partenaires régionaux"]
    assert (regional.members_today, regional.open_actions, regional.next_meeting) == (1, 0, None)
    text = _text(response)
    assert "Toute la région" in text and "Beauce" in text


def test_it_filters_the_list_by_kind_territory_and_status(cz, login, personas, world):
    client = login(personas["coordination"])
    url = reverse("concertation:committee-list")

    def names(**params):
        return sorted(c.name for c in client.get(url, params).context["rows"])

    assert names(kind="local_team") == ["ÉLÉ de Lévis"]
    assert names(territory=world["ta"].pk) == ["ÉLÉ de Lévis"]
    assert names(territory=world["tb"].pk) == ["Groupe de travail Beauce"]
    Committee.objects.filter(pk=cz["beauce"].pk).update(end_date=D(2024, 12, 31))
    assert names(status="ended") == ["Groupe de travail Beauce"]
    assert "Groupe de travail Beauce" not in names(status="active")
    # A value that is not a choice: the form refuses it, the list is not filtered.
    response = client.get(url, {"kind": "nope"})
    assert response.status_code == 200
    assert len(response.context["rows"]) == 3


def _more_committees(world, n, offset):
    for i in range(offset, offset + n):
        committee = Committee.objects.create(
            name=f"Groupe {i:03d}", kind=CommitteeKind.WORKING_GROUP, start_date=D(2020, 1, 1)
        )
        committee.territories.set([world["ta"], world["tb"]])
        s = seat(committee, f"Membre {i}", D(2020, 1, 1))
        m = meeting(committee, D(2021, 1, 1))
        action(m, "Suivi", owner=s)
        meeting(committee, dt.date.today() + dt.timedelta(days=10))


def test_it_lists_committees_in_a_constant_number_of_queries(
    cz, world, login, personas, django_assert_max_num_queries
):
    client = login(personas["organizer_a"])
    url = reverse("concertation:committee-list")
    _more_committees(world, 3, 0)
    few = query_count(client, url)
    _more_committees(world, 30, 3)
    with django_assert_max_num_queries(few):
        response = client.get(url)
    assert response.context["total"] == 2 + 33  # ÉLÉ, regional, and the groups (all in A)
    assert all(c.open_actions == 1 for c in response.context["rows"] if c.name.startswith("Groupe"))


def test_it_shows_a_committee_page_in_a_constant_number_of_queries(
    cz, login, personas, django_assert_max_num_queries
):
    client = login(personas["organizer_a"])
    ele = cz["ele"]
    url = reverse("concertation:committee-detail", args=[ele.public_id])
    few = query_count(client, url)
    for i in range(20):
        s = seat(ele, f"Locataire {i}", D(2023, 3, 1), D(2024, 1, 1) if i % 2 else None)
        m = meeting(ele, D(2023, 10, 1) + dt.timedelta(days=i))
        action(m, f"Action {i}", owner=s, due=D(2025, 1, 1))
        Attendance.objects.create(meeting=m, member=s, status=AttendanceStatus.PRESENT)
    with django_assert_max_num_queries(few):
        response = client.get(url)
    assert len(response.context["open_items"]) == 22


def test_it_shows_a_meeting_page_in_a_constant_number_of_queries(
    cz, login, personas, django_assert_max_num_queries
):
    client = login(personas["organizer_a"])
    m4 = cz["m4"]
    url = reverse("concertation:meeting-detail", args=[m4.public_id])
    few = query_count(client, url)
    for i in range(15):
        s = seat(cz["ele"], f"Membre {i}", D(2023, 3, 1))
        action(cz["m3"], f"Action {i}", owner=s)
    with django_assert_max_num_queries(few):
        response = client.get(url)
    assert len(response.context["carried"]) == 2 + 15


# --------------------------------------------------------------------------- forms


def test_it_creates_an_ele_with_the_local_team_name(world, login, personas):
    client = login(personas["organizer_a"])
    response = client.post(
        reverse("concertation:committee-create"),
        {
            "kind": "local_team",
            "name": "",
            "local_team": str(world["team"].public_id),
            "start_date": "2023-02-15",
            "mandate": "Concerter.",
        },
    )
    assert response.status_code == 302, _text(response)
    committee = Committee.objects.get()
    assert committee.name == "ÉLÉ de Lévis"
    assert committee.local_team == world["team"]
    assert AuditEntry.objects.filter(action="concertation.committee.create").count() == 1
    # The organizer manages it: their territory is covered.
    assert client.get(response["Location"]).context["can_manage"] is True


def test_it_keeps_organizers_to_their_territories(world, login, personas):
    client = login(personas["organizer_b"])
    url = reverse("concertation:committee-create")
    # No territory: a regional committee is the coordination's.
    response = client.post(url, {"kind": "working_group", "name": "GT", "start_date": "2024-01-01"})
    assert response.status_code == 200
    assert "un comité régional relève de la coordination" in _text(response)
    # Another organizer's territory, another kind, or the ÉLÉ of territory A: refused.
    for data in (
        {"kind": "working_group", "territories": [world["ta"].pk]},
        {"kind": "partners", "territories": [world["tb"].pk]},
        {"kind": "local_team", "local_team": str(world["team"].public_id)},
    ):
        response = client.post(url, {"name": "GT", "start_date": "2024-01-01", **data})
        assert response.status_code == 200
        assert "Sélectionnez un choix valide" in _text(response)
    assert not Committee.objects.exists()
    response = client.post(
        url,
        {
            "kind": "working_group",
            "name": "GT Beauce",
            "start_date": "2024-01-01",
            "territories": [world["tb"].pk],
        },
    )
    assert response.status_code == 302
    assert list(Committee.objects.get().territories.all()) == [world["tb"]]


def test_it_refuses_a_committee_ending_before_it_starts(world, login, personas):
    response = login(personas["coordination"]).post(
        reverse("concertation:committee-create"),
        {
            "kind": "partners",
            "name": "Comité",
            "start_date": "2016-04-01",
            "end_date": "2015-01-01",
        },
    )
    assert response.status_code == 200
    assert "La fin du comité précède son début." in _text(response)
    assert not Committee.objects.exists()


def test_it_adds_a_tenant_member_without_an_account(cz, login, personas):
    client = login(personas["organizer_a"])
    response = client.post(
        reverse("concertation:membership-create", args=[cz["ele"].public_id]),
        {
            "person_name": "Gisèle Locataire",
            "organization_kind": "tenant",
            "role": "member",
            "start_date": "2025-01-10",
        },
    )
    assert response.status_code == 302, _text(response)
    seat_ = CommitteeMembership.objects.get(person_name="Gisèle Locataire")
    assert seat_.user is None and seat_.organization_name == ""
    assert seat_ in selectors.members_on(cz["ele"], D(2025, 1, 10))


def test_it_refuses_bad_memberships_with_french_messages(cz, login, personas, world):
    client = login(personas["organizer_a"])
    url = reverse("concertation:membership-create", args=[cz["ele"].public_id])
    cases = [
        (
            {"organization_kind": "tenant", "start_date": "2024-05-01", "end_date": "2024-04-30"},
            "La fin du mandat précède son début.",
        ),
        (
            {"organization_kind": "provider", "start_date": "2024-05-01"},
            "Choisissez l'organisme d'habitation que la personne représente.",
        ),
        (
            {"organization_kind": "community", "start_date": "2024-05-01"},
            "Donnez le nom de l'organisation que la personne représente.",
        ),
        (
            {"organization_kind": "tenant", "start_date": "2020-05-01"},
            "Le mandat commence avant la création du comité (le 15 février 2023).",
        ),
        (
            # The OMH of Saint-Georges is not within the ÉLÉ de Lévis.
            {
                "organization_kind": "provider",
                "provider": str(world["omh_b"].public_id),
                "start_date": "2024-05-01",
            },
            "Sélectionnez un choix valide",
        ),
        ({"organization_kind": "nope", "start_date": "pas une date"}, "Saisissez une date valide."),
    ]
    for data, message in cases:
        response = client.post(url, {"person_name": "Essai", "role": "member", **data})
        assert response.status_code == 200
        assert message in _text(response), data
    assert not CommitteeMembership.objects.filter(person_name="Essai").exists()


def test_it_ends_a_mandate(cz, login, personas):
    client = login(personas["coordination"])
    marc = cz["marc"]
    response = client.post(
        reverse("concertation:membership-edit", args=[marc.public_id]),
        {
            "person_name": marc.person_name,
            "organization_kind": "tenant",
            "role": "member",
            "start_date": "2024-07-01",
            "end_date": "2025-06-30",
        },
    )
    assert response.status_code == 302
    marc.refresh_from_db()
    assert marc.end_date == D(2025, 6, 30)


def test_it_shows_the_current_organization_when_editing_a_seat(cz, login, personas, world):
    response = login(personas["coordination"]).get(
        reverse("concertation:membership-edit", args=[cz["omh"].public_id])
    )
    html = response.content.decode()
    assert f'<option value="{world["omh_a"].public_id}" selected>' in html


def test_it_plans_a_meeting_with_an_ordered_agenda(cz, login, personas):
    client = login(personas["organizer_a"])
    response = client.post(
        reverse("concertation:meeting-create", args=[cz["ele"].public_id]),
        {
            "date": "2025-02-12",
            "start_time": "13:30",
            "end_time": "15:30",
            "place": "",
            "video_link": "meet.example.org/ele-levis",
            **formset(
                "agenda",
                {"position": "2", "title": "Suivis"},
                {
                    "position": "1",
                    "title": "Mot de bienvenue",
                    "presenter": "Paul Gestionnaire",
                    "duration_minutes": "10",
                },
                {"title": ""},
            ),
        },
    )
    assert response.status_code == 302, _text(response)
    m = Meeting.objects.get(date=D(2025, 2, 12))
    assert m.video_link == "https://meet.example.org/ele-levis"
    assert [(i.position, i.title) for i in m.agenda_items.all()] == [
        (1, "Mot de bienvenue"),
        (2, "Suivis"),
    ]
    page = client.get(response["Location"])
    text = _text(page)
    assert "12 février 2025, de 13 h 30 à 15 h 30" in text
    assert "Mot de bienvenue (Paul Gestionnaire, 10 min)" in text
    # Carried over to it: A2 and A4 (open).
    assert [i.description for i in page.context["carried"]] == [
        "Rencontrer le centre d'action bénévole",
        "Préparer l'enquête auprès des locataires",
    ]


def test_it_refuses_bad_meetings_with_french_messages(cz, login, personas):
    client = login(personas["organizer_a"])
    url = reverse("concertation:meeting-create", args=[cz["ele"].public_id])
    base = {**formset("agenda"), "start_time": "09:00"}
    cases = [
        (
            {"date": "2023-01-10", "place": "Lévis"},
            "La rencontre est datée avant la création du comité (le 15 février 2023).",
        ),
        ({"date": "2024-01-10"}, "Indiquez un lieu ou un lien de visioconférence."),
        (
            {"date": "2024-01-10", "place": "Lévis", "end_time": "08:00"},
            "L'heure de fin doit suivre l'heure de début.",
        ),
        ({"date": "2024-01-10", "video_link": "javascript:alert(1)"}, "Saisissez une URL valide."),
        ({"date": "hier", "place": "Lévis"}, "Saisissez une date valide."),
    ]
    for data, message in cases:
        response = client.post(url, {**base, **data})
        assert response.status_code == 200
        assert message in _text(response), data
    # A broken management form is a form error, not a server error.
    response = client.post(url, {"date": "2024-01-10", "place": "Lévis", "start_time": "09:00"})
    assert response.status_code == 200
    assert Meeting.objects.filter(committee=cz["ele"]).count() == 4


def test_it_records_attendance_of_the_members_active_that_day(cz, login, personas):
    client = login(personas["organizer_a"])
    m2 = cz["m2"]
    url = reverse("concertation:meeting-attendance", args=[m2.public_id])
    response = client.get(url)
    names = [row["member"].person_name for row in response.context["form"].rows]
    assert names == ["Paul Gestionnaire", "Olivia Organisatrice", "Lucie Fictive"]
    response = client.post(
        url,
        {
            f"m-{cz['lucie'].public_id}": "present",
            f"m-{cz['omh'].public_id}": "excused",
            f"m-{cz['organizer'].public_id}": "present",
            # Marc was not a member on 2023-09-15: his field does not exist and is ignored.
            f"m-{cz['marc'].public_id}": "present",
        },
    )
    assert response.status_code == 302
    recorded = dict(
        Attendance.objects.filter(meeting=m2).values_list("member__person_name", "status")
    )
    assert recorded == {
        "Lucie Fictive": "present",
        "Paul Gestionnaire": "excused",
        "Olivia Organisatrice": "present",
    }
    text = _text(client.get(reverse("concertation:meeting-detail", args=[m2.public_id])))
    assert "Présent·es : 2 · excusé·es : 1 · absent·es : 0" in text
    response = client.post(url, {f"m-{cz['lucie'].public_id}": "peut-être"})
    assert response.status_code == 200
    assert "Sélectionnez un choix valide" in _text(response)


def test_it_does_not_take_attendance_before_the_meeting(cz, login, personas):
    client = login(personas["organizer_a"])
    url = reverse("concertation:meeting-attendance", args=[cz["m4"].public_id])
    response = client.get(url)
    assert "n'a pas encore eu lieu" in _text(response)
    response = client.post(url, {f"m-{cz['marc'].public_id}": "present"})
    assert response.status_code == 200
    assert not Attendance.objects.exists()


def test_it_saves_minutes_and_ordered_decisions(cz, login, personas):
    client = login(personas["organizer_a"])
    m3 = cz["m3"]
    response = client.post(
        reverse("concertation:meeting-minutes-edit", args=[m3.public_id]),
        {
            "minutes": "Tour de table des milieux.\n\nPrésentation de l'enquête.",
            **formset(
                "decisions",
                {"text": "Adopter l'ordre du jour."},
                {"text": ""},
                {"text": "Tenir la prochaine rencontre en décembre."},
            ),
        },
    )
    assert response.status_code == 302
    m3.refresh_from_db()
    assert m3.minutes.startswith("Tour de table")
    assert list(Decision.objects.filter(meeting=m3).values_list("position", "text")) == [
        (1, "Adopter l'ordre du jour."),
        (2, "Tenir la prochaine rencontre en décembre."),
    ]


def test_it_adds_and_closes_action_items_from_the_meeting(cz, login, personas):
    client = login(personas["organizer_a"])
    m3 = cz["m3"]
    url = reverse("concertation:action-create", args=[m3.public_id])
    response = client.get(url)
    # Owners offered: the members on 2024-09-10 (not Lucie, whose mandate ended).
    owners = [o.person_name for o in response.context["form"].fields["owner"].queryset]
    assert owners == ["Marc Inventé", "Olivia Organisatrice", "Paul Gestionnaire"]
    response = client.post(
        url,
        {
            "description": "Réserver la salle",
            "owner": str(cz["marc"].public_id),
            "due_date": "2024-09-01",
        },
    )
    assert response.status_code == 200
    assert (
        "L'échéance précède la rencontre où l'action a été décidée (le 10 septembre 2024)."
        in _text(response)
    )
    response = client.post(
        url,
        {"description": "Réserver la salle", "owner": str(cz["lucie"].public_id)},
    )
    assert "Sélectionnez un choix valide" in _text(response)
    response = client.post(url, {"description": "Réserver la salle", "due_date": "2024-10-01"})
    assert "Indiquez qui est responsable" in _text(response)
    assert not ActionItem.objects.filter(description="Réserver la salle").exists()
    response = client.post(
        url,
        {
            "description": "Réserver la salle",
            "owner": str(cz["marc"].public_id),
            "due_date": "2024-10-01",
        },
    )
    assert response.status_code == 302
    item = ActionItem.objects.get(description="Réserver la salle")
    assert item.status == ActionStatus.OPEN
    assert (
        item
        in client.get(reverse("concertation:committee-detail", args=[cz["ele"].public_id])).context[
            "open_items"
        ]
    )
    # "Réalisé" from the committee page, back to it.
    committee_url = reverse("concertation:committee-detail", args=[cz["ele"].public_id])
    response = client.post(
        reverse("concertation:action-close", args=[item.public_id]), {"next": committee_url}
    )
    assert response["Location"] == committee_url
    item.refresh_from_db()
    assert (item.status, item.closed_on) == (ActionStatus.DONE, dt.date.today())
    # An outside "next" is ignored.
    response = client.post(
        reverse("concertation:action-close", args=[cz["a2"].public_id]),
        {"next": "https://evil.example/"},
    )
    assert response["Location"] == reverse("concertation:meeting-detail", args=[cz["m1"].public_id])


def test_it_edits_an_action_item_status(cz, login, personas):
    client = login(personas["coordination"])
    a2 = cz["a2"]
    url = reverse("concertation:action-edit", args=[a2.public_id])
    data = {
        "description": a2.description,
        "owner": str(cz["organizer"].public_id),
        "due_date": "2023-05-01",
    }
    response = client.post(url, {**data, "status": "dropped", "closed_on": "2023-02-01"})
    assert "Une action ne peut être réglée avant la rencontre" in _text(response)
    response = client.post(url, {**data, "status": "dropped", "closed_on": ""})
    assert response.status_code == 302
    a2.refresh_from_db()
    assert (a2.status, a2.closed_on) == (ActionStatus.DROPPED, dt.date.today())


# --------------------------------------------------------------------------- documents


def test_it_exports_the_minutes_to_word(held, cz, login, personas):
    response = login(personas["organizer_a"]).get(
        reverse("concertation:meeting-minutes-docx", args=[held.public_id])
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.wordprocessingml"
    )
    assert 'filename="compte-rendu-2024-09-10.docx"' in response["Content-Disposition"]
    paragraphs, tables = _docx_text(response.content)
    assert paragraphs[0] == "Compte rendu"
    assert "ÉLÉ de Lévis" in paragraphs
    assert "10 septembre 2024, de 13 h 30 à 15 h" in paragraphs
    assert "Visioconférence : https://meet.example.org/x" in paragraphs
    assert (
        "Présent·es (2) : Paul Gestionnaire (Office municipal d'habitation de Lévis), Marc Inventé"
        in paragraphs
    )
    assert "Excusé·es (1) : Olivia Organisatrice (CISSS de Chaudière-Appalaches)" in paragraphs
    assert "1. Mot de bienvenue (Paul Gestionnaire)" in paragraphs
    assert "2. Enquête auprès des locataires (45 min)" in paragraphs
    assert paragraphs.index("Tour de table.") + 1 == paragraphs.index(
        "L'enquête commencera en octobre."
    )
    assert "1. Adopter l'ordre du jour." in paragraphs
    assert "2. Lancer l'enquête en octobre." in paragraphs
    carried, decided = tables
    assert carried[0] == ["Action", "Responsable", "Échéance", "Statut"]
    assert carried[1:] == [
        [
            "Rencontrer le centre d'action bénévole",
            "Olivia Organisatrice",
            "1er mai 2023",
            "À faire",
        ]
    ]
    assert decided[1:] == [
        ["Préparer l'enquête auprès des locataires", "Marc Inventé", "1er décembre 2024", "À faire"]
    ]


def test_it_exports_the_agenda_to_word_in_french(held, cz, login, personas, client):
    client = login(personas["organizer_a"])
    client.cookies["django_language"] = "en"
    response = client.get(reverse("concertation:meeting-agenda-docx", args=[cz["m4"].public_id]))
    paragraphs, tables = _docx_text(response.content)
    assert paragraphs[0] == "Ordre du jour"
    assert "Aucun point inscrit." in paragraphs
    # Carried over to the upcoming meeting: A2 and A4, still open.
    assert [row[0] for row in tables[0][1:]] == [
        "Rencontrer le centre d'action bénévole",
        "Préparer l'enquête auprès des locataires",
    ]
    response = client.get(reverse("concertation:meeting-agenda-docx", args=[cz["m2"].public_id]))
    paragraphs, tables = _docx_text(response.content)
    # At M2, A1 was closed that very day: listed with its closing date.
    assert tables[0][1] == [
        "Inventorier les salles communautaires",
        "Paul Gestionnaire",
        "1er juin 2023",
        "Réalisé le 15 septembre 2023",
    ]


def test_it_prints_the_same_minutes_as_the_word_file(held, login, personas):
    client = login(personas["organizer_a"])
    response = client.get(reverse("concertation:meeting-minutes", args=[held.public_id]))
    text = _text(response)
    paragraphs, _tables = _docx_text(
        client.get(reverse("concertation:meeting-minutes-docx", args=[held.public_id])).content
    )
    for line in (
        "Présent·es (2) : Paul Gestionnaire (Office municipal d'habitation de Lévis), Marc Inventé",
        "10 septembre 2024, de 13 h 30 à 15 h",
        "Lancer l'enquête en octobre.",
    ):
        assert line in " ".join(paragraphs)
        assert line in text
    assert "concertation/concertation.css" in response.content.decode()


def test_it_shows_english_pages(held, login, personas, client):
    client = login(personas["organizer_a"])
    client.cookies["django_language"] = "en"
    response = client.get(reverse("concertation:meeting-detail", args=[held.public_id]))
    assert response.status_code == 200
    assert "1:30 PM" in _text(response)


def test_it_lists_the_expected_members_of_an_upcoming_meeting(cz, login, personas):
    client = login(personas["organizer_a"])
    response = client.get(reverse("concertation:meeting-detail", args=[cz["m4"].public_id]))
    text = _text(response)
    assert "Membres attendus" in text and "Noter les présences" not in text
    assert "Marc Inventé" in text and "Lucie Fictive" not in text
    response = client.get(reverse("concertation:meeting-detail", args=[cz["m2"].public_id]))
    text = _text(response)
    assert "Noter les présences" in text
    assert "Présent·es : 0 · excusé·es : 0 · absent·es : 0 · non noté : 3" in text
