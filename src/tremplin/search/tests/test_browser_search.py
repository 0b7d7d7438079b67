"""The header's search in a real Chromium: suggestions as one types, arrow keys and Enter,
Escape; axe-core on the open combobox and the results page in French and English; 360 px."""

from django.urls import reverse
from playwright.sync_api import expect

from tremplin.projects.models import Project, ProjectKind
from tremplin.testing.browser import assert_no_csp_errors, audit_all, visit


def test_it_suggests_navigates_by_keyboard_and_passes_axe(
    phone_page, logged_in_page, axe_audit, live_url, world, personas
):
    project = Project.objects.create(
        title="Cuisine collective de Lévis", kind=ProjectKind.FOOD_SECURITY
    )
    page = logged_in_page(personas["organizer_a"], page=phone_page)
    box = page.locator("#header-search-q")
    options = page.locator("#header-search-list [role=option]")
    for language in ("fr", "en"):
        page.context.add_cookies([{"name": "django_language", "value": language, "url": live_url}])
        visit(page, reverse("projects:project-list"))
        box.fill("cuisine lév")
        expect(box).to_have_attribute("aria-expanded", "true")
        expect(options.first).to_contain_text("Cuisine collective de Lévis")
        expect(page.locator("#header-search-status")).not_to_be_empty()
        box.press("ArrowDown")
        expect(options.first).to_have_attribute("aria-selected", "true")
        assert box.get_attribute("aria-activedescendant") == options.first.get_attribute("id")
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 361, f"horizontal scroll at 360 px (scrollWidth={width})"
        audit_all(page, axe_audit, [(f"suggestions ouvertes ({language})", lambda: None)])
        box.press("Escape")
        expect(box).to_have_attribute("aria-expanded", "false")
        box.press("ArrowDown")  # reopens on the same suggestions
        box.press("ArrowUp")  # wraps to the last option: every result
        expect(options.last).to_have_attribute("aria-selected", "true")
        with page.expect_navigation():
            box.press("Enter")
        assert "/recherche/?q=" in page.url
        expect(page.locator("main h2").first).to_contain_text(
            "Projets" if language == "fr" else "Projects"
        )
        audit_all(page, axe_audit, [(f"résultats ({language})", lambda: None)])
    # Enter on a suggestion opens that record.
    visit(page, reverse("core:home"))
    box.fill("cuisine")
    expect(options.first).to_contain_text("Cuisine collective")
    box.press("ArrowDown")
    with page.expect_navigation():
        box.press("Enter")
    assert page.url.endswith(reverse("projects:project-detail", args=[project.public_id]))
    assert_no_csp_errors(page)
