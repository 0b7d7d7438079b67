"""Funding pages in a real Chromium: axe-core audit, phone width, CSP."""

from django.urls import reverse

from tremplin.testing.browser import assert_no_csp_errors, audit_all, visit


def test_it_has_no_serious_accessibility_violation_on_funding_pages(
    logged_in_page, axe_audit, funding, personas
):
    page = logged_in_page(personas["coordination"])
    cash = funding["cash"]

    def top_up_out_of_period():
        visit(page, reverse("partners:commitment-edit", args=[cash.public_id]))
        page.fill("#id_topup-fiscal_year", "2020")
        page.fill("#id_topup-amount", "1000")
        with page.expect_navigation():
            page.click("form[action$='/bonification/'] button[type=submit]")
        assert "hors de la période" in page.content()

    audit_all(
        page,
        axe_audit,
        # Every page is audited by the crawl (core/tests/test_crawl_axe.py); here, a form
        # after a refused submission.
        [("bonification refusée", top_up_out_of_period)],
    )
    assert_no_csp_errors(page)


def test_it_shows_the_funding_table_on_a_phone(
    logged_in_page, phone_page, axe_audit, funding, personas
):
    page = logged_in_page(personas["partner"], page=phone_page)
    visit(page, reverse("partners:agreement-detail", args=[funding["agreement"].slug]))
    assert "Grand total" in page.content()
    # The page itself never scrolls sideways; a wide table scrolls inside its own region.
    assert page.evaluate("document.documentElement.scrollWidth") <= 361
    assert not axe_audit(page)
