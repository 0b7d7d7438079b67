"""Survey pages in a real Chromium: the public answer page on a 360 px phone (French, English,
with errors, without JavaScript), its conditions, and the staff pages — axe-core and the
Content-Security-Policy (charts are SVG images without inline styles)."""

from django.urls import reverse
from playwright.sync_api import expect

from tremplin.surveys.models import Response
from tremplin.testing.browser import assert_fits, assert_no_csp_errors, audit_all, visit


def test_it_answers_on_a_phone_with_conditions_shown_as_needed(phone_page, axe_audit, site_a):
    page = phone_page
    url = reverse("surveys:answer", args=[site_a.code])
    visit(page, url)
    assert_fits(page)
    why = page.locator("#q-pourquoi-box")
    hours = page.locator("#q-heures-box")
    # answer.js hides questions whose condition does not hold, and the "answer only if" notes.
    expect(why).to_be_hidden()
    expect(hours).to_be_hidden()
    page.get_by_label("Jamais").check()
    expect(why).to_be_visible()
    page.get_by_label("Souvent").check()
    expect(why).to_be_hidden()

    def errors():
        visit(page, url)
        with page.expect_navigation():
            page.click("main form button[type=submit]")
        expect(page.locator(".error-summary")).to_be_visible()
        assert_fits(page)

    audit_all(
        page,
        axe_audit,
        [("réponse, téléphone", lambda: visit(page, url)), ("erreurs, téléphone", errors)],
    )
    # A full answer, from the phone.
    visit(page, url)
    page.locator("label[for=q-satisfaction-4]").click()
    page.get_by_label("Jamais").check()
    page.fill("#q-pourquoi", "Je ne savais pas qu'elle existait.")
    page.get_by_label("Jardin").check()
    page.locator("#q-implication-box").get_by_label("Oui").check()
    expect(hours).to_be_visible()
    page.fill("#q-heures", "6")
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    expect(page.locator("h1")).to_have_text("Merci !")
    audit_all(page, axe_audit, [("merci, téléphone", lambda: None)])
    assert_no_csp_errors(page)
    response = Response.objects.get()
    assert set(response.values.values_list("question__name", flat=True)) == {
        "satisfaction",
        "salle",
        "pourquoi",
        "activites",
        "implication",
        "heures",
    }


def test_it_answers_in_english_on_a_phone(new_page, axe_audit, live_url, site_a, settings):
    page = new_page(viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True)
    page.context.add_cookies(
        [{"name": settings.LANGUAGE_COOKIE_NAME, "value": "en", "url": live_url}]
    )
    visit(page, reverse("surveys:answer", args=[site_a.code]))
    expect(page.locator("html")).to_have_attribute("lang", "en-CA")
    expect(page.locator("h1")).to_have_text("Survey on life in the building")
    expect(page.get_by_label("Rather yes")).to_be_visible()
    assert_fits(page)
    audit_all(page, axe_audit, [("answer page, English, phone", lambda: None)])
    assert_no_csp_errors(page)


def test_it_works_without_javascript(new_page, site_a):
    page = new_page(java_script_enabled=False, viewport={"width": 360, "height": 740})
    visit(page, reverse("surveys:answer", args=[site_a.code]))
    # Every question is shown, the conditional ones with their note.
    expect(page.locator("#q-pourquoi-box")).to_be_visible()
    expect(page.locator("#q-pourquoi-condition")).to_contain_text(
        "Répondez seulement si vous avez répondu « Jamais » à la question 3"
    )
    # (axe-core needs JavaScript: the same page is audited in the other tests.)
    page.locator("label[for=q-satisfaction-3]").click()
    page.get_by_label("Souvent").check()
    page.fill("#q-pourquoi", "Réponse à une question qui ne s'applique pas")
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    expect(page.locator("h1")).to_have_text("Merci !")
    names = set(Response.objects.get().values.values_list("question__name", flat=True))
    assert names == {"satisfaction", "salle"}  # the answer that did not apply was not kept


def test_it_has_no_serious_accessibility_violation_on_staff_pages(
    logged_in_page, axe_audit, answered, site_a, personas, questionnaire
):
    page = logged_in_page(personas["organizer_a"])
    cid = answered.public_id
    securite = answered.version.questions.get(name="securite")

    def results_page():
        visit(page, reverse("surveys:results", args=[cid]))
        charts = page.locator("img.chart")
        expect(charts.first).to_be_visible()
        for i in range(charts.count()):
            charts.nth(i).scroll_into_view_if_needed()
            # Lazy images load once in view: wait until this one is drawn (fails on timeout).
            page.wait_for_function(
                "(img) => img.complete && img.naturalWidth > 0", arg=charts.nth(i).element_handle()
            )

    def import_errors():
        visit(page, reverse("surveys:import-upload"))
        page.set_input_files(
            "#id_file",
            files=[
                {
                    "name": "x.xlsx",
                    "mimeType": "application/octet-stream",
                    "buffer": b"pas un classeur",
                }
            ],
        )
        page.click("main form button[type=submit]")
        expect(page.locator("[role=alert]")).to_be_visible()

    audit_all(
        page,
        axe_audit,
        # Every page a link leads to is audited by the crawl (core/tests/test_crawl_axe.py);
        # here, the states no link reaches.
        [
            ("résultats", results_page),
            (
                "comparer",
                lambda: visit(
                    page, reverse("surveys:results-compare", args=[cid, securite.public_id])
                ),
            ),
            (
                "version papier",
                lambda: visit(page, reverse("surveys:campaign-paper", args=[cid]) + "?de=1&a=2"),
            ),
            ("importer, erreurs", import_errors),
        ],
    )
    assert_no_csp_errors(page)


def test_it_types_paper_sheets_on_a_phone(
    phone_page, logged_in_page, axe_audit, campaign, site_a, personas
):
    page = logged_in_page(personas["organizer_a"], page=phone_page)
    visit(page, reverse("surveys:paper-entry", args=[campaign.public_id]))
    assert_fits(page)
    page.select_option("#id_site", site_a.code)
    page.fill("#id_sheet_number", "21")
    page.locator("label[for=q-satisfaction-2]").click()
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    expect(page.locator(".messages")).to_contain_text("Feuille no 21 enregistrée.")
    expect(page.locator("#id_sheet_number")).to_have_value("22")
    audit_all(page, axe_audit, [("saisie suivante, téléphone", lambda: assert_fits(page))])
    assert Response.objects.get().sheet_number == 21
