"""The public site and the newsletter pages in a real Chromium: axe-core (French, English,
360 px phone), the Content-Security-Policy (the email preview's inline styles stay in its
sandboxed frame), and the sending progress updated by htmx."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tremplin.newsletter import sending, services
from tremplin.newsletter.models import (
    EditionStatus,
    Section,
    SectionKind,
    SitePage,
)
from tremplin.testing.browser import assert_no_csp_errors, audit_all, switch_language, visit

from .conftest import make_edition, make_project, make_story, make_subscribers, png_upload


@pytest.fixture
def site(world, personas):
    organizer = personas["organizer_a"]
    lab = make_project(
        "Espace Lafleur", kind="lab", buildings=[world["building_a"]], lead_organizer=organizer
    )
    story = make_story(
        lab,
        "Espace Lafleur : un milieu de vie partagé par les locataires de l'immeuble",
        image_alt="Une salle commune aménagée",
        title_en="Espace Lafleur: a shared space",
    )
    services.story_save(user=None, story=story, image=png_upload())
    make_story(make_project("Jardin", buildings=[world["building_a"]]), "Un jardin partagé")
    edition = make_edition(1, "Les laboratoires prennent racine", sent=True)
    Section.objects.create(edition=edition, position=1, kind=SectionKind.STORY, story=story)
    draft = make_edition(2, "Un été au jardin", season="summer")
    services.section_save(
        user=None,
        section=Section(edition=draft, kind=SectionKind.IMAGE, image_alt="Le jardin en août"),
        image=png_upload(),
    )
    Section.objects.create(edition=draft, position=5, kind=SectionKind.STORY, story=story)
    SitePage.objects.create(
        slug="a-propos",
        title="Le programme",
        title_en="The program",
        body="<p>Depuis 2008, la région se mobilise.</p><ul><li>Éducation</li><li>Inclusion</li></ul>",
        body_en="<p>Since 2008, the region has worked together.</p>",
    )
    from tremplin.partners.models import Partner

    Partner.objects.create(name="Société d'habitation du Québec", kind="gov_agency")
    Partner.objects.create(
        name="Centre intégré de santé et de services sociaux", kind="health_agency"
    )
    return {"story": story, "edition": edition, "draft": draft, "lab": lab}


def _public_visits(page, site, english=False):
    def invalid_subscription():
        visit(page, reverse("newsletter:subscribe"))
        page.fill("#id_email", "pas-une-adresse")
        with page.expect_navigation():
            page.click("main form button[type=submit]")
        expect(page.locator(".errorlist").first).to_be_visible()

    def subscribed():
        visit(page, reverse("newsletter:subscribe"))
        page.fill("#id_email", "nouvelle@example.org")
        page.check("#id_consent")
        with page.expect_navigation():
            page.click("main form button[type=submit]")
        assert page.url.endswith(reverse("newsletter:subscribe-thanks"))

    # The pages a link leads to are audited by the crawl (core/tests/test_crawl_axe.py), in
    # French and in English, at 1280 and 360 px; here, the states after a submission.
    return [
        ("abonnement, erreurs", invalid_subscription),
        ("abonnement, merci", subscribed),
    ]


def test_it_has_no_serious_accessibility_violation_on_the_public_site_in_french(
    page, axe_audit, site
):
    audit_all(page, axe_audit, _public_visits(page, site))
    expect(page.locator("html")).to_have_attribute("lang", "fr-CA")
    assert_no_csp_errors(page)


def test_it_has_no_serious_accessibility_violation_on_the_public_site_in_english(
    page, axe_audit, site
):
    visit(page, "/")
    switch_language(page, "en")
    visit(page, reverse("newsletter:about"))
    expect(page.locator("main h1")).to_have_text("The program")
    audit_all(page, axe_audit, _public_visits(page, site, english=True))
    expect(page.locator("html")).to_have_attribute("lang", "en-CA")
    assert_no_csp_errors(page)


def test_it_fits_the_public_site_on_a_360_pixel_phone(phone_page, axe_audit, site):
    page = phone_page
    reports = []
    for label, go in _public_visits(page, site):
        go()
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > 361:
            reports.append(f"[{label}] {page.url}: horizontal scroll (scrollWidth={width})")
        violations = axe_audit(page)
        if violations:
            reports.append(f"[{label}] {violations}")
    assert not reports, "\n".join(reports)
    assert_no_csp_errors(page)


def test_it_has_no_serious_accessibility_violation_on_the_newsletter_staff_pages(
    logged_in_page, axe_audit, site, personas
):
    page = logged_in_page(personas["coordination"])
    draft = site["draft"]
    make_subscribers(3)

    def preview():
        visit(page, reverse("newsletter:edition-preview", args=[draft.public_id]))
        frame = page.frame_locator("iframe.nl-preview-frame")
        expect(frame.locator("h1")).to_have_text("Un été au jardin")
        expect(frame.locator("img[alt='Le jardin en août']")).to_be_visible()

    audit_all(
        page,
        axe_audit,
        # Every page a link leads to is audited by the crawl (core/tests/test_crawl_axe.py);
        # here, the preview with its frame loaded (the review of an uploaded list is the
        # imports app's, tested there).
        [("aperçu", preview)],
    )
    # The preview's inline styles live in the sandboxed frame, under its own policy.
    assert_no_csp_errors(page)


def test_it_updates_the_sending_progress_without_reloading_the_page(
    logged_in_page, site, personas, settings
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    edition = make_edition(3, "En cours d'envoi", season="fall")
    make_subscribers(3)
    edition.status = EditionStatus.SCHEDULED
    edition.save()
    sending.prepare_recipients(edition.pk)
    page = logged_in_page(personas["coordination"])
    visit(page, reverse("newsletter:edition-detail", args=[edition.public_id]))
    expect(page.locator("#progress")).to_contain_text("0 envoyés")
    expect(page.locator("#progress progress")).to_have_attribute("value", "0")

    sending.send_edition(edition.pk)  # the worker, meanwhile

    expect(page.locator("#progress")).to_contain_text("3 envoyés", timeout=10_000)
    expect(page.locator("#progress progress")).to_have_attribute("value", "100")
    assert_no_csp_errors(page)
