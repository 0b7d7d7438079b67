"""Raw answers (CSV, XLSX) and the results report (PDF, DOCX), read back."""

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from tremplin.audit.models import AuditEntry
from tremplin.surveys import services


@pytest.fixture
def answered(answered, site_a):
    """The answers of the conftest, and one more with a formula and a volunteer's contact."""
    services.response_submit(
        site=site_a,
        answers={"satisfaction": ["1"], "idees": ['=HYPERLINK("http://x")']},
        volunteer={"name": "Marie Secret", "phone": "418 555-0123", "email": "", "note": ""},
    )
    return answered


def _get(client, name, campaign, *args):
    response = client.get(reverse(name, args=[campaign.public_id, *args]))
    assert response.status_code == 200
    return response


def test_it_exports_raw_answers_as_csv(answered, personas, login):
    response = _get(login(personas["organizer_a"]), "surveys:export-csv", answered)
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text[1:]), delimiter=";"))
    header, data = rows[0], rows[1:]
    assert header[:7] == [
        "réponse",
        "site",
        "code du site",
        "version",
        "date",
        "mode",
        "no de feuille",
    ]
    assert header[7:] == [
        "satisfaction", "securite", "salle", "pourquoi", "activites", "implication", "heures", "idees",
    ]  # fmt: skip
    assert len(data) == 11
    first = dict(zip(header, data[0], strict=True))
    assert first["satisfaction"] == "5"
    assert first["securite"] == "Oui"
    assert first["activites"] == "Cuisine collective ; Jardin"
    assert first["heures"] == "10"
    assert first["version"] == "1" and first["mode"] == "En ligne" and first["no de feuille"] == ""
    paper = [dict(zip(header, row, strict=True)) for row in data if row[5] == "Papier (saisie)"]
    assert sorted(r["no de feuille"] for r in paper) == ["1", "2", "3", "4"]
    # A formula typed by a respondent stays text; contact details are never exported.
    assert data[-1][header.index("idees")] == '\'=HYPERLINK("http://x")'
    assert "Secret" not in text and "555-0123" not in text
    assert AuditEntry.objects.filter(action="surveys.answers.export").count() == 1


def test_it_exports_raw_answers_as_xlsx(answered, personas, login):
    response = _get(login(personas["organizer_a"]), "surveys:export-xlsx", answered)
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["Réponses", "Questions"]
    rows = list(workbook["Réponses"].iter_rows(values_only=True))
    header, data = rows[0], rows[1:]
    assert len(data) == 11
    first = dict(zip(header, data[0], strict=True))
    assert first["satisfaction"] == 5 and first["heures"] == 10
    assert first["activites"] == "Cuisine collective ; Jardin"
    last = dict(zip(header, data[-1], strict=True))
    assert last["idees"] == '=HYPERLINK("http://x")'
    cell = workbook["Réponses"].cell(row=len(rows), column=header.index("idees") + 1)
    assert cell.data_type == "s"  # text, not a formula
    assert not any("Secret" in str(v) for row in rows for v in row)
    legend = list(workbook["Questions"].iter_rows(values_only=True))
    assert legend[1][:2] == ("satisfaction", 1)


def test_it_produces_the_results_report_as_pdf(answered, personas, login):
    from pypdf import PdfReader

    response = _get(login(personas["organizer_a"]), "surveys:report", answered, "pdf")
    assert response["Content-Type"] == "application/pdf"
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    text = " ".join(text.split())
    assert "Enquête mobilisante" in text
    assert "version 1" in text
    assert "Vous sentez-vous en sécurité ?" in text
    assert "50,0 %" in text and "37,5 %" in text
    assert "Résultat masqué : moins de 5 réponses." in text
    assert "Secret" not in text and "HYPERLINK" not in text


def test_it_produces_the_results_report_as_docx(answered, personas, login):
    from docx import Document

    response = _get(login(personas["organizer_a"]), "surveys:report", answered, "docx")
    doc = Document(io.BytesIO(response.content))
    paragraphs = "\n".join(p.text for p in doc.paragraphs)
    assert "Questionnaire : Enquête sur la vie dans l'immeuble, version 1." in paragraphs
    assert "Résultat masqué : moins de 5 réponses." in paragraphs
    cells = [[c.text for c in row.cells] for table in doc.tables for row in table.rows]
    assert ["Oui", "4", "50,0 %"] in cells  # securite across sites: 4 of 8
    assert ["Total", "11", "20", "55,0 %"] in cells
    assert len(doc.inline_shapes) == 5  # one chart per closed question shown
    assert "Secret" not in paragraphs
    assert not any("HYPERLINK" in c for row in cells for c in row)
