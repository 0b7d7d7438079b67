"""Case pages in a real Chromium: axe-core on the caseload, the file, the forms and the resource
directory (French, English, and a 360 px phone), the fast entry on a phone, and the CSP."""

# ruff: noqa: F811 - the case_world fixture is imported, then requested by name

from django.urls import reverse
from playwright.sync_api import expect

from tremplin.casework.models import Intervention
from tremplin.testing.browser import (
    assert_no_csp_errors,
    audit_all,
    submit,
    submit_with_errors,
    visit,
)

from .casefiles import case_world, days_ago  # noqa: F401


def _person_form_with_errors(page):
    submit_with_errors(
        page, reverse("casework:person-create"), {"#id_first_name": "Rose"}, "button.button-primary"
    )


def _case_pages(page, cw):
    # Every page is audited by the crawl (core/tests/test_crawl_axe.py); here, what no link
    # leads to: a search without result, a form after a submission with errors.
    return [
        ("recherche sans résultat", lambda: visit(page, reverse("casework:caseload") + "?q=zzz")),
        ("nouveau dossier, erreurs", lambda: _person_form_with_errors(page)),
        # Linked from the file only past its latest 10 interventions.
        (
            "interventions d'un suivi",
            lambda: visit(
                page, reverse("casework:follow-up-interventions", args=[cw["fu_a"].public_id])
            ),
        ),
    ]


def test_it_has_no_serious_accessibility_violation_on_case_pages(
    logged_in_page, axe_audit, case_world, personas
):
    page = logged_in_page(personas["worker_a"])
    audit_all(page, axe_audit, _case_pages(page, case_world))
    assert_no_csp_errors(page)


def test_it_takes_an_intervention_on_a_phone(
    logged_in_page, phone_page, axe_audit, case_world, personas
):
    page = logged_in_page(personas["worker_a"], page=phone_page)
    fu = case_world["fu_a"]
    audit_all(
        page,
        axe_audit,
        [
            ("charge de cas", lambda: visit(page, reverse("casework:caseload"))),
            (
                "dossier",
                lambda: visit(
                    page, reverse("casework:person-detail", args=[case_world["person_a"].public_id])
                ),
            ),
            ("saisie rapide", lambda: visit(page, reverse("casework:intervention-create"))),
        ],
    )
    # Nothing wider than the screen.
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, width
    page.select_option("#id_follow_up", str(fu.public_id))
    page.fill("#id_occurred_on", days_ago(0).isoformat())
    page.select_option("#id_type", "crisis")
    page.select_option("#id_mode", "phone")
    page.fill("#id_note", "<script>alert(1)</script> Appel de crise (fictif).")
    submit(page, "button.button-primary")
    expect(page.locator(".message-success")).to_contain_text("L'intervention a été inscrite")
    assert Intervention.objects.filter(follow_up=fu, type="crisis").exists()
    visit(page, reverse("casework:person-detail", args=[case_world["person_a"].public_id]))
    expect(page.locator("main")).to_contain_text("<script>alert(1)</script> Appel de crise")
    assert_no_csp_errors(page)


def test_the_bulk_read_lift_page_passes_axe_on_a_phone(
    logged_in_page, phone_page, axe_audit, case_world, personas, settings
):
    from tremplin.audit.services import log_action

    settings.TREMPLIN_CASEWORK_HOURLY_FILE_LIMIT = 1
    person = case_world["person_a"]
    log_action(person, "casework.person.read", user=personas["worker_a"], subject=person)
    page = logged_in_page(personas["supervisor_a"], page=phone_page)
    worker = personas["worker_a"].pk
    visit(page, reverse("casework:bulk-read-limits") + f"?intervenant={worker}")
    expect(page.locator("main table")).to_contain_text("worker_a")
    expect(page.locator("#id_worker")).to_have_value(str(worker))
    assert page.evaluate("document.documentElement.scrollWidth") <= 361
    assert not axe_audit(page)
    assert_no_csp_errors(page)
