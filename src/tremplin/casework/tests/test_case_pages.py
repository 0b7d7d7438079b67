"""Case pages: the caseload (overdue first, search, team view), the person file (time order,
everything in it), the fast entry, the resource directory — and their query counts."""

# ruff: noqa: F811 - the case_world fixture is imported, then requested by name

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tremplin.audit.models import AuditEntry
from tremplin.casework.models import (
    Consent,
    FollowUp,
    Intervention,
    Person,
    Referral,
    Resource,
    ResourceCategory,
)
from tremplin.casework.selectors import FILE_INTERVENTIONS
from tremplin.casework.services import follow_up_refresh
from tremplin.core.text import fold

from .casefiles import add_intervention, case_world, days_ago, make_file, make_resource  # noqa: F401

MAX_QUERIES = 25


def _text(response):
    return response.content.decode()


# --------------------------------------------------------------------------- caseload


def test_it_lists_overdue_next_steps_first(world, personas, login):
    wa = personas["worker_a"]
    building = world["building_a"]
    _p1, later = make_file(wa, first="Alice", last="Plustard", building=building)
    _p2, overdue_old = make_file(wa, first="Bruno", last="Enretard", building=building)
    _p3, none = make_file(wa, first="Chloé", last="Sansetape", building=building)
    _p4, overdue_new = make_file(wa, first="Denis", last="Aussiretard", building=building)
    add_intervention(later, wa, on=days_ago(3), next_step_on=days_ago(-10))
    add_intervention(overdue_old, wa, on=days_ago(30), next_step_on=days_ago(20))
    add_intervention(none, wa, on=days_ago(3))
    add_intervention(overdue_new, wa, on=days_ago(9), next_step_on=days_ago(2))
    response = login(wa).get(reverse("casework:caseload"))
    text = _text(response)
    order = [text.index(name) for name in ("Enretard", "Aussiretard", "Plustard", "Sansetape")]
    assert order == sorted(order)
    assert text.count("En retard</span>") == 2
    assert "2 prochaines étapes en retard" in text
    assert "no-store" in response["Cache-Control"]


def test_it_searches_by_name_within_the_caseload_only(case_world, personas, login):
    client = login(personas["worker_a"])
    text = _text(client.get(reverse("casework:caseload"), {"q": "fictive"}))
    assert "Marie Fictive" in text
    text = _text(client.get(reverse("casework:caseload"), {"q": "invente"}))
    assert "Paul" not in text
    assert "Aucun suivi de votre charge ne correspond à ce nom." in text
    # A closed follow-up is found by name, not listed by default.
    fu = case_world["fu_a"]
    FollowUp.objects.filter(pk=fu.pk).update(status="closed", closed_on=days_ago(1), outcome="kept")
    assert "Marie Fictive" not in _text(client.get(reverse("casework:caseload")))
    assert "Marie Fictive" in _text(client.get(reverse("casework:caseload"), {"q": "MARIE"}))
    # Bad input: an unknown status or an overlong search is ignored, never an error.
    response = client.get(reverse("casework:caseload"), {"q": "marie", "status": "x" * 50})
    assert response.status_code == 200 and "Marie Fictive" in _text(response)
    assert (
        client.get(reverse("casework:caseload"), {"q": "é" * 500, "page": "-3"}).status_code == 200
    )


def test_it_shows_a_supervisor_their_teams_follow_ups_with_workers(case_world, personas, login):
    text = _text(login(personas["supervisor_a"]).get(reverse("casework:caseload")))
    assert "Suivis de mon équipe" in text
    assert "Marie Fictive" in text and "worker_a" in text
    assert "Paul" not in text


# --------------------------------------------------------------------------- person file


def test_it_shows_the_whole_file_in_time_order_and_logs_the_read(case_world, personas, login):
    client = login(personas["worker_a"])
    person = case_world["person_a"]
    response = client.get(reverse("casework:person-detail", args=[person.public_id]))
    text = _text(response)
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    for expected in (
        "Marie Fictive",
        "25, rue Saint-Louis",
        "Isolement",
        "Première rencontre.",
        "Appel de suivi.",
        "Comptoir alimentaire de Lévis",
        "Nom et besoin d&#x27;un panier",
        "Communication à un organisme partenaire",
        "Aucun refus.",
    ):
        assert expected in text, expected
    assert text.index("Première rencontre.") < text.index("Appel de suivi.")
    entry = AuditEntry.objects.get(action="casework.person.read")
    assert entry.user == personas["worker_a"]
    assert entry.subject_id == str(person.public_id)
    assert entry.data["follow_ups"] == [str(case_world["fu_a"].public_id)]
    assert entry.ip_address == "127.0.0.1"


def test_it_shows_only_the_follow_ups_in_scope_and_says_others_exist(case_world, personas, login):
    person = case_world["person_a"]
    # Worker B opens a second follow-up for the same person (e.g. after a move).
    from tremplin.casework import services

    consent = Consent.objects.create(person=person, kind="follow_up", mode="verbal",
                                     given_on=days_ago(5), recorded_by=personas["worker_b"])  # fmt: skip
    fu = FollowUp.objects.create(person=person, consent=consent, territory=person.territory,
                                 started_on=days_ago(5), reasons="food")  # fmt: skip
    fu.workers.set([personas["worker_b"]])
    add_intervention(fu, personas["worker_b"], on=days_ago(4), note="Note de B.")
    text = _text(login(personas["worker_a"]).get(
        reverse("casework:person-detail", args=[person.public_id])))  # fmt: skip
    assert "Note de B." not in text
    assert "1 autre suivi de cette personne est tenu par une autre équipe." in text
    assert services  # imported for clarity of the scenario


@pytest.fixture
def big_load(world, personas):
    """worker_a: 120 open follow-ups (3 interventions each); one person with 3 follow-ups of
    40 interventions, 10 referrals, 5 consents and 5 communications."""
    wa = personas["worker_a"]
    territory, building = world["ta"], world["building_a"]
    today = timezone.localdate()
    persons = Person.objects.bulk_create(
        [
            Person(
                first_name=f"Prénom{i}",
                last_name=f"Charge{i:03d}",
                name_key=fold(f"Charge{i:03d} Prénom{i}"),
                territory=territory,
                building=building,
                birth_year=1950 + i % 40,
                is_demo=True,
            )  # fmt: skip
            for i in range(121)
        ]
    )
    consents = Consent.objects.bulk_create(
        [
            Consent(
                person=p,
                kind="follow_up",
                mode="verbal",
                given_on=today - dt.timedelta(days=400),
                recorded_by=wa,
            )
            for p in persons
        ]  # fmt: skip
    )
    follow_ups = []
    for i, (p, c) in enumerate(zip(persons, consents, strict=True)):
        for k in range(3 if i == 0 else 1):
            follow_ups.append(FollowUp(person=p, consent=c, territory=territory,
                                       started_on=today - dt.timedelta(days=300 + k),
                                       reasons="isolation,food", goals="Objectif"))  # fmt: skip
    follow_ups = FollowUp.objects.bulk_create(follow_ups)
    FollowUp.workers.through.objects.bulk_create(
        [FollowUp.workers.through(followup_id=f.pk, user_id=wa.pk) for f in follow_ups]
    )
    interventions = []
    for f in follow_ups:
        n = 40 if f.person_id == persons[0].pk else 3
        for j in range(n):
            interventions.append(Intervention(follow_up=f, occurred_on=today - dt.timedelta(days=250 - j),
                                              type="information", mode="phone", note=f"Note {j}",
                                              next_step_on=today - dt.timedelta(days=j % 3),
                                              created_by=wa))  # fmt: skip
    Intervention.objects.bulk_create(interventions)
    follow_up_refresh([f.pk for f in follow_ups])
    resource = make_resource("Ressource de test", territory)
    first = [f for f in follow_ups if f.person_id == persons[0].pk]
    Referral.objects.bulk_create(
        [
            Referral(
                follow_up=first[k % 3],
                resource=resource,
                referred_on=today - dt.timedelta(days=200),
                reason="r",
                created_by=wa,
            )
            for k in range(10)
        ]  # fmt: skip
    )
    sharing = [Consent.objects.create(person=persons[0], kind="sharing", organization=f"Org {k}",
                                      mode="written", given_on=today - dt.timedelta(days=300),
                                      recorded_by=wa) for k in range(4)]  # fmt: skip
    from tremplin.casework.models import Communication

    Communication.objects.bulk_create(
        [
            Communication(
                person=persons[0],
                consent=sharing[k % 4],
                recipient=f"Org {k % 4}",
                what="w",
                why="y",
                shared_on=today - dt.timedelta(days=100),
                recorded_by=wa,
            )
            for k in range(5)
        ]  # fmt: skip
    )
    return persons


def _count(client, url, params=None):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, params or {})
    assert response.status_code == 200, url
    return len(ctx.captured_queries), response


def test_it_renders_the_caseload_and_a_big_file_within_25_queries(
    big_load, case_world, personas, login, django_assert_max_num_queries
):
    client = login(personas["worker_a"])
    caseload = reverse("casework:caseload")
    big_file = reverse("casework:person-detail", args=[big_load[0].public_id])
    small_file = reverse("casework:person-detail", args=[case_world["person_a"].public_id])
    client.get(caseload)  # warm-up (session, translations)
    with django_assert_max_num_queries(MAX_QUERIES):
        response = client.get(caseload)
    assert response.status_code == 200
    assert _text(response).count("<tr>") - 1 == 50  # one full page of 122 follow-ups
    with django_assert_max_num_queries(MAX_QUERIES):
        response = client.get(big_file)
    # Each of the 3 follow-ups of 40 shows its latest interventions and links to all of them
    # (test_intervention_list.py pages through them).
    assert _text(response).count("Note ") == 3 * FILE_INTERVENTIONS
    assert _text(response).count("dernières interventions sur 40.") == 3
    # Constant: the big file costs what the small one does, page 3 what page 1 does.
    assert _count(client, big_file)[0] == _count(client, small_file)[0]
    assert _count(client, caseload, {"page": "3"})[0] == _count(client, caseload)[0]
    supervisor = login(personas["supervisor_a"])
    with django_assert_max_num_queries(MAX_QUERIES):
        assert supervisor.get(caseload).status_code == 200
    with django_assert_max_num_queries(MAX_QUERIES):
        assert supervisor.get(big_file).status_code == 200


def test_it_lists_only_open_follow_ups_of_the_worker_on_the_fast_entry(case_world, personas, login):
    client = login(personas["worker_a"])
    text = _text(client.get(reverse("casework:intervention-create")))
    assert "Marie Fictive" in text and "Paul" not in text
    url = reverse("casework:intervention-create") + f"?suivi={case_world['fu_a'].public_id}"
    text = _text(client.get(url))
    assert f'value="{case_world["fu_a"].public_id}" selected' in text


# --------------------------------------------------------------------------- resources


@pytest.mark.parametrize(
    "persona",
    ["coordination", "organizer_a", "worker_a", "supervisor_b", "housing_manager", "partner",
     "researcher", "privacy_officer"],
)  # fmt: skip
def test_it_lets_every_member_read_the_resource_directory(persona, case_world, personas, login):
    text = _text(login(personas[persona]).get(reverse("casework:resource-list")))
    assert "Comptoir alimentaire de Lévis" in text and "Centre de crise régional" in text


def test_it_hides_the_resource_directory_from_users_without_a_role(
    case_world, personas, login, client
):
    assert client.get(reverse("casework:resource-list")).status_code == 302
    assert login(personas["no_role"]).get(reverse("casework:resource-list")).status_code == 404


def test_it_filters_resources_by_territory_category_and_name(case_world, personas, login, world):
    client = login(personas["organizer_b"])
    url = reverse("casework:resource-list")
    text = _text(client.get(url, {"territory": "beauce"}))
    assert "Saint-Georges" in text and "Centre de crise régional" in text  # regional included
    assert "Comptoir alimentaire de Lévis" not in text
    text = _text(client.get(url, {"category": "crisis"}))
    assert "Centre de crise" in text and "Comptoir" not in text
    text = _text(client.get(url, {"q": "levis"}))
    assert "Comptoir alimentaire de Lévis" in text and "Saint-Georges" not in text
    assert "<strong>1</strong> ressource<" in text
    # Bad input: an unknown territory or category is ignored with the form's message.
    response = client.get(url, {"territory": "atlantide", "category": "x"})
    assert response.status_code == 200


@pytest.mark.parametrize("persona", ["coordination", "supervisor_a"])
def test_it_lets_coordination_and_supervisors_edit_resources(persona, case_world, personas, login):
    client = login(personas[persona])
    response = client.post(reverse("casework:resource-create"), {
        "name": "Aide juridique de Montmagny", "category": "legal", "phone": "418 555-0100",
        "website": "aidejuridique.example", "is_active": "on"})  # fmt: skip
    assert response.status_code == 302
    resource = Resource.objects.get(name="Aide juridique de Montmagny")
    assert resource.name_key == "aide juridique de montmagny"
    assert resource.website == "https://aidejuridique.example"
    url = reverse("casework:resource-edit", args=[resource.public_id])
    response = client.post(url, {"name": "", "category": "legal"})
    assert "Ce champ est obligatoire." in _text(response)
    assert AuditEntry.objects.filter(action="casework.resource.create").count() == 1


@pytest.mark.parametrize("persona", ["organizer_a", "worker_a", "partner", "privacy_officer"])
def test_it_answers_404_to_others_on_resource_edit_pages(persona, case_world, personas, login):
    client = login(personas[persona])
    assert client.get(reverse("casework:resource-create")).status_code == 404
    url = reverse("casework:resource-edit", args=[case_world["food_a"].public_id])
    assert client.post(url, {"name": "Pirate", "category": "food"}).status_code == 404
    assert not Resource.objects.filter(name="Pirate").exists()


def test_it_hides_inactive_resources_from_readers_and_referrals(case_world, personas, login):
    Resource.objects.filter(pk=case_world["crisis"].pk).update(is_active=False)
    assert "Centre de crise" not in _text(
        login(personas["worker_a"]).get(reverse("casework:resource-list")))  # fmt: skip
    assert "Centre de crise" in _text(
        login(personas["coordination"]).get(reverse("casework:resource-list")))  # fmt: skip
    assert ResourceCategory.CRISIS == "crisis"
