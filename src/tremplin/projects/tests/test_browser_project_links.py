"""The short forms of a project page in a real Chromium: axe-core, and their use on a phone."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tremplin.projects.models import ProjectFunding, ProjectPartner
from tremplin.testing.browser import assert_fits, assert_no_csp_errors, audit_all, visit

from .test_project_pages import log, make_project

PHONE_WIDTH = 360


@pytest.fixture
def project(world, personas, money):
    project = make_project(
        title="Cuisine collective de Lévis (fictif)",
        buildings=[world["building_a"]],
        lead_organizer=personas["organizer_a"],
        start=dt.date(2020, 1, 1),
    )
    log(project, date=dt.date(2020, 2, 1), participants=12, tenants=9)
    ProjectPartner.objects.create(
        project=project, partner=money["csss"], role="Nutritionniste pour les ateliers"
    )
    ProjectFunding.objects.create(
        project=project, commitment=money["services"], amount=Decimal("1500")
    )
    project.staff.add(personas["worker_a"])
    return project


def _url(name, project):
    return reverse(f"projects:{name}", args=[project.public_id])


def _open_all_details(page):
    closed = page.locator("main details:not([open]) > summary")
    while closed.count():
        closed.first.click()


def _submit(page, form):
    with page.expect_navigation():
        form.locator("button[type=submit]").click()


def _over_commitment(page, project, money):
    visit(page, _url("funding-add", project))
    page.select_option("#id_commitment", str(money["youth"].public_id))
    page.fill("#id_amount", "3 500,01")
    _submit(page, page.locator("main form[method=post]"))
    expect(page.locator(".errorlist").first).to_contain_text("qui est de 3")


def test_it_has_no_serious_accessibility_violation_on_the_project_page_forms(
    logged_in_page,
    axe_audit,
    project,
    money,
    personas,
):
    page = logged_in_page(personas["organizer_a"])

    def detail_with_every_form_open():
        visit(page, _url("project-detail", project))
        _open_all_details(page)

    def partner_without_partner():
        visit(page, _url("partner-add", project))
        page.fill("#id_role", "Rôle sans partenaire")
        _submit(page, page.locator("main form[method=post]"))
        expect(page.locator(".errorlist").first).to_be_visible()

    audit_all(
        page,
        axe_audit,
        [
            ("projet, formulaires ouverts", detail_with_every_form_open),
            ("ajouter un partenaire", lambda: visit(page, _url("partner-add", project))),
            ("partenaire, erreurs", partner_without_partner),
            ("ajouter un financement", lambda: visit(page, _url("funding-add", project))),
            ("financement, dépassement", lambda: _over_commitment(page, project, money)),
            ("changer de responsable", lambda: visit(page, _url("lead-set", project))),
            ("ajouter à l'équipe", lambda: visit(page, _url("staff-add", project))),
        ],
    )
    assert_no_csp_errors(page)


def test_it_has_no_serious_accessibility_violation_for_a_reader_without_amounts(
    logged_in_page, axe_audit, project, personas
):
    page = logged_in_page(personas["researcher"])
    audit_all(
        page,
        axe_audit,
        [("projet, lecture seule", lambda: visit(page, _url("project-detail", project)))],
    )
    expect(page.locator("#financement + .table-wrap")).not_to_contain_text("1 500")


def test_it_uses_the_project_page_forms_on_a_phone(
    phone_page,
    logged_in_page,
    axe_audit,
    project,
    money,
    personas,
):
    page = logged_in_page(personas["organizer_a"], page=phone_page)
    visit(page, _url("project-detail", project))
    _open_all_details(page)
    assert_fits(page)

    # Too much from the Forum jeunesse's 3 500 $: refused, said in French, nothing stored.
    funding_form = page.locator(f"form[action='{_url('funding-add', project)}']")
    funding_form.locator("#id_commitment").select_option(str(money["youth"].public_id))
    funding_form.locator("#id_amount").fill("4 000")
    _submit(page, funding_form)
    expect(page.locator(".errorlist")).to_contain_text(
        "Ce montant dépasse l'engagement « Forum jeunesse – Projets jeunesse »"
    )
    assert_fits(page)
    audit_all(page, axe_audit, [("financement refusé, téléphone", lambda: None)])
    assert not project.funding.filter(commitment=money["youth"]).exists()

    # Corrected on the same short form: saved, back on the project page.
    page.fill("#id_amount", "3 500")
    _submit(page, page.locator("main form[method=post]"))
    expect(page.locator("h1")).to_have_text("Cuisine collective de Lévis (fictif)")
    expect(page.locator("#financement + .table-wrap")).to_contain_text("Projets jeunesse")
    assert project.funding.get(commitment=money["youth"]).amount == Decimal("3500")

    # A partner and its role, from the project page.
    _open_all_details(page)
    partner_form = page.locator(f"form[action='{_url('partner-add', project)}']")
    partner_form.locator("#id_partner").select_option(str(money["forum"].public_id))
    partner_form.locator("#id_role").fill("Collations")
    _submit(page, partner_form)
    expect(page.locator("#partenaires + .table-wrap")).to_contain_text("Collations")

    # Someone leaves the team.
    remove = page.locator("#equipe + .table-wrap button", has_text="Retirer")
    _submit(page, remove.locator("xpath=ancestor::form"))
    assert not project.staff.exists()
    assert_fits(page)
