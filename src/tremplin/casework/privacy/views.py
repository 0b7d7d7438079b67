"""Pages of the privacy officer, the research export and the counts for evaluation.

Thin: reads through ``selectors`` (404 outside the role), writes through ``services``. Every
page is personal information or about it: never cached (``never_cache`` sends
``Cache-Control: no-store``). Anonymous visitors get the same 404 as other roles.
"""

from __future__ import annotations

from functools import wraps

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from tremplin.audit.services import log_action
from tremplin.core.form_pages import NOT_SAVED, form_page, submitted

from ..models import ConfidentialityIncident
from ..selectors import BulkReadBlockedError, guard_bulk_read, record_read
from . import access, permissions, research, selectors, services, stats
from .forms import (
    IncidentForm,
    JournalFilterForm,
    PersonFilterForm,
    RectificationForm,
    StatsForm,
)

INDEX_LIMIT = 50


def _only(check):
    """404 (never a login redirect, never 403) unless ``check(user)``; never cached."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not check(request.user):
                raise Http404
            try:
                return view(request, *args, **kwargs)
            except BulkReadBlockedError as blocked:
                # The officer's access exports count like any file read (casework/README.md).
                return render(
                    request,
                    "casework/bulk_read_blocked.html",
                    {"limit": blocked.limit},
                    status=429,
                )

        return never_cache(wrapper)

    return decorator


officer_only = _only(permissions.is_privacy_officer)


def _no_store(response):
    response["Cache-Control"] = "private, no-store"
    return response


# --------------------------------------------------------------------------- helpers


def _chosen_person(request, form):
    """(person chosen by ``personne``, matches of the name search ``q``)."""
    person, matches = None, []
    data = form.cleaned_data if form.is_bound else {}
    if data.get("personne"):
        try:
            person = selectors.get_person_for_officer(request.user, data["personne"])
        except Http404:
            form.add_error("personne", _("Cette personne est introuvable."))
    if person is None and data.get("q"):
        matches = selectors.person_search(request.user, data["q"])
        log_action(
            None,
            "casework.privacy.person_search",
            user=request.user,
            request=request,
            data={"results": len(matches)},
        )
    return person, matches


def _bound(form_class, request, **kwargs):
    form = form_class(request.GET if request.GET else None, **kwargs)
    if form.is_bound:
        form.is_valid()  # invalid fields are shown with their message and ignored
    return form


# --------------------------------------------------------------------------- home and flags


@officer_only
@require_safe
def index(request):
    user = request.user
    accesses = list(selectors.emergency_accesses(user, unreviewed_only=True)[:INDEX_LIMIT])
    blocks = list(selectors.bulk_read_blocks(user, unreviewed_only=True)[:INDEX_LIMIT])
    return render(
        request,
        "casework/privacy/index.html",
        {
            "accesses": accesses,
            "blocks": blocks,
            "now": timezone.now(),
            "open_incidents": selectors.incidents(user).filter(status="open").count(),
        },
    )


@officer_only
@require_safe
def emergency_list(request):
    page = selectors.page_of(selectors.emergency_accesses(request.user), request.GET.get("page"))
    return render(
        request,
        "casework/privacy/emergency_list.html",
        {"page": page, "now": timezone.now()},
    )


def _back(request):
    return redirect(
        "casework:privacy-emergency-list"
        if request.POST.get("retour") == "liste"
        else "casework:privacy-index"
    )


@officer_only
@require_POST
def emergency_review(request):
    access_ = selectors.get_emergency_access_for_officer(request.user, request.POST.get("acces"))
    services.emergency_access_review(user=request.user, access=access_, request=request)
    messages.success(request, _("L'accès d'urgence est marqué comme examiné."))
    return _back(request)


@officer_only
@require_POST
def bulk_review(request):
    entry = selectors.get_bulk_block_for_officer(request.user, request.POST.get("entree"))
    services.bulk_block_review(user=request.user, entry=entry, request=request)
    messages.success(request, _("Le blocage de lecture massive est marqué comme examiné."))
    return _back(request)


# --------------------------------------------------------------------------- journal


def _is_flag(action: str) -> bool:
    """Entries the privacy officer must look at: bulk-read blocks, refused attempts on a file
    outside one's load, and emergency accesses."""
    if action in (selectors.BULK_BLOCKED, selectors.BULK_LIFTED, "casework.forbidden_attempt"):
        return True
    return (
        action.startswith("casework.emergency_access.") and action != selectors.EMERGENCY_REVIEWED
    )


@officer_only
@require_safe
def journal(request):
    user = request.user
    form = _bound(JournalFilterForm, request)
    person, matches = _chosen_person(request, form)
    data = form.cleaned_data if form.is_bound else {}
    actor = data.get("utilisateur")
    qs = selectors.journal(
        user, person=person, actor=actor, start=data.get("du"), end=data.get("au")
    )
    page = selectors.page_of(qs, request.GET.get("page"))
    persons = selectors.persons_by_public_id(user, {e.subject_id for e in page.rows})
    rows = [
        {
            "entry": e,
            "label": selectors.action_label(e.action),
            "person": persons.get(e.subject_id),
            "details": sorted((e.data or {}).items()),
            "flagged": _is_flag(e.action),
            "outside_limit": selectors.OUTSIDE_BULK_LIMIT.get(e.action),
        }
        for e in page.rows
    ]
    log_action(
        None,
        "casework.privacy.journal.read",
        user=user,
        request=request,
        data={
            "user": actor.username if actor else "",
            "from": data["du"].isoformat() if data.get("du") else "",
            "to": data["au"].isoformat() if data.get("au") else "",
            "page": page.number,
        },
        subject=person,
    )
    return render(
        request,
        "casework/privacy/journal.html",
        {"form": form, "person": person, "matches": matches, "page": page, "rows": rows},
    )


# --------------------------------------------------------------------------- registers


@officer_only
@require_safe
def destructions(request):
    page = selectors.page_of(selectors.destruction_records(request.user), request.GET.get("page"))
    return render(request, "casework/privacy/destructions.html", {"page": page})


@officer_only
@require_safe
def incidents(request):
    page = selectors.page_of(selectors.incidents(request.user), request.GET.get("page"))
    return render(request, "casework/privacy/incidents.html", {"page": page})


def _incident_form(request, incident, *, creating):
    form = IncidentForm(request.POST or None, instance=incident)
    return form_page(
        request,
        form,
        lambda: services.incident_save(
            user=request.user,
            incident=form.save(commit=False),
            changed=form.changed_data,
            request=request,
        ),
        success=_("L'incident est inscrit au registre."),
        to="casework:privacy-incidents",
        template="casework/privacy/incident_form.html",
        context={"incident": incident, "creating": creating},
    )


@officer_only
@require_http_methods(["GET", "POST"])
def incident_create(request):
    return _incident_form(request, ConfidentialityIncident(), creating=True)


@officer_only
@require_http_methods(["GET", "POST"])
def incident_edit(request, public_id):
    incident = selectors.get_incident_for_officer(request.user, public_id)
    return _incident_form(request, incident, creating=False)


@officer_only
@require_safe
def communications(request):
    user = request.user
    form = _bound(PersonFilterForm, request)
    person, matches = _chosen_person(request, form)
    page = selectors.page_of(selectors.communications(user, person=person), request.GET.get("page"))
    log_action(
        None,
        "casework.communication.list",
        user=user,
        request=request,
        data={"page": page.number},
        subject=person,
    )
    return render(
        request,
        "casework/privacy/communications.html",
        {"form": form, "person": person, "matches": matches, "page": page},
    )


# --------------------------------------------------------------------------- access requests


@officer_only
@require_safe
def persons(request):
    form = _bound(PersonFilterForm, request)
    _person, matches = _chosen_person(request, form)
    return render(
        request,
        "casework/privacy/persons.html",
        {"form": form, "matches": matches, "searched": bool(form.is_bound and form["q"].value())},
    )


@officer_only
@require_safe
def person(request, public_id):
    person_ = selectors.get_person_for_officer(request.user, public_id)
    record_read(
        request.user, person_, "casework.privacy.person.read", person=person_, request=request
    )
    return render(
        request,
        "casework/privacy/person.html",
        {
            "person": person_,
            "follow_ups": person_.follow_ups.count(),
            "consents": person_.consents.count(),
            "communications": person_.communications.count(),
            "accesses": selectors.access_log(person_).count(),
        },
    )


@officer_only
@require_safe
def person_export(request, public_id, fmt):
    if fmt not in ("json", "pdf"):
        raise Http404
    person_ = selectors.get_person_for_officer(request.user, public_id)
    # One identified person's whole file: one file read in the hourly window.
    guard_bulk_read(request.user, person_, request=request)
    dossier = access.person_dossier(request.user, person_)
    if fmt == "json":
        content, content_type = access.dossier_json(dossier), "application/json; charset=utf-8"
    else:
        content = access.dossier_pdf(dossier, base_url=request.build_absolute_uri("/"))
        content_type = "application/pdf"
    log_action(
        person_,
        "casework.person.access_export",
        user=request.user,
        request=request,
        data={"format": fmt},
        subject=person_,
    )
    response = HttpResponse(content, content_type=content_type)
    filename = f"dossier-{person_.public_id}-{timezone.localdate().isoformat()}.{fmt}"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return _no_store(response)


@officer_only
@require_http_methods(["GET", "POST"])
def person_rectify(request, public_id):
    person_ = selectors.get_person_for_officer(request.user, public_id)
    if person_.anonymized_at:
        messages.error(
            request, _("Cette personne a été anonymisée : il n'y a plus rien à rectifier.")
        )
        return redirect("casework:privacy-person", public_id=person_.public_id)
    form = RectificationForm(request.POST or None, instance=person_)
    changed = submitted(
        request,
        form,
        lambda: services.person_rectify(
            user=request.user,
            person=person_,
            changes=form.changes(),
            reason=form.cleaned_data["reason"],
            request=request,
        ),
    )
    if changed is not NOT_SAVED:
        if changed:
            messages.success(request, _("La rectification est enregistrée et journalisée."))
        else:
            messages.info(request, _("Aucun champ n'a changé : rien n'a été enregistré."))
        return redirect("casework:privacy-person", public_id=person_.public_id)
    return render(request, "casework/privacy/rectify.html", {"form": form, "person": person_})


# --------------------------------------------------------------------------- research


@_only(permissions.can_export_research)
@require_safe
def research_page(request):
    export = research.research_export(request.user)
    return render(
        request,
        "casework/privacy/research.html",
        {"export": export, "k": research.K, "headers": research.headers()},
    )


@_only(permissions.can_export_research)
@require_safe
def research_download(request, fmt):
    if fmt not in ("csv", "xlsx"):
        raise Http404
    export = research.research_export(request.user)
    if fmt == "csv":
        content, content_type = research.csv_bytes(export), "text/csv; charset=utf-8"
    else:
        content = research.xlsx_bytes(export)
        content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    log_action(
        None,
        "casework.research.export",
        user=request.user,
        request=request,
        data={
            "format": fmt,
            "rows": len(export.rows),
            "generalized": export.generalized,
            "suppressed": export.suppressed,
        },
    )
    response = HttpResponse(content, content_type=content_type)
    filename = f"suivis-depersonnalises-{timezone.localdate().isoformat()}.{fmt}"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return _no_store(response)


# --------------------------------------------------------------------------- counts


@_only(permissions.can_read_stats)
@require_safe
def stats_page(request):
    scope = permissions.stats_territory_ids(request.user)
    years = stats.available_years(scope)
    form = StatsForm(request.GET or None, years=years)
    year = None
    if form.is_bound and form.is_valid():
        year = form.cleaned_data["annee"]
    result = stats.casework_stats(request.user, year)
    return render(
        request,
        "casework/privacy/stats.html",
        {"form": form, "stats": result, "threshold": stats.THRESHOLD},
    )
