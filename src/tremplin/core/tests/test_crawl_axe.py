"""axe-core on every page a crawl reaches, for every role, at 1280 px and at 360 px.

The demo is loaded (the live server needs committed data). For each persona of the demo, in
order, the test client crawls the site from the home page (``tremplin.testing.crawl``: every
link, one visit per route pattern); each route pattern is then audited once in Chromium, as the
first persona who reached it, and each persona's home page (its menu is the role's): axe at
1280 px, then the viewport narrowed to 360 px and axe again on the same page (no reload).
The public site is audited in French and in English; the staff personas alternate the two
languages, so that both languages' templates are audited.

What this does not reach (kept in the apps' browser tests): forms after a submission with
errors, dialogs and menus opened, content swapped in by htmx, pages only a POST leads to.
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import Client

from tremplin.testing.browser import (
    BLOCKING_IMPACTS,
    DESKTOP,
    PHONE,
    _watch_console,
    console_errors,
    format_violations,
)
from tremplin.testing.crawl import crawl, failures, first_seen

# (demo username or None for a visitor, language), in the order pages are given out: the
# visitor (the public site, in French, then in English), the coordination reaches most staff
# pages, the supervisor the case files, the privacy officer the registers; the others see what
# those saw (each is audited on their home page, with their own menu).
PERSONAS = [
    (None, "fr"),
    (None, "en"),
    ("coordination", "fr"),
    ("superviseure", "en"),
    ("responsable-vie-privee", "fr"),
    ("organisateur", "en"),
    ("intervenant", "fr"),
    ("gestionnaire", "en"),
    ("partenaire", "fr"),
    ("chercheur", "en"),
]


NEXT_FRAMES = "new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))"


def _violations(page, axe_script):
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(axe_script)
    results = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    return [v for v in results["violations"] if v.get("impact") in BLOCKING_IMPACTS]


def test_it_has_no_serious_accessibility_violation_on_any_page_for_any_role(
    browser, live_url, _axe, login
):
    from tremplin.demo.loader import load_demo
    from tremplin.testing.demo import DEMO_PASSWORD

    load_demo(DEMO_PASSWORD)
    clients, pages_by_role, dead_links = {}, {}, []
    for username, language in PERSONAS:
        client = Client()
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
        if username:
            login(get_user_model().objects.get(username=username), client=client)
        role = f"{username or 'visitor'} ({language})"
        clients[role] = client
        pages_by_role[role] = crawl(client)
        dead_links += [f"[{role}] {failure}" for failure in failures(pages_by_role[role])]
    assert not dead_links, "Links of the crawl that answer an error:\n" + "\n".join(dead_links)

    reports = []
    # The public site in both languages; every other page once.
    visitor_fr, *others = pages_by_role
    plan = {visitor_fr: pages_by_role[visitor_fr]}
    plan |= first_seen({role: pages_by_role[role] for role in others})
    for role, pages in plan.items():
        context = browser.new_context(base_url=live_url, viewport=DESKTOP, locale="fr-CA")
        context.add_cookies(
            [
                {"name": cookie.key, "value": cookie.value, "url": live_url}
                for cookie in clients[role].cookies.values()
            ]
        )
        page = context.new_page()
        _watch_console(page)
        for crawled_page in pages:
            if page.viewport_size != DESKTOP:
                page.set_viewport_size(DESKTOP)
            seen_errors = len(console_errors(page))
            response = page.goto(crawled_page.url)
            assert response is not None and response.status == 200, crawled_page.url
            for viewport in (DESKTOP, PHONE):
                if viewport is PHONE:
                    page.set_viewport_size(viewport)
                    page.evaluate(NEXT_FRAMES)  # the page's own resize handlers ran
                label = f"[{role}, {viewport['width']} px] {crawled_page.url}"
                violations = _violations(page, _axe.axe_script)
                if violations:
                    reports.append(format_violations(violations, label))
            # Reflow (WCAG 1.4.10): nothing wider than the phone's screen.
            width = page.evaluate("document.documentElement.scrollWidth")
            if width > PHONE["width"] + 1:
                reports.append(f"{label}: horizontal scroll at 360 px (scrollWidth={width})")
            # A resource that failed to load, a script error, a Content-Security-Policy
            # violation.
            errors = console_errors(page)[seen_errors:]
            if errors:
                reports.append(f"{label}: console errors:\n  " + "\n  ".join(errors))
        context.close()
    assert not reports, "\n\n".join(reports)
