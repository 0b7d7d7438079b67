"""Import of the Répertoire from CSV/XLSX: reading, checking every row, applying all or nothing."""

import csv
import io
import time

import pytest
from openpyxl import Workbook, load_workbook

from tremplin.audit.models import AuditEntry
from tremplin.housing import exports, importing, selectors
from tremplin.housing.importing import apply_directory_file, check_directory_file
from tremplin.housing.models import Building, HousingProvider, Program, ProviderKind
from tremplin.territories.models import Municipality

OMH_LEVIS = "Office municipal d'habitation de Lévis"
OMH_ST_GEORGES = "Office municipal d'habitation de Saint-Georges"


def make_csv(records, *, delimiter=";", encoding="utf-8-sig", header=None) -> bytes:
    header = header or list(dict.fromkeys(k for r in records for k in r))
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(header)
    for record in records:
        writer.writerow([record.get(h, "") for h in header])
    return out.getvalue().encode(encoding)


def make_xlsx(records, *, header=None, title_rows=()) -> bytes:
    header = header or list(dict.fromkeys(k for r in records for k in r))
    wb = Workbook()
    ws = wb.active
    for title in title_rows:
        ws.append([title])
    ws.append(header)
    for record in records:
        ws.append([record.get(h) for h in header])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def new_row(**extra) -> dict:
    """A valid row for a new building of the OMH of Lévis."""
    row = {
        "Organisme": OMH_LEVIS,
        "Adresse": "10, rue des Commandeurs",
        "Municipalité": "Lévis",
        "Code postal": "g6v 6p5",
        "3½": "5",
    }
    row.update(extra)
    return row


def snapshot() -> dict:
    """Everything an import may change, to assert that nothing did."""
    return {
        "buildings": sorted(
            Building.objects.values_list(
                "public_id",
                "provider_id",
                "name",
                "address",
                "postal_code",
                "municipality_id",
                *Building.UNIT_FIELDS,
                "total_units",
                "program",
                "year_built",
                "has_elevator",
                "adapted_units",
                "has_common_room",
                "is_demo",
                "updated_at",
            )
        ),
        "clienteles": sorted(
            Building.clienteles.through.objects.values_list("building_id", "clientele_id")
        ),
        "providers": sorted(
            HousingProvider.objects.values_list(
                "public_id",
                "name",
                "kind",
                "municipality_id",
                "building_count",
                "unit_count",
                "search_key",
            )
        ),
        "audit": AuditEntry.objects.filter(action="housing.import").count(),
    }


def only_row(report) -> importing.RowResult:
    assert not report.file_errors, report.file_errors
    assert len(report.rows) == 1, report.rows
    return report.rows[0]


# --- Creating and updating -------------------------------------------------------------------


def test_it_creates_a_building_of_a_known_provider(world, personas):
    content = make_csv([new_row(**{"Clientèles": "Aînés; familles", "Ascenseur": "oui"})])
    before = snapshot()

    report = check_directory_file(content, "repertoire.csv")
    row = only_row(report)
    assert row.action == "create"
    assert row.line == 2
    assert OMH_LEVIS in row.label and "10, rue des Commandeurs" in row.label
    assert snapshot() == before  # the check writes nothing

    report = apply_directory_file(
        user=personas["coordination"], content=content, filename="repertoire.csv"
    )
    assert report.counts() == {"created": 1, "updated": 0, "unchanged": 0, "rejected": 0}
    building = Building.objects.get(address="10, rue des Commandeurs")
    assert building.provider == world["omh_a"]
    assert building.postal_code == "G6V 6P5"
    assert building.units_1br == 5 and building.total_units == 5
    assert building.has_elevator is True
    assert set(building.clienteles.values_list("code", flat=True)) == {"aines", "familles"}
    world["omh_a"].refresh_from_db()
    assert world["omh_a"].building_count == 2
    assert world["omh_a"].unit_count == 24 + 5
    assert "commandeurs" in world["omh_a"].search_key
    entry = AuditEntry.objects.get(action="housing.import")
    assert entry.user == personas["coordination"]
    assert entry.data["created"] == 1


def test_it_updates_a_building_found_by_provider_address_and_municipality(world):
    content = make_csv(
        [
            {
                "Organisme": OMH_LEVIS.upper(),
                "Adresse": "25 rue Saint-Louis",  # no comma, as often typed
                "Municipalité": "LEVIS",
                "Code postal": "G6V4E1",
                "3½": "20",
                "4½": "10",
            }
        ]
    )
    row = only_row(check_directory_file(content, "maj.csv"))
    assert row.action == "update"

    apply_directory_file(user=None, content=content, filename="maj.csv")
    building = Building.objects.get(pk=world["building_a"].pk)
    assert building.address == "25 rue Saint-Louis"
    assert building.total_units == 30
    assert Building.objects.count() == 2
    world["omh_a"].refresh_from_db()
    assert world["omh_a"].unit_count == 30


def test_it_updates_a_building_found_by_its_identifier(world):
    b = world["building_a"]
    content = make_csv(
        [
            new_row(
                **{"Identifiant de l'immeuble": str(b.public_id), "Adresse": "27, rue Saint-Louis"}
            )
        ]
    )
    report = apply_directory_file(user=None, content=content, filename="maj.csv")
    assert only_row(report).action == "update"
    b.refresh_from_db()
    assert b.address == "27, rue Saint-Louis"
    assert b.postal_code == "G6V 6P5"
    # Columns absent from the file keep their stored values.
    assert b.has_elevator is True
    assert list(b.clienteles.values_list("code", flat=True)) == ["aines"]


def test_it_moves_a_building_to_another_provider_and_refreshes_both(world):
    b = world["building_b"]
    content = make_csv(
        [
            {
                "Identifiant de l'immeuble": str(b.public_id),
                "Organisme": OMH_LEVIS,
                "Adresse": b.address,
                "Municipalité": "Saint-Georges",
                "Code postal": b.postal_code,
            }
        ]
    )
    apply_directory_file(user=None, content=content, filename="x.csv")
    b.refresh_from_db()
    assert b.provider == world["omh_a"]
    assert b.total_units == 14  # no unit column: the units are kept
    world["omh_a"].refresh_from_db()
    world["omh_b"].refresh_from_db()
    assert (world["omh_a"].building_count, world["omh_a"].unit_count) == (2, 24 + 14)
    assert (world["omh_b"].building_count, world["omh_b"].unit_count) == (0, 0)


def test_it_creates_a_provider_when_its_kind_is_given(world):
    coop = "Coopérative d'habitation du Fleuve"
    content = make_csv(
        [
            {
                "Organisme": coop,
                "Type d'organisme": "Coop",
                "Adresse": "1, rue A",
                "Municipalité": "Saint-Anselme",
                "Code postal": "G0R 2N0",
                "4½": "6",
            },
            {
                "Organisme": coop.upper(),
                "Adresse": "3, rue A",
                "Municipalité": "Saint-Anselme",
                "Code postal": "G0R 2N0",
                "4½": "4",
            },
        ]
    )
    report = check_directory_file(content, "coop.csv")
    assert [r.action for r in report.rows] == ["create", "create"]
    assert "nouvel organisme" in report.rows[0].label

    apply_directory_file(user=None, content=content, filename="coop.csv")
    provider = HousingProvider.objects.get(name=coop)
    assert provider.kind == ProviderKind.COOP
    assert provider.municipality == world["st_anselme"]
    assert (provider.building_count, provider.unit_count) == (2, 10)
    assert provider.name_key == "cooperative d'habitation du fleuve"


@pytest.mark.parametrize(
    ("kind_text", "kind"),
    [
        ("OMH", ProviderKind.OMH),
        ("oh", ProviderKind.OH),
        ("Coopérative", ProviderKind.COOP),
        ("OSBL", ProviderKind.OSBL),
        ("osbl-h", ProviderKind.OSBL),
        ("COOPERATIVE", ProviderKind.COOP),
    ],
)
def test_it_reads_provider_kinds_whatever_their_case_and_accents(world, kind_text, kind):
    content = make_csv(
        [
            new_row(
                **{
                    "Organisme": "Habitations Nouvelles",
                    "Type d'organisme": kind_text,
                    "Municipalité de l'organisme": "Saint-Anselme",
                }
            )
        ]
    )
    apply_directory_file(user=None, content=content, filename="x.csv")
    provider = HousingProvider.objects.get(name="Habitations Nouvelles")
    assert provider.kind == kind
    assert provider.municipality == world["st_anselme"]
    assert provider.buildings.get().municipality == world["levis"]


def test_it_tells_homonym_providers_apart_by_their_municipality(world):
    HousingProvider.objects.create(
        kind=ProviderKind.OSBL,
        name="Habitations Partage",
        name_key="habitations partage",
        municipality=world["levis"],
    )
    HousingProvider.objects.create(
        kind=ProviderKind.OSBL,
        name="Habitations Partage",
        name_key="habitations partage",
        municipality=world["st_georges"],
    )
    ambiguous = new_row(Organisme="Habitations Partage", Municipalité="Saint-Anselme")
    row = only_row(check_directory_file(make_csv([ambiguous]), "x.csv"))
    assert row.action == "reject"
    assert "Plusieurs organismes s'appellent « Habitations Partage »" in row.reasons[0]

    precise = {**ambiguous, "Municipalité de l'organisme": "Saint-Georges"}
    apply_directory_file(user=None, content=make_csv([precise]), filename="x.csv")
    assert (
        Building.objects.get(address=precise["Adresse"]).provider.municipality
        == world["st_georges"]
    )


def test_it_matches_municipalities_loosely_and_uses_the_mrc_for_homonyms(world):
    homonym = Municipality.objects.create(
        mrc=world["st_anselme"].mrc, code="19999", name="Saint-Georges"
    )
    rows = [
        new_row(
            Organisme=OMH_ST_GEORGES,
            Adresse="1, rue A",
            Municipalité="St-Georges",
            MRC="Beauce-Sartigan",
        ),
        new_row(
            Organisme=OMH_ST_GEORGES,
            Adresse="2, rue A",
            Municipalité="Saint-Georges",
            MRC="MRC de Bellechasse",
        ),
        new_row(Organisme=OMH_ST_GEORGES, Adresse="3, rue A", Municipalité="Saint-Georges"),
        new_row(Adresse="4, rue A", Municipalité="Lévis (V)"),
    ]
    report = apply_directory_file(user=None, content=make_csv(rows), filename="x.csv")
    assert [r.action for r in report.rows] == ["create", "create", "reject", "create"]
    assert "Municipalité ambiguë" in report.rows[2].reasons[0]
    assert Building.objects.get(address="1, rue A").municipality == world["st_georges"]
    assert Building.objects.get(address="2, rue A").municipality == homonym
    assert Building.objects.get(address="4, rue A").municipality == world["levis"]


def test_it_accepts_header_aliases_and_reports_unknown_columns(world):
    content = make_csv(
        [
            {
                "NOM DE L’ORGANISME ": OMH_LEVIS,
                "adresse": "10, rue des Commandeurs",
                "Ville": "Levis",
                "CP": "G6V6P5",
                "Nombre de logements": "12",
                "Commentaires": "à revoir",
            }
        ]
    )
    report = check_directory_file(content, "x.csv")
    assert only_row(report).action == "create"
    assert any("« Commentaires »" in note for note in report.notes)

    apply_directory_file(user=None, content=content, filename="x.csv")
    building = Building.objects.get(address="10, rue des Commandeurs")
    assert building.total_units == 12  # without a breakdown, counted as 3½ to be detailed
    assert building.units_1br == 12


def test_it_updates_the_total_only_when_the_stored_breakdown_allows_it(world):
    b = world["building_b"]  # 8 × 4½ and 6 × 5½
    base = {
        "Organisme": OMH_ST_GEORGES,
        "Adresse": b.address,
        "Municipalité": "Saint-Georges",
        "Code postal": b.postal_code,
    }
    same = check_directory_file(make_csv([{**base, "Nombre de logements": "14"}]), "x.csv")
    assert only_row(same).action == "unchanged"

    other = check_directory_file(make_csv([{**base, "Nombre de logements": "20"}]), "x.csv")
    row = only_row(other)
    assert row.action == "reject"
    assert "ne correspond pas à la répartition par taille" in row.reasons[0]


def test_it_skips_title_lines_above_the_header_and_empty_lines(world):
    content = make_xlsx(
        [new_row(**{"3½": 5}), {}, new_row(Adresse="12, rue des Commandeurs")],
        title_rows=["Répertoire des HLM – 2024", None],
    )
    report = check_directory_file(content, "x.xlsx")
    assert not report.file_errors
    assert [(r.line, r.action) for r in report.rows] == [(4, "create"), (6, "create")]


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("oui", True),
        ("Non", False),
        ("o", True),
        ("n", False),
        ("yes", True),
        ("no", False),
        ("1", True),
        ("0", False),
        ("x", True),
        ("X", True),
        ("vrai", True),
        ("faux", False),
        ("", False),
    ],
)
def test_it_reads_yes_no_columns(world, text, value):
    content = make_csv([new_row(Ascenseur=text, **{"Salle communautaire": text})])
    apply_directory_file(user=None, content=content, filename="x.csv")
    building = Building.objects.get(address="10, rue des Commandeurs")
    assert building.has_elevator is value
    assert building.has_common_room is value


def test_it_reads_programs_years_and_adapted_units(world):
    content = make_csv(
        [
            new_row(
                Programme="accèslogis",
                **{"Année de construction": "1987", "Logements adaptés": "2"},
            )
        ]
    )
    apply_directory_file(user=None, content=content, filename="x.csv")
    building = Building.objects.get(address="10, rue des Commandeurs")
    assert building.program == Program.ACCESLOGIS
    assert building.year_built == 1987
    assert building.adapted_units == 2


# --- Encodings, separators and formats ------------------------------------------------------


@pytest.fixture
def st_ephrem(world):
    return Municipality.objects.create(
        mrc=world["st_georges"].mrc, code="29038", name="Saint-Éphrem-de-Beauce"
    )


def accented_rows():
    return [
        new_row(Adresse="10, rue Saint-Étienne"),
        new_row(
            Organisme=OMH_ST_GEORGES,
            Adresse="5, route Lévesque",
            Municipalité="Saint-Éphrem-de-Beauce",
            **{"Code postal": "G0M 1R0"},
        ),
    ]


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-8", "cp1252"])
@pytest.mark.parametrize("delimiter", [";", ","])
def test_it_reads_csv_in_any_usual_encoding_and_separator(world, st_ephrem, encoding, delimiter):
    content = make_csv(accented_rows(), delimiter=delimiter, encoding=encoding)
    if encoding == "utf-8-sig":
        assert content.startswith(b"\xef\xbb\xbf")
    if encoding == "cp1252":
        assert "Lévis".encode("cp1252") in content

    report = apply_directory_file(user=None, content=content, filename="repertoire.csv")
    assert report.counts() == {"created": 2, "updated": 0, "unchanged": 0, "rejected": 0}, (
        report.rows
    )
    assert Building.objects.get(address="10, rue Saint-Étienne").municipality == world["levis"]
    assert Building.objects.get(address="5, route Lévesque").municipality == st_ephrem


def test_it_reads_xlsx_with_numbers_as_numbers(world, st_ephrem):
    rows = accented_rows()
    rows[0]["3½"] = 5
    rows[1]["3½"] = 7.0
    rows[1]["Année de construction"] = 1975
    content = make_xlsx(rows)
    report = apply_directory_file(user=None, content=content, filename="repertoire.xlsx")
    assert report.counts()["created"] == 2, report.rows
    building = Building.objects.get(address="5, route Lévesque")
    assert (building.units_1br, building.year_built) == (7, 1975)


def test_it_decides_the_format_by_content_not_by_name(world):
    xlsx = make_xlsx([new_row()])
    assert only_row(check_directory_file(xlsx, "mal-nomme.csv")).action == "create"
    text = make_csv([new_row()])
    assert only_row(check_directory_file(text, "mal-nomme.xlsx")).action == "create"


# --- Rejected rows ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "reason"),
    [
        ({"Municipalité": "Atlantis"}, "Municipalité inconnue : « Atlantis »"),
        ({"Code postal": "12345"}, "« 12345 » n'est pas un code postal canadien valide"),
        ({"3½": "-3"}, "Nombre de logements négatif dans la colonne « 3½ » : -3"),
        ({"3½": "beaucoup"}, "« beaucoup » n'est pas un nombre entier (colonne « 3½ »)"),
        ({"3½": "2.5"}, "« 2.5 » n'est pas un nombre entier"),
        ({"3½": "=A1*2"}, "« =A1*2 » est une formule (colonne « 3½ ») : les formules ne sont"),
        ({"Code postal": ""}, "Valeur manquante dans la colonne obligatoire « Code postal »"),
        ({"Adresse": " "}, "Valeur manquante dans la colonne obligatoire « Adresse »"),
        ({"Logements adaptés": "9"}, "Plus de logements adaptés (9) que de logements (5)"),
        ({"Clientèles": "Aînés; Martiens"}, "Clientèle inconnue : « Martiens »"),
        ({"Programme": "Logements du roi"}, "Programme inconnu : « Logements du roi »"),
        ({"Année de construction": "vers 1970"}, "Année de construction invalide : « vers 1970 »"),
        ({"Année de construction": "1492"}, "Année de construction invalide : « 1492 »"),
        (
            {"Municipalité": "Québec", "Code postal": "G1R 4S9"},
            "La municipalité « Québec » n'est pas dans la région de l'organisme",
        ),
        (
            {"Ascenseur": "peut-être"},
            "« peut-être » n'est pas une réponse oui/non valide (colonne « Ascenseur »)",
        ),
        ({"Organisme": "Inconnu inc."}, "Organisme inconnu : « Inconnu inc. »"),
        (
            {"Organisme": "Inconnu inc.", "Type d'organisme": "Condo"},
            "Type d'organisme inconnu : « Condo »",
        ),
        (
            {
                "Organisme": "Inconnu inc.",
                "Type d'organisme": "OMH",
                "Municipalité de l'organisme": "Atlantis",
            },
            "Municipalité de l'organisme inconnue : « Atlantis »",
        ),
        ({"Adresse": "x" * 201}, "Texte trop long dans la colonne « Adresse »"),
        ({"3½": "999999"}, "Nombre de logements invraisemblable"),
    ],
)
def test_it_rejects_a_bad_row_with_a_french_reason_and_changes_nothing(world, changes, reason):
    content = make_csv([new_row(**changes)])
    before = snapshot()
    row = only_row(check_directory_file(content, "x.csv"))
    assert row.action == "reject"
    assert any(reason in r for r in row.reasons), row.reasons

    report = apply_directory_file(user=None, content=content, filename="x.csv")
    assert report.counts() == {"created": 0, "updated": 0, "unchanged": 0, "rejected": 1}
    after = snapshot()
    assert after["audit"] == before["audit"] + 1  # the import itself is journaled
    after["audit"] = before["audit"]
    assert after == before


def test_it_gives_every_reason_of_a_row(world):
    content = make_csv([new_row(**{"Municipalité": "Atlantis", "Code postal": "zzz", "3½": "-1"})])
    row = only_row(check_directory_file(content, "x.csv"))
    assert len(row.reasons) == 3
    assert row.reasons[0].startswith("Municipalité inconnue")


def test_it_rejects_later_duplicates_of_a_row(world):
    b = world["building_a"]
    rows = [
        new_row(),
        new_row(Adresse="10 rue des commandeurs"),  # same building, typed differently
        new_row(**{"Identifiant de l'immeuble": str(b.public_id), "Adresse": b.address}),
        new_row(**{"Identifiant de l'immeuble": str(b.public_id).upper(), "Adresse": b.address}),
        new_row(Adresse=b.address),  # building_a again, without its identifier
    ]
    before = Building.objects.count()
    report = apply_directory_file(user=None, content=make_csv(rows), filename="x.csv")
    assert [r.action for r in report.rows] == ["create", "reject", "update", "reject", "reject"]
    assert report.rows[1].reasons == ["Doublon de la ligne 2"]
    assert report.rows[3].reasons == ["Doublon de la ligne 4"]
    assert report.rows[4].reasons == ["Doublon de la ligne 4"]
    assert Building.objects.count() == before + 1


# --- Malformed files --------------------------------------------------------------------------


def corrupt_xlsx() -> bytes:
    good = make_xlsx([new_row()])
    return good[: len(good) // 2]


@pytest.mark.parametrize(
    ("content", "filename", "error"),
    [
        pytest.param(b"", "vide.csv", "Le fichier est vide.", id="empty"),
        pytest.param(b"\r\n \r\n", "vide.csv", "Le fichier est vide.", id="blank"),
        pytest.param(
            bytes(range(1, 256)) * 8,
            "bizarre.csv",
            "n'est ni un fichier CSV lisible ni un classeur Excel",
            id="binary-garbage",
        ),
        pytest.param(
            b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "image.png", "caractères nuls", id="png"
        ),
        pytest.param(
            b"Organisme;Adresse\x00;Municipalit\xe9;Code postal\r\n",
            "nul.csv",
            "caractères nuls",
            id="csv-nul",
        ),
        pytest.param(
            b"PK\x03\x04" + b"\x00garbage" * 50,
            "abime.xlsx",
            "Le fichier Excel est illisible ou endommagé",
            id="corrupt-zip",
        ),
        pytest.param(
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100,
            "vieux.xls",
            "97-2003 (.xls)",
            id="xls",
        ),
        pytest.param(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "repertoire.pdf", "PDF", id="pdf"),
        pytest.param("Organisme;Adresse".encode("utf-16"), "unicode.csv", "UTF-16", id="utf-16"),
        pytest.param(
            "Office municipal d'habitation de Lévis;25, rue Saint-Louis;Lévis;G6V 4E1\r\n".encode(),
            "sans-entete.csv",
            "Champ obligatoire sans colonne",
            id="no-header",
        ),
        pytest.param(
            "Organisme;Adresse;Municipalité;Code postal\r\n".encode(),
            "entete.csv",
            "aucune ligne de données",
            id="header-only",
        ),
        pytest.param(
            b'Organisme;Adresse\r\n"Office;' + b"x" * 200_000,
            "long.csv",
            "mal formé",
            id="huge-cell",
        ),
        pytest.param(
            b"\x1f\x8b\x08\x08" + bytes(range(1, 200)),
            "repertoire.csv.gz",
            "ni un fichier CSV",
            id="gzip",
        ),
    ],
)
def test_it_reports_a_malformed_file_in_french_and_changes_nothing(world, content, filename, error):
    before = snapshot()
    report = check_directory_file(content, filename)
    assert report.rows == []
    assert any(error in e for e in report.file_errors), report.file_errors

    report = apply_directory_file(user=None, content=content, filename=filename)
    assert any(error in e for e in report.file_errors)
    assert snapshot() == before


def test_it_reports_a_truncated_xlsx(world):
    report = check_directory_file(corrupt_xlsx(), "coupe.xlsx")
    assert report.file_errors == [
        "Le fichier Excel est illisible ou endommagé. Ouvrez-le dans Excel ou LibreOffice et "
        "enregistrez-le de nouveau au format .xlsx (ou .csv)."
    ]


@pytest.mark.parametrize("missing", ["Organisme", "Adresse", "Municipalité", "Code postal"])
def test_it_refuses_a_file_without_a_required_column(world, missing):
    row = new_row()
    del row[missing]
    content = make_csv([row])
    before = snapshot()
    report = apply_directory_file(user=None, content=content, filename="x.csv")
    # The error names the field still missing and lists the file's headers (to map them).
    assert report.file_errors == [
        f"Champ obligatoire sans colonne : « {missing} ». En-têtes du fichier : "
        + ", ".join(f"« {h} »" for h in row)
        + "."
    ]
    assert report.rows == []
    assert snapshot() == before


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_it_refuses_a_file_with_too_many_rows(world, settings, fmt):
    settings.TREMPLIN_IMPORT_MAX_ROWS = 5
    rows = [new_row(Adresse=f"{n}, rue A") for n in range(6)]
    content = make_csv(rows) if fmt == "csv" else make_xlsx(rows)
    before = snapshot()
    report = apply_directory_file(user=None, content=content, filename=f"x.{fmt}")
    assert report.file_errors and "plus de 5 lignes" in report.file_errors[0]
    assert snapshot() == before
    settings.TREMPLIN_IMPORT_MAX_ROWS = 6
    assert not check_directory_file(content, f"x.{fmt}").file_errors


# --- Round trip with the exports --------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_it_imports_an_exported_file_back_without_changing_anything(world, personas, fmt):
    user = personas["coordination"]
    buildings = selectors.buildings_for_export(user, {})
    content = exports.csv_bytes(buildings) if fmt == "csv" else exports.xlsx_bytes(buildings)
    before = snapshot()

    report = apply_directory_file(user=user, content=content, filename=f"repertoire.{fmt}")
    assert not report.file_errors
    assert [r.action for r in report.rows] == ["unchanged", "unchanged"], report.rows
    after = snapshot()
    after["audit"] = before["audit"]
    assert after == before


def _edit_csv(content: bytes, public_id, header: str, value: str) -> bytes:
    text = content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))
    column = rows[0].index(header)
    for row in rows[1:]:
        if row[0] == str(public_id):
            row[column] = value
    out = io.StringIO()
    csv.writer(out, delimiter=";", lineterminator="\r\n").writerows(rows)
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def _edit_xlsx(content: bytes, public_id, header: str, value) -> bytes:
    wb = load_workbook(io.BytesIO(content))
    ws = wb.worksheets[0]
    column = [c.value for c in ws[1]].index(header) + 1
    for row in ws.iter_rows(min_row=2):
        if row[0].value == str(public_id):
            ws.cell(row=row[0].row, column=column, value=value)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_it_imports_an_edited_export(world, personas, fmt):
    user = personas["coordination"]
    b_a, b_b = world["building_a"], world["building_b"]
    b_b_before = Building.objects.filter(pk=b_b.pk).values().get()
    buildings = selectors.buildings_for_export(user, {})
    if fmt == "csv":
        content = _edit_csv(exports.csv_bytes(buildings), b_a.public_id, "3½", "30")
    else:
        content = _edit_xlsx(exports.xlsx_bytes(buildings), b_a.public_id, "3½", 30)

    report = apply_directory_file(user=user, content=content, filename=f"repertoire.{fmt}")
    # Rows come in territory order: Beauce (untouched) then Grand Littoral (edited).
    assert [r.action for r in report.rows] == ["unchanged", "update"], report.rows
    b_a.refresh_from_db()
    assert (b_a.units_1br, b_a.units_2br, b_a.total_units) == (30, 4, 34)
    assert Building.objects.filter(pk=b_b.pk).values().get() == b_b_before
    world["omh_a"].refresh_from_db()
    assert world["omh_a"].unit_count == 34


# --- All or nothing ---------------------------------------------------------------------------


def atomicity_rows(world):
    return [
        new_row(Adresse="1, rue A"),
        new_row(Adresse="2, rue A", Organisme="Coop nouvelle", **{"Type d'organisme": "Coop"}),
        new_row(Organisme=OMH_ST_GEORGES, Adresse="3, rue A", Municipalité="Saint-Georges"),
        new_row(
            **{
                "Identifiant de l'immeuble": str(world["building_a"].public_id),
                "Adresse": "25, rue Saint-Louis",
                "3½": "99",
                "Clientèles": "Familles",
            }
        ),
    ]


def test_it_saves_nothing_when_a_service_fails_midway(world, monkeypatch):
    content = make_csv(atomicity_rows(world))
    assert check_directory_file(content, "x.csv").counts() == {
        "created": 3,
        "updated": 1,
        "unchanged": 0,
        "rejected": 0,
    }
    before = snapshot()
    calls = []
    original = importing.provider_refresh

    def failing_refresh(provider):
        calls.append(provider.pk)
        if len(calls) == 2:  # the buildings and the first provider's counts are written by now
            raise RuntimeError("disque plein")
        original(provider)

    monkeypatch.setattr(importing, "provider_refresh", failing_refresh)
    with pytest.raises(RuntimeError, match="disque plein"):
        apply_directory_file(user=None, content=content, filename="x.csv")

    assert len(calls) == 2
    assert snapshot() == before
    assert not HousingProvider.objects.filter(name="Coop nouvelle").exists()


def test_it_saves_nothing_when_the_journal_fails(world, monkeypatch):
    content = make_csv(atomicity_rows(world))
    before = snapshot()

    def failing_log(*args, **kwargs):
        raise RuntimeError("journal indisponible")

    monkeypatch.setattr(importing, "log_action", failing_log)
    with pytest.raises(RuntimeError, match="journal indisponible"):
        apply_directory_file(user=None, content=content, filename="x.csv")
    assert snapshot() == before


def test_it_saves_nothing_when_a_row_breaks_a_model_rule(world, monkeypatch):
    """A row the check let through but the model refuses: everything is rolled back."""
    content = make_csv(atomicity_rows(world))
    before = snapshot()
    original_clean = Building.clean

    def strict_clean(self):
        original_clean(self)
        if self.address == "3, rue A":
            from django.core.exceptions import ValidationError

            raise ValidationError("règle imprévue")

    monkeypatch.setattr(Building, "clean", strict_clean)
    with pytest.raises(Exception, match="règle imprévue"):
        apply_directory_file(user=None, content=content, filename="x.csv")
    assert snapshot() == before


# --- Volume -----------------------------------------------------------------------------------


def test_it_checks_a_13000_row_file_in_reasonable_time(world):
    rows = []
    for n in range(13_000):
        provider = OMH_LEVIS if n % 2 else OMH_ST_GEORGES
        town = "Lévis" if n % 2 else "Saint-Georges"
        rows.append(
            {
                "Organisme": provider,
                "Adresse": f"{n}, rue du Test",
                "Municipalité": town,
                "Code postal": "G6V 6P5",
                "3½": str(n % 40),
                "4½": "2",
                "Clientèles": "Aînés",
                "Ascenseur": "oui",
            }
        )
    rows[100]["3½"] = "-1"
    content = make_csv(rows)
    started = time.perf_counter()
    report = check_directory_file(content, "gros.csv")
    elapsed = time.perf_counter() - started
    assert report.counts() == {"created": 12_999, "updated": 0, "unchanged": 0, "rejected": 1}
    assert elapsed < 60, elapsed


# --- Formula-looking text ---------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_it_keeps_formula_text_as_text_and_neutralises_it_again_on_export(world, personas, fmt):
    name = '=HYPERLINK("http://exemple.test","Cliquez")'
    content = make_csv([new_row(**{"Nom de l'immeuble": name})])
    report = apply_directory_file(user=None, content=content, filename="x.csv")
    assert report.counts()["created"] == 1
    assert any("commencent par =, +, - ou @" in n for n in report.notes)
    building = Building.objects.get(address="10, rue des Commandeurs")
    assert building.name == name  # stored as typed, never evaluated

    buildings = selectors.buildings_for_export(personas["coordination"], {})
    if fmt == "csv":
        exported = exports.csv_bytes(buildings)
        assert f"'{name}".replace('"', '""').encode() in exported
    else:
        exported = exports.xlsx_bytes(buildings)
        ws = load_workbook(io.BytesIO(exported)).worksheets[0]
        cell = next(c for row in ws.iter_rows() for c in row if c.value == f"'{name}")
        assert cell.data_type == "s"
    # And the export imports back unchanged (the apostrophe is taken off again).
    again = check_directory_file(exported, f"repertoire.{fmt}")
    assert sorted(r.action for r in again.rows) == ["unchanged"] * 3, again.rows
