"""The printable Répertoire of a large selection: made by a background job run by the real
worker (django-tasks-db), followed on a status page, downloadable by its requester only."""

import datetime as dt
import io
import os

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from tremplin.housing import printing
from tremplin.housing.models import Building, DirectoryPrint

OTHER_ROLES = (
    "organizer_a",
    "housing_manager",
    "worker_a",
    "supervisor_a",
    "privacy_officer",
    "partner",
    "researcher",
)


@pytest.fixture
def queue(settings, monkeypatch, tmp_path, django_capture_on_commit_callbacks):
    """The real database queue and its worker; every selection is "large"."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.MEDIA_ROOT = tmp_path
    # The worker closes "old" connections between jobs: that would end the test's transaction.
    monkeypatch.setattr(
        "django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None
    )
    monkeypatch.setattr(printing, "INLINE_LIMIT", 0)
    # The job is queued when the print's record is committed: run those callbacks as a commit.
    return django_capture_on_commit_callbacks


def run_worker():
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)


def ask_for_print(on_commit, client, **params):
    with on_commit(execute=True):
        response = client.get(reverse("housing:print-pdf"), params)
    assert response.status_code == 302
    return DirectoryPrint.objects.get(), response["Location"]


def pdf_text(content: bytes) -> tuple[str, int]:
    reader = PdfReader(io.BytesIO(content))
    return "\n".join(page.extract_text() for page in reader.pages), len(reader.pages)


def test_a_small_selection_is_printed_at_once(login, personas, world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    response = login(personas["coordination"]).get(
        reverse("housing:print-pdf"), {"territory": "beauce"}
    )
    assert response["Content-Type"] == "application/pdf"
    text, _pages = pdf_text(response.content)
    assert "150, 18e Rue" in text and "25, rue Saint-Louis" not in text
    assert not DirectoryPrint.objects.exists()


def test_a_large_selection_is_made_by_the_worker_and_followed_on_a_page(
    login, personas, world, queue
):
    client = login(personas["coordination"])
    job, location = ask_for_print(queue, client)
    assert location == reverse("housing:print-status", args=[job.public_id])
    assert job.status == DirectoryPrint.Status.QUEUED
    assert job.buildings == Building.objects.count() == 2
    page = client.get(location).content.decode()
    assert "se prépare en arrière-plan" in page and 'hx-trigger="every 2s"' in page
    # Not downloadable before it is ready.
    assert client.get(reverse("housing:print-download", args=[job.public_id])).status_code == 404

    run_worker()

    job.refresh_from_db()
    assert job.status == DirectoryPrint.Status.DONE and job.finished_at is not None
    partial = client.get(location, headers={"HX-Request": "true"}).content.decode()
    assert "Ouvrir le PDF" in partial and "every 2s" not in partial  # polling stops
    assert "<html" not in partial  # only the progress block
    response = client.get(reverse("housing:print-download", args=[job.public_id]))
    assert response["Content-Type"] == "application/pdf"
    text, pages = pdf_text(b"".join(response.streaming_content))
    assert "25, rue Saint-Louis" in text and "150, 18e Rue" in text
    assert pages == job.pages >= 1


def test_the_job_keeps_the_filters_and_the_requesters_access(login, personas, world, queue):
    client = login(personas["coordination"])
    job, _ = ask_for_print(queue, client, territory="grand-littoral", unknown="x", page="3")
    assert job.params == {"territory": "grand-littoral"}
    assert printing.run_print(job.pk) == DirectoryPrint.Status.DONE
    job.refresh_from_db()
    with job.file.open("rb") as f:
        text, _pages = pdf_text(f.read())
    assert "25, rue Saint-Louis" in text and "150, 18e Rue" not in text


def test_a_job_run_again_after_a_crash_writes_one_complete_file(login, personas, world, queue):
    job, _ = ask_for_print(queue, login(personas["coordination"]))
    # A first run killed after writing its file, before marking the print done.
    name = f"housing/prints/{job.public_id}.pdf"
    default_storage.save(name, ContentFile(b"%PDF-1.7 truncated"))
    DirectoryPrint.objects.filter(pk=job.pk).update(status=DirectoryPrint.Status.RUNNING)

    assert printing.run_print(job.pk) == DirectoryPrint.Status.DONE
    job.refresh_from_db()
    assert job.file.name == name  # the same name, not "…_a1b2c3.pdf" beside a stale one
    with job.file.open("rb") as f:
        assert pdf_text(f.read())[1] == job.pages
    finished = job.finished_at
    # A third run (the task retried) changes nothing.
    assert printing.run_print(job.pk) == DirectoryPrint.Status.DONE
    job.refresh_from_db()
    assert job.finished_at == finished
    assert os.listdir(default_storage.path("housing/prints")) == [f"{job.public_id}.pdf"]


def test_a_requester_who_lost_the_directory_gets_a_failed_print(login, personas, world, queue):
    user = personas["organizer_a"]
    client = login(user)
    job, location = ask_for_print(queue, client)
    user.membership.delete()
    assert printing.run_print(job.pk) == DirectoryPrint.Status.FAILED
    job.refresh_from_db()
    assert job.status == DirectoryPrint.Status.FAILED and not job.file


def test_the_page_says_when_the_queue_seems_stopped(login, personas, world, queue):
    client = login(personas["coordination"])
    job, location = ask_for_print(queue, client)
    assert "service des tâches" not in client.get(location).content.decode()
    DirectoryPrint.objects.filter(pk=job.pk).update(
        created_at=timezone.now() - dt.timedelta(minutes=3)
    )
    assert "service des tâches en arrière-plan est peut-être arrêté" in (
        client.get(location).content.decode()
    )


@pytest.mark.parametrize("role", OTHER_ROLES)
def test_nobody_else_sees_or_downloads_a_print(client, login, personas, world, queue, role):
    job, location = ask_for_print(queue, login(personas["coordination"]))
    printing.run_print(job.pk)
    download = reverse("housing:print-download", args=[job.public_id])
    other = login(personas[role], client=type(client)())
    assert other.get(location).status_code == 404
    assert other.get(download).status_code == 404


def test_visitors_and_users_without_a_role_get_nothing(client, login, personas, world, queue):
    job, location = ask_for_print(queue, login(personas["coordination"]))
    printing.run_print(job.pk)
    download = reverse("housing:print-download", args=[job.public_id])
    visitor = type(client)()
    assert "connexion" in visitor.get(location)["Location"]
    assert "connexion" in visitor.get(download)["Location"]
    no_role = login(personas["no_role"], client=type(client)())
    assert no_role.get(location).status_code == 404
    assert no_role.get(download).status_code == 404
    assert no_role.get(reverse("housing:print-pdf")).status_code == 404
    assert not DirectoryPrint.objects.exclude(pk=job.pk).exists()


def test_old_prints_are_forgotten_with_their_files(login, personas, world, queue):
    client = login(personas["coordination"])
    old, _ = ask_for_print(queue, client)
    printing.run_print(old.pk)
    old.refresh_from_db()
    path = old.file.path
    DirectoryPrint.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - printing.KEEP - dt.timedelta(minutes=1)
    )
    client.get(reverse("housing:print-pdf"))
    assert not DirectoryPrint.objects.filter(pk=old.pk).exists()
    assert not os.path.exists(path)
    assert DirectoryPrint.objects.count() == 1


def test_bad_print_addresses_are_404(login, personas, world, queue):
    client = login(personas["coordination"])
    assert client.get("/repertoire/impressions/pas-un-uuid/").status_code == 404
    assert (
        client.get(
            reverse("housing:print-status", args=["00000000-0000-0000-0000-000000000000"])
        ).status_code
        == 404
    )


def test_browsers_asking_for_favicon_ico_get_the_sites_icon(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"].endswith("img/favicon.svg")
    icon = client.get(response["Location"])
    assert icon.status_code == 200
    body = b"".join(icon.streaming_content) if icon.streaming else icon.content
    assert b"<svg" in body
