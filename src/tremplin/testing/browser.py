"""Real-browser test fixtures: Playwright driving Debian's Chromium, axe-core audits.

Loaded for the whole suite by the root conftest (``pytest_plugins``). Any test that uses one of
the browser fixtures below is marked ``browser`` automatically (``pytest -m "not browser"`` skips
them) and runs against pytest-django's ``live_server`` on a transactional database, restored
between tests from the migrated state (``serialized_rollback``) so data migrations (clienteles,
groups) survive the flush.

Chromium is never downloaded: we use the system one (``TREMPLIN_CHROMIUM``, ``/usr/bin/chromium``,
``/usr/bin/chromium-browser``; ``make browser`` installs Debian's). Without it the browser tests
are skipped — loudly, in the terminal summary — or fail when ``CI`` is set.

Fixtures:

* ``chromium_path`` (session): the Chromium executable.
* ``browser`` (session): one headless Chromium for the whole run.
* ``live_url``: base URL of the live server (the database becomes transactional).
* ``new_page(**context_options)``: a page in a fresh context (own cookies), French (fr-CA),
  1280×800 unless told otherwise, with relative ``goto`` against the live server.
* ``page``: a desktop page; ``phone_page``: a 360×740 touch phone page.
* ``logged_in_page(user, page=None, password=None, two_factor=True)``: signs in through the real
  login form (and the code page for roles that require two-factor authentication).
* ``axe_audit(page)``: the serious and critical axe-core violations of the page as it is now.

Helpers: ``console_errors(page)``, ``csp_errors(page)``, ``assert_no_csp_errors(page)``,
``format_violations(...)``; steps: ``visit(page, path, status=200)``, ``submit(page)``,
``submit_with_errors(page, path, fields)``, ``switch_language(page, code)``,
``assert_fits(page)`` (no horizontal scroll on a phone), ``audit_all(page, axe_audit, visits)``
and ``audit_reports(...)`` (each state of ``visits`` audited, every report at once).
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest

CHROMIUM_CANDIDATES = ("/usr/bin/chromium", "/usr/bin/chromium-browser")
SKIP_REASON = (
    "Chromium introuvable : tests de navigateur ignorés "
    "(installez le paquet Debian « chromium » avec `make browser`, "
    "ou indiquez son chemin dans TREMPLIN_CHROMIUM)"
)
NO_PLAYWRIGHT_REASON = (
    "Playwright n'est pas installé : tests de navigateur ignorés (pip install -e '.[dev]')"
)
BROWSER_FIXTURES = frozenset(
    {"chromium_path", "browser", "new_page", "page", "phone_page", "logged_in_page", "axe_audit"}
)
DESKTOP = {"width": 1280, "height": 800}
HTML_LANG = {"fr": "fr-CA", "en": "en-CA"}
PHONE = {"width": 360, "height": 740}
BLOCKING_IMPACTS = ("serious", "critical")
DEFAULT_TIMEOUT_MS = 10_000
# Chromium: "… violates the following Content Security Policy directive …".
CSP_MARKER = re.compile(r"content[ -]security[ -]policy", re.IGNORECASE)
LOGIN_PATH = "/comptes/connexion/"
TWO_FACTOR_PATH = "/comptes/double-authentification/"


def _in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() not in {"", "0", "false", "no"}


def _unavailable(reason: str):
    """Skip (locally) or fail (in CI) a test that needs the browser."""
    if _in_ci():
        pytest.fail(f"{reason} — CI is set: browser tests must run in CI.", pytrace=False)
    pytest.skip(reason)


def find_chromium() -> str | None:
    """The first executable among TREMPLIN_CHROMIUM and Debian's usual paths, or None."""
    for candidate in (os.environ.get("TREMPLIN_CHROMIUM", ""), *CHROMIUM_CANDIDATES):
        if candidate and Path(candidate).is_file() and os.access(candidate, os.X_OK):
            return candidate
    return None


# --------------------------------------------------------------------------- hooks


def pytest_collection_modifyitems(config, items):
    marker = pytest.mark.browser
    for item in items:
        if BROWSER_FIXTURES.intersection(getattr(item, "fixturenames", ())):
            item.add_marker(marker)


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    skipped = [
        report
        for report in terminalreporter.stats.get("skipped", [])
        if SKIP_REASON in str(report.longrepr) or NO_PLAYWRIGHT_REASON in str(report.longrepr)
    ]
    if skipped:
        terminalreporter.section("TESTS DE NAVIGATEUR IGNORÉS", sep="!", red=True, bold=True)
        reason = SKIP_REASON if SKIP_REASON in str(skipped[0].longrepr) else NO_PLAYWRIGHT_REASON
        terminalreporter.write_line(
            f"*** {len(skipped)} test(s) de navigateur ignoré(s) : {reason}. ***",
            red=True,
            bold=True,
        )
        terminalreporter.write_line(
            "*** L'accessibilité et le comportement réel des pages n'ont PAS été vérifiés. ***",
            red=True,
            bold=True,
        )


# --------------------------------------------------------------------------- browser


@pytest.fixture(scope="session")
def chromium_path() -> str:
    path = find_chromium()
    if path is None:
        _unavailable(SKIP_REASON)
    return path


def _serialized_states() -> dict:
    from django.db import connections

    return {
        conn.alias: conn._test_serialized_contents
        for conn in connections.all()
        if hasattr(conn, "_test_serialized_contents")
    }


@pytest.fixture(scope="session")
def browser(chromium_path, django_db_setup):
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable(NO_PLAYWRIGHT_REASON)
    from django.db import connections

    states = _serialized_states()
    playwright = sync_playwright().start()
    # Playwright's sync API leaves an asyncio loop "running" in this thread; from now on asgiref
    # hands Django other (context-local) connection objects. Give them the migrated state that
    # serialized_rollback restores, or the second browser test would find the data migrations'
    # rows (clienteles, groups…) flushed away.
    for alias, state in states.items():
        connections[alias]._test_serialized_contents = state
    try:
        chromium = playwright.chromium.launch(
            executable_path=chromium_path, headless=True, args=["--no-sandbox"]
        )
    except Exception:
        playwright.stop()
        raise
    yield chromium
    chromium.close()
    # Close the context-local connections while we can still reach them (PostgreSQL would
    # otherwise refuse to drop the test database).
    connections.close_all()
    playwright.stop()


@pytest.fixture
def live_url(live_server, django_db_serialized_rollback) -> str:
    """The live server's base URL; the test's database is transactional, restored afterwards."""
    return live_server.url


def _watch_console(page) -> None:
    messages: list[str] = []
    page.on("console", lambda msg: messages.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: messages.append(f"Uncaught: {exc}"))
    page.tremplin_console_errors = messages


def console_errors(page) -> list[str]:
    """Console errors (and uncaught exceptions) seen on this page since it was opened."""
    return list(getattr(page, "tremplin_console_errors", []))


def csp_errors(page) -> list[str]:
    """Console errors reporting a Content-Security-Policy violation."""
    return [m for m in console_errors(page) if CSP_MARKER.search(m)]


def assert_no_csp_errors(page) -> None:
    errors = csp_errors(page)
    assert not errors, "Content-Security-Policy violations:\n" + "\n".join(errors)


# --------------------------------------------------------------------------- page steps


def visit(page, path: str, status: int = 200):
    """``page.goto(path)``, asserting the HTTP status of the answer; returns the page."""
    response = page.goto(path)
    assert response is not None and response.status == status, (
        f"{path}: HTTP {response.status if response else None}, expected {status}"
    )
    return page


def submit(page, button: str = "button[type=submit]") -> None:
    """Click the submit ``button`` of the page's POST form and wait for the next page."""
    with page.expect_navigation():
        page.click(f"main form[method=post] {button}")


def switch_language(page, code: str) -> None:
    """Choose ``code`` (``en``, ``fr``) with the header's language button; the page that comes
    back is in that language (``<html lang>``)."""
    from playwright.sync_api import expect

    with page.expect_navigation():
        page.click(f"header button[name=language][value={code}]")
    expect(page.locator("html")).to_have_attribute("lang", HTML_LANG[code])


def submit_with_errors(page, path: str, fields: dict, button: str = "button[type=submit]"):
    """Open ``path``, fill ``fields`` ({selector: text}; ``True`` ticks that box), submit, and
    check that the form comes back with an error."""
    from playwright.sync_api import expect

    visit(page, path)
    for selector, value in fields.items():
        if value is True:
            page.check(selector)
        else:
            page.fill(selector, value)
    submit(page, button)
    expect(page.locator(".errorlist").first).to_be_visible()


def assert_fits(page, label: str | None = None, width: int = PHONE["width"]) -> None:
    """No horizontal scroll: the document is no wider than the phone's viewport."""
    scroll = page.evaluate("document.documentElement.scrollWidth")
    assert scroll <= width + 1, (
        f"{label or page.url}: horizontal scroll at {width} px (scrollWidth={scroll})"
    )


@pytest.fixture
def new_page(browser, live_url):
    """``new_page(viewport=..., **context_options)`` → a page in its own fresh context."""
    contexts = []

    def _new_page(**options):
        options.setdefault("locale", "fr-CA")
        options.setdefault("viewport", DESKTOP)
        options.setdefault("base_url", live_url)
        context = browser.new_context(**options)
        context.set_default_timeout(DEFAULT_TIMEOUT_MS)
        contexts.append(context)
        page = context.new_page()
        _watch_console(page)
        return page

    yield _new_page
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_page):
    return new_page()


@pytest.fixture
def phone_page(new_page):
    return new_page(viewport=PHONE, is_mobile=True, has_touch=True)


@pytest.fixture
def logged_in_page(new_page):
    """``logged_in_page(user, page=None, password=None, two_factor=True)``: sign in through the
    login form, then, for roles that require two-factor authentication, through the code page.

    Without ``page``, a new desktop page is opened. ``password`` defaults to the test
    personas' password (``tremplin.conftest.PASSWORD``). A user who needs the second factor and
    has no TOTP device gets a confirmed one first, and the code its app would show is typed in;
    ``two_factor=False`` stops on the code (or set-up) page.
    """

    def _login(user, page=None, password=None, two_factor=True):
        from tremplin.accounts.two_factor import requires_two_factor

        if password is None:
            from tremplin.conftest import PASSWORD

            password = PASSWORD
        needs_code = two_factor and requires_two_factor(user)
        if needs_code:
            _confirmed_device(user)
        page = page or new_page()
        page.goto(LOGIN_PATH)
        page.fill("#id_username", user.get_username())
        page.fill("#id_password", password)
        with page.expect_navigation():
            page.click("main form button[type=submit]")
        if LOGIN_PATH in page.url:
            raise AssertionError(
                f"Could not sign in as {user.get_username()} (still on {page.url})"
            )
        if needs_code and urlsplit(page.url).path == TWO_FACTOR_PATH:
            page.fill("#id_code", _unused_code(user))
            with page.expect_navigation():
                page.click("main form button[type=submit]")
            if urlsplit(page.url).path == TWO_FACTOR_PATH:
                raise AssertionError(
                    f"Second factor refused for {user.get_username()} (still on {page.url})"
                )
        return page

    return _login


def _confirmed_device(user):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    return device or TOTPDevice.objects.create(user=user, name="Test", confirmed=True)


def _unused_code(user) -> str:
    """The code the user's app shows now; when this moment's codes were already used (several
    sign-ins of one user within 30 seconds), the device forgets it: replay protection has its own
    tests."""
    from tremplin.accounts.two_factor import current_code

    device = _confirmed_device(user)
    code = current_code(device)
    if code is None:
        type(device).objects.filter(pk=device.pk).update(last_t=-1)
        device.refresh_from_db()
        code = current_code(device)
    return code


# --------------------------------------------------------------------------- axe-core


class Violations(list):
    """Serious and critical axe-core violations; ``str()`` is a readable report."""

    def __init__(self, violations=(), url: str = ""):
        super().__init__(violations)
        self.url = url

    def __str__(self) -> str:
        return format_violations(self, self.url)


def format_violations(violations, url: str = "", max_targets: int = 3) -> str:
    if not violations:
        return f"{url}: no serious or critical accessibility violation"
    lines = [f"{url}: {len(violations)} serious/critical accessibility violation(s)"]
    for v in violations:
        nodes = v.get("nodes", [])
        targets = [" ".join(map(str, node.get("target", []))) for node in nodes[:max_targets]]
        more = f" (+{len(nodes) - max_targets} more)" if len(nodes) > max_targets else ""
        lines.append(f"  - {v['id']} [{v.get('impact')}] {v.get('help', '')}")
        lines.append(f"      {v.get('helpUrl', '')}")
        lines.append(f"      on: {', '.join(targets)}{more}")
        summary = (nodes[0].get("failureSummary") or "").strip() if nodes else ""
        if summary:
            lines.append("      " + " ".join(summary.split()))
    return "\n".join(lines)


@pytest.fixture(scope="session")
def _axe(browser):
    from axe_playwright_python.sync_playwright import Axe

    return Axe()


@pytest.fixture
def axe_audit(_axe):
    """``axe_audit(page, context=None)`` → ``Violations`` (serious and critical only).

    Usage: ``violations = axe_audit(page); assert not violations, str(violations)``.
    """

    def _audit(page, context=None) -> Violations:
        results = _axe.run(page, context=context)
        blocking = [
            v for v in results.response["violations"] if v.get("impact") in BLOCKING_IMPACTS
        ]
        return Violations(blocking, url=page.url)

    return _audit


def audit_reports(page, axe_audit, visits) -> list[str]:
    """Run ``visits`` (label → callable putting the page in the state to audit) → the reports
    of the states with serious or critical violations."""
    reports = []
    for label, go in visits:
        go()
        violations = axe_audit(page)
        if violations:
            reports.append(format_violations(violations, f"[{label}] {page.url}"))
    return reports


def audit_all(page, axe_audit, visits) -> None:
    """Every state of ``visits`` audited; fails with all the reports at once."""
    reports = audit_reports(page, axe_audit, visits)
    assert not reports, "\n\n".join(reports)
