"""Who reaches the privacy pages: each other role, and an anonymous visitor, gets a 404 on
every page and export (and changes nothing); the allowed roles get the page, never cached."""

import pytest
from django.urls import reverse

from tremplin.audit.models import AuditEntry
from tremplin.casework.models import ConfidentialityIncident, Person
from tremplin.conftest import all_personas_but

from .test_privacy_support import (
    make_consent,
    make_follow_up,
    make_person,
    privacy_officer_urls,
    research_urls,
    stats_urls,
)

RESEARCH_ROLES = {"researcher", "privacy_officer"}
STATS_ROLES = {"coordination", "supervisor_a", "supervisor_b", "privacy_officer"}


@pytest.fixture
def objects(world, personas):
    person = make_person(world)
    make_follow_up(person, personas["worker_a"])
    make_consent(person, personas["worker_a"], "research")
    incident = ConfidentialityIncident.objects.create(
        discovered_on="2024-05-01",
        description="Courriel envoyé au mauvais destinataire",
        information_involved="Coordonnées",
        recorded_by=personas["privacy_officer"],
    )
    return {"person": person, "incident": incident}


def _request(client, method, url):
    if method == "post":
        return client.post(
            url,
            {"first_name": "Forgé", "last_name": "Forgé", "reason": "x", "description": "x"},
        )
    return client.get(url)


def _assert_all_404(client, urls, who):
    before = AuditEntry.objects.count()
    for method, url in urls:
        response = _request(client, method, url)
        assert response.status_code == 404, f"{who} {method.upper()} {url}: {response.status_code}"
    assert AuditEntry.objects.count() == before, f"{who} left journal entries"


@pytest.mark.parametrize("who", all_personas_but("privacy_officer"))
def test_it_answers_404_to_every_other_role_on_every_privacy_page(login, personas, objects, who):
    client = login(personas[who])
    _assert_all_404(client, privacy_officer_urls(objects["person"], objects["incident"]), who)
    person = Person.objects.get(pk=objects["person"].pk)
    assert (person.first_name, person.last_name) == ("Jeanne", "Tremblay")
    assert ConfidentialityIncident.objects.count() == 1


def test_it_answers_404_to_an_anonymous_visitor_everywhere(client, objects):
    urls = privacy_officer_urls(objects["person"], objects["incident"])
    _assert_all_404(client, urls + research_urls() + stats_urls(), "anonymous")


@pytest.mark.parametrize("who", all_personas_but(*RESEARCH_ROLES))
def test_it_keeps_the_research_export_from_other_roles(login, personas, objects, who):
    _assert_all_404(login(personas[who]), research_urls(), who)


@pytest.mark.parametrize("who", all_personas_but(*STATS_ROLES))
def test_it_keeps_the_counts_from_other_roles(login, personas, objects, who):
    _assert_all_404(login(personas[who]), stats_urls(), who)


def test_it_serves_every_page_to_the_privacy_officer_never_cached(login, personas, objects):
    client = login(personas["privacy_officer"])
    urls = privacy_officer_urls(objects["person"], objects["incident"])
    for _method, url in [u for u in urls if u[0] == "get"] + research_urls() + stats_urls():
        response = client.get(url)
        assert response.status_code == 200, url
        assert "no-store" in response["Cache-Control"], url


@pytest.mark.parametrize("who", sorted(RESEARCH_ROLES))
def test_it_serves_the_research_export_to_researchers_and_the_officer(
    login, personas, objects, who
):
    client = login(personas[who])
    for _method, url in research_urls():
        response = client.get(url)
        assert response.status_code == 200, url
        assert "no-store" in response["Cache-Control"]


@pytest.mark.parametrize("who", sorted(STATS_ROLES))
def test_it_serves_the_counts_to_coordination_supervisors_and_the_officer(
    login, personas, objects, who
):
    response = login(personas[who]).get(reverse("casework:privacy-stats"))
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]


def test_it_answers_404_for_unknown_records_and_formats(login, personas, objects):
    import uuid

    client = login(personas["privacy_officer"])
    pid = objects["person"].public_id
    for url in [
        reverse("casework:privacy-person", args=[uuid.uuid4()]),
        reverse("casework:privacy-person-export", args=[uuid.uuid4(), "pdf"]),
        reverse("casework:privacy-person-export", args=[pid, "docx"]),
        reverse("casework:privacy-person-rectify", args=[uuid.uuid4()]),
        reverse("casework:privacy-incident-edit", args=[uuid.uuid4()]),
        reverse("casework:privacy-research-export", args=["pdf"]),
    ]:
        assert client.get(url).status_code == 404, url
    for name, field in [
        ("casework:privacy-emergency-review", "acces"),
        ("casework:privacy-bulk-review", "entree"),
    ]:
        for value in ["", "abc", "999999"]:
            assert client.post(reverse(name), {field: value}).status_code == 404


def test_it_answers_405_to_a_get_on_review_endpoints(login, personas, objects):
    client = login(personas["privacy_officer"])
    assert client.get(reverse("casework:privacy-emergency-review")).status_code == 405
    assert client.get(reverse("casework:privacy-bulk-review")).status_code == 405
