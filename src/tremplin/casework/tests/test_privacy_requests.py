"""Law 25 access requests (everything held, JSON and PDF) and rectification."""

import datetime as dt
import io
import json

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from tremplin.audit.models import AuditEntry
from tremplin.audit.services import log_action
from tremplin.casework.models import (
    ConsentKind,
    EmergencyAccess,
    InterventionType,
    Outcome,
    Person,
    WorkerBar,
)

from .test_privacy_support import (
    make_communication,
    make_consent,
    make_follow_up,
    make_intervention,
    make_person,
    make_referral,
    make_resource,
)

NOTE = "Visite : <b>frigo vide</b>, la personne accepte une référence au comptoir."


@pytest.fixture
def officer_client(login, personas):
    return login(personas["privacy_officer"])


@pytest.fixture
def dossier(world, personas):
    """A person with two follow-ups, interventions, a referral, a communication, a bar, an
    emergency access and two journal entries about them; and another person."""
    w_a, w_b = personas["worker_a"], personas["worker_b"]
    jeanne = make_person(
        world,
        "Jeanne",
        "Tremblay",
        phone="418 555-0101",
        unit="12",
        building=world["building_a"],
        municipality=world["levis"],
        safe_contact_notes="Appeler après 17 h, ne pas laisser de message.",
    )
    old = make_follow_up(
        jeanne,
        w_a,
        started_on=dt.date(2019, 2, 4),
        closed_on=dt.date(2019, 11, 30),
        outcome=Outcome.KEPT,
        reasons="isolation,food",
    )
    current = make_follow_up(jeanne, w_a, started_on=dt.date(2023, 9, 12), reasons="housing_loss")
    make_intervention(old, w_a, dt.date(2019, 2, 4), note=NOTE, next_step="Rappeler le comptoir")
    make_intervention(current, w_a, dt.date(2023, 9, 12), type=InterventionType.LEASE)
    make_referral(old, make_resource(world), w_a, dt.date(2019, 2, 5), reason="Aide alimentaire")
    sharing = make_consent(jeanne, w_a, ConsentKind.SHARING, organization="Comptoir alimentaire")
    make_communication(jeanne, sharing, w_a, recipient="Comptoir alimentaire de Lévis")
    WorkerBar.objects.create(person=jeanne, worker=w_b, recorded_by=w_a)
    EmergencyAccess.objects.create(
        user=w_b,
        person=jeanne,
        reason="Remplacement pendant un congé",
        expires_at=timezone.now() + dt.timedelta(hours=2),
    )
    log_action(jeanne, "casework.person.read", user=w_a, subject=jeanne)
    log_action(old, "casework.follow_up.read", user=personas["supervisor_a"], subject=jeanne)
    other = make_person(world, "René", "Côté", territory="tb")
    make_follow_up(other, w_b)
    log_action(other, "casework.person.read", user=w_b, subject=other)
    return {"person": jeanne, "old": old, "current": current, "other": other}


def _export(client, person, fmt):
    response = client.get(reverse("casework:privacy-person-export", args=[person.public_id, fmt]))
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert str(person.public_id) in response["Content-Disposition"]
    assert person.last_name not in response["Content-Disposition"]
    return response


def test_it_exports_everything_held_about_a_person_as_json(officer_client, dossier, personas):
    person = dossier["person"]
    data = json.loads(_export(officer_client, person, "json").content)
    assert data["person"]["first_name"] == "Jeanne"
    assert data["person"]["phone"] == "418 555-0101"
    assert data["person"]["safe_contact_notes"].startswith("Appeler après 17 h")
    assert data["person"]["territory"] == "Grand Littoral"
    # Ordered by date: the 2019 follow-up, the 2020 sharing consent, the 2023 follow-up.
    assert [(c["kind"], c["given_on"]) for c in data["consents"]] == [
        ("Suivi individuel", "2019-02-04"),
        ("Communication à un organisme partenaire", "2020-01-06"),
        ("Suivi individuel", "2023-09-12"),
    ]
    assert [f["started_on"] for f in data["follow_ups"]] == ["2019-02-04", "2023-09-12"]
    first = data["follow_ups"][0]
    assert first["reasons"] == ["Isolement", "Insécurité alimentaire"]
    assert first["outcome"] == "A conservé son logement"
    assert first["interventions"][0]["note"] == NOTE  # decrypted
    assert first["interventions"][0]["next_step"] == "Rappeler le comptoir"
    assert first["referrals"][0]["reason"] == "Aide alimentaire"
    assert first["referrals"][0]["resource"] == "Comptoir alimentaire de Lévis"
    assert data["follow_ups"][1]["interventions"][0]["type"].startswith("Soutien au bail")
    assert data["communications"][0]["recipient"] == "Comptoir alimentaire de Lévis"
    assert data["communications"][0]["what"] == "Coordonnées et besoin d'aide alimentaire"
    assert data["worker_bars"][0]["worker"] == "worker_b"
    assert data["emergency_accesses"][0]["reason"] == "Remplacement pendant un congé"
    # The accesses to their file: these two entries, and nothing about anyone else.
    accesses = [(a["user"], a["action_code"]) for a in data["accesses"]]
    assert accesses == [
        ("worker_a", "casework.person.read"),
        ("supervisor_a", "casework.follow_up.read"),
    ]
    assert "René" not in json.dumps(data, ensure_ascii=False)


def test_it_exports_a_readable_pdf(officer_client, dossier):
    person = dossier["person"]
    response = _export(officer_client, person, "pdf")
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    reader = PdfReader(io.BytesIO(response.content))
    text = " ".join(" ".join(page.extract_text().split()) for page in reader.pages)
    for expected in [
        "Renseignements personnels détenus à votre sujet",
        "Jeanne",
        "Tremblay",
        "418 555-0101",
        "Suivi commencé le 2019-02-04",
        "<b>frigo vide</b>",  # markup in a note is shown as text
        "Comptoir alimentaire de Lévis",
        "Aide alimentaire",
        "Remplacement pendant un congé",
        "worker_b",
        "Accès à votre dossier",
        "supervisor_a",
        "Suivi — consultation",
    ]:
        assert expected in text, expected
    assert "René" not in text


@pytest.mark.parametrize("fmt", ["json", "pdf"])
def test_it_logs_every_export(officer_client, dossier, personas, fmt):
    person = dossier["person"]
    _export(officer_client, person, fmt)
    entry = AuditEntry.objects.get(action="casework.person.access_export")
    assert entry.user == personas["privacy_officer"]
    assert entry.subject_id == str(person.public_id)
    assert entry.data == {"format": fmt}


def test_it_finds_the_person_by_name_and_logs_the_visit(officer_client, dossier):
    response = officer_client.get(reverse("casework:privacy-persons"), {"q": "jeanne tremblay"})
    assert response.context["matches"] == [dossier["person"]]
    response = officer_client.get(reverse("casework:privacy-persons"), {"q": "inconnu"})
    assert "Aucune personne ne porte ce nom." in response.content.decode()
    response = officer_client.get(
        reverse("casework:privacy-person", args=[dossier["person"].public_id])
    )
    assert response.context["follow_ups"] == 2
    assert response.context["accesses"] == 3  # the two reads and this visit
    assert AuditEntry.objects.filter(
        action="casework.privacy.person.read", subject_id=str(dossier["person"].public_id)
    ).exists()


# --------------------------------------------------------------------------- rectification


def _rectify(client, person, **changes):
    data = {
        "first_name": person.first_name,
        "last_name": person.last_name,
        "birth_year": person.birth_year or "",
        "birth_date": person.birth_date.isoformat() if person.birth_date else "",
        "phone": person.phone,
        "preferred_language": person.preferred_language,
        "household": person.household,
        "unit": person.unit,
        "reason": "Demande écrite de la personne reçue le 2024-05-02.",
    }
    data.update(changes)
    return client.post(reverse("casework:privacy-person-rectify", args=[person.public_id]), data)


def test_it_rectifies_identity_and_logs_field_names_not_values(officer_client, dossier, personas):
    person = dossier["person"]
    response = _rectify(officer_client, person, last_name="Tremblay-Roy", phone="418 555-0199")
    assert response.status_code == 302
    person.refresh_from_db()
    assert (person.last_name, person.phone) == ("Tremblay-Roy", "418 555-0199")
    assert person.name_key == "tremblay-roy jeanne"
    entry = AuditEntry.objects.get(action="casework.person.rectified")
    assert entry.user == personas["privacy_officer"]
    assert entry.subject_id == str(person.public_id)
    assert entry.data["fields"] == ["last_name", "phone"]
    assert entry.data["reason"].startswith("Demande écrite")
    assert "555-0199" not in json.dumps(entry.data) and "Roy" not in json.dumps(entry.data)
    found = officer_client.get(reverse("casework:privacy-persons"), {"q": "tremblay-roy"})
    assert found.context["matches"] == [person]


def test_it_records_nothing_when_nothing_changed(officer_client, dossier):
    response = _rectify(officer_client, dossier["person"])
    assert response.status_code == 302
    assert not AuditEntry.objects.filter(action="casework.person.rectified").exists()


@pytest.mark.parametrize(
    "changes, field, message",
    [
        ({"reason": ""}, "reason", "Ce champ est obligatoire."),
        ({"reason": "x" * 501}, "reason", "au plus 500 caractères"),
        ({"first_name": ""}, "first_name", "Ce champ est obligatoire."),
        ({"birth_year": "1850"}, "birth_year", "L'année de naissance doit être entre"),
        ({"birth_year": "abc"}, "birth_year", "Saisissez un nombre entier."),
        ({"birth_date": "2999-01-01", "birth_year": ""}, "birth_date", "dans le futur"),
        ({"birth_date": "1960-05-05"}, "birth_year", "ne correspond pas"),
        ({"household": "castle"}, "household", "Sélectionnez un choix valide"),
        ({"phone": "9" * 41}, "phone", "au plus 40 caractères"),
    ],
)
def test_it_refuses_a_bad_rectification_in_french(officer_client, dossier, changes, field, message):
    person = dossier["person"]
    response = _rectify(officer_client, person, last_name="Autre", **changes)
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert Person.objects.get(pk=person.pk).last_name == "Tremblay"
    assert not AuditEntry.objects.filter(action="casework.person.rectified").exists()


def test_it_refuses_to_rectify_an_anonymized_person(officer_client, dossier):
    person = dossier["other"]
    Person.objects.filter(pk=person.pk).update(anonymized_at=timezone.now(), first_name="")
    response = _rectify(officer_client, person, first_name="Nouveau")
    assert response.status_code == 302
    assert Person.objects.get(pk=person.pk).first_name == ""
    assert not AuditEntry.objects.filter(action="casework.person.rectified").exists()
