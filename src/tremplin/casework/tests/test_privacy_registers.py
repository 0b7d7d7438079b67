"""Registers: destructions (read-only, append-only on PostgreSQL), confidentiality incidents
(Law 25 fields, create and update), communications (filtered by person)."""

import datetime as dt
import uuid

import pytest
from django.db import DatabaseError, connection, transaction
from django.urls import reverse
from django.utils import timezone

from tremplin.audit.models import AuditEntry
from tremplin.casework.models import (
    ConfidentialityIncident,
    ConsentKind,
    DestructionRecord,
    IncidentStatus,
)

from .test_privacy_support import (
    make_communication,
    make_consent,
    make_person,
)


@pytest.fixture
def officer_client(login, personas):
    return login(personas["privacy_officer"])


def _record(**fields):
    fields.setdefault("follow_up_public_id", uuid.uuid4())
    fields.setdefault("closed_on", dt.date(2018, 5, 4))
    fields.setdefault("method", "destroyed")
    fields.setdefault("run_by", "tremplin retention apply")
    return DestructionRecord.objects.create(**fields)


# --------------------------------------------------------------------------- destructions


def test_it_lists_the_destruction_register_newest_first(officer_client):
    old = _record(interventions=7, referrals=2)
    new = _record(method="anonymized")
    response = officer_client.get(reverse("casework:privacy-destructions"))
    assert response.context["page"].rows == [new, old]
    html = response.content.decode()
    assert "Suivi détruit" in html and "Personne anonymisée" in html
    assert str(old.follow_up_public_id) in html
    assert officer_client.post(reverse("casework:privacy-destructions")).status_code == 405


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the trigger is PostgreSQL's (run with DATABASE_URL)"
)
def test_it_refuses_update_and_delete_of_the_destruction_register_in_postgresql(db):
    record = _record(interventions=3)
    for sql in (
        "UPDATE casework_destructionrecord SET interventions = 0",
        "DELETE FROM casework_destructionrecord",
    ):
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute(sql)
    assert DestructionRecord.objects.get(pk=record.pk).interventions == 3
    # Adding to the register stays possible.
    _record()
    assert DestructionRecord.objects.count() == 2


# --------------------------------------------------------------------------- incidents

VALID_INCIDENT = {
    "discovered_on": "2024-05-02",
    "occurred_on": "2024-05-01",
    "description": "Un courriel contenant une note de suivi a été envoyé au mauvais organisme.",
    "information_involved": "Note d'intervention, prénom",
    "persons_affected": "1",
    "serious_injury_risk": "on",
    "reported_to_cai_on": "2024-05-03",
    "persons_notified_on": "2024-05-03",
    "measures": "Demande de destruction au destinataire, confirmée par écrit.",
    "status": IncidentStatus.OPEN,
}


def test_it_records_an_incident_with_the_law_25_fields(officer_client, personas):
    response = officer_client.post(reverse("casework:privacy-incident-create"), VALID_INCIDENT)
    assert response.status_code == 302
    incident = ConfidentialityIncident.objects.get()
    assert incident.recorded_by == personas["privacy_officer"]
    assert incident.discovered_on == dt.date(2024, 5, 2)
    assert incident.serious_injury_risk is True
    assert incident.persons_affected == 1
    entry = AuditEntry.objects.get(action="casework.incident.create")
    assert entry.object_id == str(incident.public_id)
    assert "description" in entry.data["fields"]
    assert "courriel" not in str(entry.data)  # field names, never content
    listing = officer_client.get(reverse("casework:privacy-incidents"))
    assert listing.context["page"].rows == [incident]
    assert "mauvais organisme" in listing.content.decode()


def test_it_updates_an_incident_and_closes_it(officer_client, personas):
    incident = ConfidentialityIncident.objects.create(
        discovered_on=dt.date(2024, 5, 2),
        description="Perte d'un carnet",
        information_involved="Coordonnées",
        recorded_by=personas["privacy_officer"],
    )
    url = reverse("casework:privacy-incident-edit", args=[incident.public_id])
    assert officer_client.get(url).status_code == 200
    data = {
        **VALID_INCIDENT,
        "description": "Perte d'un carnet",
        "serious_injury_risk": "",
        "reported_to_cai_on": "",
        "persons_notified_on": "",
        "status": IncidentStatus.CLOSED,
    }
    assert officer_client.post(url, data).status_code == 302
    incident.refresh_from_db()
    assert incident.status == IncidentStatus.CLOSED
    assert incident.recorded_by == personas["privacy_officer"]
    entry = AuditEntry.objects.get(action="casework.incident.update")
    assert "status" in entry.data["fields"]


@pytest.mark.parametrize(
    "changes, field, message",
    [
        ({"discovered_on": ""}, "discovered_on", "Ce champ est obligatoire."),
        ({"discovered_on": "pas une date"}, "discovered_on", "Saisissez une date valide."),
        ({"discovered_on": "2999-01-01"}, "discovered_on", "La découverte ne peut pas être dans"),
        ({"occurred_on": "2024-06-01"}, "occurred_on", "L'incident ne peut pas suivre sa"),
        ({"reported_to_cai_on": "2024-04-01"}, "reported_to_cai_on", "ne peut pas précéder la"),
        ({"persons_notified_on": "2999-01-01"}, "persons_notified_on", "dans le futur"),
        ({"persons_affected": "-3"}, "persons_affected", "supérieure ou égale à 0"),
        ({"description": ""}, "description", "Ce champ est obligatoire."),
        ({"description": "x" * 5001}, "description", "au plus 5000 caractères"),
        (
            {"status": IncidentStatus.CLOSED, "reported_to_cai_on": ""},
            "status",
            "risque de préjudice sérieux ne peut être fermé",
        ),
        ({"status": "archived"}, "status", "Sélectionnez un choix valide"),
    ],
)
def test_it_refuses_a_bad_incident_with_a_french_message(officer_client, changes, field, message):
    response = officer_client.post(
        reverse("casework:privacy-incident-create"), {**VALID_INCIDENT, **changes}
    )
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert not ConfidentialityIncident.objects.exists()
    assert not AuditEntry.objects.filter(action__startswith="casework.incident").exists()


def test_it_shows_html_in_an_incident_as_text(officer_client):
    officer_client.post(
        reverse("casework:privacy-incident-create"),
        {**VALID_INCIDENT, "description": "<script>alert(1)</script>"},
    )
    html = officer_client.get(reverse("casework:privacy-incidents")).content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;" in html


# --------------------------------------------------------------------------- communications


def test_it_lists_every_communication_and_filters_by_person(officer_client, world, personas):
    w = personas["worker_a"]
    jeanne = make_person(world, "Jeanne", "Tremblay")
    rene = make_person(world, "René", "Côté", territory="tb")
    c_j = make_consent(jeanne, w, ConsentKind.SHARING, organization="Comptoir alimentaire")
    c_r = make_consent(rene, personas["worker_b"], ConsentKind.SHARING, organization="CLSC")
    first = make_communication(jeanne, c_j, w, shared_on=dt.date(2021, 3, 2))
    second = make_communication(
        rene, c_r, personas["worker_b"], shared_on=dt.date(2022, 1, 10), recipient="CLSC Beauce"
    )
    response = officer_client.get(reverse("casework:privacy-communications"))
    assert response.context["page"].rows == [second, first]
    html = response.content.decode()
    assert "CLSC Beauce" in html and "Comptoir alimentaire de Lévis" in html
    assert "Coordonnées et besoin d&#x27;aide alimentaire" in html  # decrypted for the officer
    response = officer_client.get(
        reverse("casework:privacy-communications"), {"personne": jeanne.public_id}
    )
    assert response.context["page"].rows == [first]
    entry = AuditEntry.objects.filter(action="casework.communication.list").order_by("id").last()
    assert entry.subject_id == str(jeanne.public_id)


def test_it_flags_a_communication_made_after_consent_was_withdrawn(officer_client, world, personas):
    w = personas["worker_a"]
    jeanne = make_person(world)
    consent = make_consent(
        jeanne, w, ConsentKind.SHARING, organization="Comptoir", withdrawn_on=dt.date(2021, 1, 1)
    )
    make_communication(jeanne, consent, w, shared_on=dt.date(2021, 3, 2))
    html = officer_client.get(reverse("casework:privacy-communications")).content.decode()
    assert "communiqué après le retrait" in html


def test_it_lists_registers_with_a_constant_number_of_queries(
    officer_client, world, personas, django_assert_max_num_queries
):
    w = personas["worker_a"]

    def fill(n):
        for i in range(n):
            person = make_person(world, f"Prénom{i}", f"Nom{i}")
            consent = make_consent(person, w, ConsentKind.SHARING, organization="CLSC")
            make_communication(person, consent, w)
            _record()
            ConfidentialityIncident.objects.create(
                discovered_on=timezone.localdate(),
                description=f"Incident {i}",
                information_involved="x",
                recorded_by=personas["privacy_officer"],
            )

    names = [
        "casework:privacy-communications",
        "casework:privacy-destructions",
        "casework:privacy-incidents",
    ]
    fill(2)
    for name in names:
        officer_client.get(reverse(name))
    counts = {}
    for name in names:
        with django_assert_max_num_queries(12) as ctx:
            officer_client.get(reverse(name))
        counts[name] = len(ctx.captured_queries)
    fill(30)
    for name in names:
        with django_assert_max_num_queries(12) as ctx:
            officer_client.get(reverse(name))
        assert len(ctx.captured_queries) == counts[name], name
