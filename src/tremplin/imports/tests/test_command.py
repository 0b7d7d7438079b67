"""``tremplin import ENTITY FILE --map … [--dry-run]`` and ``tremplin import ENTITY --fields``."""

import datetime as dt
import io

import pytest
from django.core.management import CommandError, call_command

from tremplin.housing.models import Building
from tremplin.imports.models import ImportRecord
from tremplin.newsletter.models import Subscriber

LEVIS = "Office municipal d'habitation de Lévis"
FOREIGN = (
    "Liste des immeubles – Lévis\r\n"
    "Nom;Rue;Ville;CP;Nb log.\r\n"
    f"{LEVIS};10, rue des Commandeurs;Lévis;g6v6p5;5\r\n"
    f"{LEVIS};1, rue de l'Atlantide;Atlantis;G6V 4E1;3\r\n"
    f"{LEVIS};12, rue des Commandeurs;Lévis;G6V6P5;-2\r\n"
    "Total;;;;6\r\n"
)
MAP = ["--map", "Nom=provider", "--map", "Rue=Adresse", "--map", "Nb log.=Total des logements"]


def run(*args) -> str:
    out = io.StringIO()
    call_command("import", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def foreign(tmp_path):
    path = tmp_path / "immeubles.csv"
    path.write_bytes(FOREIGN.encode("cp1252"))
    return path


def test_it_lists_the_fields_of_an_entity(db):
    output = run("directory", "--fields")
    assert "provider: « Organisme » (obligatoire) — aussi : « Nom de l'organisme »" in output
    assert "total_units: « Total des logements »" in output
    assert "consent_date: « Date du consentement » (obligatoire)" in run("subscribers", "--fields")


def test_it_lists_the_headers_and_the_missing_fields_when_a_required_field_has_no_column(
    world, foreign
):
    with pytest.raises(CommandError) as error:
        run("directory", str(foreign), "--dry-run")
    message = str(error.value)
    assert "Champ obligatoire sans colonne : « Organisme », « Adresse »." in message
    assert "En-têtes du fichier : « Nom », « Rue », « Ville », « CP », « Nb log. »." in message
    assert "--map" in message and "tremplin import directory --fields" in message


def test_it_checks_a_mapped_file_line_by_line_then_imports_it_with_a_record(world, foreign):
    before = Building.objects.count()
    output = run("directory", str(foreign), *MAP, "--dry-run")
    assert "Ligne 3 : Créé — " in output
    assert "Ligne 4 : Rejeté — " in output and "Municipalité inconnue : « Atlantis »" in output
    assert "Ligne 5 : Rejeté — " in output
    assert "Nombre de logements négatif dans la colonne « Nb log. » : -2" in output
    assert "Ligne 6 ignorée : ligne de totaux (« Total »)." in output
    assert "Rien n'a été enregistré" in output
    assert Building.objects.count() == before and not ImportRecord.objects.exists()

    output = run("directory", str(foreign), *MAP)
    assert "Importation terminée : 1 créé(s), 0 mis à jour, 2 rejeté(s)." in output
    record = ImportRecord.objects.get()
    assert record.via_command and record.user is None and record.filename == "immeubles.csv"
    assert record.mapping == {
        "Nom": "provider",
        "Rue": "address",
        "Ville": "municipality",
        "CP": "postal_code",
        "Nb log.": "total_units",
    }
    assert Building.objects.get(address="10, rue des Commandeurs").total_units == 5

    # The same headers again: the saved mapping applies without --map.
    output = run("directory", str(foreign), "--dry-run")
    assert "Ligne 3 : Inchangé — " in output


def test_it_refuses_a_user_who_may_not_import(world, personas, foreign):
    with pytest.raises(CommandError, match="n'a pas le droit d'importer"):
        run("directory", str(foreign), *MAP, "--user", "organizer_a")
    assert not ImportRecord.objects.exists()


def test_it_names_unknown_headers_and_fields(world, foreign):
    with pytest.raises(CommandError, match="« Code » n'est pas un en-tête du fichier"):
        run("directory", str(foreign), "--map", "Code=provider", "--dry-run")
    with pytest.raises(CommandError, match="Champ inconnu : « licorne »"):
        run("directory", str(foreign), "--map", "Nom=licorne", "--dry-run")


def test_it_imports_subscribers_with_dates_as_people_type_them(personas, tmp_path):
    path = tmp_path / "inscriptions.csv"
    path.write_text(
        "Courriel,Date du consentement\n"
        "a@example.org,2009-06-06\n"
        "b@example.org,06/06/2009\n"
        "c@example.org,39970\n"
        "d@example.org,06/13/2009\n"
        "e@example.org,=TODAY()\n",
        encoding="utf-8",
    )
    with pytest.raises(CommandError, match="indiquez --user"):
        run("subscribers", str(path))
    output = run(
        "subscribers",
        str(path),
        "--option",
        "source=Rassemblement du 6 juin 2009",
        "--user",
        "coordination",
    )
    assert "Importation terminée : 3 créé(s)" in output
    assert "« 06/13/2009 » n'est pas une date (colonne « Date du consentement »)" in output
    assert "« =TODAY() » est une formule (colonne « Date du consentement »)" in output
    dates = {s.email: s.consent_at.date() for s in Subscriber.objects.all()}
    assert dates == dict.fromkeys(
        ["a@example.org", "b@example.org", "c@example.org"], dt.date(2009, 6, 6)
    )
    assert (
        Subscriber.objects.get(email="c@example.org").consent_source
        == "Rassemblement du 6 juin 2009"
    )
