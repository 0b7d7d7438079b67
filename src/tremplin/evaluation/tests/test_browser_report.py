"""The highlights report in a real Chromium, on the demo's Year-1 report: the report page and
the editing page pass the axe-core audit, fit a 360 px phone without horizontal scrolling and
break no Content-Security-Policy rule (the chart is an image, the styles a static file); the
examples are reordered with the plain POST buttons."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tremplin.demo.evaluation_loader import TITLE, load_evaluation
from tremplin.demo.loader import load_demo
from tremplin.evaluation.models import HighlightsReport
from tremplin.testing.browser import assert_fits, assert_no_csp_errors, audit_all, visit

PASSWORD = "demo-de-test-2026"


@pytest.fixture
def year1(live_url):
    load_demo(PASSWORD)
    load_evaluation(refresh=False)
    return HighlightsReport.objects.get(title=TITLE)


def test_it_shows_and_edits_the_report_on_a_phone(phone_page, logged_in_page, axe_audit, year1):
    """The report, its editing page and the list with the new-report form, on a phone."""
    from django.contrib.auth import get_user_model

    coordination = get_user_model().objects.get(username="coordination")
    page = logged_in_page(coordination, page=phone_page, password=PASSWORD)
    detail = reverse("evaluation:report-detail", args=[year1.public_id])
    edit = reverse("evaluation:report-edit", args=[year1.public_id])

    visit(page, detail)
    expect(page.locator("h1")).to_have_text(TITLE)
    expect(page.locator(".achievements")).to_contain_text(
        "Tournée et événements : 62 organismes d'habitation et 216 personnes rejointes"
    )
    expect(page.locator(".funding-table")).to_contain_text("896")
    assert_fits(page)
    audit_all(page, axe_audit, [("rapport, téléphone", lambda: None)])

    visit(page, edit)
    assert_fits(page)
    audit_all(page, axe_audit, [("modifier, téléphone", lambda: None)])
    new = reverse("evaluation:report-list") + "?period=fy2009&area=all"
    audit_all(page, axe_audit, [("liste et nouveau rapport, téléphone", lambda: visit(page, new))])
    assert_fits(page)
    expect(page.locator("#id_period_start")).to_have_value("2009-04-01")
    visit(page, edit)
    first = page.locator(".example-editor li").nth(0)
    second_title = page.locator(".example-editor li strong").nth(1).inner_text()
    with page.expect_navigation():
        page.locator(".example-editor li").nth(1).get_by_role("button", name="Monter").click()
    expect(page.locator(".messages")).to_contain_text("Ordre des exemples enregistré")
    expect(first.locator("strong")).to_have_text(second_title)
    assert_fits(page)
    assert_no_csp_errors(page)


def test_it_shows_the_report_list_and_the_report_on_a_desktop(logged_in_page, axe_audit, year1):
    from django.contrib.auth import get_user_model

    partner = get_user_model().objects.get(username="partenaire")
    page = logged_in_page(partner, password=PASSWORD)
    audit_all(
        page,
        axe_audit,
        [
            ("liste", lambda: visit(page, reverse("evaluation:report-list"))),
            (
                "rapport",
                lambda: visit(page, reverse("evaluation:report-detail", args=[year1.public_id])),
            ),
        ],
    )
    expect(page.get_by_role("link", name="Télécharger en PDF")).to_be_visible()
    expect(page.locator("figure img")).to_have_attribute(
        "alt", "Graphique à barres : les mêmes valeurs que le tableau qui suit."
    )
    assert_no_csp_errors(page)
