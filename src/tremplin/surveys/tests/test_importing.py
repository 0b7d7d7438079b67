"""Paper answers of a campaign typed into a spreadsheet, imported through the framework."""

import io

from openpyxl import Workbook

from tremplin.imports import services as imports
from tremplin.surveys.models import AnswerValue, Response, Source

from .conftest import make_campaign


def sheets(rows) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.append(["Saisie des feuilles papier — Lévis"])
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def test_it_imports_paper_sheets_with_the_paper_entry_rules(world, personas, version):
    campaign = make_campaign(version, [world["building_a"]])
    site = campaign.sites.get()
    organizer = personas["organizer_a"]
    content = sheets(
        [
            ["Immeuble", "No", "Q1", "Vous sentez-vous en sécurité ?", "activites", "heures"],
            ["25, rue Saint-Louis", 1, 4, "Plutôt oui", "Jardin; cuisine", None],
            [site.code, 2, 5, "non", None, None],
            ["25, rue Saint-Louis", 2, 3, "oui", None, None],  # sheet 2 again
            ["25, rue Saint-Louis", 3, 9, "peut-être", None, None],
            ["Ailleurs", 4, 2, None, None, None],
        ]
    )
    options = {"campaign": str(campaign.public_id)}
    report, record = imports.import_file(
        user=organizer, entity="answers", content=content, filename="feuilles.xlsx", options=options
    )
    assert (
        report.mapping[:3] == ["site", "sheet_number", "satisfaction"]
        or report.mapping[0] == "site"
    )
    assert [r.action for r in report.rows] == ["create", "create", "reject", "reject", "reject"]
    assert "Feuille no 2 en double (déjà à la ligne 4)" in report.rows[2].reasons[0]
    assert any("colonne « Q1 »" in r for r in report.rows[3].reasons)
    assert "Site inconnu dans cette campagne : « Ailleurs »" in report.rows[4].reasons
    first = Response.objects.get(sheet_number=1)
    assert first.source == Source.PAPER and first.entered_by == organizer
    chosen = set(
        AnswerValue.objects.filter(response=first, question__name="activites").values_list(
            "choice__name", flat=True
        )
    )
    assert chosen == {"jardin", "cuisine"}
    site.refresh_from_db()
    assert site.paper_count == 2

    # A second file with sheet 1 again: refused row by row, nothing else changes.
    again, _record = imports.import_file(
        user=organizer,
        entity="answers",
        content=content,
        filename="feuilles.xlsx",
        options=options,
        dry_run=True,
    )
    assert "La feuille no 1 a déjà été saisie pour cette campagne." in again.rows[0].reasons

    assert imports.import_undo(user=organizer, record=record) == []
    assert not Response.objects.exists()
    site.refresh_from_db()
    assert site.paper_count == 0


def test_it_refuses_a_campaign_outside_the_users_territories(world, personas, version):
    campaign = make_campaign(version, [world["building_a"]])
    report, record = imports.import_file(
        user=personas["organizer_b"],
        entity="answers",
        content=sheets([["Site", "No"], ["x", 1]]),
        filename="f.xlsx",
        options={"campaign": str(campaign.public_id)},
    )
    assert report.file_errors == ["Campagne introuvable, ou que vous ne gérez pas."]
    assert record is None and not Response.objects.exists()
