"""The demo's Year-1 highlights report reproduces seed 000: 62 housing offices and more than 200
people reached by the fall-2008 tour, 28 offices accompanied, the Enquête mobilisante in 10
targeted sites, and the funding table's totals — on the page, in the PDF (text read back with
pypdf) and in the Word file (read back with python-docx), the three stating the same figures.

The demo is loaded once for the module, inside a transaction rolled back at the end; each
test runs in a savepoint within it (every test asks for ``db``, so that pytest-django keeps
them together, before the transactional tests that empty the database).
"""

import io
import re
import time
from collections import Counter

import pytest
from django.core.management import call_command
from django.urls import reverse

from tremplin.demo.evaluation_loader import EXTRA_EXAMPLES, TITLE, load_evaluation
from tremplin.evaluation.management.commands.report import Command as ReportCommand
from tremplin.evaluation.models import HighlightsReport
from tremplin.evaluation.report import build_highlights
from tremplin.evaluation.report_render import export

SEED_FIGURES = {
    "reach.providers": "62",
    "reach.people": "216",
    "collective.providers_accompanied": "28",
    "mobilization.sites": "10",
}
SEED_SENTENCES = [
    "Tournée et événements : 62 organismes d'habitation et 216 personnes rejointes",
    "28 organismes d'habitation accompagnés",
    "Enquête mobilisante dans 10 milieux ciblés",
]
SEED_TOTALS = ["506 000 $", "331 500 $", "837 500 $", "59 000 $", "896 500 $"]
SPACES = re.compile(r"[\u00a0\u202f\u2009\u2007]")


def normalize(text: str) -> str:
    """No-break and narrow no-break spaces as plain spaces, runs of blanks as one."""
    return re.sub(r"[ \t]+", " ", SPACES.sub(" ", text))


def figures_in(text: str) -> Counter:
    """Every figure of a text: numbers (with their thousands separators) and amounts."""
    return Counter(re.findall(r"\d{1,3}(?: \d{3})+(?: \$)?|\d+(?:,\d+)?(?: \$| %)?", text))


@pytest.fixture(scope="module")
def demo(demo_data, django_db_blocker):
    """The Year-1 report, in the module's demo (``tremplin.testing.demo``)."""
    with django_db_blocker.unblock():
        load_evaluation(refresh=False)  # values are computed when first read
        return HighlightsReport.objects.get(title=TITLE)


@pytest.fixture(scope="module")
def documents(demo):
    """The three exports of the Year-1 report (as the command line makes them: no user)."""
    made = {}
    for fmt in ("html", "pdf", "docx"):
        started = time.perf_counter()
        content, _type, name = export(demo, fmt)
        made[fmt] = {"content": content, "name": name, "seconds": time.perf_counter() - started}
    return made


def pdf_text(content: bytes, *, running: bool = True) -> str:
    """The PDF's text; ``running=False`` leaves out what the printed page adds: the footer of
    each page (title, « 3 / 6 ») and the numbers of ordered lists (« 7. »)."""
    from pypdf import PdfReader

    pages = []
    for page in PdfReader(io.BytesIO(content)).pages:
        lines = page.extract_text().splitlines()
        if not running:
            lines = [line for line in lines[:-1] if not re.fullmatch(r"\d+\. ?", line)]
        pages.append("\n".join(lines))
    return normalize("\n".join(pages))


def docx_text(content: bytes) -> str:
    from docx import Document

    doc = Document(io.BytesIO(content))
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            seen = set()
            for cell in row.cells:  # a merged cell is listed once per grid column
                if id(cell._tc) not in seen:
                    seen.add(id(cell._tc))
                    parts.append(cell.text)
    return normalize("\n".join(parts))


def html_text(content: bytes) -> str:
    from html import unescape

    body = content.decode("utf-8").split("<body", 1)[1]
    return normalize(unescape(re.sub(r"<[^>]+>", "\n", body)))


def test_it_loads_the_year_1_report_idempotently(demo, db):
    assert demo.is_demo and demo.agreement.slug == "entente-2008-2011"
    assert (demo.period_start.isoformat(), demo.period_end.isoformat()) == (
        "2008-04-01",
        "2009-03-31",
    )
    assert len(demo.example_order) == 10
    assert load_evaluation(refresh=False)["highlights_reports"] == 1
    assert HighlightsReport.objects.filter(title=TITLE).count() == 1


def test_it_computes_the_seed_figures(demo, db):
    h = build_highlights(demo)
    assert {k: v for k, v in h.figures().items() if k in SEED_FIGURES} == SEED_FIGURES
    texts = [s.text for s in h.achievements]
    for sentence in SEED_SENTENCES:
        assert any(t.startswith(sentence) for t in texts), (sentence, texts)
    assert int(h.figures()["reach.people"]) > 200
    assert h.funding.section("cash").initial == 506000
    assert h.funding.section("services").initial == 331500
    assert (h.funding.initial, h.funding.top_up_total, h.funding.grand_total) == (
        837500,
        59000,
        896500,
    )
    assert h.achievements_heading == "Principales réalisations de l'An 1"
    assert h.examples[1].title == "Enquête mobilisante"
    assert h.extra_examples == [EXTRA_EXAMPLES]
    assert h.partners[0].startswith("Ministère des Affaires municipales")
    assert len(h.objectives) == 2 and h.context and h.fictitious_notice


@pytest.mark.parametrize("fmt", ["html", "pdf", "docx"])
def test_it_states_the_seed_figures_in_each_format(documents, db, fmt):
    text = {"html": html_text, "pdf": pdf_text, "docx": docx_text}[fmt](documents[fmt]["content"])
    for sentence in SEED_SENTENCES:
        assert sentence in " ".join(text.split()), (fmt, sentence)
    for total in SEED_TOTALS:
        assert total in text, (fmt, total)
    assert "Produit par Tremplin le" in text
    assert "Document de démonstration" in text
    assert documents[fmt]["name"] == f"faits-saillants-an-1-fy2008.{fmt}"


def test_it_states_the_same_figures_in_the_three_formats(documents, db):
    html = figures_in(html_text(documents["html"]["content"]))
    pdf = figures_in(pdf_text(documents["pdf"]["content"], running=False))
    docx = figures_in(docx_text(documents["docx"]["content"]))
    # The same figures; the PDF may repeat some (a long table's header on the next page).
    assert set(pdf) == set(html)
    assert docx == html
    for figure in ["62", "216", "28", "10", "506 000 $", "331 500 $", "837 500 $", "896 500 $"]:
        assert html[figure] >= 1 and pdf[figure] >= html[figure]
    assert html["59 000 $"] == docx["59 000 $"] == 2  # Year-2 top-ups: cash, then all


def test_it_makes_a_tagged_french_pdf_with_a_title(documents, db):
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(documents["pdf"]["content"]))
    root = reader.trailer["/Root"]
    assert root["/Lang"] == "fr-CA"
    assert "/StructTreeRoot" in root
    assert reader.metadata.title.startswith(TITLE)


def test_it_puts_the_chart_and_its_data_in_the_word_file(documents, db):
    from docx import Document

    doc = Document(io.BytesIO(documents["docx"]["content"]))
    assert doc.inline_shapes, "the chart picture"
    captions = [p.text for p in doc.paragraphs if p.style.name == "Caption"]
    assert any(c.startswith("Organismes d'habitation rejoints par territoire") for c in captions)
    chart_table = next(t for t in doc.tables if t.rows[0].cells[0].text == "Territoire")
    assert sum(int(row.cells[1].text) for row in chart_table.rows[1:]) == 62
    assert doc.core_properties.title == TITLE and doc.core_properties.language == "fr-CA"


def test_it_makes_the_pdf_in_under_five_seconds(documents, demo, db):
    # The first export of the module paid for the imports (WeasyPrint, matplotlib): time a
    # second one, as a running server makes it.
    started = time.perf_counter()
    export(demo, "pdf")
    seconds = time.perf_counter() - started
    print(f"PDF: {seconds:.2f} s (first: {documents['pdf']['seconds']:.2f} s)")
    print(f"DOCX: {documents['docx']['seconds']:.2f} s")
    assert seconds < 5


def test_it_shows_and_exports_the_report_to_each_reading_role(demo, db, client, login):
    from django.contrib.auth import get_user_model

    users = {u.username: u for u in get_user_model().objects.all()}
    url = reverse("evaluation:report-detail", args=[demo.public_id])
    login(users["coordination"])
    page = normalize(client.get(url).content.decode())
    for sentence in SEED_SENTENCES:
        assert sentence.replace("'", "&#x27;") in page
    for total in SEED_TOTALS:
        assert total in page
    response = client.get(reverse("evaluation:report-export", args=[demo.public_id, "docx"]))
    assert response["Content-Disposition"] == (
        'attachment; filename="faits-saillants-an-1-fy2008.docx"'
    )
    # A researcher reads the figures, not the funding table (funding is not theirs to read).
    login(users["chercheur"])
    page = normalize(client.get(url).content.decode())
    assert "62 organismes d&#x27;habitation" in page and "896 500 $" not in page


def test_it_uses_the_saved_report_from_the_command_line(demo, db, tmp_path):
    out = io.StringIO()
    target = tmp_path / "an1.html"
    call_command(
        ReportCommand(),
        "highlights",
        "--from",
        "2008-04-01",
        "--to",
        "2009-03-31",
        "--format",
        "html",
        "-o",
        str(target),
        stdout=out,
    )
    text = html_text(target.read_bytes())
    assert "rapport enregistré « Faits saillants — An 1 »" in out.getvalue()
    assert "Mise en contexte" in text and "896 500 $" in text
    assert "Tournée et événements : 62 organismes" in " ".join(text.split())
