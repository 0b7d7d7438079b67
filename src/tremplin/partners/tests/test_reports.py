"""The funding report in HTML, XLSX, DOCX and PDF, read back with the tools funders use.

Every format must show each line of seed 000's table and the same totals; in the workbook the
subtotals and totals are formulas, evaluated here by summing the cells they refer to.
"""

import io
import re
import zipfile
from html.parser import HTMLParser

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from django.shortcuts import resolve_url
from django.urls import reverse
from django.utils import translation

from tremplin.accounts.roles import Role
from tremplin.accounts.services import membership_set
from tremplin.core.formatting import money
from tremplin.demo.partners_loader import load_partners
from tremplin.partners import reports
from tremplin.partners.models import Agreement, Partner, PartnerKind

from .test_demo_funding import SEED_LINES, computed_totals

SLUG = "entente-2008-2011"
FORMATS = ["html", "xlsx", "pdf", "docx"]
MAGIC = {"pdf": b"%PDF-", "xlsx": b"PK", "docx": b"PK", "html": b"<!DOCTYPE html>"}
CASH_SUBTOTAL = "Sous-total — contributions en argent"
SERVICES_SUBTOTAL = "Sous-total — contributions en services"
TOTAL = "Total des investissements initiaux et des bonifications"
GRAND_TOTAL = "Grand total"
TOP_UP_HEADER = "Investissements bonifiés pour l'An 2 (2009-2010)"


@pytest.fixture
def agreement(db):
    load_partners()
    return Agreement.objects.get(slug=SLUG)


def fr_money(value) -> str:
    with translation.override("fr"):
        return money(value)


def expected_totals() -> list[tuple[str, int, int | None]]:
    """(label, initial column, top-up column) of the subtotal and total lines."""
    t = computed_totals()
    return [
        (CASH_SUBTOTAL, t["cash"], t["top_ups"]),  # the seed's top-ups are all cash
        (SERVICES_SUBTOTAL, t["services"], 0),
        (TOTAL, t["initial"], t["top_ups"]),
        (GRAND_TOTAL, t["grand_total"], None),
    ]


def test_it_checks_the_expected_totals_first():
    assert [(label, a, b) for label, a, b in expected_totals()] == [
        (CASH_SUBTOTAL, 506000, 59000),
        (SERVICES_SUBTOTAL, 331500, 0),
        (TOTAL, 837500, 59000),
        (GRAND_TOTAL, 896500, None),
    ]


def test_it_refuses_an_unknown_format(agreement):
    with pytest.raises(ValueError):
        reports.render_funding(agreement, "odt")


@pytest.mark.parametrize("fmt", FORMATS)
def test_it_returns_content_type_and_extension(agreement, fmt):
    content, content_type, ext = reports.render_funding(agreement, fmt)
    assert content.startswith(MAGIC[fmt])
    assert content_type == reports.CONTENT_TYPES[fmt] and ext == fmt


# --- HTML ------------------------------------------------------------------------------------


class _Text(HTMLParser):
    def __init__(self):
        super().__init__()
        self.parts, self._skip = [], False

    def handle_starttag(self, tag, attrs):
        self._skip = tag in {"style", "script"}

    def handle_endtag(self, tag):
        self._skip = False

    def handle_data(self, data):
        if not self._skip:
            self.parts.append(data)


def html_text(content: bytes) -> str:
    parser = _Text()
    parser.feed(content.decode("utf-8"))
    return re.sub(r"[ \t\r\n]+", " ", " ".join(parser.parts))


def test_it_renders_a_standalone_french_html_report(agreement):
    content, _type, _ext = reports.render_funding(agreement, "html")
    page = content.decode("utf-8")
    assert '<html lang="fr-CA">' in page
    head = page.split("</head>")[0]
    assert "<style>" in head and "@page" in head and "@media print" in head
    assert 'class="table funding-table"' in page  # the page's own fragment
    assert "<a " not in page.split("<body>")[1]  # links=False: a document, not an app page
    text = html_text(content)
    assert agreement.title in text
    assert "1er avril 2008 – 31 mars 2011" in text
    assert "Financement 2008-2011" in text and TOP_UP_HEADER in text
    assert "*CAS : Comité Chaudière-Appalaches santé" in text


def test_it_shows_every_line_and_total_in_html(agreement):
    text = html_text(reports.render_funding(agreement, "html")[0])
    for partner, purpose, initial, top_up, _kind in SEED_LINES:
        cells = " ".join(
            [partner, purpose] + [fr_money(v) for v in (initial, top_up) if v is not None]
        )
        assert cells in text, cells
    assert "255\u202f000\u00a0$" in text
    for label, initial, top_up in expected_totals():
        cells = " ".join([label] + [fr_money(v) for v in (initial, top_up) if v is not None])
        assert cells in text, cells


def test_it_renders_in_french_whatever_the_active_language(agreement):
    with translation.override("en"):
        text = html_text(reports.render_funding(agreement, "html")[0])
        docx = reports.render_funding(agreement, "docx")[0]
    assert "Investissements initiaux" in text and "255\u202f000\u00a0$" in text
    assert "$255,000" not in text
    assert "255\u202f000\u00a0$" in docx_cells(docx)


# --- XLSX ------------------------------------------------------------------------------------


def load_sheet(content: bytes):
    from openpyxl import load_workbook

    return load_workbook(io.BytesIO(content))["Financement"]


TERM = re.compile(r"SUM\(([A-Z]+\d+):([A-Z]+\d+)\)|([A-Z]+\d+)")


def evaluate(ws, ref: str):
    """The value of a cell, computing the formulas this report writes (SUM of ranges, +)."""
    value = ws[ref].value
    if isinstance(value, str) and value.startswith("="):
        total = 0
        for term in value[1:].split("+"):
            match = TERM.fullmatch(term)
            assert match, f"unexpected formula {value!r} in {ref}"
            if match.group(3):
                total += evaluate(ws, match.group(3))
            else:
                for row in ws[f"{match.group(1)}:{match.group(2)}"]:
                    total += sum(evaluate(ws, cell.coordinate) for cell in row)
        return total
    return value or 0


def _row_of(ws, label: str) -> int:
    rows = [c.row for c in ws["A"] if c.value == label]
    assert len(rows) == 1, label
    return rows[0]


def test_it_lays_out_the_workbook_like_the_seed(agreement):
    ws = load_sheet(reports.render_funding(agreement, "xlsx")[0])
    assert ws["A1"].value == agreement.title
    header = [c.value for c in ws[3]]
    assert header == ["Partenaires", "Engagements", "Investissements initiaux", TOP_UP_HEADER]
    assert ws["A4"].value == "Contributions en argent"
    assert ws.column_dimensions["A"].width > 30 and ws.column_dimensions["C"].width > 12
    notes_row = _row_of(ws, "*CAS : Comité Chaudière-Appalaches santé")
    assert notes_row > _row_of(ws, GRAND_TOTAL)


def test_it_writes_every_line_as_numbers_in_xlsx(agreement):
    ws = load_sheet(reports.render_funding(agreement, "xlsx")[0])
    lines = []
    for row in ws.iter_rows(min_row=4, max_col=4):
        a, b, c, d = row
        if b.value is None:  # section headers, subtotals, totals
            continue
        lines.append((a.value, b.value, c.value, d.value))
        for cell in (c, d):
            assert cell.number_format == '#,##0 "$"'
            assert cell.value is None or isinstance(cell.value, int)
    assert lines == [(p, u, i, t) for p, u, i, t, _k in SEED_LINES]
    # The unquantified contribution stays empty, not 0.
    row = _row_of(ws, "Commissions scolaires (4)")
    assert ws[f"C{row}"].value is None and ws[f"D{row}"].value is None


def test_it_computes_subtotals_and_totals_with_formulas(agreement):
    ws = load_sheet(reports.render_funding(agreement, "xlsx")[0])
    assert ws["C11"].value == "=SUM(C5:C10)"  # the seed's six cash lines, rows 5 to 10
    for label, initial, top_up in expected_totals():
        row = _row_of(ws, label)
        assert str(ws[f"C{row}"].value).startswith("="), label
        assert ws[f"C{row}"].number_format == '#,##0 "$"'
        assert evaluate(ws, f"C{row}") == initial, label
        if top_up is not None:
            assert str(ws[f"D{row}"].value).startswith("="), label
            assert evaluate(ws, f"D{row}") == top_up, label
    # The grand total is the initial total plus the top-ups, not a typed number.
    total_row, grand_row = _row_of(ws, TOTAL), _row_of(ws, GRAND_TOTAL)
    assert f"C{total_row}" in ws[f"C{grand_row}"].value
    assert f"D{total_row}" in ws[f"C{grand_row}"].value


def test_it_adds_one_column_per_top_up_year(agreement):
    later = Agreement.objects.get(slug="entente-2011-2016")
    ws = load_sheet(reports.render_funding(later, "xlsx")[0])
    headers = [c.value for c in ws[3]]
    assert headers[3:] == [
        "Investissements bonifiés pour l'An 2 (2012-2013)",
        "Investissements bonifiés pour l'An 3 (2013-2014)",
    ]
    from tremplin.partners.funding import funding_table

    table = funding_table(later)
    grand = _row_of(ws, GRAND_TOTAL)
    assert evaluate(ws, f"C{grand}") == table.grand_total
    assert evaluate(ws, f"E{_row_of(ws, TOTAL)}") == table.top_up(2013)
    assert any("fictive" in str(c.value) for c in ws["A"])


# --- DOCX ------------------------------------------------------------------------------------


def docx_document(content: bytes):
    from docx import Document

    return Document(io.BytesIO(content))


def docx_rows(content: bytes) -> list[list[str]]:
    table = docx_document(content).tables[0]
    return [[cell.text for cell in row.cells] for row in table.rows]


def docx_cells(content: bytes) -> str:
    return " | ".join(" | ".join(row) for row in docx_rows(content))


def test_it_shows_every_line_and_total_in_docx(agreement):
    content = reports.render_funding(agreement, "docx")[0]
    rows = docx_rows(content)
    assert rows[0] == ["Partenaires", "Engagements", "Investissements initiaux", TOP_UP_HEADER]
    lines = [row for row in rows if row[0] != row[1]]  # merged cells repeat their text
    assert lines[1:] == [[p, u, fr_money(i), fr_money(t)] for p, u, i, t, _kind in SEED_LINES]
    by_label = {row[0]: row for row in rows if row[0] == row[1]}
    for label, initial, top_up in expected_totals():
        assert by_label[label][2] == fr_money(initial), label
        if top_up is not None:
            assert by_label[label][3] == fr_money(top_up), label
    assert by_label[GRAND_TOTAL][2] == "896\u202f500\u00a0$"
    paragraphs = [p.text for p in docx_document(content).paragraphs]
    assert agreement.title in paragraphs
    assert "Période : 1er avril 2008 – 31 mars 2011" in paragraphs
    assert "*CAS : Comité Chaudière-Appalaches santé" in paragraphs


# --- PDF -------------------------------------------------------------------------------------


def compact(text: str) -> str:
    """No whitespace at all: extraction loses narrow spaces and adds some (line wraps, kerning)."""
    return re.sub(r"\s+", "", text)


def test_it_shows_every_line_and_total_in_pdf(agreement):
    from pypdf import PdfReader

    content = reports.render_funding(agreement, "pdf")[0]
    reader = PdfReader(io.BytesIO(content))
    width, height = reader.pages[0].mediabox.width, reader.pages[0].mediabox.height
    assert {round(float(width)), round(float(height))} == {612, 792}  # letter
    text = compact(" ".join(page.extract_text() for page in reader.pages))
    assert compact(agreement.title) in text
    for partner, purpose, initial, top_up, _kind in SEED_LINES:
        amounts = [fr_money(v) for v in (initial, top_up) if v is not None]
        line = compact(" ".join([partner, purpose, *amounts]))
        assert line in text, line
    for label, initial, top_up in expected_totals():
        amounts = [fr_money(v) for v in (initial, top_up) if v is not None]
        assert compact(" ".join([label, *amounts])) in text, label
    assert compact("*CAS : Comité Chaudière-Appalaches santé") in text


# --- CLI -------------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", FORMATS)
def test_it_writes_each_format_from_the_command_line(agreement, fmt, tmp_path, capsys):
    path = tmp_path / f"financement.{fmt}"
    call_command("report", "funding", "--agreement", SLUG, "--format", fmt, "-o", str(path))
    content = path.read_bytes()
    assert content.startswith(MAGIC[fmt])
    if fmt in {"xlsx", "docx"}:
        assert zipfile.is_zipfile(path)
    out = capsys.readouterr().out
    assert str(path) in out and "octets" in out


def test_it_takes_the_format_from_the_file_name(agreement, tmp_path):
    path = tmp_path / "tableau.xlsx"
    call_command("report", "funding", "--agreement", SLUG, "-o", str(path))
    assert load_sheet(path.read_bytes())["C11"].value == "=SUM(C5:C10)"


def test_it_refuses_an_unknown_agreement_in_french(agreement, tmp_path):
    path = tmp_path / "x.pdf"
    with pytest.raises(CommandError, match="Aucune entente n'a l'identifiant « inconnue »"):
        call_command("report", "funding", "--agreement", "inconnue", "-o", str(path))
    assert not path.exists()


def test_it_asks_for_the_agreement_and_the_format(agreement, tmp_path):
    with pytest.raises(CommandError, match="--agreement"):
        call_command("report", "funding", "-o", str(tmp_path / "x.pdf"))
    with pytest.raises(CommandError, match="--format"):
        call_command("report", "funding", "--agreement", SLUG, "-o", str(tmp_path / "x.txt"))


# --- views -----------------------------------------------------------------------------------


@pytest.fixture
def parties(agreement, personas):
    Partner.objects.get(name="Société d'habitation du Québec").users.add(personas["partner"])
    outsider = get_user_model().objects.create_user("partenaire-externe", "x@example.org", "x")
    membership_set(user=outsider, role=Role.PARTNER, territories=[])
    Partner.objects.create(name="Organisme non signataire", kind=PartnerKind.OTHER).users.add(
        outsider
    )
    return {**personas, "outsider": outsider}


def _url(fmt):
    return reverse("partners:funding-export", args=[SLUG, fmt])


@pytest.mark.parametrize("who", ["coordination", "organizer_a", "partner"])
def test_it_serves_every_format_to_those_who_read_funding(parties, login, who):
    client = login(parties[who])
    for fmt in FORMATS:
        response = client.get(_url(fmt))
        assert response.status_code == 200, fmt
        assert response["Content-Type"] == reports.CONTENT_TYPES[fmt]
        assert response.content.startswith(MAGIC[fmt])
        assert f'filename="financement-{SLUG}.{fmt}"' in response["Content-Disposition"]
    xlsx = client.get(_url("xlsx")).content
    assert evaluate(load_sheet(xlsx), f"C{_row_of(load_sheet(xlsx), GRAND_TOTAL)}") == 896500


@pytest.mark.parametrize(
    "who", ["worker_a", "housing_manager", "researcher", "outsider", "no_role"]
)
def test_it_hides_the_report_from_everyone_else(parties, login, who):
    client = login(parties[who])
    for fmt in FORMATS:
        assert client.get(_url(fmt)).status_code == 404, fmt


def test_it_sends_anonymous_visitors_to_the_login_page(parties, client, settings):
    for fmt in FORMATS:
        response = client.get(_url(fmt))
        assert response.status_code == 302
        assert response.url.startswith(resolve_url(settings.LOGIN_URL))
