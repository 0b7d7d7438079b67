"""Event pages in a real Chromium: axe-core audits of the public pages (French, English, phone
at 360 px) and of the staff pages, registering from a phone, and checking people in by tapping
(htmx) at the door."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tremplin.events.models import EventStatus, Registration
from tremplin.events.tokens import make_cancel_token
from tremplin.testing.browser import (
    assert_fits,
    assert_no_csp_errors,
    audit_all,
    submit,
    submit_with_errors,
    visit,
)

from .conftest import make_event, make_workshop, register, soon

PHONE_WIDTH = 360


@pytest.fixture
def events(world, personas):
    workshop = make_workshop(
        world,
        personas,
        capacity=2,
        description="Un atelier pratique (donnée fictive).",
        is_demo=True,
    )
    tour = make_event(
        title="Tournée régionale d'information",
        kind="tour",
        scope="regional",
        stops=[(world["levis"], soon(40, 13)), (world["st_georges"], soon(41, 13))],
        user=personas["coordination"],
    )
    closed = make_event(
        title="Forum complet", registration_open=False, stops=[(world["levis"], soon(50))]
    )
    registration, _ = register(workshop, accessibility_needs="Interprète LSQ")
    register(workshop, name="Luc Poulin", email="luc@example.org")
    register(workshop, name="Zoé Roy", email="zoe@example.org")  # waiting list
    return {"workshop": workshop, "tour": tour, "closed": closed, "registration": registration}


def _public_visits(page, events, check_width=False):
    workshop, tour, closed = events["workshop"], events["tour"], events["closed"]
    token = make_cancel_token(events["registration"])

    def state(path, status=200):
        def go():
            visit(page, path, status)
            if check_width:
                assert_fits(page, path)

        return go

    def with_errors():
        submit_with_errors(
            page,
            reverse("events:public-detail", args=[tour.public_id]),
            {"#id_name": "", "#id_phone": "555"},
        )
        if check_width:
            assert_fits(page, "form with errors")

    # The pages a link leads to are audited by the crawl (core/tests/test_crawl_axe.py); here,
    # the states no link reaches: errors, registration closed, after a registration, e-mail links.
    return [
        ("erreurs", with_errors),
        ("fermé", state(reverse("events:public-detail", args=[closed.public_id]))),
        ("merci", state(reverse("events:public-thanks", args=[workshop.public_id]))),
        ("annulation", state(reverse("events:public-cancel", args=[token]))),
        ("lien non valide", state(reverse("events:public-cancel", args=["x"]), 404)),
    ]


def test_it_has_no_serious_accessibility_violation_on_public_pages(page, axe_audit, events):
    audit_all(page, axe_audit, _public_visits(page, events))
    assert_no_csp_errors(page)


def test_it_has_no_serious_accessibility_violation_on_public_pages_in_english(
    new_page, live_url, axe_audit, events
):
    page = new_page(locale="en-CA")
    page.context.add_cookies([{"name": "django_language", "value": "en", "url": live_url}])
    visit(page, reverse("events:public-list"))
    expect(page.locator("html")).to_have_attribute("lang", "en-CA")
    audit_all(page, axe_audit, _public_visits(page, events))


def test_it_fits_the_public_pages_on_a_phone_and_registers_from_it(phone_page, axe_audit, events):
    page = phone_page
    audit_all(page, axe_audit, _public_visits(page, events, check_width=True))
    tour = events["tour"]
    visit(page, reverse("events:public-detail", args=[tour.public_id]))
    page.fill("#id_name", "Ginette Lachance")
    page.fill("#id_email", "ginette@example.org")
    page.get_by_label("Saint-Georges", exact=False).check()
    page.get_by_label("Je suis locataire", exact=False).check()
    submit(page)
    expect(page.locator("h1")).to_have_text("Merci, votre demande d'inscription est reçue")
    registration = Registration.objects.get(email="ginette@example.org")
    assert registration.stop.municipality.name == "Saint-Georges" and registration.is_tenant
    assert_no_csp_errors(page)


def test_it_has_no_serious_accessibility_violation_on_staff_pages(
    logged_in_page, axe_audit, events, personas, world
):
    page = logged_in_page(personas["coordination"])
    held = make_event(
        title="Rassemblement tenu", status=EventStatus.HELD, stops=[(world["levis"], soon(-30))]
    )

    def form_with_errors():
        submit_with_errors(page, reverse("events:event-create"), {"#id_title": ""})

    def negative_counts():
        path = reverse("events:attendance-edit", args=[held.stops.get().public_id])
        submit_with_errors(page, path, {"#id_tenants": "-4"})

    # Every page is audited by the crawl (core/tests/test_crawl_axe.py); here, the forms after
    # a submission with errors.
    audit_all(
        page,
        axe_audit,
        [("erreurs", form_with_errors), ("nombres négatifs", negative_counts)],
    )
    assert_no_csp_errors(page)


def test_it_checks_people_in_by_tapping_on_a_phone(
    phone_page, logged_in_page, axe_audit, events, personas
):
    page = logged_in_page(personas["organizer_a"], page=phone_page)
    workshop = events["workshop"]
    visit(page, reverse("events:check-in", args=[workshop.public_id]))
    assert_fits(page, "accueil")
    expect(page.locator("#checkin-count")).to_contain_text("0 personnes présentes")
    row = page.locator("li", has_text="Marie Tremblay")
    url_before = page.url
    row.get_by_role("button", name="Présent·e").tap()
    expect(page.locator("li", has_text="Marie Tremblay")).to_contain_text("✓ Présent·e")
    expect(page.locator("#checkin-count")).to_contain_text("1 personnes présentes")
    assert page.url == url_before  # swapped in place by htmx, no reload
    assert Registration.objects.get(name="Marie Tremblay").checked_in_at is not None
    audit_all(page, axe_audit, [("accueil après un pointage", lambda: None)])
    # Undo by tapping again.
    page.locator("li", has_text="Marie Tremblay").get_by_role("button", name="Retirer").tap()
    expect(page.locator("#checkin-count")).to_contain_text("0 personnes présentes")
    assert_no_csp_errors(page)


def test_it_pages_through_the_registrations_of_each_status(
    logged_in_page, axe_audit, events, personas, monkeypatch
):
    from tremplin.events import views_running

    monkeypatch.setattr(views_running, "REGISTRATIONS_PER_PAGE", 1)
    page = logged_in_page(personas["organizer_a"])
    visit(page, reverse("events:registration-list", args=[events["workshop"].public_id]))
    expect(page.locator("main h2")).to_have_text("Places confirmées (2)")
    audit_all(page, axe_audit, [("inscriptions confirmées, page 1", lambda: None)])
    with page.expect_navigation():
        page.locator("a[rel=next]").click()
    expect(page.locator("main tbody tr")).to_have_count(1)
    expect(page.locator("main tbody")).to_contain_text("Luc Poulin")
    audit_all(page, axe_audit, [("inscriptions confirmées, page 2", lambda: None)])
    with page.expect_navigation():
        page.get_by_role("link", name="Liste d'attente (1)").click()
    expect(page.locator("main tbody")).to_contain_text("Zoé Roy")
    expect(page.get_by_role("link", name="Liste d'attente (1)")).to_have_attribute(
        "aria-current", "page"
    )
    audit_all(page, axe_audit, [("liste d'attente", lambda: None)])
    assert_no_csp_errors(page)
