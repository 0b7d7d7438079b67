"""The import pages: upload → mapping → review → commit, history, rejected rows, undo."""

import csv
import datetime as dt
import html as htmllib
import io
import re
import zipfile

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook, load_workbook

from tremplin.accounts.roles import Role
from tremplin.accounts.services import membership_set
from tremplin.audit.models import AuditEntry
from tremplin.housing.models import Building, HousingProvider
from tremplin.housing.services import building_save
from tremplin.imports.models import ImportRecord

UPLOAD_URL = reverse("imports:upload", args=["directory"])
LEVIS = "Office municipal d'habitation de Lévis"


def make_csv(header, rows) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return ("\ufeff" + out.getvalue()).encode()


# Headers that are not Tremplin's: "Nom" (an alias of the building's name) holds the provider,
# "Nb log." is unknown, "Rue" is unknown.
FOREIGN = make_csv(
    ["Nom", "Rue", "Ville", "CP", "Nb log."],
    [
        [LEVIS, "10, rue des Commandeurs", "Lévis", "g6v6p5", "5"],
        [LEVIS, "25, rue Saint-Louis", "Lévis", "g6v4e2", "24"],
        [LEVIS, "1, rue de l'Atlantide", "Atlantis", "G6V 4E1", "3"],
        [LEVIS, "10, rue des Commandeurs", "Lévis", "g6v6p5", "5"],
    ],
)
MAPPING = {"Nom": "provider", "Rue": "address", "Ville": "municipality", "CP": "postal_code"}


def macro_workbook() -> bytes:
    """A workbook with a VBA project (what Excel saves as .xlsm), renamed .xlsx."""
    wb = Workbook()
    wb.active.append(["Organisme", "Adresse", "Municipalité", "Code postal"])
    plain, out = io.BytesIO(), io.BytesIO()
    wb.save(plain)
    with zipfile.ZipFile(plain) as source, zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            target.writestr(item, source.read(item))
        target.writestr("xl/vbaProject.bin", b"\x00macro")
    return out.getvalue()


def page(response) -> str:
    return htmllib.unescape(response.content.decode())


def state():
    return (
        sorted(Building.objects.values_list("public_id", "address", "total_units", "updated_at")),
        HousingProvider.objects.count(),
        AuditEntry.objects.filter(action="housing.import").count(),
    )


def directory_values():
    """The directory's content, without modification times (an undo is itself a change)."""
    return (
        sorted(Building.objects.values_list("public_id", "address", "postal_code", "total_units")),
        sorted(HousingProvider.objects.values_list("public_id", "building_count", "unit_count")),
    )


def upload(client, content=FOREIGN, name="repertoire.csv"):
    return client.post(UPLOAD_URL, {"file": SimpleUploadedFile(name, content)})


def map_columns(client, record, mapping):
    form = client.get(reverse("imports:mapping", args=[record.public_id])).context["form"]
    data = {n: mapping.get(h, f.initial) for n, h in form.columns for f in [form.fields[n]]}
    return client.post(reverse("imports:mapping", args=[record.public_id]), data)


def test_it_imports_a_file_with_foreign_headers_after_mapping_its_columns(personas, login, world):
    client = login(personas["coordination"])
    before = state()
    response = upload(client)
    record = ImportRecord.objects.get()
    assert response.url == reverse("imports:mapping", args=[record.public_id])
    assert record.checksum and len(record.checksum) == 64 and record.headers[0] == "Nom"

    # The mapping page: a labelled select per column, pre-filled ("Ville" and "CP" are aliases,
    # "Nom" is the building's name), the required fields missing listed before any row is read.
    html = page(client.get(response.url))
    assert '<label for="id_col_0">Nom</label>' in html
    assert re.search(r'<option value="municipality" selected>', html)
    assert "Champ obligatoire sans colonne : « Organisme », « Adresse »" in html
    assert "Premières lignes du fichier" in html and "<td>Atlantis</td>" in html
    assert "style=" not in html and not re.search(r"<script(?![^>]*\bsrc=)", html)

    response = map_columns(client, record, {**MAPPING, "Nb log.": "total_units"})
    assert response.url == reverse("imports:review", args=[record.public_id])
    review = page(client.get(response.url))
    assert "Municipalité inconnue : « Atlantis »" in review
    assert "Doublon de la ligne 2" in review
    assert "Importer les 2 lignes acceptées" in review
    assert state() == before  # mapping and review write nothing

    response = client.post(reverse("imports:review", args=[record.public_id]))
    record.refresh_from_db()
    assert record.status == ImportRecord.Status.APPLIED
    assert record.counts == {"created": 1, "updated": 1, "unchanged": 0, "rejected": 2}
    assert record.mapping["Nb log."] == "total_units" and bytes(record.content) == b""
    html = page(client.get(reverse("imports:review", args=[record.public_id])))
    assert '<th scope="row">Nb log.</th><td><span lang="fr">Total des logements</span>' in html
    building = Building.objects.get(address="10, rue des Commandeurs")
    assert (building.postal_code, building.total_units) == ("G6V 6P5", 5)
    assert Building.objects.get(pk=world["building_a"].pk).postal_code == "G6V 4E2"

    # The rejected rows, with their reasons, ready to be corrected.
    sheet = load_workbook(
        io.BytesIO(client.get(reverse("imports:rejected", args=[record.public_id])).content)
    ).active
    rows = [[c.value for c in r] for r in sheet.iter_rows()]
    assert rows[0] == ["Nom", "Rue", "Ville", "CP", "Nb log.", "Motifs du rejet", "Ligne d'origine"]
    assert rows[1][2] == "Atlantis" and "Municipalité inconnue" in rows[1][5] and rows[1][6] == 4
    assert rows[2][5] == "Doublon de la ligne 2"

    # The next file with the same headers is mapped alike.
    upload(client, FOREIGN, name="encore.csv")
    again = ImportRecord.objects.filter(status=ImportRecord.Status.DRAFT).get()
    assert again.mapping == record.mapping


def test_it_undoes_an_import_then_explains_what_it_cannot_undo(personas, login, world):
    client = login(personas["coordination"])
    upload(client)
    record = ImportRecord.objects.get()
    map_columns(client, record, MAPPING)
    before = directory_values()
    client.post(reverse("imports:review", args=[record.public_id]))
    assert directory_values() != before

    response = client.post(reverse("imports:undo", args=[record.public_id]))
    assert response.status_code == 302
    # The building created is gone, the one updated has its postal code back, counts too.
    assert directory_values() == before
    assert AuditEntry.objects.filter(action="imports.undo").count() == 1
    record.refresh_from_db()
    assert record.status == ImportRecord.Status.UNDONE
    assert page(client.get(reverse("imports:review", args=[record.public_id]))).count("annulée")

    # A second import, then an edit of what it wrote through the directory's own service:
    # undo refuses, names the building and why, and writes nothing.
    upload(client, name="deux.csv")
    second = ImportRecord.objects.get(filename="deux.csv")
    map_columns(client, second, MAPPING)
    client.post(reverse("imports:review", args=[second.public_id]))
    building = Building.objects.get(address="10, rue des Commandeurs")
    building.name = "Renommé"
    building_save(user=personas["coordination"], building=building)
    after_edit = directory_values()
    response = client.post(reverse("imports:undo", args=[second.public_id]))
    assert response.status_code == 409
    assert "Immeuble « Renommé » : enregistrement modifié depuis l'importation." in page(response)
    assert directory_values() == after_edit
    second.refresh_from_db()
    assert second.status == ImportRecord.Status.APPLIED

    ImportRecord.objects.filter(pk=second.pk).update(
        committed_at=timezone.now() - dt.timedelta(days=31)
    )
    response = client.post(reverse("imports:undo", args=[second.public_id]))
    assert "que dans les 30 jours" in page(response)


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (b"", "vide.csv", "est vide"),
        (bytes(range(1, 256)) * 8, "binaire.csv", "ni un fichier CSV lisible"),
        (b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 50, "programme.csv", "caractères nuls"),
        (b"PK\x03\x04" + b"\x00garbage" * 50, "abime.xlsx", "illisible ou endommagé"),
        (macro_workbook(), "macros.xlsx", "contient des macros"),
        (
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
            + b"\x00" * 64
            + "EncryptedPackage".encode("utf-16-le"),
            "protege.xlsx",
            "protégé par un mot de passe",
        ),
    ],
    ids=["empty", "binary", "executable", "damaged", "macros", "password"],
)
def test_it_keeps_an_unreadable_file_on_the_upload_page(
    personas, login, world, content, name, message
):
    client = login(personas["coordination"])
    before = state()
    response = upload(client, content, name=name)
    assert response.status_code == 200
    html = page(response)
    assert message in html and 'href="#id_file"' in html  # the error links to its field
    assert not ImportRecord.objects.exists() and state() == before


@pytest.mark.parametrize(
    ("content", "mapping", "message"),
    [
        (
            make_csv(["Organisme", "Adresse", "Municipalité", "Code postal"], []),
            {},
            "aucune ligne de données",
        ),
        (
            make_csv(["Organisme", "Adresse", "Adresse", "Code postal"], [["x", "y", "z", "w"]]),
            {},
            "Deux colonnes portent le même en-tête « Adresse »",
        ),
        (FOREIGN, {**MAPPING, "Nb log.": "provider"}, "correspondent toutes au même champ"),
        (FOREIGN, {**MAPPING, "Ville": ""}, "Champ obligatoire sans colonne : « Municipalité »"),
    ],
    ids=["header-only", "duplicated-headers", "two-columns-one-field", "required-unmapped"],
)
def test_it_writes_nothing_for_a_file_that_cannot_be_mapped(
    personas, login, world, content, mapping, message
):
    client = login(personas["coordination"])
    before = state()
    upload(client, content)
    record = ImportRecord.objects.get()
    response = map_columns(client, record, mapping)
    if response.status_code == 302:  # the mapping holds: the review says what is wrong
        response = client.get(response.url)
        if response.status_code == 302:
            response = client.get(response.url)
    assert message in page(response)
    assert client.post(reverse("imports:review", args=[record.public_id])).status_code == 302
    record.refresh_from_db()
    assert record.status == ImportRecord.Status.DRAFT and state() == before


def test_it_refuses_a_file_over_the_size_limit(personas, login, world, settings):
    settings.TREMPLIN_IMPORT_MAX_BYTES = 1024 * 1024
    response = upload(login(personas["coordination"]), FOREIGN + b"x" * (1024 * 1024))
    assert "Le fichier dépasse la taille maximale de 1 Mo" in page(response)
    assert not ImportRecord.objects.exists()


@pytest.mark.parametrize(
    "persona", ["organizer_a", "worker_a", "housing_manager", "partner", "researcher", "no_role"]
)
def test_it_hides_the_directory_import_from_everyone_but_the_coordination(
    personas, login, world, persona
):
    upload(login(personas["coordination"]))
    record = ImportRecord.objects.get()
    client = login(personas[persona])
    for url in (
        UPLOAD_URL,
        reverse("housing:import-upload"),
        reverse("imports:mapping", args=[record.public_id]),
        reverse("imports:review", args=[record.public_id]),
    ):
        assert client.get(url).status_code == 404, url
    assert upload(client).status_code == 404
    assert client.post(reverse("imports:review", args=[record.public_id])).status_code == 404
    assert client.post(reverse("imports:undo", args=[record.public_id])).status_code == 404
    assert ImportRecord.objects.get().status == ImportRecord.Status.DRAFT


def test_it_hides_an_import_from_another_coordinator(personas, login, world):
    upload(login(personas["coordination"]))
    record = ImportRecord.objects.get()
    other = get_user_model().objects.create_user("coordination2", "c2@example.org", "x-42-y-42-z")
    membership_set(user=other, role=Role.COORDINATION)
    client = login(other)
    assert client.get(reverse("imports:review", args=[record.public_id])).status_code == 404
    assert client.get(reverse("imports:history")).status_code == 200
    assert record.filename not in page(client.get(reverse("imports:history")))


def test_it_sends_anonymous_visitors_to_the_login_page(client, world):
    for url in (UPLOAD_URL, reverse("imports:history")):
        response = client.get(url)
        assert response.status_code == 302 and response.url.startswith(reverse("accounts:login"))
