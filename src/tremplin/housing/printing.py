"""The printable Répertoire (PDF): small selections in the request, large ones in a job.

WeasyPrint lays out about 70 buildings a second (docs/performance.md): the demo's 170 take
2.5 s and the province's 13,000 about three minutes, far past what a request may take. Up to
``INLINE_LIMIT`` buildings the PDF is made while the person waits (about a second); above,
``request_print`` records a ``DirectoryPrint`` and queues ``tasks.render_directory_print``;
the person follows its progress on a page and downloads the file when it is ready. The job
reads the directory through the same selector, with the same user, as the page.

A job that is run twice (a worker killed in the middle and the task retried) writes the same
file name again and marks the print done once: no half-written file is ever offered, because
the print points to its file only when the file is complete.
"""

from __future__ import annotations

import datetime as dt

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.http import Http404
from django.utils import timezone

from . import exports, selectors
from .models import DirectoryPrint

INLINE_LIMIT = 100
# Measured on the demo (docs/performance.md); used only for the estimate shown while waiting.
SECONDS_PER_BUILDING = 0.015
# A person's finished prints are kept this long, then deleted when they ask for another.
KEEP = dt.timedelta(days=1)
# A print still queued after this long: the page says the job runner may be stopped.
STALLED_AFTER = dt.timedelta(minutes=2)
# Params the directory's filters read (anything else in the query string is ignored).
FILTER_KEYS = ("q", "territory", "mrc", "team", "kind", "clientele", "sort")


def filter_params(query) -> dict:
    return {key: query.get(key) for key in FILTER_KEYS if query.get(key)}


def buildings_with_totals(user, params) -> tuple[dict, dict]:
    buildings = list(selectors.buildings_for_export(user, params))
    totals = {
        "buildings": len(buildings),
        "units": sum(b.total_units for b in buildings),
        "providers": len({b.provider_id for b in buildings}),
    }
    return selectors.buildings_by_territory(buildings), totals


def count_buildings(user, params) -> int:
    return selectors.buildings_for_export(user, params).order_by().count()


def render_pdf(user, params, *, base_url: str) -> tuple[bytes, int]:
    """The PDF of the buildings ``user`` reads with these filters, and its number of pages."""
    groups, totals = buildings_with_totals(user, params)
    return exports.pdf_document(groups, totals=totals, base_url=base_url)


def request_print(user, params: dict, *, buildings: int) -> DirectoryPrint:
    """Record the print and queue its job (once the record is committed)."""
    from . import tasks

    _forget_old_prints(user)
    with transaction.atomic():
        job = DirectoryPrint.objects.create(user=user, params=params, buildings=buildings)
        transaction.on_commit(lambda: tasks.render_directory_print.enqueue(job.pk))
    return job


def _forget_old_prints(user) -> None:
    old = DirectoryPrint.objects.filter(user=user, created_at__lt=timezone.now() - KEEP)
    for job in old:
        if job.file:
            job.file.delete(save=False)
    old.delete()


def run_print(print_id: int, *, base_url: str = "http://localhost/") -> str:
    """The job: render, store the file, then mark the print done. Returns its final status."""
    job = DirectoryPrint.objects.select_related("user").filter(pk=print_id).first()
    if job is None or job.status == DirectoryPrint.Status.DONE:
        return job.status if job else "missing"
    DirectoryPrint.objects.filter(pk=job.pk).update(
        status=DirectoryPrint.Status.RUNNING, started_at=timezone.now()
    )
    try:
        pdf, pages = render_pdf(job.user, job.params, base_url=base_url)
    except Http404:  # the person lost their role since they asked
        DirectoryPrint.objects.filter(pk=job.pk).update(
            status=DirectoryPrint.Status.FAILED, finished_at=timezone.now()
        )
        return DirectoryPrint.Status.FAILED
    name = f"housing/prints/{job.public_id}.pdf"
    if default_storage.exists(name):  # left by a run that was killed after writing it
        default_storage.delete(name)
    stored = default_storage.save(name, ContentFile(pdf))
    DirectoryPrint.objects.filter(pk=job.pk).update(
        status=DirectoryPrint.Status.DONE,
        file=stored,
        pages=pages,
        finished_at=timezone.now(),
    )
    return DirectoryPrint.Status.DONE


def get_print_for_user(user, public_id) -> DirectoryPrint:
    """The person's own print; anyone else's is a 404, as is a print of a user without a role."""
    if not user.is_authenticated:
        raise Http404
    selectors.directory_filter(user, {})  # 404 without the directory's role
    job = DirectoryPrint.objects.filter(user=user, public_id=public_id).first()
    if job is None:
        raise Http404
    return job


def estimate_seconds(job: DirectoryPrint) -> int:
    return max(1, round(job.buildings * SECONDS_PER_BUILDING))
