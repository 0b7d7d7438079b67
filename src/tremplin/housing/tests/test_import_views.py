"""Pages of the Répertoire import: upload, review (dry run), confirm; only the coordination."""

import csv
import html as htmllib
import io
import re

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tremplin.accounts.roles import Role
from tremplin.accounts.services import membership_set
from tremplin.audit.models import AuditEntry
from tremplin.housing.models import Building, DirectoryImport, HousingProvider

UPLOAD_URL = reverse("housing:import-upload")


def make_csv(records) -> bytes:
    header = list(dict.fromkeys(k for r in records for k in r))
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(header)
    for record in records:
        writer.writerow([record.get(h, "") for h in header])
    return ("\ufeff" + out.getvalue()).encode()


ROWS = [
    {
        "Organisme": "Office municipal d'habitation de Lévis",
        "Adresse": "10, rue des Commandeurs",
        "Municipalité": "Lévis",
        "Code postal": "G6V 6P5",
        "3½": "5",
    },
    {
        "Organisme": "Office municipal d'habitation de Lévis",
        "Adresse": "25, rue Saint-Louis",
        "Municipalité": "Lévis",
        "Code postal": "G6V 4E1",
        "3½": "22",
        "4½": "4",
    },
    {
        "Organisme": "Office municipal d'habitation de Lévis",
        "Adresse": "1, rue de l'Atlantide",
        "Municipalité": "Atlantis",
        "Code postal": "G6V 4E1",
    },
]


def upload(client, content=None, name="repertoire.csv"):
    content = make_csv(ROWS) if content is None else content
    return client.post(
        UPLOAD_URL, {"file": SimpleUploadedFile(name, content, content_type="text/csv")}
    )


def page(response) -> str:
    return htmllib.unescape(response.content.decode())


def state():
    return (
        sorted(Building.objects.values_list("public_id", "address", "total_units", "updated_at")),
        HousingProvider.objects.count(),
        AuditEntry.objects.filter(action="housing.import").count(),
    )


def other_coordinator():
    user = get_user_model().objects.create_user(
        "coordination2", "c2@example.org", "mot-de-passe-de-test-42"
    )
    membership_set(user=user, role=Role.COORDINATION)
    return user


def test_it_shows_the_upload_form_with_the_expected_columns(personas, login):
    response = login(personas["coordination"]).get(UPLOAD_URL)
    assert response.status_code == 200
    html = page(response)
    assert 'enctype="multipart/form-data"' in html
    assert 'type="file"' in html
    assert "Colonnes attendues" in html
    for header in (
        "Organisme",
        "Adresse",
        "Municipalité",
        "Code postal",
        "Identifiant de l'immeuble",
    ):
        assert header in html
    assert 'scope="col"' in html and "<caption>" in html
    assert "style=" not in html


def test_it_checks_an_upload_then_applies_it_on_confirmation(personas, login, world):
    client = login(personas["coordination"])
    before = state()

    response = upload(client)
    job = DirectoryImport.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("housing:import-review", kwargs={"public_id": job.public_id})
    assert job.user == personas["coordination"]
    assert job.status == DirectoryImport.Status.CHECKED
    assert job.summary == {"created": 1, "updated": 1, "unchanged": 0, "rejected": 1}
    assert state() == before  # the check is a dry run

    review = client.get(response.url)
    assert review.status_code == 200
    html = page(review)
    assert "repertoire.csv" in html
    assert "10, rue des Commandeurs" in html and "25, rue Saint-Louis" in html
    assert "Municipalité inconnue : « Atlantis »" in html
    assert "Création" in html and "Mise à jour" in html and "Rejet" in html
    assert "Importer les 2 lignes acceptées" in html
    assert "csrfmiddlewaretoken" in html
    assert reverse("housing:import-upload") in html
    assert 'scope="col"' in html and "<caption>" in html
    assert "style=" not in html
    assert not re.search(r"<script(?![^>]*\bsrc=)", html)  # no inline script (CSP)

    confirm = client.post(response.url)
    assert confirm.status_code == 302
    assert confirm.url == reverse("housing:directory")
    job.refresh_from_db()
    assert job.status == DirectoryImport.Status.APPLIED
    assert job.summary == {"created": 1, "updated": 1, "unchanged": 0, "rejected": 1}
    assert Building.objects.filter(address="10, rue des Commandeurs").exists()
    assert Building.objects.get(pk=world["building_a"].pk).total_units == 26
    entry = AuditEntry.objects.get(action="housing.import")
    assert entry.user == personas["coordination"]


def test_it_does_nothing_more_when_an_applied_job_is_confirmed_again(personas, login, world):
    client = login(personas["coordination"])
    review_url = upload(client).url
    client.post(review_url)
    after_first = state()

    again = client.post(review_url)
    assert again.status_code == 200
    assert state() == after_first
    html = page(again)
    assert "déjà été importé" in html
    assert "Importer les" not in html
    assert Building.objects.filter(address="10, rue des Commandeurs").count() == 1


def test_it_offers_no_confirmation_when_every_row_is_rejected(personas, login, world):
    client = login(personas["coordination"])
    response = upload(client, make_csv([ROWS[2]]))
    html = page(client.get(response.url))
    assert "Aucune ligne n'est acceptée" in html
    assert "Importer les" not in html


def test_it_keeps_a_malformed_file_on_the_upload_page_with_the_reason(personas, login, world):
    client = login(personas["coordination"])
    response = upload(client, b"\x00\x01\x02binaire", name="image.csv")
    assert response.status_code == 200
    assert "caractères nuls" in page(response)
    assert not DirectoryImport.objects.exists()

    row = dict(ROWS[0])
    del row["Adresse"]
    response = upload(client, make_csv([row]))
    assert "Colonne obligatoire manquante : « Adresse »" in page(response)
    assert not DirectoryImport.objects.exists()


def test_it_refuses_a_file_over_5_mb(personas, login, world):
    client = login(personas["coordination"])
    content = make_csv(ROWS) + b"x" * (5 * 1024 * 1024)
    before = state()
    response = upload(client, content)
    assert response.status_code == 200
    assert "Le fichier dépasse la taille maximale de 5 Mo." in page(response)
    assert not DirectoryImport.objects.exists()
    assert state() == before


def test_it_accepts_an_xlsx_upload(personas, login, world):
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(list(ROWS[0]))
    ws.append(list(ROWS[0].values()))
    out = io.BytesIO()
    wb.save(out)
    client = login(personas["coordination"])
    response = upload(client, out.getvalue(), name="repertoire.xlsx")
    assert response.status_code == 302
    assert DirectoryImport.objects.get().summary == {
        "created": 1,
        "updated": 0,
        "unchanged": 0,
        "rejected": 0,
    }


@pytest.mark.parametrize(
    "persona", ["organizer_a", "worker_a", "housing_manager", "partner", "researcher", "no_role"]
)
def test_it_hides_the_import_from_everyone_but_the_coordination(
    personas, login, world, client, persona
):
    coordination = login(personas["coordination"])
    review_url = upload(coordination).url
    before = state()

    client = login(personas[persona])
    assert client.get(UPLOAD_URL).status_code == 404
    assert upload(client).status_code == 404
    assert client.get(review_url).status_code == 404
    assert client.post(review_url).status_code == 404
    assert DirectoryImport.objects.count() == 1
    assert DirectoryImport.objects.get().status == DirectoryImport.Status.CHECKED
    assert state() == before


def test_it_sends_anonymous_visitors_to_the_login_page(personas, login, world, client):
    review_url = upload(login(personas["coordination"])).url
    client.logout()
    before = state()
    login_url = reverse("accounts:login")
    for response in (
        client.get(UPLOAD_URL),
        upload(client),
        client.get(review_url),
        client.post(review_url),
    ):
        assert response.status_code == 302
        assert response.url.startswith(login_url)
    assert DirectoryImport.objects.count() == 1
    assert state() == before


def test_it_hides_an_import_from_another_coordinator(personas, login, world):
    review_url = upload(login(personas["coordination"])).url
    before = state()
    client = login(other_coordinator())
    assert client.get(review_url).status_code == 404
    assert client.post(review_url).status_code == 404
    assert DirectoryImport.objects.get().status == DirectoryImport.Status.CHECKED
    assert state() == before


def test_it_answers_404_for_an_unknown_job(personas, login, world):
    client = login(personas["coordination"])
    url = reverse(
        "housing:import-review", kwargs={"public_id": "00000000-0000-4000-8000-000000000000"}
    )
    assert client.get(url).status_code == 404
