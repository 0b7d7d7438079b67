"""Two-factor pages in a real Chromium on a 360 px phone: axe-core audits in French and English,
the QR code drawn without breaking the Content-Security-Policy, the whole sign-in."""

import re

from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from tremplin.accounts.two_factor import current_code
from tremplin.testing.browser import csp_errors, format_violations, submit, switch_language

SETUP = reverse("accounts:two-factor-setup")
VERIFY = reverse("accounts:two-factor")


def _fits(page):
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], f"{page.url}: {width} px wide"


def _audit(page, axe_audit, label, reports):
    _fits(page)
    violations = axe_audit(page)
    if violations:
        reports.append(format_violations(violations, f"[{label}] {page.url}"))


def test_it_sets_up_and_passes_the_second_factor_on_a_phone_in_both_languages(
    phone_page, logged_in_page, axe_audit, personas
):
    worker = personas["worker_a"]
    page = logged_in_page(worker, page=phone_page, two_factor=False)
    assert page.url.endswith(f"{SETUP}?next=%2F")
    reports = []

    # Set-up page: the QR code is inline SVG with an accessible name, the key is printed.
    qr = page.locator("svg.qr-code[role=img]")
    expect(qr).to_be_visible()
    expect(qr.locator("title")).to_have_text(
        "Code QR à balayer avec votre application d'authentification"
    )
    expect(page.locator(".two-factor-secret")).to_have_text(
        re.compile(r"^[A-Z2-7]{4}( [A-Z2-7]{4})+$")
    )
    _audit(page, axe_audit, "configuration, fr", reports)
    page.fill("#id_code", "000000" if current_code(_device(worker)) != "000000" else "111111")
    submit(page)
    expect(page.locator(".errorlist")).to_contain_text("Ce code n'est pas le bon")
    expect(page.locator("#id_code")).to_have_attribute("aria-invalid", "true")
    _audit(page, axe_audit, "configuration, code erroné, fr", reports)
    switch_language(page, "en")
    expect(page.locator("h1")).to_have_text("Turn on two-factor authentication")
    _audit(page, axe_audit, "set-up, en", reports)

    # The right code turns it on and goes on to the page asked for.
    TOTPDevice.objects.filter(user=worker).update(throttling_failure_timestamp=None)
    page.fill("#id_code", current_code(_device(worker)))
    submit(page)
    assert page.url.endswith("/")
    expect(page.locator(".messages")).to_contain_text("Two-factor authentication is on")
    assert _device(worker).confirmed

    # Next sign-in: the code page, in English (the language chosen), then in French.
    with page.expect_navigation():
        page.click("header form[action$='/deconnexion/'] button")
    logged_in_page(worker, page=page, two_factor=False)
    assert VERIFY in page.url
    expect(page.locator("h1")).to_have_text("Two-step verification")
    _audit(page, axe_audit, "verification, en", reports)
    switch_language(page, "fr")
    expect(page.locator("h1")).to_have_text("Vérification en deux étapes")
    _audit(page, axe_audit, "vérification, fr", reports)
    page.fill("#id_code", "12 34")
    submit(page)
    expect(page.locator(".errorlist")).to_contain_text("exactement six chiffres")
    _audit(page, axe_audit, "vérification, code mal formé, fr", reports)
    page.fill("#id_code", current_code(_device(worker)))
    submit(page)
    expect(page.locator("h1")).not_to_have_text("Vérification en deux étapes")
    assert VERIFY not in page.url

    errors = csp_errors(page)
    assert not errors, "Content-Security-Policy violations:\n" + "\n".join(errors)
    assert not reports, "\n\n".join(reports)


def test_it_shows_the_lockout_accessibly(phone_page, logged_in_page, axe_audit, personas, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    supervisor = personas["supervisor_a"]
    device = TOTPDevice.objects.create(user=supervisor, name="Téléphone", confirmed=True)
    page = logged_in_page(supervisor, page=phone_page, two_factor=False)
    wrong = "000000" if current_code(device) != "000000" else "111111"
    for _ in range(5):
        page.fill("#id_code", wrong)
        submit(page)
    expect(page.locator("[role=alert]")).to_contain_text("Trop de codes erronés")
    expect(page.locator("#id_code")).to_have_count(0)
    reports = []
    _audit(page, axe_audit, "blocage, fr", reports)
    switch_language(page, "en")
    expect(page.locator("[role=alert]")).to_contain_text("Too many wrong codes")
    _audit(page, axe_audit, "lockout, en", reports)
    assert not reports, "\n\n".join(reports)


def _device(user):
    return TOTPDevice.objects.filter(user=user).order_by("pk").last()
