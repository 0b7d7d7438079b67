"""The global search (/recherche/) and its suggestions: each group holds what the user's list
of that kind holds, and every other role's attempt reveals nothing, not even a count."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from tremplin.casework.tests.casefiles import make_file
from tremplin.concertation.models import Committee, CommitteeKind
from tremplin.events.tests.conftest import make_event
from tremplin.partners.models import Partner, PartnerKind
from tremplin.projects.models import Project, ProjectKind
from tremplin.testing.once import rolled_back

pytestmark = pytest.mark.django_db
URL = reverse("search:results")
SUGGEST = reverse("search:suggestions")

TITLES = {
    "project": "Cuisine Zéphyr",
    "event": "Atelier Zéphyr",
    "committee": "Comité Zéphyr",
    "partner": "Fondation Zéphyr",
    "person": "Zéphyrine Fictive",
}
HEADINGS = {
    "provider": "Organismes",
    "building": "Immeubles",
    "project": "Projets",
    "event": "Événements",
    "committee": "Comités",
    "partner": "Partenaires",
    "person": "Personnes suivies",
}


def _text(response) -> str:
    assert response.status_code == 200
    return response.content.decode().replace("<mark>", "").replace("</mark>", "")


def make_records(world, personas):
    """One "Zéphyr" of each kind in territory A (and a building named so), none elsewhere."""
    world["building_a"].__class__.objects.filter(pk=world["building_a"].pk).update(
        name="Résidence Zéphyr"
    )
    Project.objects.create(title=TITLES["project"], kind=ProjectKind.LEISURE)
    make_event(
        title=TITLES["event"],
        stops=[(world["levis"], timezone.now() + dt.timedelta(days=5))],
    )
    committee = Committee.objects.create(
        name=TITLES["committee"],
        kind=CommitteeKind.WORKING_GROUP,
        region=world["region"],
        start_date=dt.date(2020, 1, 1),
    )
    committee.territories.set([world["ta"]])
    Partner.objects.create(name=TITLES["partner"], kind=PartnerKind.OTHER)
    make_file(personas["worker_a"], first="Zéphyrine", building=world["building_a"])


@pytest.fixture(scope="module")
def _records_once(_world_once, _personas_once, django_db_blocker):
    # Made once for the module, like world and personas (tremplin.testing.once).
    with django_db_blocker.unblock(), rolled_back():
        make_records(_world_once, _personas_once)
        yield


@pytest.fixture
def records(_records_once, world, personas):
    return None


# role → kinds found. Projects and the directory: every program role; events: coordination
# and the organizers of the event's territories; committees: the coordination and the
# organizers covering it; partners: who reads funding, a partner only its own; persons: the
# worker assigned and their supervisor.
EXPECTED = {
    "coordination": {"building", "project", "event", "committee", "partner"},
    "organizer_a": {"building", "project", "event", "committee", "partner"},
    "organizer_b": {"building", "project", "partner"},
    "worker_a": {"building", "project", "person"},
    "supervisor_a": {"building", "project", "person"},
    "worker_b": {"building", "project"},
    "supervisor_b": {"building", "project"},
    "privacy_officer": {"building", "project"},
    "housing_manager": {"building", "project"},
    "partner": {"building", "project"},
    "researcher": {"building", "project"},
}


@pytest.mark.parametrize("role", sorted(EXPECTED))
def test_it_shows_each_role_only_what_its_lists_show(records, personas, login, role):
    client = login(personas[role])
    for url in (URL, SUGGEST):
        html = _text(client.get(url, {"q": "zephyr"}))
        for kind, title in TITLES.items():
            assert (title in html) == (kind in EXPECTED[role]), (url, kind)
        assert ("Résidence" in html) == ("building" in EXPECTED[role])
    html = _text(client.get(URL, {"q": "zephyr"}))
    for kind, heading in HEADINGS.items():
        # A group without a visible match has no heading and no count.
        assert (f">{heading}\n" in html) == (kind in EXPECTED[role]), kind


def test_it_answers_404_without_a_role_and_asks_to_sign_in(records, personas, login, client):
    assert login(personas["no_role"]).get(URL, {"q": "zephyr"}).status_code == 404
    assert login(personas["no_role"]).get(SUGGEST, {"q": "zephyr"}).status_code == 404
    client.logout()
    assert client.get(URL, {"q": "zephyr"}).status_code == 302


def test_it_counts_marks_and_links_to_the_records(records, personas, login):
    client = login(personas["coordination"])
    response = client.get(URL, {"q": "cuisine zeph"})
    html = response.content.decode()
    project = Project.objects.get(title=TITLES["project"])
    assert reverse("projects:project-detail", args=[project.public_id]) in html
    assert "<mark>Cuisine</mark> <mark>Zéphyr</mark>" in html
    assert [g["group"].kind for g in response.context["groups"] if g["hits"]] == ["project"]
    assert response.context["groups"][2]["total"] == 1
    # The header's box is on every staff page.
    assert 'role="combobox"' in html and "search/search.js" in html


@pytest.mark.parametrize("text", ["%", "\"'", "NEAR *", "x" * 10_000, "🏠", "' OR 1=1 --", "   "])
def test_it_answers_bad_input_with_results_or_nothing(records, personas, login, text):
    client = login(personas["coordination"])
    assert client.get(URL, {"q": text}).status_code == 200
    assert client.get(SUGGEST, {"q": text}).status_code == 200


def test_it_keeps_the_query_count_constant(records, personas, login, django_assert_max_num_queries):
    client = login(personas["worker_a"])
    with django_assert_max_num_queries(25):
        client.get(URL, {"q": "zephyr"})


def test_the_committee_and_partner_lists_search_within_what_they_show(records, personas, login):
    committees = reverse("concertation:committee-list")
    partners = reverse("partners:partner-list")
    coordination = login(personas["coordination"])
    assert "Comité Zéphyr" in _text(coordination.get(committees, {"q": "zéph"}))
    assert "Comité Zéphyr" not in _text(coordination.get(committees, {"q": "zéph autre"}))
    assert "Fondation Zéphyr" in _text(coordination.get(partners, {"q": "FONDATION zephyr"}))
    assert "Fondation Zéphyr" not in _text(coordination.get(partners, {"q": "fondation nord"}))
    # Organizer B does not read the committee of territory A, searched or not.
    assert "Comité Zéphyr" not in _text(
        login(personas["organizer_b"]).get(committees, {"q": "zephyr"})
    )
