"""The profile page in a real Chromium at 1280 and 360 px, with two open sessions: axe-core
audits, nothing wider than the screen; then the two steps of changing the authenticator app."""

from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from tremplin.accounts.two_factor import current_code
from tremplin.testing.browser import PHONE, csp_errors, format_violations, submit

PROFILE = reverse("accounts:profile")


def _audit(page, axe_audit, label, reports):
    width = page.evaluate("document.documentElement.scrollWidth")
    if width > page.viewport_size["width"]:
        reports.append(f"[{label}] {page.url}: {width} px wide")
    violations = axe_audit(page)
    if violations:
        reports.append(format_violations(violations, f"[{label}] {page.url}"))


def test_it_shows_the_profile_accessibly_on_a_desktop_and_a_phone(
    page, logged_in_page, axe_audit, personas
):
    worker = personas["worker_a"]
    Client().force_login(worker)  # another session of the same person, elsewhere
    logged_in_page(worker, page=page)
    page.goto(PROFILE)
    rows = page.locator("section[aria-labelledby=sessions] tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.filter(has_text="cette session")).to_have_count(1)
    reports = []
    _audit(page, axe_audit, "mon compte, 1280 px", reports)
    page.set_viewport_size(PHONE)
    _audit(page, axe_audit, "mon compte, 360 px", reports)

    # Changing the authenticator app: the current code, then the new app's first code.
    with page.expect_navigation():
        page.click("a[href$='/double-authentification/changer/']")
    _audit(page, axe_audit, "changer d'application, étape 1, 360 px", reports)
    old = TOTPDevice.objects.get(user=worker, confirmed=True)
    page.fill("#id_code", current_code(old))
    submit(page)
    expect(page.locator("svg.qr-code[role=img]")).to_be_visible()
    _audit(page, axe_audit, "changer d'application, étape 2, 360 px", reports)
    new = TOTPDevice.objects.get(user=worker, confirmed=False)
    page.fill("#id_code", current_code(new))
    submit(page)
    expect(page.locator(".messages")).to_contain_text("Nouvelle application")
    assert list(TOTPDevice.objects.filter(user=worker).values_list("pk", flat=True)) == [new.pk]

    errors = csp_errors(page)
    assert not errors, "Content-Security-Policy violations:\n" + "\n".join(errors)
    assert not reports, "\n\n".join(reports)
