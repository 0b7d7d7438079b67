"""The evaluation pages in a real Chromium: axe-core audits (WCAG 2.1 AA) of the dashboard, an
indicator's page and a records page, in French and English, on a desktop and on a 360 px phone
without horizontal scrolling, with no Content-Security-Policy violation."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tremplin.testing.browser import assert_fits, assert_no_csp_errors, audit_all, visit

from .test_dashboard import build_reach

PHONE_WIDTH = 360


@pytest.fixture
def reach_data(world, personas):
    return build_reach(world)


def _visits(page, world, check_width=False):
    # The dashboard, indicator and records pages are audited by the crawl
    # (core/tests/test_crawl_axe.py) at 1280 and 360 px; here, what no link leads to.
    pages = [
        ("choix non valides", reverse("evaluation:dashboard") + "?kind=fy&year=abc", 400),
    ]

    def state(path, status, label):
        def go():
            visit(page, path, status)
            if check_width:
                assert_fits(page, label)

        return go

    return [(label, state(path, status, label)) for label, path, status in pages]


def test_it_has_no_serious_accessibility_violation(
    logged_in_page, axe_audit, personas, world, reach_data
):
    page = logged_in_page(personas["coordination"])
    audit_all(page, axe_audit, _visits(page, world))
    # The tiles' numbers, definitions and trends are there for everyone.
    visit(page, reverse("evaluation:dashboard") + "?kind=fy&year=2023")
    heading = page.get_by_role("heading", name="Personnes rejointes", exact=True)
    tile = page.locator("li.tile").filter(has=heading)
    expect(tile.locator(".tile__value")).to_have_text(
        "35 — voir les enregistrements : Personnes rejointes"
    )
    expect(tile.get_by_role("img")).to_have_attribute(
        "aria-label",
        "Tendance sur 5 périodes : 2019-2020 : 0 ; 2020-2021 : 0 ; 2021-2022 : 0 ; 2022-2023 : 5 ; 2023-2024 : 35",
    )
    tile.locator("summary").click()
    expect(tile.locator("details p")).to_be_visible()
    # A number leads to its records.
    tile.locator(".tile__value a").click()
    expect(page.locator("h1")).to_have_text("Enregistrements : Personnes rejointes")
    expect(page.locator("main table tbody tr")).to_have_count(4)
    assert_no_csp_errors(page)


def test_it_has_no_serious_accessibility_violation_in_english(
    new_page, live_url, logged_in_page, axe_audit, personas, world, reach_data
):
    page = new_page(locale="en-CA")
    page.context.add_cookies([{"name": "django_language", "value": "en", "url": live_url}])
    page = logged_in_page(personas["organizer_a"], page=page)
    audit_all(page, axe_audit, _visits(page, world))
    expect(page.locator("html")).to_have_attribute("lang", "en-CA")


def test_it_fits_a_phone(phone_page, logged_in_page, axe_audit, personas, world, reach_data):
    page = logged_in_page(personas["coordination"], page=phone_page)
    audit_all(page, axe_audit, _visits(page, world, check_width=True))
    assert_no_csp_errors(page)
