"""Undo: refused, record by record and with nothing written, once anything the import wrote has
changed or gone since — however it changed (a page's service, a later import); allowed when
everything is as the import left it."""

import datetime as dt

from django.utils import timezone

from tremplin.housing.models import Building, HousingProvider
from tremplin.housing.services import building_delete, building_save
from tremplin.imports import services
from tremplin.imports.models import ImportRecord
from tremplin.newsletter.models import Subscriber, SubscriberStatus
from tremplin.newsletter.services import subscription_cancel

LEVIS = "Office municipal d'habitation de Lévis"
HEADER = "Organisme;Type d'organisme;Adresse;Municipalité;Code postal;3½\r\n"


def directory(user, *rows, name="f.csv"):
    content = (HEADER + "".join(";".join(r) + "\r\n" for r in rows)).encode()
    report, record = services.import_file(
        user=user, entity="directory", content=content, filename=name
    )
    assert report.file_errors == [] and not report.rejected, report.rows
    return record


def values():
    return (
        sorted(Building.objects.values_list("address", "name", "units_1br", "provider__name")),
        sorted(HousingProvider.objects.values_list("name", "building_count")),
    )


def test_undo_is_refused_once_a_record_was_edited_or_deleted_through_its_service(world, personas):
    user = personas["coordination"]
    record = directory(
        user,
        (LEVIS, "", "25, rue Saint-Louis", "Lévis", "G6V 4E1", "30"),  # updates building_a
        ("Coop du Quai", "Coopérative", "3, rue du Quai", "Lévis", "G6V 6P5", "4"),
        ("Coop du Quai", "Coopérative", "5, rue du Quai", "Lévis", "G6V 6P5", "6"),
    )
    assert record.counts == {"created": 2, "updated": 1, "unchanged": 0, "rejected": 0}
    assert len(record.fingerprints["housing.building"]) == 3

    updated = Building.objects.get(pk=world["building_a"].pk)
    building_save(user=user, building=updated, clienteles=[world["families"]])  # links only
    building_delete(user=user, building=Building.objects.get(address="5, rue du Quai"))
    before = values()
    reasons = services.import_undo(user=user, record=record)
    assert reasons == [
        "Immeuble « 25, rue Saint-Louis, Lévis » : enregistrement modifié depuis l'importation.",
        "Immeuble « 5, rue du Quai, Lévis » : enregistrement supprimé depuis l'importation.",
    ]
    assert values() == before  # nothing deleted, nothing put back
    record.refresh_from_db()
    assert record.status == ImportRecord.Status.APPLIED and record.fingerprints


def test_undo_is_allowed_when_a_later_import_that_changed_it_is_undone_first(world, personas):
    user = personas["coordination"]
    before = values()
    first = directory(user, (LEVIS, "", "25, rue Saint-Louis", "Lévis", "G6V 4E1", "30"))
    second = directory(user, (LEVIS, "", "25, rue Saint-Louis", "Lévis", "G6V 4E1", "31"))
    assert services.import_undo(user=user, record=first) == [
        "Immeuble « 25, rue Saint-Louis, Lévis » : enregistrement modifié depuis l'importation."
    ]
    assert services.import_undo(user=user, record=second) == []
    # Its values are back as the first import left them (its modification time is not).
    assert services.import_undo(user=user, record=first) == []
    assert values() == before
    first.refresh_from_db()
    assert first.status == ImportRecord.Status.UNDONE and first.fingerprints == {}


def test_undo_is_refused_after_30_days(world, personas):
    user = personas["coordination"]
    record = directory(
        user, ("Coop du Quai", "Coopérative", "3, rue du Quai", "Lévis", "G6V 6P5", "4")
    )
    ImportRecord.objects.filter(pk=record.pk).update(
        committed_at=timezone.now() - dt.timedelta(days=31)
    )
    [reason] = services.import_undo(user=user, record=record)
    assert reason.startswith("Une importation ne peut être annulée que dans les 30 jours")
    assert Building.objects.filter(address="3, rue du Quai").exists()


def test_an_unsubscription_since_the_import_is_never_undone(world, personas):
    user = personas["coordination"]
    content = b"Courriel;Date du consentement\r\nmarie@example.org;2025-06-06\r\npaul@example.org;2025-06-06\r\n"
    _report, record = services.import_file(
        user=user,
        entity="subscribers",
        content=content,
        filename="fiches.csv",
        options={"source": "Fiches papier, forum du 6 juin 2025"},
    )
    assert record.counts["created"] == 2
    subscription_cancel(subscriber=Subscriber.objects.get(email="marie@example.org"), method="link")
    Subscriber.objects.filter(email="paul@example.org").delete()
    assert services.import_undo(user=user, record=record) == [
        "Personne abonnée « marie@example.org » : enregistrement modifié depuis l'importation.",
        "Personnes abonnées : 1 enregistrement supprimé depuis l'importation.",
    ]
    marie = Subscriber.objects.get(email="marie@example.org")
    assert marie.status == SubscriberStatus.UNSUBSCRIBED  # the proof of it is kept
    # The names of people are not kept in the history: a deleted subscriber is counted only.
    assert all(
        label == "" for _digest, label in record.fingerprints["newsletter.subscriber"].values()
    )


def test_an_import_recorded_without_fingerprints_is_judged_on_its_modification_times(
    world, personas
):
    user = personas["coordination"]
    record = directory(
        user, ("Coop du Quai", "Coopérative", "3, rue du Quai", "Lévis", "G6V 6P5", "4")
    )
    ImportRecord.objects.filter(pk=record.pk).update(fingerprints={})
    record.refresh_from_db()
    building = Building.objects.get(address="3, rue du Quai")
    building.name = "Le Quai"
    building_save(user=user, building=building)
    assert services.import_undo(user=user, record=record) == [
        "« Le Quai » a été modifié depuis l'importation."
    ]
