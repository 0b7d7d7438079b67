"""The rules of a file and the bad inputs of issue #5: each refused or neutralized with a clear
French message, nothing half-saved, and the attempt logged (field names only)."""

# ruff: noqa: F811 - the case_world fixture is imported, then requested by name

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.urls import reverse

from tremplin.audit.models import AuditEntry
from tremplin.casework import services
from tremplin.casework.models import (
    NOTE_MAX_LENGTH,
    Communication,
    Consent,
    ConsentKind,
    ConsentMode,
    FollowUp,
    Intervention,
    Person,
    Referral,
)

from .casefiles import add_intervention, case_world, days_ago, make_file  # noqa: F401


def _entry(client, fu, **fields):
    data = {
        "follow_up": str(fu.public_id),
        "occurred_on": days_ago(1).isoformat(),
        "type": "information",
        "mode": "phone",
        "duration_minutes": "15",
        "note": "Appel.",
    }
    data.update(fields)
    return client.post(reverse("casework:intervention-create"), data)


def _text(response):
    return response.content.decode()


# --------------------------------------------------------------------------- interventions


def test_it_adds_an_intervention_from_the_fast_entry_and_keeps_the_follow_up_summary(
    case_world, personas, login
):
    client = login(personas["worker_a"])
    fu = case_world["fu_a"]
    response = _entry(client, fu, next_step_on=(days_ago(1) + dt.timedelta(days=7)).isoformat())
    assert response.status_code == 302
    fu.refresh_from_db()
    rows = list(Intervention.objects.filter(follow_up=fu).order_by("occurred_on", "id"))
    # Worked out from the rows themselves.
    assert fu.intervention_count == len(rows) == 3
    assert fu.last_intervention_on == max(i.occurred_on for i in rows) == days_ago(1)
    assert fu.next_step_on == days_ago(1) + dt.timedelta(days=7)
    entry = AuditEntry.objects.get(action="casework.intervention.create", user=personas["worker_a"],
                                   object_id=str(rows[-1].public_id))  # fmt: skip
    assert entry.subject_id == str(case_world["person_a"].public_id)
    assert "Appel." not in str(entry.data)


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"occurred_on": "2099-01-01"}, "Une intervention ne peut pas être datée dans le futur."),
        (
            {"occurred_on": "2001-01-01"},
            "L&#x27;intervention ne peut pas précéder le début du suivi",
        ),
        ({"note": "x" * (NOTE_MAX_LENGTH + 1)}, "au plus 5000 caractères"),
        ({"next_step": "y" * (NOTE_MAX_LENGTH + 1)}, "au plus 5000 caractères"),
        ({"duration_minutes": "2000"}, "Une intervention dure au plus 24 heures."),
        ({"occurred_on": "pas une date"}, "Saisissez une date valide."),
        ({"type": "diagnostic"}, "Sélectionnez un choix valide."),
        ({"follow_up": "pas-un-uuid"}, "Choisissez un suivi de la liste."),
    ],
)
def test_it_refuses_a_bad_intervention_with_a_clear_message_and_logs_it(
    fields, message, case_world, personas, login
):
    client = login(personas["worker_a"])
    before = Intervention.objects.count()
    response = _entry(client, case_world["fu_a"], **fields)
    assert response.status_code == 200
    assert message in _text(response)
    assert Intervention.objects.count() == before
    refused = AuditEntry.objects.filter(action="casework.intervention.refused").last()
    assert refused is not None and refused.data["fields"]
    assert "xxxxx" not in str(refused.data)


def test_it_accepts_a_note_of_exactly_the_maximum_length(case_world, personas, login):
    client = login(personas["worker_a"])
    response = _entry(client, case_world["fu_a"], note="é" * NOTE_MAX_LENGTH)
    assert response.status_code == 302
    assert Intervention.objects.filter(follow_up=case_world["fu_a"]).count() == 3


def test_it_refuses_new_interventions_after_the_consent_is_withdrawn_and_keeps_the_data(
    case_world, personas, login
):
    client = login(personas["worker_a"])
    consent = case_world["follow_up_consent_a"]
    offered = f'<option value="{case_world["fu_a"].public_id}"'
    assert offered in _text(client.get(reverse("casework:intervention-create")))
    response = client.post(
        reverse("casework:consent-withdraw", args=[consent.public_id]),
        {"withdrawn_on": days_ago(2).isoformat()},
    )
    assert response.status_code == 302
    consent.refresh_from_db()
    assert consent.withdrawn_on == days_ago(2)
    response = _entry(client, case_world["fu_a"])
    assert response.status_code == 200
    text = _text(response)
    assert "Le consentement au suivi a été retiré le" in text
    assert "Les données existantes sont conservées" in text
    # The fast entry no longer offers it (the load test's refused saves, #17).
    assert offered not in _text(client.get(reverse("casework:intervention-create")))
    # Existing data kept.
    assert Intervention.objects.filter(follow_up=case_world["fu_a"]).count() == 2
    assert Referral.objects.filter(follow_up=case_world["fu_a"]).count() == 1
    with pytest.raises(ValidationError):
        services.referral_add(
            user=personas["worker_a"],
            referral=Referral(
                follow_up=case_world["fu_a"], resource=case_world["food_a"], referred_on=days_ago(1)
            ),
        )
    assert AuditEntry.objects.filter(action="casework.consent.withdraw").count() == 1
    assert AuditEntry.objects.filter(action="casework.intervention.refused").count() == 1
    # The file says so.
    page = _text(
        client.get(reverse("casework:person-detail", args=[case_world["person_a"].public_id]))
    )
    assert "Consentement au suivi retiré le" in page


def test_it_refuses_a_withdrawal_dated_in_the_future_or_before_the_consent(
    case_world, personas, login
):
    client = login(personas["worker_a"])
    consent = case_world["follow_up_consent_a"]
    url = reverse("casework:consent-withdraw", args=[consent.public_id])
    response = client.post(url, {"withdrawn_on": "2099-01-01"})
    assert "Le retrait ne peut pas être daté dans le futur." in _text(response)
    response = client.post(url, {"withdrawn_on": "2000-01-01"})
    assert "Le retrait ne peut pas précéder le consentement." in _text(response)
    consent.refresh_from_db()
    assert consent.withdrawn_on is None


def test_it_refuses_interventions_on_a_closed_follow_up(case_world, personas, login):
    client = login(personas["worker_a"])
    fu = case_world["fu_a"]
    url = reverse("casework:follow-up-close", args=[fu.public_id])
    response = client.post(url, {"closed_on": days_ago(40).isoformat(), "outcome": "kept"})
    assert "La fermeture ne peut pas précéder la dernière intervention" in _text(response)
    response = client.post(url, {"closed_on": days_ago(1).isoformat()})
    assert "Ce champ est obligatoire." in _text(response)
    response = client.post(url, {"closed_on": days_ago(1).isoformat(), "outcome": "kept"})
    assert response.status_code == 302
    fu.refresh_from_db()
    assert (fu.status, fu.closed_on, fu.outcome) == ("closed", days_ago(1), "kept")
    response = _entry(client, fu)
    assert "Ce suivi est fermé : ouvrez un nouveau suivi" in _text(response)
    with pytest.raises(ValidationError, match="Ce suivi est fermé"):
        add_intervention(fu, personas["worker_a"], on=days_ago(1))


def test_it_shows_html_and_script_in_notes_as_text(case_world, personas, login):
    client = login(personas["worker_a"])
    evil = '<script>alert("x")</script><b>gras</b>'
    assert _entry(client, case_world["fu_a"], note=evil, next_step=evil).status_code == 302
    page = _text(
        client.get(reverse("casework:person-detail", args=[case_world["person_a"].public_id]))
    )
    assert "<script>alert" not in page
    assert "<b>gras</b>" not in page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&lt;b&gt;gras&lt;/b&gt;" in page


def test_it_stores_notes_encrypted(case_world, personas):
    add_intervention(case_world["fu_a"], personas["worker_a"], note="Secret médical fictif",
                     next_step="Étape confidentielle", on=days_ago(2))  # fmt: skip
    with connection.cursor() as cursor:
        cursor.execute("SELECT note, next_step FROM casework_intervention")
        rows = cursor.fetchall()
        cursor.execute("SELECT what, why FROM casework_communication")
        rows += cursor.fetchall()
    raw = " ".join(value for row in rows for value in row if value)
    assert "Secret" not in raw and "confidentielle" not in raw and "panier" not in raw
    assert "Inscription" not in raw
    assert all(value.startswith("fernet:") for row in rows for value in row if value)
    assert Communication.objects.get().what == "Nom et besoin d'un panier"


def test_it_never_puts_note_content_in_the_audit_journal(case_world, personas, login):
    client = login(personas["worker_a"])
    _entry(client, case_world["fu_a"], note="Contenu très privé", next_step="Autre secret")
    client.get(reverse("casework:person-detail", args=[case_world["person_a"].public_id]))
    dump = " ".join(str(e.data) + e.object_repr for e in AuditEntry.objects.all())
    assert "privé" not in dump and "secret" not in dump.lower()
    assert "Première rencontre" not in dump and "panier" not in dump


def test_it_corrects_an_intervention_and_logs_the_read_and_the_change(case_world, personas, login):
    client = login(personas["worker_a"])
    i2 = case_world["i2"]
    url = reverse("casework:intervention-edit", args=[i2.public_id])
    assert "Appel de suivi." in _text(client.get(url))
    response = client.post(url, {"occurred_on": i2.occurred_on.isoformat(), "type": "lease",
                                 "mode": "home_visit", "note": "Corrigé."})  # fmt: skip
    assert response.status_code == 302
    i2.refresh_from_db()
    assert (i2.type, i2.note, i2.next_step_on) == ("lease", "Corrigé.", None)
    case_world["fu_a"].refresh_from_db()
    assert case_world["fu_a"].next_step_on is None
    actions = list(
        AuditEntry.objects.filter(object_id=str(i2.public_id)).values_list("action", flat=True)
    )
    assert "casework.intervention.read" in actions and "casework.intervention.update" in actions


# --------------------------------------------------------------------------- files and consents


def _create_payload(world, **changes):
    data = {
        "first_name": "Rose",
        "last_name": "Exemple",
        "birth_year": "1948",
        "building": world["building_a"].pk,
        "preferred_language": "fr",
        "household": "alone",
        "consent_mode": "written",
        "consent_given_on": days_ago(3).isoformat(),
        "started_on": days_ago(3).isoformat(),
        "reasons": ["isolation"],
        "notice_acknowledged": "on",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def test_it_shows_the_collection_notice_on_the_new_file_form(world, personas, login):
    text = _text(login(personas["worker_a"]).get(reverse("casework:person-create")))
    for words in ("Pourquoi ces renseignements", "Vos droits", "Conservation", "5 ans",
                  "Commission d'accès à l'information"):  # fmt: skip
        assert words in text


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"notice_acknowledged": None}, "Présentez l&#x27;avis de collecte"),
        ({"reasons": None}, "Choisissez au moins un motif."),
        ({"reasons": ["diagnostic"]}, "Sélectionnez un choix valide."),
        ({"started_on": "2099-01-01", "consent_given_on": "2099-01-01"}, "dans le futur"),
        ({"consent_given_on": "2026-01-10", "started_on": "2025-01-01"},
         "Le suivi ne peut pas commencer avant le consentement"),
        ({"building": None}, "Choisissez l&#x27;immeuble ou, à défaut, le territoire."),
        ({"birth_year": "1800"}, "L&#x27;année de naissance doit être entre"),
        ({"consent_mode": None}, "Ce champ est obligatoire."),
    ],
)  # fmt: skip
def test_it_refuses_an_incomplete_new_file_and_creates_nothing(
    changes, message, world, personas, login
):
    client = login(personas["worker_a"])
    response = client.post(reverse("casework:person-create"), _create_payload(world, **changes))
    assert response.status_code == 200
    assert message in _text(response)
    assert not Person.objects.exists() and not Consent.objects.exists()
    assert not FollowUp.objects.exists()
    assert AuditEntry.objects.filter(action="casework.person.refused").count() == 1


def test_it_lets_a_supervisor_create_a_file_for_a_worker_of_their_team_only(world, personas, login):
    client = login(personas["supervisor_a"])
    response = client.post(
        reverse("casework:person-create"),
        _create_payload(world, worker=personas["worker_b"].pk),
    )
    assert "Sélectionnez un choix valide" in _text(response)
    assert not Person.objects.exists()
    response = client.post(
        reverse("casework:person-create"), _create_payload(world, worker=personas["worker_a"].pk)
    )
    assert response.status_code == 302
    assert list(Person.objects.get().follow_ups.get().workers.all()) == [personas["worker_a"]]


def test_it_refuses_to_open_a_follow_up_without_an_active_follow_up_consent(
    case_world, personas, login
):
    wa = personas["worker_a"]
    person = case_world["person_a"]
    consent = case_world["follow_up_consent_a"]
    services.consent_withdraw(user=wa, consent=consent, withdrawn_on=days_ago(1))
    client = login(wa)
    url = reverse("casework:follow-up-open", args=[person.public_id])
    assert "Aucun suivi ne peut être ouvert sans un consentement au suivi actif" in _text(
        client.get(url)
    )
    response = client.post(url, {"consent": consent.pk, "started_on": days_ago(1).isoformat(),
                                 "reasons": ["isolation"]})  # fmt: skip
    assert "Aucun suivi ne peut être ouvert sans un consentement au suivi actif" in _text(response)
    with pytest.raises(ValidationError, match="consentement au suivi actif"):
        services.follow_up_open(user=wa, person=person, workers=[wa], follow_up=FollowUp(
            consent=consent, started_on=days_ago(1), reasons="isolation"))  # fmt: skip
    assert person.follow_ups.count() == 1
    # With a new consent, a new follow-up opens; forged consents (the withdrawn one, another
    # person's, a sharing consent) are refused.
    new = services.consent_record(user=wa, person=person, consent=Consent(
        kind=ConsentKind.FOLLOW_UP, mode=ConsentMode.VERBAL, given_on=days_ago(1)))  # fmt: skip
    for forged in (consent.pk, case_world["fu_b"].consent.pk, case_world["sharing_a"].pk):
        response = client.post(url, {"consent": forged, "started_on": days_ago(1).isoformat(),
                                     "reasons": ["isolation"]})  # fmt: skip
        assert "Sélectionnez un choix valide" in _text(response)
    assert person.follow_ups.count() == 1
    response = client.post(url, {"consent": new.pk, "started_on": days_ago(1).isoformat(),
                                 "reasons": ["food", "services"]})  # fmt: skip
    assert response.status_code == 302
    assert person.follow_ups.filter(reasons="food,services", status="open").exists()


def test_it_records_a_sharing_consent_only_with_a_named_organization(case_world, personas, login):
    client = login(personas["worker_a"])
    url = reverse("casework:consent-create", args=[case_world["person_a"].public_id])
    response = client.post(
        url, {"kind": "sharing", "mode": "verbal", "given_on": days_ago(1).isoformat()}
    )
    assert "Nommez l&#x27;organisme" in _text(response)
    response = client.post(url, {"kind": "sharing", "organization": "  CLSC de Lévis ",
                                 "mode": "verbal", "given_on": days_ago(1).isoformat()})  # fmt: skip
    assert response.status_code == 302
    assert Consent.objects.filter(kind="sharing", organization="CLSC de Lévis").exists()


def test_it_records_a_communication_only_under_a_sharing_consent_in_force(
    case_world, personas, login
):
    wa = personas["worker_a"]
    person = case_world["person_a"]
    sharing = case_world["sharing_a"]
    client = login(wa)
    url = reverse("casework:communication-create", args=[person.public_id])
    ok = {"consent": sharing.pk, "shared_on": days_ago(1).isoformat(), "what": "Adresse",
          "why": "Livraison"}  # fmt: skip
    # The follow-up consent is not a sharing consent: not even offered.
    response = client.post(url, ok | {"consent": case_world["follow_up_consent_a"].pk})
    assert "Sélectionnez un choix valide" in _text(response)
    response = client.post(url, ok | {"shared_on": days_ago(60).isoformat()})
    assert "n&#x27;était pas en vigueur à cette date" in _text(response)
    response = client.post(url, ok | {"shared_on": "2099-01-01"})
    assert "Une communication ne peut pas être datée dans le futur." in _text(response)
    response = client.post(url, ok | {"what": ""})
    assert "Ce champ est obligatoire." in _text(response)
    with pytest.raises(ValidationError, match="ne vise pas"):
        services.communication_record(user=wa, person=person, consent=sharing, what="x", why="y",
                                      shared_on=days_ago(1), recipient="Autre organisme")  # fmt: skip
    assert Communication.objects.count() == 1
    assert client.post(url, ok).status_code == 302
    services.consent_withdraw(user=wa, consent=sharing, withdrawn_on=days_ago(1))
    response = client.post(url, ok | {"shared_on": days_ago(0).isoformat()})
    assert "n&#x27;était pas en vigueur" in _text(response)
    assert Communication.objects.count() == 2
    entry = AuditEntry.objects.filter(action="casework.communication.create").last()
    assert entry.data["recipient"] == "Comptoir alimentaire de Lévis"
    assert "Adresse" not in str(entry.data)


def test_it_refuses_to_assign_a_barred_worker(case_world, personas):
    from tremplin.accounts.roles import Role
    from tremplin.accounts.services import membership_set
    from tremplin.conftest import _user

    sa = personas["supervisor_a"]
    other = _user("worker_a2", Role.WORKER, [], supervisor=sa)
    membership_set(user=other, role=Role.WORKER, supervisor=sa)
    services.worker_bar(user=personas["worker_a"], person=case_world["person_a"], worker=other)
    with pytest.raises(ValidationError, match="refusé"):
        services.follow_up_assign(user=sa, follow_up=case_world["fu_a"], workers=[other])
    with pytest.raises(ValidationError, match="déjà refusé"):
        services.worker_bar(user=sa, person=case_world["person_a"], worker=other)
    services.follow_up_assign(user=sa, follow_up=case_world["fu_a"], workers=[personas["worker_a"]])


def test_it_records_a_bar_from_the_file_page(case_world, personas, login):
    client = login(personas["worker_a"])
    url = reverse("casework:worker-bar", args=[case_world["person_a"].public_id])
    response = client.post(url, {"worker": personas["worker_b"].pk})
    assert response.status_code == 302
    assert case_world["person_a"].bars.filter(worker=personas["worker_b"]).exists()
    # Someone without a case-file role cannot be chosen.
    response = client.post(url, {"worker": personas["coordination"].pk})
    assert "Sélectionnez un choix valide" in _text(response)


def test_it_rectifies_a_person_and_logs_which_fields_changed(case_world, personas, login):
    client = login(personas["worker_a"])
    person = case_world["person_a"]
    url = reverse("casework:person-edit", args=[person.public_id])
    response = client.post(url, {"first_name": "Marie-Ève", "last_name": "Fictive", "birth_year": "1950",
                                 "building": person.building_id, "unit": "14",
                                 "preferred_language": "fr", "household": "alone"})  # fmt: skip
    assert response.status_code == 302
    person.refresh_from_db()
    assert (person.first_name, person.name_key, person.unit) == (
        "Marie-Ève",
        "fictive marie-eve",
        "14",
    )
    entry = AuditEntry.objects.get(action="casework.person.update")
    assert set(entry.data["fields"]) >= {"first_name", "unit", "household"}


def test_it_records_a_referral_and_its_outcome(case_world, personas, login):
    client = login(personas["worker_a"])
    fu = case_world["fu_a"]
    url = reverse("casework:referral-create", args=[fu.public_id])
    # A resource of the other territory is not offered.
    response = client.post(url, {"resource": case_world["food_b"].pk, "referred_on": days_ago(1).isoformat(),
                                 "outcome": "waiting"})  # fmt: skip
    assert "Sélectionnez un choix valide" in _text(response)
    response = client.post(url, {"resource": case_world["crisis"].pk, "referred_on": "2001-01-01",
                                 "outcome": "waiting"})  # fmt: skip
    assert "La référence ne peut pas précéder le début du suivi." in _text(response)
    response = client.post(url, {"resource": case_world["crisis"].pk,
                                 "referred_on": days_ago(1).isoformat(), "outcome": "waiting"})  # fmt: skip
    assert response.status_code == 302
    referral = Referral.objects.get(resource=case_world["crisis"])
    response = client.post(reverse("casework:referral-update", args=[referral.public_id]),
                           {"outcome": "accepted"})  # fmt: skip
    assert response.status_code == 302
    referral.refresh_from_db()
    assert referral.outcome == "accepted"
    assert AuditEntry.objects.filter(
        action="casework.referral.update", data__outcome="accepted"
    ).exists()
