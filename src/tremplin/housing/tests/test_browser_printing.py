"""The large printable Répertoire in a real Chromium: the link queues a job, the status page
follows it (htmx) until the PDF is ready, with no failed resource and no accessibility
violation, on a desktop and a phone."""

from django.core.management import call_command
from playwright.sync_api import expect

from tremplin.housing import printing
from tremplin.housing.models import DirectoryPrint
from tremplin.testing.browser import PHONE, console_errors, format_violations


def test_a_large_print_is_followed_until_ready_without_errors(
    new_page, logged_in_page, axe_audit, personas, world, settings, monkeypatch, tmp_path
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.MEDIA_ROOT = tmp_path
    monkeypatch.setattr(printing, "INLINE_LIMIT", 0)
    page = logged_in_page(personas["organizer_a"], page=new_page(viewport=PHONE))
    failed = []
    page.on("response", lambda r: failed.append(f"{r.status} {r.url}") if r.status >= 400 else 0)

    page.goto("/repertoire/")
    page.get_by_role("link", name="Version imprimable (PDF)").click()
    expect(page.get_by_role("status")).to_contain_text("se prépare en arrière-plan")
    violations = axe_audit(page)
    assert not violations, format_violations(violations, page.url)

    # The worker, as `tremplin db_worker` runs it beside the server.
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
    assert DirectoryPrint.objects.get().status == DirectoryPrint.Status.DONE

    link = page.get_by_role("link", name="Ouvrir le PDF")
    expect(link).to_be_visible(timeout=6_000)  # htmx polls every 2 s
    violations = axe_audit(page)
    assert not violations, format_violations(violations, page.url)
    response = page.request.get(link.get_attribute("href"))
    assert response.status == 200 and response.body().startswith(b"%PDF")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    # A browser opening the PDF asks for /favicon.ico: it must not be a 404.
    assert page.request.get("/favicon.ico").status == 200
    assert not failed, failed
    assert not console_errors(page), console_errors(page)
