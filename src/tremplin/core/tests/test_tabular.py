"""The tabular import framework on its own: reading, mapping, cells (no database)."""

import datetime as dt
import io
import zipfile
from decimal import Decimal

import pytest
from openpyxl import Workbook, load_workbook

from tremplin.core.tabular import (
    Field,
    Importer,
    MappingError,
    RowResult,
    dry_run,
    neutralise,
    parse_map_options,
)
from tremplin.core.tabular.cells import cell_text, parse_amount, parse_bool, parse_date, parse_int
from tremplin.core.tabular.mapping import Fields, build_mapping, header_key
from tremplin.core.tabular.reading import FileError, locate_header, open_source
from tremplin.core.tabular.rejects import rejected_xlsx

FIELDS = Fields(
    [
        Field("provider", "Organisme", required=True, aliases=("Nom de l'organisme",)),
        Field("address", "Adresse", required=True),
        Field("units", "Nombre de logements", aliases=("Logements",)),
        Field("notes", "Notes"),
        Field("units_1br", "3½"),
        Field("units_2br", "4½"),
    ]
)
KNOWN = FIELDS.known()


def xlsx(rows, *, merge=(), sheets=None) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "Données"
    for row in rows:
        ws.append(row)
    for ref in merge:
        ws.merge_cells(ref)
    for name in sheets or ():
        wb.create_sheet(name).append(["Organisme", "Adresse"])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def read(content, filename="f.csv", **kwargs):
    source = open_source(content, filename, known=KNOWN, **kwargs)
    line, headers = locate_header(source, KNOWN)
    return source, line, headers, [r for r in source.rows() if r[0] > line]


# --- Reading ----------------------------------------------------------------------------------


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252"])
@pytest.mark.parametrize("delimiter", [";", ",", "\t"])
def test_it_detects_the_encoding_and_the_separator(encoding, delimiter):
    text = delimiter.join(["Organisme", "Adresse", "Notes"]) + "\r\n"
    text += (
        delimiter.join(
            [
                "OMH de Lévis",
                "25, rue Saint-Louis" if delimiter != "," else "25 rue Saint-Louis",
                "Élevé",
            ]
        )
        + "\r\n"
    )
    source, line, headers, rows = read(text.encode(encoding))
    assert source.delimiter == delimiter
    assert headers == ["Organisme", "Adresse", "Notes"]
    assert rows[0][1][0] == "OMH de Lévis" and rows[0][1][2] == "Élevé"


def test_it_finds_the_header_below_title_lines_and_merged_header_cells():
    content = xlsx(
        [
            ["Répertoire des HLM – 2024"],
            [None],
            ["Organisme", "Adresse", "Logements", None],
            [None, None, "3½", "4½"],
            ["OMH de Lévis", "25, rue Saint-Louis", 20, 4],
        ],
        merge=["A1:D1", "A3:A4", "B3:B4", "C3:D3"],
    )
    source, line, headers, rows = read(content, "f.xlsx")
    # The header is the lower row: "Organisme" and "Adresse", merged over both, show on it.
    assert line == 4
    assert headers == ["Organisme", "Adresse", "3½", "4½"]
    assert rows == [(5, ["OMH de Lévis", "25, rue Saint-Louis", "20", "4"])]


def test_it_reads_the_chosen_sheet_and_names_the_sheets_when_it_is_missing():
    content = xlsx([["Notes"], ["x"]], sheets=["Immeubles"])
    source, line, headers, rows = read(content, "f.xlsx", sheet="Immeubles")
    assert source.sheet_names == ["Données", "Immeubles"] and headers == ["Organisme", "Adresse"]
    with pytest.raises(FileError, match="pas de feuille « Autre » ; ses feuilles : « Données »"):
        open_source(content, "f.xlsx", sheet="Autre")


def test_it_keeps_formulas_as_their_text_never_computed():
    content = xlsx([["Organisme", "Adresse", "Logements"], ["=1+1", "@SUM(A1)", "=SUM(C1:C1)"]])
    _source, _line, _headers, rows = read(content, "f.xlsx")
    assert rows[0][1] == ["=1+1", "@SUM(A1)", "=SUM(C1:C1)"]


def macro_workbook() -> bytes:
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(xlsx([["Organisme"]]))) as source,
        zipfile.ZipFile(out, "w") as target,
    ):
        for item in source.infolist():
            target.writestr(item, source.read(item))
        target.writestr("xl/vbaProject.bin", b"\x00macro")
    return out.getvalue()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "Le fichier est vide."),
        (bytes(range(1, 256)) * 4, "ni un fichier CSV lisible"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "caractères nuls"),
        (b"\x7fELF\x02\x01\x01\x00\x00\x00", "caractères nuls"),
        (
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
            + b"\x00" * 64
            + "EncryptedPackage".encode("utf-16-le"),
            "protégé par un mot de passe",
        ),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64, "97-2003"),
    ],
    ids=["empty", "binary", "png", "executable", "password", "xls"],
)
def test_it_refuses_files_that_are_not_spreadsheets(content, message):
    with pytest.raises(FileError, match=message):
        open_source(content, "renomme.csv")


def test_it_refuses_a_workbook_with_macros():
    with pytest.raises(FileError, match="contient des macros"):
        open_source(macro_workbook(), "classeur.xlsx")


# --- Mapping ----------------------------------------------------------------------------------


def test_it_maps_by_label_alias_saved_mapping_then_choice():
    headers = ["Nom de l'organisme", "ADRESSE ", "Nb log.", "Commentaires"]
    mapping, errors = build_mapping(headers, FIELDS)
    assert mapping == ["provider", "address", "", ""] and errors == []
    mapping, _ = build_mapping(headers, FIELDS, saved={"Nb log.": "units"})
    assert mapping == ["provider", "address", "units", ""]
    chosen = {"Nb log": "Nombre de logements", "commentaires": "notes", "Adresse": ""}
    mapping, errors = build_mapping(headers, FIELDS, chosen=chosen)
    assert mapping == ["provider", "", "units", "notes"]
    assert errors == [
        "Champ obligatoire sans colonne : « Adresse ». En-têtes du fichier : « Nom de "
        "l'organisme », « ADRESSE  », « Nb log. », « Commentaires »."
    ]


def test_it_refuses_duplicated_headers_and_two_columns_for_one_field():
    _mapping, errors = build_mapping(["Organisme", "Adresse", "organisme"], FIELDS)
    assert errors[0] == (
        "Deux colonnes portent le même en-tête « organisme » (colonnes 1 et 3) : renommez "
        "l'une d'elles."
    )
    _mapping, errors = build_mapping(
        ["Organisme", "Adresse", "Nom"], FIELDS, chosen={"Nom": "provider", "Organisme": "provider"}
    )
    assert errors == [
        "Les colonnes « Organisme », « Nom » correspondent toutes au même champ « Organisme »."
    ]


def test_it_names_unknown_headers_and_fields_of_a_chosen_mapping():
    _mapping, errors = build_mapping(
        ["Organisme", "Adresse"], FIELDS, chosen={"Ville": "address", "Adresse": "licorne"}
    )
    assert errors[0].startswith("« Ville » n'est pas un en-tête du fichier. En-têtes du fichier")
    assert errors[1].startswith("Champ inconnu : « licorne » (pour la colonne « Adresse »)")
    with pytest.raises(MappingError, match="Correspondance illisible"):
        parse_map_options(["Nom"])
    assert parse_map_options(["Nom = provider", "Notes="]) == {"Nom": "provider", "Notes": ""}


def test_header_keys_ignore_case_accents_spaces_and_halves():
    assert header_key(" Nom de l’Organisme ") == header_key("NOM DE L'ORGANISME")
    assert header_key("2 1/2 et moins") == header_key("2½ et moins")


# --- Cells ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("2009-06-06", dt.date(2009, 6, 6)),
        ("06/06/2009", dt.date(2009, 6, 6)),
        ("6/6/2009", dt.date(2009, 6, 6)),
        ("13/06/2009", dt.date(2009, 6, 13)),
        ("39970", dt.date(2009, 6, 6)),  # Excel's serial number
        ("2009-06-06 14:30:00", dt.date(2009, 6, 6)),
        ("", None),
    ],
)
def test_it_reads_dates_as_people_type_them(text, value):
    assert parse_date(text) == value


@pytest.mark.parametrize("text", ["06/13/2009", "6 juin", "2009", "2009-02-30", "=TODAY()"])
def test_it_refuses_dates_it_cannot_read(text):
    with pytest.raises(ValueError):
        parse_date(text)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("1 234,56 $", Decimal("1234.56")),
        ("1234.56", Decimal("1234.56")),
        ("255\u00a0000 $", Decimal("255000.00")),
        ("$1,234.56", Decimal("1234.56")),
        ("1.234,56", Decimal("1234.56")),
        ("12,5", Decimal("12.50")),
        ("1,234", Decimal("1234.00")),
        ("", None),
    ],
)
def test_it_reads_amounts_in_french_and_english(text, value):
    assert parse_amount(text) == value


@pytest.mark.parametrize("text", ["beaucoup", "1.2.3", "=A1*2", "$"])
def test_it_refuses_amounts_it_cannot_read(text):
    with pytest.raises(ValueError):
        parse_amount(text)


def test_it_reads_integers_and_yes_no():
    assert parse_int("1 200") == 1200 and parse_int("12,0") == 12 and parse_int("") is None
    with pytest.raises(ValueError):
        parse_int("2.5")
    assert parse_bool("Oui") is True and parse_bool("x") is True and parse_bool("") is False
    with pytest.raises(ValueError):
        parse_bool("peut-être")


def test_it_neutralises_formula_text_on_export_and_takes_it_back_on_import():
    for text in ('=HYPERLINK("http://x")', "+1+1", "-2+3", "@SUM(A1)"):
        assert neutralise(text) == "'" + text
        assert cell_text(neutralise(text)) == text
    assert neutralise("-12") == "-12" and neutralise(-12) == -12 and neutralise("Lévis") == "Lévis"


def test_the_rejected_rows_workbook_keeps_formulas_as_text():
    content = rejected_xlsx(
        ["Organisme", "Adresse"],
        [{"line": 3, "cells": ["=1+1", "x"], "reasons": ["Municipalité inconnue"]}],
    )
    ws = load_workbook(io.BytesIO(content)).active
    rows = [[c.value for c in row] for row in ws.iter_rows()]
    assert rows[0] == ["Organisme", "Adresse", "Motifs du rejet", "Ligne d'origine"]
    assert rows[1] == ["'=1+1", "x", "Municipalité inconnue", 3]
    assert ws["A2"].data_type == "s"


# --- The runner, with an importer that writes nothing -----------------------------------------


class Notebook(Importer):
    """Rows of (provider, address, units): every row accepted unless its cells are wrong."""

    entity = "notebook"
    fields = list(FIELDS.fields)

    def check(self, row):
        reasons = []
        row.required(["provider", "address"], reasons)
        if row.has("units"):
            row.integer("units", reasons, minimum=0, maximum=500)
        action = "reject" if reasons else "create"
        return RowResult(row.line, action, row.text("provider"), reasons), None


def test_the_dry_run_skips_totals_rejects_identical_rows_and_names_line_and_column():
    content = xlsx(
        [
            ["Inventaire 2024"],
            ["Organisme", "Adresse", "Logements", "Notes"],
            ["OMH de Lévis", "25, rue Saint-Louis", 24, '=HYPERLINK("http://x")'],
            ["omh de lévis", "25, rue saint-louis", 24, '=hyperlink("http://x")'],
            ["OMH de Saint-Georges", "150, 18e Rue", "=SUM(C3:C4)", None],
            ["Coop du Fleuve", None, 501, None],
            ["Total", None, 48, None],
        ]
    )
    report = dry_run(Notebook(), content, "inventaire.xlsx")
    assert report.file_errors == [] and report.header_line == 2
    assert [(r.line, r.action) for r in report.rows] == [
        (3, "create"),
        (4, "reject"),
        (5, "reject"),
        (6, "reject"),
    ]
    assert report.rows[1].reasons == ["Doublon de la ligne 3 (mêmes valeurs)."]
    assert report.rows[2].reasons == [
        "« =SUM(C3:C4) » est une formule (colonne « Logements ») : les formules ne sont jamais "
        "calculées ; inscrivez la valeur."
    ]
    assert report.rows[3].reasons == [
        "Valeur manquante dans la colonne obligatoire « Adresse »",
        "501 est hors limites dans la colonne « Logements » (0 à 500).",
    ]
    assert "Ligne 7 ignorée : ligne de totaux (« Total »)." in report.notes
    assert any(n.startswith("3 cellule(s) commencent par =") for n in report.notes)
    assert report.rows[0].cells is None and report.rows[3].cells[0] == "Coop du Fleuve"


def test_the_dry_run_refuses_a_header_without_rows_and_too_many_rows(settings):
    report = dry_run(Notebook(), b"Organisme;Adresse\r\n", "entete.csv")
    assert report.file_errors == ["Le fichier ne contient aucune ligne de données sous l'en-tête."]
    settings.TREMPLIN_IMPORT_MAX_ROWS = 2
    content = b"Organisme;Adresse\r\n" + b"".join(b"O%d;A\r\n" % n for n in range(3))
    report = dry_run(Notebook(), content, "gros.csv")
    assert report.file_errors == [
        "Le fichier compte plus de 2 lignes : découpez-le en plusieurs fichiers."
    ]
    assert report.rows == []
