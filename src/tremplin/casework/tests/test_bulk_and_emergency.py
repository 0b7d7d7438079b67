"""The bulk-reading limit and emergency access ("bris de verre")."""

# ruff: noqa: F811 - the case_world fixture is imported, then requested by name

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from tremplin.audit.models import AuditEntry
from tremplin.casework import selectors, services
from tremplin.casework.models import EmergencyAccess, Intervention

from .casefiles import case_world, days_ago, make_file, open_file, some_files  # noqa: F401

# --------------------------------------------------------------------------- bulk reading


@pytest.fixture
def five_files(world, personas):
    return some_files(personas["worker_a"], world["building_a"], 5)


def test_it_reads_the_hourly_limit_from_the_settings_with_a_default_of_60(settings):
    del settings.TREMPLIN_CASEWORK_HOURLY_FILE_LIMIT
    assert selectors.hourly_file_limit() == 60
    settings.TREMPLIN_CASEWORK_HOURLY_FILE_LIMIT = 7
    assert selectors.hourly_file_limit() == 7


def test_it_blocks_the_file_after_the_limit_and_flags_it(five_files, personas, login, settings):
    settings.TREMPLIN_CASEWORK_HOURLY_FILE_LIMIT = 3
    wa = personas["worker_a"]
    client = login(wa)
    for person in five_files[:3]:
        assert open_file(client, person).status_code == 200
    blocked = open_file(client, five_files[3])
    assert blocked.status_code == 429
    text = blocked.content.decode()
    assert "Consultation suspendue" in text
    assert "plus de 3 dossiers différents" in text
    assert "Fictive" not in text
    assert "no-store" in blocked["Cache-Control"]
    entry = AuditEntry.objects.get(action="casework.bulk_read.blocked")
    assert entry.user == wa
    assert entry.subject_id == str(five_files[3].public_id)
    assert entry.data["flag"] is True and entry.data["limit"] == 3
    # Reopening a file already opened within the hour is not a new file.
    assert open_file(client, five_files[0]).status_code == 200
    # Other reads count too (the intervention form shows a note).
    # The count is of distinct persons: 3 reads + 1 reopen, one block.
    reads = AuditEntry.objects.filter(user=wa, action="casework.person.read")
    assert reads.count() == 4
    assert len(set(reads.values_list("subject_id", flat=True))) == 3


def test_it_counts_only_the_last_hour(five_files, personas, login, settings, monkeypatch):
    settings.TREMPLIN_CASEWORK_HOURLY_FILE_LIMIT = 2
    client = login(personas["worker_a"])
    for person in five_files[:2]:
        assert open_file(client, person).status_code == 200
    assert open_file(client, five_files[2]).status_code == 429

    class LaterClock:
        """The selectors' clock, 61 minutes on: the first reads are out of the window."""

        @staticmethod
        def now():
            return timezone.now() + dt.timedelta(minutes=61)

        localdate = staticmethod(timezone.localdate)

    monkeypatch.setattr(selectors.access, "timezone", LaterClock)
    assert open_file(client, five_files[2]).status_code == 200


def test_it_counts_intervention_reads_towards_the_limit(case_world, personas, login, settings):
    settings.TREMPLIN_CASEWORK_HOURLY_FILE_LIMIT = 1
    client = login(personas["worker_a"])
    url = reverse("casework:intervention-edit", args=[case_world["i2"].public_id])
    assert client.get(url).status_code == 200
    wa = personas["worker_a"]
    other, _fu = make_file(wa, first="Autre", building=case_world["person_a"].building)
    assert open_file(client, other).status_code == 429
    assert open_file(client, case_world["person_a"]).status_code == 200


# --------------------------------------------------------------------------- emergency access


def _request(client, **fields):
    data = {
        "first_name": "marie",
        "last_name": "FICTIVE",
        "birth_year": "1950",
        "reason": "Appel de crise de la personne, son intervenant est absent aujourd'hui.",
    }
    data.update(fields)
    return client.post(reverse("casework:emergency-access"), data)


def test_it_grants_a_four_hour_read_only_emergency_access_with_a_reason(
    case_world, personas, login
):
    wb = personas["worker_b"]
    person = case_world["person_a"]
    client = login(wb)
    file_url = reverse("casework:person-detail", args=[person.public_id])
    assert client.get(file_url).status_code == 404
    response = _request(client)
    assert response.status_code == 302 and response["Location"] == file_url
    access = EmergencyAccess.objects.get(user=wb, person=person)
    hours = (access.expires_at - access.created_at).total_seconds() / 3600
    assert round(hours, 2) == 4
    page = client.get(file_url)
    assert page.status_code == 200
    text = page.content.decode()
    assert (
        "Accès d&#x27;urgence, en lecture seule" in text
        or "Accès d'urgence, en lecture seule" in text
    )
    assert "Première rencontre." in text
    assert reverse("casework:intervention-create") + "?suivi" not in text
    # Read-only: every write URL stays 404.
    for name, public_id in (
        ("casework:person-edit", person.public_id),
        ("casework:consent-create", person.public_id),
        ("casework:follow-up-close", case_world["fu_a"].public_id),
        ("casework:intervention-edit", case_world["i2"].public_id),
    ):
        assert client.get(reverse(name, args=[public_id])).status_code == 404
    entry = AuditEntry.objects.get(action="casework.emergency_access.create")
    assert entry.user == wb and entry.subject_id == str(person.public_id)
    assert entry.data["flag"] is True and entry.data["hours"] == 4
    assert "crise" not in str(entry.data)
    read = AuditEntry.objects.filter(action="casework.person.read", user=wb).last()
    assert read.data["emergency_access"] is True
    # Listed on the caseload while it runs.
    assert "Fictive" in client.get(reverse("casework:caseload")).content.decode()


def test_it_ends_the_emergency_access_after_its_time(case_world, personas, login):
    wb = personas["worker_b"]
    client = login(wb)
    _request(client)
    EmergencyAccess.objects.update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    url = reverse("casework:person-detail", args=[case_world["person_a"].public_id])
    assert client.get(url).status_code == 404


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"reason": "urgence"}, "au moins 20 caractères"),
        ({"reason": ""}, "Ce champ est obligatoire."),
        ({"birth_year": "1951"}, "Aucun dossier ne correspond exactement"),
        ({"last_name": "Fict"}, "Aucun dossier ne correspond exactement"),
        ({"birth_year": "abc"}, "Saisissez un nombre entier."),
    ],
)
def test_it_refuses_an_emergency_access_without_reason_or_exact_match(
    fields, message, case_world, personas, login
):
    client = login(personas["worker_b"])
    response = _request(client, **fields)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not EmergencyAccess.objects.exists()
    assert AuditEntry.objects.filter(action="casework.emergency_access.refused").exists()


def test_it_asks_for_the_building_when_two_files_match(case_world, personas, world, login):
    make_file(personas["worker_a"], building=world["building_b"])  # another Marie Fictive, 1950
    client = login(personas["worker_b"])
    response = _request(client)
    assert "précisez l&#x27;immeuble" in response.content.decode()
    assert not EmergencyAccess.objects.exists()
    response = _request(client, building=world["building_a"].pk)
    assert response.status_code == 302
    assert EmergencyAccess.objects.get().person == case_world["person_a"]


def test_it_refuses_emergency_access_to_a_barred_worker(case_world, personas, login):
    services.worker_bar(
        user=personas["worker_a"], person=case_world["person_a"], worker=personas["worker_b"]
    )
    response = _request(login(personas["worker_b"]))
    assert "Aucun dossier ne correspond" in response.content.decode()
    assert not EmergencyAccess.objects.exists()


def test_it_sends_a_worker_to_their_own_file_without_emergency_access(case_world, personas, login):
    response = _request(login(personas["worker_a"]))
    assert response.status_code == 302
    assert not EmergencyAccess.objects.exists()


@pytest.mark.parametrize("persona", ["coordination", "privacy_officer", "organizer_a", "no_role"])
def test_it_offers_emergency_access_only_to_workers_and_supervisors(
    persona, case_world, personas, login
):
    response = _request(login(personas[persona]))
    assert response.status_code == 404
    assert not EmergencyAccess.objects.exists()


def test_it_never_lets_emergency_access_write(case_world, personas):
    wb = personas["worker_b"]
    services.emergency_access_request(user=wb, matches=[case_world["person_a"]], reason="x" * 30)
    from django.http import Http404

    with pytest.raises(Http404):
        services.intervention_add(
            user=wb,
            intervention=Intervention(
                follow_up=case_world["fu_a"], occurred_on=days_ago(1), type="intake", mode="phone"
            ),
        )
