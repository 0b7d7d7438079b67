"""The privacy pages in a real Chromium: axe-core in French and English, a phone at 360 px,
no Content-Security-Policy violation."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from tremplin.audit.services import log_action
from tremplin.casework.models import (
    ConfidentialityIncident,
    ConsentKind,
    EmergencyAccess,
    Outcome,
)
from tremplin.testing.browser import (
    assert_no_csp_errors,
    audit_all,
    submit_with_errors,
    switch_language,
    visit,
)

from .test_privacy_support import (
    make_communication,
    make_consent,
    make_follow_up,
    make_intervention,
    make_person,
)


@pytest.fixture
def scene(world, personas):
    w = personas["worker_a"]
    jeanne = make_person(world, "Jeanne", "Tremblay", phone="418 555-0101")
    fu = make_follow_up(
        jeanne,
        w,
        started_on=dt.date(2023, 5, 1),
        closed_on=dt.date(2023, 11, 1),
        outcome=Outcome.KEPT,
    )
    make_intervention(fu, w, dt.date(2023, 5, 1), note="Première visite")
    make_consent(jeanne, w, ConsentKind.RESEARCH)
    sharing = make_consent(jeanne, w, ConsentKind.SHARING, organization="Comptoir alimentaire")
    make_communication(jeanne, sharing, w)
    EmergencyAccess.objects.create(
        user=personas["worker_b"],
        person=jeanne,
        reason="Remplacement d'urgence",
        expires_at=timezone.now() + dt.timedelta(hours=2),
    )
    log_action(jeanne, "casework.person.read", user=w, subject=jeanne)
    log_action(
        jeanne,
        "casework.bulk_read.blocked",
        user=personas["worker_b"],
        subject=jeanne,
        data={"limit": 60, "distinct_files_last_hour": 60},
    )
    incident = ConfidentialityIncident.objects.create(
        discovered_on=dt.date(2024, 5, 2),
        description="Courriel au mauvais destinataire",
        information_involved="Coordonnées",
        recorded_by=personas["privacy_officer"],
    )
    return {"person": jeanne, "incident": incident}


def _incident_with_errors(page):
    submit_with_errors(
        page, reverse("casework:privacy-incident-create"), {"#id_discovered_on": "2999-01-01"}
    )


def _rectify_with_errors(page, person):
    path = reverse("casework:privacy-person-rectify", args=[person.public_id])
    submit_with_errors(page, path, {"#id_first_name": ""})


def _visits(page, scene):
    # Every page is audited by the crawl (core/tests/test_crawl_axe.py), at 1280 and 360 px;
    # here, the forms after a submission with errors, which no link leads to.
    return [
        ("incident refusé", lambda: _incident_with_errors(page)),
        ("rectification refusée", lambda: _rectify_with_errors(page, scene["person"])),
    ]


def test_it_has_no_serious_accessibility_violation_on_privacy_pages(
    logged_in_page, axe_audit, personas, scene
):
    page = logged_in_page(personas["privacy_officer"])
    audit_all(page, axe_audit, _visits(page, scene))
    assert_no_csp_errors(page)


def test_it_has_no_serious_accessibility_violation_in_english(
    logged_in_page, axe_audit, personas, scene
):
    page = logged_in_page(personas["privacy_officer"])
    visit(page, reverse("casework:privacy-index"))
    switch_language(page, "en")
    audit_all(page, axe_audit, _visits(page, scene))
    assert_no_csp_errors(page)


def test_it_fits_a_phone(logged_in_page, phone_page, axe_audit, personas, scene):
    page = logged_in_page(personas["privacy_officer"], page=phone_page)

    def fits():
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 361, f"{page.url}: horizontal scroll at 360 px (scrollWidth={width})"

    for label, go in _visits(page, scene):
        go()
        fits()
        violations = axe_audit(page)
        assert not violations, f"[{label}] {violations}"
    # A review works from the phone.
    visit(page, reverse("casework:privacy-index"))
    with page.expect_navigation():
        page.locator("form[action$='/bris-de-verre/examiner/'] button").first.click()
    expect(page.locator(".message").first).to_contain_text("examiné")
    assert_no_csp_errors(page)


def test_it_shows_counts_to_the_coordination_on_a_phone(
    logged_in_page, phone_page, axe_audit, personas, scene
):
    page = logged_in_page(personas["coordination"], page=phone_page)
    visit(page, reverse("casework:privacy-stats") + "?annee=2023")
    assert page.evaluate("document.documentElement.scrollWidth") <= 361
    assert not axe_audit(page)
    assert_no_csp_errors(page)
