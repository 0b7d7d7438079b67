"""Pages of the Répertoire. Thin: reads through selectors, writes through services."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from tremplin.core import keyset

from . import exports, printing, selectors, services
from .forms import BuildingForm, ContactFormSet, ProviderForm
from .models import Building, HousingProvider
from .permissions import can_add_provider, can_edit_provider, can_import_directory

PAGE_SIZES = (25, 50, 100)


@login_required
def directory(request):
    filterset = selectors.directory_filter(request.user, request.GET)
    providers = filterset.qs
    totals = selectors.directory_totals(providers)
    # From the previous page's last row, or from the nearer end (core.keyset).
    context = keyset.list_page(
        request,
        filterset,
        total=totals["providers"],
        sizes=PAGE_SIZES,
        select_related=["municipality__mrc__territory"],
    )
    context.update(
        totals=totals,
        can_add=can_add_provider(request.user),
        can_import=can_import_directory(request.user),
    )
    return render(request, keyset.results_template(request, "housing/directory.html"), context)


def _filename(stem: str, ext: str) -> str:
    return f"{stem}-{timezone.localdate().isoformat()}.{ext}"


@login_required
def export_csv(request):
    buildings = selectors.buildings_for_export(request.user, request.GET)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{_filename("repertoire", "csv")}"'
    exports.write_csv(buildings, response)
    return response


@login_required
def export_xlsx(request):
    buildings = selectors.buildings_for_export(request.user, request.GET)
    response = HttpResponse(
        exports.xlsx_bytes(buildings),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{_filename("repertoire", "xlsx")}"'
    return response


@login_required
def print_pdf(request):
    """Small selections as a PDF at once; large ones through a job (``printing``)."""
    params = printing.filter_params(request.GET)
    count = printing.count_buildings(request.user, params)
    if count > printing.INLINE_LIMIT:
        job = printing.request_print(request.user, params, buildings=count)
        return redirect("housing:print-status", public_id=job.public_id)
    pdf, _pages = printing.render_pdf(
        request.user, params, base_url=request.build_absolute_uri("/")
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{_filename("repertoire", "pdf")}"'
    return response


@login_required
def print_status(request, public_id):
    job = printing.get_print_for_user(request.user, public_id)
    context = {
        "job": job,
        "back_query": urlencode(job.params),
        "estimate": printing.estimate_seconds(job),
        "waiting": job.status in (job.Status.QUEUED, job.Status.RUNNING),
        "stalled": job.status == job.Status.QUEUED
        and timezone.now() - job.created_at > printing.STALLED_AFTER,
    }
    template = "housing/print_status.html"
    if request.headers.get("HX-Request") == "true":
        template += "#progress"
    return render(request, template, context)


@login_required
def print_download(request, public_id):
    job = printing.get_print_for_user(request.user, public_id)
    if job.status != job.Status.DONE or not job.file:
        raise Http404
    return FileResponse(
        job.file.open("rb"),
        content_type="application/pdf",
        as_attachment=False,
        filename=f"repertoire-{timezone.localtime(job.created_at).date().isoformat()}.pdf",
    )


@login_required
def provider_detail(request, public_id):
    # The provider's community work belongs to projects, an app above this one: imported
    # when the page is drawn, never at load time (core/tests/test_layers.py).
    from tremplin.projects.permissions import can_edit_provider_work
    from tremplin.projects.selectors import community_story

    provider = selectors.get_provider_for_user(request.user, public_id)
    return render(
        request,
        "housing/provider_detail.html",
        {
            "provider": provider,
            "buildings": selectors.provider_buildings(provider),
            "contacts": provider.contacts.all(),
            "can_edit": can_edit_provider(request.user, provider),
            "story": community_story(request.user, provider=provider),
            "can_edit_work": can_edit_provider_work(request.user, provider),
        },
    )


def _save_provider(request, provider, *, creating: bool):
    form = ProviderForm(request.POST or None, instance=provider, user=request.user)
    contacts = ContactFormSet(request.POST or None, instance=provider, prefix="contacts")
    if request.method == "POST" and form.is_valid() and contacts.is_valid():
        with transaction.atomic():
            provider = services.provider_save(
                user=request.user, provider=form.save(commit=False), request=request
            )
            contacts.instance = provider
            contacts.save()
        messages.success(request, _("L'organisme a été enregistré."))
        return redirect("housing:provider-detail", public_id=provider.public_id)
    return render(
        request,
        "housing/provider_form.html",
        {"form": form, "contacts": contacts, "provider": provider, "creating": creating},
    )


@login_required
@require_http_methods(["GET", "POST"])
def provider_create(request):
    if not can_add_provider(request.user):
        raise Http404
    return _save_provider(request, HousingProvider(), creating=True)


@login_required
@require_http_methods(["GET", "POST"])
def provider_edit(request, public_id):
    provider = selectors.get_provider_for_edit(request.user, public_id)
    return _save_provider(request, provider, creating=False)


@login_required
def building_detail(request, public_id):
    from tremplin.projects.selectors import community_story  # see provider_detail

    building = selectors.get_building_for_user(request.user, public_id)
    return render(
        request,
        "housing/building_detail.html",
        {
            "building": building,
            "can_edit": can_edit_provider(request.user, building.provider),
            "story": community_story(request.user, building=building),
        },
    )


def _save_building(request, building, provider, *, creating: bool):
    form = BuildingForm(request.POST or None, instance=building, provider=provider)
    if request.method == "POST" and form.is_valid():
        building = form.save(commit=False)
        services.building_save(
            user=request.user,
            building=building,
            clienteles=form.cleaned_data["clienteles"],
            request=request,
        )
        messages.success(request, _("L'immeuble a été enregistré."))
        return redirect("housing:building-detail", public_id=building.public_id)
    return render(
        request,
        "housing/building_form.html",
        {"form": form, "building": building, "provider": provider, "creating": creating},
    )


@login_required
@require_http_methods(["GET", "POST"])
def building_create(request, public_id):
    provider = selectors.get_provider_for_edit(request.user, public_id)
    return _save_building(request, Building(provider=provider), provider, creating=True)


@login_required
@require_http_methods(["GET", "POST"])
def building_edit(request, public_id):
    building = selectors.get_building_for_edit(request.user, public_id)
    return _save_building(request, building, building.provider, creating=False)


@login_required
def import_upload(request):
    """The directory's import is the shared one (``tremplin.imports``): upload, mapping, review."""
    if not can_import_directory(request.user):
        raise Http404
    return redirect("imports:upload", entity="directory")
