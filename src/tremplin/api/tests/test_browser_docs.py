"""The interactive docs (Swagger UI from our own static files) in a real Chromium: the page
builds every operation from the schema with no Content-Security-Policy violation and no console
error (``script-src 'self'``: no CDN, no inline script).

axe: only the violations that are ours are asserted. Swagger UI's own markup (third-party,
bundled by django-ninja, its DOM built by its script) is scoped out of the audit: it has
serious violations we cannot fix without forking it (measured when this test was written:
``color-contrast`` on its greyed labels and method badges, ``nested-interactive`` on its
collapsible operation rows). The page's own shell (the document, its language and title: our
template ``api/swagger.html``, which fixed ``html-has-lang``) is audited with Swagger UI's root
excluded — see ``EXCLUDE``.
"""

import pytest

from tremplin.testing.browser import console_errors, csp_errors

EXCLUDE = ["#swagger-ui"]


@pytest.mark.django_db(transaction=True)
def test_swagger_ui_loads_every_operation_without_csp_violation(page, axe_audit):
    from tremplin.api.api import api

    page.goto("/api/v1/docs")
    page.wait_for_selector(".opblock", timeout=15_000)
    operations = sum(
        1
        for item in api.get_openapi_schema()["paths"].values()
        for method in item
        if method in {"get", "post", "put", "patch", "delete"}
    )
    assert page.locator(".opblock").count() == operations
    assert page.locator(".opblock-summary-path", has_text="/api/v1/directory/buildings").count()
    assert csp_errors(page) == []
    assert console_errors(page) == []
    violations = axe_audit(page, context={"exclude": [[selector] for selector in EXCLUDE]})
    assert not violations, str(violations)
