"""Each entity imports a realistic file: partners with contacts, project activities, an
event's sign-in sheet; with rights checked and undo."""

import datetime as dt
import io

import pytest
from django.utils import timezone
from openpyxl import Workbook

from tremplin.events.models import (
    Event,
    EventStatus,
    EventStop,
    Registration,
    RegistrationSource,
    Scope,
)
from tremplin.events.services import event_save, registration_submit
from tremplin.imports import services
from tremplin.partners.models import Partner, PartnerContact, PartnerKind
from tremplin.projects.models import ProjectActivity
from tremplin.projects.tests.test_project_pages import make_project


def workbook(rows, title=None) -> bytes:
    wb = Workbook()
    ws = wb.active
    if title:
        ws.append([title])
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def test_it_imports_partners_and_their_contacts(world, personas):
    Partner.objects.create(name="Ville de Lévis", kind=PartnerKind.MUNICIPALITY)
    content = workbook(
        [
            ["Nom du partenaire", "Sigle", "Type", "Contact", "Fonction", "Courriel"],
            ["Ville de Lévis", "VdL", "", "Julie Roy", "Conseillère", "jroy@example.org"],
            ["Table des aînés de Bellechasse", "", "Table de concertation des aînés", "", "", ""],
            ["Table des aînés de Bellechasse", "", "", "Paul Côté", "Président", ""],
            ["Inconnu inc.", "", "", "", "", ""],
            ["Groupe X", "", "Licorne", "", "", ""],
        ],
        title="Partenaires 2024",
    )
    user = personas["coordination"]
    report, record = services.import_file(
        user=user, entity="partners", content=content, filename="partenaires.xlsx"
    )
    assert [(r.line, r.action) for r in report.rows] == [
        (3, "update"),
        (4, "create"),
        (5, "update"),  # the partner new in this file again: its contact is added
        (6, "reject"),
        (7, "reject"),
    ]
    assert "Pour le créer, indiquez son « Type »" in report.rows[3].reasons[0]
    assert "« Licorne » inconnu dans la colonne « Type »" in report.rows[4].reasons[0]
    levis = Partner.objects.get(name="Ville de Lévis")
    assert levis.short_name == "VdL"
    assert list(levis.contacts.values_list("name", "email")) == [("Julie Roy", "jroy@example.org")]
    table = Partner.objects.get(name="Table des aînés de Bellechasse")
    assert table.kind == PartnerKind.SENIORS_TABLE
    assert list(table.contacts.values_list("name", flat=True)) == ["Paul Côté"]

    assert services.import_undo(user=user, record=record) == []
    assert not Partner.objects.filter(name__startswith="Table").exists()
    assert Partner.objects.get(name="Ville de Lévis").short_name == ""
    assert not PartnerContact.objects.exists()


def test_it_refuses_partners_to_those_who_may_not_edit_funding(world, personas):
    with pytest.raises(Exception) as error:
        services.import_file(
            user=personas["organizer_a"],
            entity="partners",
            content=b"Nom\r\nX\r\n",
            filename="p.csv",
        )
    assert type(error.value).__name__ == "PermissionDenied"


def test_it_imports_the_activities_of_projects_the_user_may_edit(world, personas):
    organizer = personas["organizer_a"]
    project = make_project(user=organizer, buildings=[world["building_a"]])
    csv = (
        "Projet;Date;Activité;Participants;Locataires;Note\r\n"
        "Cuisine collective;2009-06-06;Atelier de cuisine;12;8;\r\n"
        "cuisine collective;06/10/2009;Repas partagé;20;15;=1+1\r\n"
        "Cuisine collective;39970;Atelier de cuisine;12;8;\r\n"  # the first row again
        "Jardin;2009-06-06;Semis;5;5;\r\n"
        "Cuisine collective;le 6 juin;Semis;-3;2;\r\n"
    ).encode("cp1252")
    report, record = services.import_file(
        user=organizer, entity="activities", content=csv, filename="activites.csv"
    )
    assert [r.action for r in report.rows] == ["create", "create", "reject", "reject", "reject"]
    assert "Doublon de la ligne 2" in report.rows[2].reasons[0]
    assert (
        "Projet inconnu, ou que vous ne pouvez pas modifier : « Jardin »" in report.rows[3].reasons
    )
    assert len(report.rows[4].reasons) == 2  # the date and the negative count
    activities = list(
        project.activities.order_by("date").values_list("date", "participants", "note")
    )
    assert activities == [(dt.date(2009, 6, 6), 12, ""), (dt.date(2009, 10, 6), 20, "=1+1")]
    project.refresh_from_db()
    assert project.participant_sum == 32

    # Another organizer's territory: the project is not theirs to edit.
    report, _record = services.import_file(
        user=personas["organizer_b"],
        entity="activities",
        content=csv,
        filename="a.csv",
        dry_run=True,
    )
    assert all(r.action == "reject" for r in report.rows)

    assert services.import_undo(user=organizer, record=record) == []
    assert not ProjectActivity.objects.exists()


def test_it_imports_a_sign_in_sheet_for_an_event_stop(world, personas):
    organizer = personas["organizer_a"]
    starts = timezone.now() + dt.timedelta(days=2)  # registrations still open
    event = event_save(
        user=organizer,
        event=Event(
            title="Forum régional", kind="workshop", scope=Scope.LOCAL, status=EventStatus.PUBLISHED
        ),
        stops=[
            EventStop(
                municipality=world["levis"],
                starts_at=starts,
                ends_at=starts + dt.timedelta(hours=2),
                place="Salle communautaire",
                address="25, rue Saint-Louis",
            )
        ],
    )
    stop = event.stops.get()
    registration_submit(event=event, stop=stop, name="Marie Tremblay", email="m@example.org")
    content = workbook(
        [
            ["Nom et prénom", "Immeuble", "Locataire ?"],
            ["MARIE TREMBLAY", "25, rue Saint-Louis", "oui"],
            ["Jean Roy", "HLM Desjardins", "x"],
            ["", "HLM Desjardins", "non"],
        ]
    )
    report, record = services.import_file(
        user=organizer, entity="attendance", content=content, filename="f.xlsx"
    )
    assert report.file_errors == [
        "Étape d'événement introuvable, ou dont vous ne notez pas les présences."
    ]
    assert record is None and report.rows == []
    report, record = services.import_file(
        user=organizer,
        entity="attendance",
        content=content,
        filename="presences.xlsx",
        options={"stop": str(stop.public_id)},
    )
    assert [r.action for r in report.rows] == ["update", "create", "reject"]
    marie = Registration.objects.get(name="Marie Tremblay")
    assert marie.checked_in_at is not None
    jean = Registration.objects.get(name="Jean Roy")
    assert jean.source == RegistrationSource.WALK_IN and jean.is_tenant and jean.checked_in_at

    # Someone of the other territory may not note this stop's attendance.
    report, _none = services.import_file(
        user=personas["organizer_b"],
        entity="attendance",
        content=content,
        filename="p.xlsx",
        options={"stop": str(stop.public_id)},
        dry_run=True,
    )
    assert "introuvable" in report.file_errors[0]

    assert services.import_undo(user=organizer, record=record) == []
    assert not Registration.objects.filter(name="Jean Roy").exists()
    marie.refresh_from_db()
    assert marie.checked_in_at is None


def test_a_partner_kind_is_read_in_french_or_english_whatever_the_language():
    from django.utils import translation

    from tremplin.core import tabular
    from tremplin.partners.importing import kind_index

    with translation.override("en"):
        index = kind_index()
    assert index[tabular.loose("Table de concertation des aînés")] == PartnerKind.SENIORS_TABLE
    assert index[tabular.loose(PartnerKind.SENIORS_TABLE.value)] == PartnerKind.SENIORS_TABLE
