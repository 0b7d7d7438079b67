"""``tremplin import directory FILE [--dry-run] [--user USERNAME]``."""

import csv
import io

import pytest
from django.core.management import CommandError, call_command

from tremplin.audit.models import AuditEntry
from tremplin.housing.models import Building, HousingProvider

ROWS = [
    ["Organisme", "Adresse", "Municipalité", "Code postal", "3½"],
    ["Office municipal d'habitation de Lévis", "10, rue des Commandeurs", "Lévis", "G6V 6P5", "5"],
    ["Office municipal d'habitation de Lévis", "25, rue Saint-Louis", "Lévis", "G6V 4E1", "30"],
    [
        "Office municipal d'habitation de Lévis",
        "1, rue de l'Atlantide",
        "Atlantis",
        "G6V 4E1",
        "-2",
    ],
]


@pytest.fixture
def directory_file(tmp_path):
    out = io.StringIO()
    csv.writer(out, delimiter=";", lineterminator="\r\n").writerows(ROWS)
    path = tmp_path / "répertoire.csv"
    path.write_bytes(out.getvalue().encode("cp1252"))
    return path


def run(*args) -> str:
    out = io.StringIO()
    call_command("import", *args, stdout=out)
    return out.getvalue()


def state():
    return (
        sorted(Building.objects.values_list("public_id", "address", "total_units", "updated_at")),
        sorted(HousingProvider.objects.values_list("public_id", "building_count", "unit_count")),
        AuditEntry.objects.count(),
    )


def test_it_prints_every_row_and_changes_nothing_in_a_dry_run(world, directory_file):
    before = state()
    output = run("directory", str(directory_file), "--dry-run")
    assert (
        "Ligne 2 : Créé — Office municipal d'habitation de Lévis – 10, rue des Commandeurs, Lévis"
        in output
    )
    assert "Ligne 3 : Mis à jour — " in output
    assert "Ligne 4 : Rejeté — " in output
    assert "Municipalité inconnue : « Atlantis »" in output
    assert "Nombre de logements négatif dans la colonne « 3½ » : -2" in output
    assert "1 créé(s), 1 mis à jour, 1 rejeté(s)." in output
    assert "Rien n'a été enregistré" in output
    assert state() == before


def test_it_applies_the_file_and_records_the_author(world, personas, directory_file):
    output = run("directory", str(directory_file), "--user", "coordination")
    assert "Importation terminée : 1 créé(s), 1 mis à jour, 1 rejeté(s)." in output
    assert Building.objects.filter(address="10, rue des Commandeurs").exists()
    assert Building.objects.get(pk=world["building_a"].pk).total_units == 34
    entry = AuditEntry.objects.get(action="housing.import")
    assert entry.user == personas["coordination"]
    assert entry.data["filename"] == "répertoire.csv"


def test_it_applies_without_an_author(world, directory_file):
    run("directory", str(directory_file))
    assert AuditEntry.objects.get(action="housing.import").user is None


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "Le fichier est vide."),
        (b"\x00\x01\x02\x03", "caractères nuls"),
        (b"PK\x03\x04abime", "Le fichier Excel est illisible"),
        (
            "Organisme;Municipalité;Code postal\r\nX;Lévis;G6V 6P5\r\n".encode(),
            "Champ obligatoire sans colonne : « Adresse ». En-têtes du fichier : « Organisme », "
            "« Municipalité », « Code postal »",
        ),
    ],
)
def test_it_fails_on_an_unreadable_file(world, tmp_path, content, message):
    path = tmp_path / "mauvais.csv"
    path.write_bytes(content)
    before = state()
    with pytest.raises(CommandError, match=message):
        run("directory", str(path))
    assert state() == before


def test_it_fails_on_a_missing_file(world, tmp_path):
    with pytest.raises(CommandError, match="Impossible de lire le fichier"):
        run("directory", str(tmp_path / "absent.csv"))


def test_it_fails_on_an_unknown_user_before_reading(world, directory_file):
    before = state()
    with pytest.raises(CommandError, match="Utilisateur inconnu : « personne »"):
        run("directory", str(directory_file), "--user", "personne")
    assert state() == before


def test_it_refuses_an_unknown_entity(world, directory_file):
    with pytest.raises(CommandError):
        run("licornes", str(directory_file))


def test_it_reports_an_unexpected_failure_and_saves_nothing(world, directory_file, monkeypatch):
    from tremplin.housing import importing

    def failing_log(*args, **kwargs):
        raise RuntimeError("journal indisponible")

    monkeypatch.setattr(importing, "log_action", failing_log)
    before = state()
    with pytest.raises(CommandError, match="rien n'a été enregistré : journal indisponible"):
        run("directory", str(directory_file))
    assert state() == before


def test_it_explains_itself_in_french():
    from django.core.management import load_command_class

    command = load_command_class("tremplin.imports", "import")
    help_text = " ".join(command.create_parser("tremplin", "import").format_help().split())
    assert "le répertoire des immeubles (directory)" in help_text
    assert "--dry-run" in help_text and "--user" in help_text
