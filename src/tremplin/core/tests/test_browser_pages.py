"""The foundation's pages in a real Chromium: accessibility (axe-core), phone layout, htmx
search, keyboard, a housing manager's edit flow and the Content-Security-Policy.

Pages are audited in groups (one signed-in session per group) to keep the file fast; each group
reports every page's violations at once.
"""

import re

from django.urls import reverse
from playwright.sync_api import expect

from tremplin.testing.browser import (
    assert_fits,
    assert_no_csp_errors,
    audit_all,
    audit_reports,
    submit,
    submit_with_errors,
    switch_language,
    visit,
)

NOT_FOUND = "Page introuvable"


def _provider_edit_invalid(page, provider):
    submit_with_errors(
        page,
        reverse("housing:provider-edit", args=[provider.public_id]),
        {"#id_name": "", "#id_email": "pas-un-courriel"},
    )


def _building_edit_invalid(page, building):
    submit_with_errors(
        page,
        reverse("housing:building-edit", args=[building.public_id]),
        {"#id_address": "", "#id_units_1br": "-3"},
    )


# --------------------------------------------------------------------------- axe-core


def test_it_has_no_serious_accessibility_violation_on_anonymous_pages(page, axe_audit, personas):
    def failed_login():
        visit(page, reverse("accounts:login"))
        page.fill("#id_username", "coordination")
        page.fill("#id_password", "pas-le-bon-mot-de-passe")
        submit(page)
        expect(page.locator("[role=alert]")).to_be_visible()

    audit_all(
        page,
        axe_audit,
        # The sign-in and password pages are audited by the crawl (test_crawl_axe.py).
        [("connexion refusée", failed_login)],
    )
    assert_no_csp_errors(page)


def test_it_has_no_serious_accessibility_violation_on_signed_in_pages_in_french(
    logged_in_page, axe_audit, world, personas
):
    page = logged_in_page(personas["coordination"])
    provider, building = world["omh_a"], world["building_a"]
    audit_all(
        page,
        axe_audit,
        [
            # Every page a link leads to is audited by the crawl (test_crawl_axe.py); here, the
            # states no link reaches.
            (
                "répertoire sans résultat",
                lambda: visit(page, reverse("housing:directory") + "?q=zzz-aucun"),
            ),
            ("organisme, erreurs", lambda: _provider_edit_invalid(page, provider)),
            ("immeuble, erreurs", lambda: _building_edit_invalid(page, building)),
            ("404", lambda: visit(page, "/nulle-part/", status=404)),
        ],
    )
    assert_no_csp_errors(page)


IMPORT_CSV = (
    "Organisme;Adresse;Municipalité;Code postal\n"
    "Office municipal d'habitation de Lévis;30, rue Saint-Louis;Lévis;G6V 4E1\n"
    "Office municipal d'habitation de Lévis;1, rue Nulle-Part;Atlantis;G6V 4E1\n"
).encode()


def test_it_has_no_serious_accessibility_violation_on_the_import_pages(
    logged_in_page, phone_page, axe_audit, world, personas
):
    reports = []
    for page in (
        logged_in_page(personas["coordination"]),
        logged_in_page(personas["coordination"], page=phone_page),
    ):
        width = page.viewport_size["width"]

        def upload_nothing(page=page):
            visit(page, reverse("housing:import-upload"))
            submit(page)
            expect(page.locator("[role=alert]")).to_be_visible()

        def upload_a_file(page=page):
            visit(page, reverse("housing:import-upload"))
            page.set_input_files(
                "#id_file",
                files=[{"name": "repertoire.csv", "mimeType": "text/csv", "buffer": IMPORT_CSV}],
            )
            submit(page)
            expect(page.locator("table")).to_contain_text("Atlantis")

        reports += audit_reports(
            page,
            axe_audit,
            [
                (
                    f"importer, {width} px",
                    lambda page=page: visit(page, reverse("housing:import-upload")),
                ),
                (f"importer sans fichier, {width} px", upload_nothing),
                (f"vérification de l'importation, {width} px", upload_a_file),
            ],
        )
        assert_no_csp_errors(page)
    assert not reports, "\n\n".join(reports)


def test_it_has_no_serious_accessibility_violation_in_english(
    logged_in_page, axe_audit, world, personas
):
    page = logged_in_page(personas["coordination"])
    visit(page, reverse("housing:directory"))
    switch_language(page, "en")
    expect(page.locator("header button[name=language]")).to_have_text("Français")
    assert page.url.endswith(reverse("housing:directory"))
    provider = world["omh_a"]
    audit_all(
        page,
        axe_audit,
        [
            # Every page a link leads to is audited by the crawl (test_crawl_axe.py); here, the
            # states no link reaches.
            (
                "directory, no result",
                lambda: visit(page, reverse("housing:directory") + "?q=zzz-none"),
            ),
            ("provider, errors", lambda: _provider_edit_invalid(page, provider)),
            ("404", lambda: visit(page, "/nowhere/", status=404)),
        ],
    )
    expect(page.locator("html")).to_have_attribute("lang", "en-CA")
    assert_no_csp_errors(page)


# --------------------------------------------------------------------------- phone, htmx


def test_it_fits_a_phone_and_searches_as_you_type(
    phone_page, logged_in_page, axe_audit, world, personas
):
    page = logged_in_page(personas["coordination"], page=phone_page)
    visit(page, reverse("housing:directory"))
    results = page.locator("#results")
    expect(results).to_contain_text("Office municipal d'habitation de Saint-Georges")
    assert_fits(page)
    violations = axe_audit(page)
    assert not violations, str(violations)

    page.locator("#id_q").press_sequentially("levis", delay=30)
    expect(results).not_to_contain_text("Saint-Georges")
    expect(
        results.get_by_role("link", name="Office municipal d'habitation de Lévis")
    ).to_be_visible()
    expect(page).to_have_url(re.compile(r"[?&]q=levis(&|$)"))
    assert_fits(page)

    visit(page, reverse("housing:provider-detail", args=[world["omh_a"].public_id]))
    assert_fits(page)
    violations = axe_audit(page)
    assert not violations, str(violations)
    assert_no_csp_errors(page)


# --------------------------------------------------------------------------- keyboard


def test_it_offers_a_skip_link_first_that_moves_focus_to_main(page, logged_in_page, personas):
    for current in (page, logged_in_page(personas["worker_a"])):
        visit(current, reverse("accounts:login") if current is page else reverse("core:home"))
        current.keyboard.press("Tab")
        focused = current.evaluate(
            "[document.activeElement.className, document.activeElement.getAttribute('href')]"
        )
        assert focused == ["skip-link", "#main"], f"{current.url}: first focus on {focused}"
        expect(current.locator(".skip-link")).to_be_visible()
        current.keyboard.press("Enter")
        expect(current.locator("main#main")).to_be_focused()
        assert_no_csp_errors(current)


# --------------------------------------------------------------------------- user flow


def test_it_lets_a_housing_manager_edit_only_their_own_provider(logged_in_page, world, personas):
    page = logged_in_page(personas["housing_manager"])
    page.get_by_role("navigation").get_by_role("link", name="Répertoire").click()
    page.get_by_role("link", name="Office municipal d'habitation de Lévis").click()
    expect(page.locator("h1")).to_have_text("Office municipal d'habitation de Lévis")
    page.get_by_role("link", name="Modifier l'organisme").click()
    page.fill("#id_phone", "418 555-0142")
    submit(page)

    assert page.url.endswith(reverse("housing:provider-detail", args=[world["omh_a"].public_id]))
    expect(page.locator("[role=status]")).to_contain_text("L'organisme a été enregistré.")
    expect(page.locator("dl.facts")).to_contain_text("418 555-0142")
    world["omh_a"].refresh_from_db()
    assert world["omh_a"].phone == "418 555-0142"

    visit(page, reverse("housing:provider-edit", args=[world["omh_b"].public_id]), status=404)
    expect(page.locator("h1")).to_have_text(NOT_FOUND)
    assert_no_csp_errors(page)
