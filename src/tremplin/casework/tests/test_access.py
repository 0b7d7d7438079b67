"""Who sees a case file: every case URL tried by every persona, anonymous included.

A worker reads and writes their own follow-ups, a supervisor their team's; anyone else gets
a 404 on every case URL (GET and POST), and the attempt on an existing file is logged as
``casework.forbidden_attempt`` with the person concerned.
"""

# ruff: noqa: F811 - the case_world fixture is imported, then requested by name

import uuid

import pytest
from django.urls import reverse

from tremplin.audit.models import AuditEntry
from tremplin.casework import permissions
from tremplin.casework.models import Consent, FollowUp, Intervention, Person, Referral

from .casefiles import case_world  # noqa: F401

OUTSIDERS = [
    "coordination",
    "organizer_a",
    "organizer_b",
    "housing_manager",
    "partner",
    "researcher",
    "privacy_officer",
    "no_role",
    "worker_b",
    "supervisor_b",
]
NON_CASEWORKERS = [p for p in OUTSIDERS if p not in ("worker_b", "supervisor_b")]


def object_urls(cw):
    """(URL name, the object's public id, object kind) of every case URL naming an object."""
    person, fu = cw["person_a"].public_id, cw["fu_a"].public_id
    return [
        ("casework:person-detail", person),
        ("casework:person-edit", person),
        ("casework:consent-create", person),
        ("casework:follow-up-open", person),
        ("casework:communication-create", person),
        ("casework:worker-bar", person),
        ("casework:consent-withdraw", cw["follow_up_consent_a"].public_id),
        ("casework:follow-up-close", fu),
        ("casework:follow-up-assign", fu),
        ("casework:referral-create", fu),
        ("casework:intervention-edit", cw["i2"].public_id),
        ("casework:referral-update", cw["referral_a"].public_id),
    ]


PAGE_URLS = [
    "casework:caseload",
    "casework:person-create",
    "casework:intervention-create",
    "casework:emergency-access",
]


def _snapshot():
    return {
        model.__name__: model.objects.count()
        for model in (Person, Consent, FollowUp, Intervention, Referral)
    } | {"withdrawn": Consent.objects.filter(withdrawn_on__isnull=False).count()}


@pytest.mark.parametrize("persona", OUTSIDERS)
def test_it_answers_404_on_every_case_url_of_someone_elses_file(
    persona, case_world, personas, login
):
    client = login(personas[persona])
    before = _snapshot()
    for name, public_id in object_urls(case_world):
        url = reverse(name, args=[public_id])
        assert client.get(url).status_code == 404, (persona, name, "GET")
        response = client.post(url, {"withdrawn_on": "2020-01-01", "outcome": "kept"})
        assert response.status_code == 404, (persona, name, "POST")
        # Forged form field on the fast entry: another worker's follow-up.
    forged = client.post(
        reverse("casework:intervention-create"),
        {
            "follow_up": str(case_world["fu_a"].public_id),
            "occurred_on": "2025-01-01",
            "type": "intake",
            "mode": "phone",
        },
    )
    assert forged.status_code == 404
    assert AuditEntry.objects.filter(
        action="casework.forbidden_attempt",
        user=personas[persona],
        object_id=str(case_world["fu_a"].public_id),
        data__target="followup",
        data__write=True,
    ).exists()
    assert (
        client.get(
            reverse("casework:intervention-create") + f"?suivi={case_world['fu_a'].public_id}"
        ).status_code
        == 404
    )
    assert _snapshot() == before
    attempts = AuditEntry.objects.filter(
        action="casework.forbidden_attempt", user=personas[persona]
    )
    # Every attempt on an existing record is logged with the person it is about.
    assert attempts.count() >= 2 * len(object_urls(case_world))
    assert set(attempts.values_list("subject_id", flat=True)) == {
        str(case_world["person_a"].public_id)
    }


@pytest.mark.parametrize("persona", NON_CASEWORKERS)
def test_it_answers_404_on_case_pages_to_roles_without_case_files(
    persona, case_world, personas, login
):
    client = login(personas[persona])
    for name in PAGE_URLS:
        assert client.get(reverse(name)).status_code == 404, (persona, name)
        assert client.post(reverse(name), {}).status_code == 404, (persona, name)


def test_it_redirects_anonymous_visitors_to_sign_in_without_revealing_a_file(case_world, client):
    for name, public_id in object_urls(case_world):
        real = client.get(reverse(name, args=[public_id]))
        fake_id = uuid.uuid4()
        fake = client.get(reverse(name, args=[fake_id]))
        assert real.status_code == fake.status_code == 302
        # Same answer for an existing file and a random identifier: only the URL differs.
        assert real["Location"].replace(str(public_id), "X") == fake["Location"].replace(
            str(fake_id), "X"
        )
        assert "/comptes/connexion/" in real["Location"]
        assert client.post(reverse(name, args=[public_id]), {}).status_code == 302
    for name in PAGE_URLS:
        assert client.get(reverse(name)).status_code == 302
    assert _snapshot()["Intervention"] == 3
    assert not AuditEntry.objects.filter(action="casework.person.read").exists()


def test_it_lets_the_worker_and_their_supervisor_open_every_page_of_the_file(
    case_world, personas, login
):
    for persona in ("worker_a", "supervisor_a"):
        client = login(personas[persona])
        for name, public_id in object_urls(case_world):
            if name == "casework:follow-up-assign" and persona == "worker_a":
                continue
            response = client.get(reverse(name, args=[public_id]))
            assert response.status_code == 200, (persona, name)
            assert "no-store" in response["Cache-Control"], name
        for name in PAGE_URLS:
            assert client.get(reverse(name)).status_code == 200, (persona, name)


def test_it_keeps_the_assignment_page_for_supervisors(case_world, personas, login):
    client = login(personas["worker_a"])
    url = reverse("casework:follow-up-assign", args=[case_world["fu_a"].public_id])
    assert client.get(url).status_code == 404


def test_it_answers_404_for_a_malformed_or_unknown_identifier(case_world, personas, login):
    client = login(personas["worker_a"])
    assert client.get("/suivis/personnes/12/").status_code == 404
    assert client.get(f"/suivis/personnes/{uuid.uuid4()}/").status_code == 404
    response = client.get(reverse("casework:intervention-create") + "?suivi=pas-un-uuid")
    assert response.status_code == 200


def test_it_hides_a_file_from_a_worker_the_person_barred_even_when_assigned(
    case_world, personas, login
):
    from tremplin.casework import services

    wa = personas["worker_a"]
    person = case_world["person_a"]
    services.worker_bar(user=personas["supervisor_a"], person=person, worker=wa)
    client = login(wa)
    assert client.get(reverse("casework:person-detail", args=[person.public_id])).status_code == 404
    caseload = client.get(reverse("casework:caseload"))
    assert "Fictive" not in caseload.content.decode()
    # The supervisor still sees it and can reassign.
    client = login(personas["supervisor_a"])
    assert client.get(reverse("casework:person-detail", args=[person.public_id])).status_code == 200
    assert AuditEntry.objects.filter(
        action="casework.forbidden_attempt", user=wa, subject_id=str(person.public_id)
    ).exists()


def test_it_gives_each_worker_only_their_own_follow_ups(case_world, personas):
    wa, wb = personas["worker_a"], personas["worker_b"]
    assert set(permissions.follow_ups_in_scope(wa)) == {case_world["fu_a"]}
    assert set(permissions.follow_ups_in_scope(wb)) == {case_world["fu_b"]}
    assert set(permissions.persons_in_scope(personas["supervisor_a"])) == {case_world["person_a"]}
    for persona in NON_CASEWORKERS:
        assert not permissions.follow_ups_in_scope(personas[persona]).exists()
        assert not permissions.persons_in_scope(personas[persona]).exists()


def test_it_shows_a_new_file_to_its_creator_at_once(world, personas, login):
    client = login(personas["worker_b"])
    response = client.post(
        reverse("casework:person-create"),
        {
            "first_name": "Lucie",
            "last_name": "Imaginaire",
            "birth_year": "1961",
            "building": world["building_b"].pk,
            "preferred_language": "fr",
            "household": "alone",
            "consent_mode": "verbal",
            "consent_given_on": "2026-01-05",
            "started_on": "2026-01-05",
            "reasons": ["isolation", "food"],
            "notice_acknowledged": "on",
        },
    )
    person = Person.objects.get(last_name="Imaginaire")
    assert response.status_code == 302
    assert response["Location"] == reverse("casework:person-detail", args=[person.public_id])
    assert client.get(response["Location"]).status_code == 200
    follow_up = person.follow_ups.get()
    assert list(follow_up.workers.all()) == [personas["worker_b"]]
    assert follow_up.territory == world["tb"]
    # Not visible to the other territory's worker or supervisor.
    assert not permissions.persons_in_scope(personas["worker_a"]).filter(pk=person.pk)
    assert not permissions.persons_in_scope(personas["supervisor_a"]).filter(pk=person.pk)
    assert permissions.persons_in_scope(personas["supervisor_b"]).filter(pk=person.pk).exists()
