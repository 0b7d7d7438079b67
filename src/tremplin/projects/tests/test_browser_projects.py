"""Project pages in a real Chromium: accessibility (axe-core) and the activity form on a phone."""

import datetime as dt

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tremplin.projects.models import Accompaniment, Project, Status
from tremplin.testing.browser import (
    assert_fits,
    assert_no_csp_errors,
    audit_all,
    submit,
    submit_with_errors,
    visit,
)

from .test_project_pages import log, make_project


@pytest.fixture
def projects(world, personas):
    organizer = personas["organizer_a"]
    project = make_project(
        title="Cuisine collective de Lévis",
        buildings=[world["building_a"]],
        lead_organizer=organizer,
        summary="Repas partagés (donnée fictive)",
        start=dt.date(2020, 1, 1),
    )
    log(project, date=dt.date(2020, 2, 1), participants=12, tenants=9)
    make_project(
        title="Forum régional",
        lead_organizer=organizer,
        status=Status.PREPARATION,
        start=None,
        kind="concertation",
    )
    Accompaniment.objects.create(
        organizer=organizer, provider=world["omh_a"], start_date=dt.date(2021, 1, 1)
    )
    return project


def _form_with_errors(page):
    visit(page, reverse("projects:project-create"))
    page.fill("#id_title", "Projet à corriger")
    page.select_option("#id_kind", "food")
    page.fill("#id_start_date", "2020-05-01")
    page.fill("#id_end_date", "2020-04-01")
    submit(page, "button.button-primary")
    expect(page.locator(".errorlist").first).to_be_visible()


def test_it_has_no_serious_accessibility_violation_on_project_pages(
    logged_in_page, axe_audit, projects, personas
):
    page = logged_in_page(personas["organizer_a"])
    pid = projects.public_id
    audit_all(
        page,
        axe_audit,
        # Every page a link leads to is audited by the crawl (core/tests/test_crawl_axe.py);
        # here, the states no link reaches.
        [
            (
                # A filter set opens the filters; 1 project a page shows the pagination.
                "liste filtrée, filtres ouverts, pagination",
                lambda: visit(
                    page, reverse("projects:project-list") + "?kind=food&per_page=1&page=1"
                ),
            ),
            (
                "liste sans résultat",
                lambda: visit(page, reverse("projects:project-list") + "?q=zzz-aucun"),
            ),
            ("projet, erreurs", lambda: _form_with_errors(page)),
            (
                "confirmer la suppression",
                lambda: visit(page, reverse("projects:project-delete", args=[pid])),
            ),
        ],
    )
    assert_no_csp_errors(page)


def test_it_fits_the_activity_form_on_a_phone(
    phone_page, logged_in_page, axe_audit, projects, personas
):
    page = logged_in_page(personas["organizer_a"], page=phone_page)
    url = reverse("projects:activity-create", args=[projects.public_id])

    def invalid():
        fields = {"#id_title": "Atelier", "#id_participants": "3", "#id_tenants": "5"}
        submit_with_errors(page, url, fields, "button.button-primary")

    for go in (lambda: visit(page, url), invalid):
        go()
        assert_fits(page)
    audit_all(page, axe_audit, [("activité, erreurs, téléphone", lambda: None)])

    # A valid activity from the phone is saved.
    visit(page, url)
    page.fill("#id_date", "2020-03-01")
    page.fill("#id_title", "Repas du printemps")
    page.fill("#id_participants", "8")
    page.fill("#id_tenants", "6")
    submit(page, "button.button-primary")
    expect(page.locator("h1")).to_have_text("Cuisine collective de Lévis")
    assert projects.activities.filter(title="Repas du printemps", participants=8).exists()


def test_it_creates_a_project_from_a_phone(phone_page, logged_in_page, axe_audit, world, personas):
    page = logged_in_page(personas["organizer_a"], page=phone_page)
    url = reverse("projects:project-create")
    visit(page, url)
    assert_fits(page, url)
    audit_all(page, axe_audit, [("nouveau projet, téléphone", lambda: None)])
    page.fill("#id_title", "Café-rencontre du mardi")
    page.select_option("#id_kind", "leisure")
    page.select_option("#id_status", "under_way")
    page.fill("#id_start_date", "2021-09-07")
    page.select_option("#id_buildings", str(world["building_a"].pk))
    submit(page, "button.button-primary")
    expect(page.locator("h1")).to_have_text("Café-rencontre du mardi")
    project = Project.objects.get(title="Café-rencontre du mardi")
    assert list(project.buildings.all()) == [world["building_a"]]
    assert project.lead_organizer == personas["organizer_a"]


def test_it_pages_through_the_activities_on_a_phone(
    phone_page, logged_in_page, axe_audit, projects, personas, monkeypatch
):
    from tremplin.projects import views_activities
    from tremplin.projects.models import ProjectActivity
    from tremplin.projects.services import project_refresh_counts

    monkeypatch.setattr(views_activities, "ACTIVITIES_PER_PAGE", 5)
    ProjectActivity.objects.bulk_create(
        ProjectActivity(project=projects, date=dt.date(2020, 3, 1 + i), title=f"Séance {i:02}")
        for i in range(11)
    )
    project_refresh_counts([projects.pk])
    page = logged_in_page(personas["worker_a"], page=phone_page)
    # The project page links to every activity; the list's "next" link goes on by cursor.
    visit(page, reverse("projects:project-detail", args=[projects.public_id]))
    with page.expect_navigation():
        page.get_by_role("link", name="Toutes les activités (12)").click()
    expect(page.locator(".pagination [aria-current=page]")).to_have_text("Page 1 sur 3")
    seen = []
    for number in (1, 2, 3):
        expect(page.locator("main caption")).to_contain_text("sur 12")
        seen += page.locator("main tbody td[data-label=Activité]").all_inner_texts()
        assert_fits(page, f"page {number}")
        audit_all(page, axe_audit, [(f"activités, page {number}", lambda: None)])
        if number < 3:
            with page.expect_navigation():
                page.locator("a[rel=next]").click()
    assert len(seen) == len(set(seen)) == 12
    assert_no_csp_errors(page)
