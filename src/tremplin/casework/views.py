"""Pages of case files and of the resource directory. Thin: reads through selectors, writes
through services.

Every case page is for workers and supervisors only, within their scope (``permissions``);
anyone else gets a 404 (logged as ``casework.forbidden_attempt`` when the object exists).
Case pages are never cached by the browser (``Cache-Control: no-store``) and answer 429
when the user has opened too many distinct files within the hour.
"""

from __future__ import annotations

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from . import permissions, selectors, services
from .forms import (
    CaseloadSearchForm,
    CommunicationForm,
    ConsentForm,
    ConsentWithdrawForm,
    EmergencyAccessForm,
    FollowUpAssignForm,
    FollowUpCloseForm,
    FollowUpOpenForm,
    InterventionForm,
    PersonCreateForm,
    PersonForm,
    ReferralForm,
    ReferralOutcomeForm,
    ResourceFilter,
    ResourceForm,
    WorkerBarForm,
)
from .models import ConsentKind, FollowUp, FollowUpStatus, Resource

CASELOAD_PAGE_SIZE = 50
RESOURCE_PAGE_SIZE = 50
GET_POST = require_http_methods(["GET", "POST"])


def casework_page(view):
    """Sign-in required, never cached (``never_cache``: ``no-store`` among others, on the 429
    page too), and the bulk-reading limit answered with a 429 page."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        try:
            response = view(request, *args, **kwargs)
        except selectors.BulkReadBlockedError as blocked:
            response = render(
                request,
                "casework/bulk_read_blocked.html",
                {"limit": blocked.limit},
                status=429,
            )
        return response

    return login_required(never_cache(wrapped))


def _require_caseworker(user):
    if not permissions.is_caseworker(user):
        raise Http404


def _int(value, default=1):
    try:
        return max(1, int(value))
    except (TypeError, ValueError):
        return default


def _refused(request, obj, action, error, person=None):
    services.log_refusal(request.user, obj, action, error, person=person, request=request)


def _person_url(person, anchor=""):
    return reverse("casework:person-detail", args=[person.public_id]) + anchor


def _changed(form):
    return list(form.changed_data)


# --------------------------------------------------------------------------- caseload


@casework_page
def caseload(request):
    user = request.user
    _require_caseworker(user)
    search = CaseloadSearchForm(request.GET)
    search.is_valid()  # an invalid field is ignored; the valid ones still apply
    q = (search.cleaned_data.get("q") or "").strip()
    status = search.cleaned_data.get("status") or ("all" if q else "open")
    follow_ups = selectors.caseload(user, q=q, status=status)
    totals = follow_ups.order_by().aggregate(
        total=Count("pk"),
        overdue=Count(
            "pk", filter=Q(status=FollowUpStatus.OPEN, next_step_on__lt=timezone.localdate())
        ),
    )
    total = totals["total"]
    pages = max(1, -(-total // CASELOAD_PAGE_SIZE))
    page = min(_int(request.GET.get("page")), pages)
    start = (page - 1) * CASELOAD_PAGE_SIZE
    rows = follow_ups[start : start + CASELOAD_PAGE_SIZE]
    is_supervisor = permissions.is_supervisor(user)
    if is_supervisor:
        rows = selectors.with_workers(rows)
    rows = list(rows)
    return render(
        request,
        "casework/caseload.html",
        {
            "search": search,
            "q": q,
            "status": status,
            "rows": rows,
            "total": total,
            "page": page,
            "pages": pages,
            "overdue_total": totals["overdue"],
            "is_supervisor": is_supervisor,
            "emergencies": selectors.emergency_accesses_of(user),
        },
    )


# --------------------------------------------------------------------------- persons


@casework_page
@GET_POST
def person_create(request):
    user = request.user
    _require_caseworker(user)
    form = PersonCreateForm(request.POST or None, user=user)
    if request.method == "POST":
        if form.is_valid():
            try:
                person = services.person_create(
                    user=user,
                    person=form.save(commit=False),
                    consent=form.consent(),
                    follow_up=form.follow_up(),
                    workers=form.workers(),
                    notice_acknowledged=form.cleaned_data["notice_acknowledged"],
                    request=request,
                )
            except ValidationError as error:
                _add_errors(form, error)
            else:
                messages.success(request, _("Le dossier a été créé."))
                return redirect("casework:person-detail", public_id=person.public_id)
        _refused(request, None, "casework.person.refused", form.errors.as_data())
    return render(
        request,
        "casework/person_create.html",
        {"form": form, "retention_years": _retention_years()},
    )


def _add_errors(form, error: ValidationError):
    """Put a service's ValidationError on the form: on its field when the form has it."""
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error)


def _retention_years() -> int:
    from django.conf import settings

    return int(getattr(settings, "TREMPLIN_RETENTION_YEARS", 5))


@casework_page
def person_detail(request, public_id):
    file = selectors.open_person_file(request.user, public_id, request=request)
    return render(
        request,
        "casework/person_detail.html",
        {
            "file": file,
            "person": file.person,
            "today": timezone.localdate(),
            "is_supervisor": permissions.is_supervisor(request.user),
        },
    )


@casework_page
@GET_POST
def person_edit(request, public_id):
    person = selectors.get_person_for_user(request.user, public_id, write=True, request=request)
    form = PersonForm(
        request.POST or None,
        instance=person,
        user=request.user,
        initial={"building": person.building_id},
    )
    if request.method == "POST":
        if form.is_valid():
            try:
                services.person_update(
                    user=request.user,
                    person=form.save(commit=False),
                    changed=_changed(form),
                    request=request,
                )
            except ValidationError as error:
                _add_errors(form, error)
            else:
                messages.success(request, _("Les renseignements ont été rectifiés."))
                return redirect(_person_url(person))
        _refused(request, person, "casework.person.refused", form.errors.as_data(), person)
    else:
        selectors.record_read(
            request.user, person, "casework.person.read", person=person, request=request,
            data={"page": "edit"},
        )  # fmt: skip
    return render(
        request,
        "casework/form.html",
        {
            "form": form,
            "person": person,
            "title": _("Rectifier les renseignements"),
            "submit": _("Enregistrer"),
        },
    )


# --------------------------------------------------------------------------- consents


@casework_page
@GET_POST
def consent_create(request, public_id):
    person = selectors.get_person_for_user(request.user, public_id, write=True, request=request)
    form = ConsentForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            try:
                services.consent_record(
                    user=request.user,
                    person=person,
                    consent=form.save(commit=False),
                    request=request,
                )
            except ValidationError as error:
                _add_errors(form, error)
            else:
                messages.success(request, _("Le consentement a été inscrit."))
                return redirect(_person_url(person, "#consentements"))
        _refused(request, person, "casework.consent.refused", form.errors.as_data(), person)
    return render(
        request,
        "casework/form.html",
        {
            "form": form,
            "person": person,
            "title": _("Inscrire un consentement"),
            "submit": _("Inscrire"),
        },
    )


@casework_page
@GET_POST
def consent_withdraw(request, public_id):
    consent = selectors.get_consent_for_user(request.user, public_id, write=True, request=request)
    person = consent.person
    form = ConsentWithdrawForm(request.POST or None)
    if consent.withdrawn_on:
        messages.info(request, _("Ce consentement a déjà été retiré."))
        return redirect(_person_url(person, "#consentements"))
    if request.method == "POST":
        if form.is_valid():
            try:
                services.consent_withdraw(
                    user=request.user,
                    consent=consent,
                    withdrawn_on=form.cleaned_data["withdrawn_on"],
                    request=request,
                )
            except ValidationError as error:
                _add_errors(form, error)
            else:
                messages.success(
                    request,
                    _(
                        "Le retrait du consentement a été inscrit. Les données existantes sont "
                        "conservées pendant la durée de conservation."
                    ),
                )
                return redirect(_person_url(person, "#consentements"))
        _refused(request, consent, "casework.consent.refused", form.errors.as_data(), person)
    intro = _("Consentement : %(kind)s, donné le %(date)s.") % {
        "kind": consent.get_kind_display()
        + (f" — {consent.organization}" if consent.organization else ""),
        "date": consent.given_on.isoformat(),
    }
    if consent.kind == ConsentKind.FOLLOW_UP:
        intro += " " + _(
            "Après le retrait, aucune nouvelle intervention ni référence ne pourra être "
            "inscrite dans les suivis qui en dépendent ; ce qui existe est conservé."
        )
    return render(
        request,
        "casework/form.html",
        {
            "form": form,
            "person": person,
            "title": _("Retirer un consentement"),
            "intro": intro,
            "submit": _("Inscrire le retrait"),
        },
    )


# --------------------------------------------------------------------------- follow-ups


@casework_page
@GET_POST
def follow_up_open(request, public_id):
    person = selectors.get_person_for_user(request.user, public_id, write=True, request=request)
    form = FollowUpOpenForm(request.POST or None, user=request.user, person=person)
    has_consent = form.fields["consent"].queryset.exists()
    if request.method == "POST":
        if form.is_valid():
            try:
                services.follow_up_open(
                    user=request.user,
                    person=person,
                    follow_up=form.follow_up(),
                    workers=form.workers(),
                    request=request,
                )
            except ValidationError as error:
                _add_errors(form, error)
            else:
                messages.success(request, _("Le suivi a été ouvert."))
                return redirect(_person_url(person, "#suivis"))
        _refused(request, person, "casework.follow_up.refused", form.errors.as_data(), person)
    return render(
        request,
        "casework/follow_up_open.html",
        {"form": form, "person": person, "has_consent": has_consent},
    )


@casework_page
@GET_POST
def follow_up_close(request, public_id):
    follow_up = selectors.get_follow_up_for_user(
        request.user, public_id, write=True, request=request
    )
    person = follow_up.person
    if follow_up.status == FollowUpStatus.CLOSED:
        messages.info(request, _("Ce suivi est déjà fermé."))
        return redirect(_person_url(person, f"#suivi-{follow_up.public_id}"))
    form = FollowUpCloseForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            try:
                services.follow_up_close(
                    user=request.user,
                    follow_up=follow_up,
                    closed_on=form.cleaned_data["closed_on"],
                    outcome=form.cleaned_data["outcome"],
                    request=request,
                )
            except ValidationError as error:
                _add_errors(form, error)
            else:
                messages.success(request, _("Le suivi a été fermé."))
                return redirect(_person_url(person, f"#suivi-{follow_up.public_id}"))
        _refused(request, follow_up, "casework.follow_up.refused", form.errors.as_data(), person)
    return render(
        request,
        "casework/form.html",
        {
            "form": form,
            "person": person,
            "title": _("Fermer le suivi"),
            "intro": _("Suivi commencé le %(date)s.") % {"date": follow_up.started_on.isoformat()},
            "submit": _("Fermer le suivi"),
        },
    )


@casework_page
@GET_POST
def follow_up_assign(request, public_id):
    if not permissions.is_supervisor(request.user):
        selectors.deny(request.user, FollowUp, public_id, request=request, write=True)
    follow_up = selectors.get_follow_up_for_user(
        request.user, public_id, write=True, request=request
    )
    person = follow_up.person
    form = FollowUpAssignForm(request.POST or None, user=request.user, follow_up=follow_up)
    if request.method == "POST":
        if form.is_valid():
            try:
                services.follow_up_assign(
                    user=request.user,
                    follow_up=follow_up,
                    workers=form.cleaned_data["workers"],
                    request=request,
                )
            except ValidationError as error:
                _add_errors(form, error)
            else:
                messages.success(request, _("Les intervenant·es du suivi ont été modifié·es."))
                return redirect(_person_url(person, f"#suivi-{follow_up.public_id}"))
        _refused(request, follow_up, "casework.follow_up.refused", form.errors.as_data(), person)
    return render(
        request,
        "casework/form.html",
        {
            "form": form,
            "person": person,
            "title": _("Assigner le suivi"),
            "submit": _("Enregistrer"),
        },
    )


# --------------------------------------------------------------------------- interventions


@casework_page
@GET_POST
def intervention_create(request):
    """The fast entry (phone): choose one of one's open follow-ups, or arrive with ?suivi=."""
    user = request.user
    _require_caseworker(user)
    follow_ups = selectors.open_follow_ups_for_entry(user)
    follow_up = None
    raw = request.POST.get("follow_up") if request.method == "POST" else request.GET.get("suivi")
    if raw:
        key = selectors.parse_uuid(raw)
        if key is not None:
            # A forged identifier (another worker's follow-up) ends here: 404, logged.
            follow_up = selectors.get_follow_up_for_user(user, key, write=True, request=request)
    form = InterventionForm(
        request.POST or None,
        follow_ups=follow_ups,
        initial={"follow_up": follow_up.public_id} if follow_up else None,
    )
    if follow_up is not None:
        form.instance.follow_up = follow_up
    if request.method == "POST":
        if form.is_valid() and follow_up is not None:
            try:
                services.intervention_add(
                    user=user, intervention=form.save(commit=False), request=request
                )
            except ValidationError as error:
                _add_errors(form, error)
            else:
                messages.success(
                    request,
                    _("L'intervention a été inscrite au dossier de %(name)s.")
                    % {"name": follow_up.person},
                )
                if request.POST.get("then") == "file":
                    return redirect(_person_url(follow_up.person, f"#suivi-{follow_up.public_id}"))
                return redirect("casework:caseload")
        _refused(
            request,
            follow_up,
            "casework.intervention.refused",
            form.errors.as_data(),
            follow_up.person if follow_up else None,
        )
    return render(
        request,
        "casework/intervention_form.html",
        {"form": form, "follow_up": follow_up, "has_follow_ups": bool(follow_ups)},
    )


@casework_page
@GET_POST
def intervention_edit(request, public_id):
    intervention = selectors.get_intervention_for_user(
        request.user, public_id, write=True, request=request
    )
    follow_up = intervention.follow_up
    person = follow_up.person
    form = InterventionForm(request.POST or None, instance=intervention)
    if request.method == "POST":
        if form.is_valid():
            try:
                services.intervention_edit(
                    user=request.user,
                    intervention=form.save(commit=False),
                    changed=_changed(form),
                    request=request,
                )
            except ValidationError as error:
                _add_errors(form, error)
            else:
                messages.success(request, _("L'intervention a été corrigée."))
                return redirect(_person_url(person, f"#suivi-{follow_up.public_id}"))
        _refused(
            request, intervention, "casework.intervention.refused", form.errors.as_data(), person
        )
    else:
        selectors.record_read(
            request.user,
            intervention,
            "casework.intervention.read",
            person=person,
            request=request,
            data={"follow_up": str(follow_up.public_id)},
        )
    return render(
        request,
        "casework/intervention_form.html",
        {"form": form, "follow_up": follow_up, "intervention": intervention, "editing": True},
    )


# --------------------------------------------------------------------------- referrals


@casework_page
@GET_POST
def referral_create(request, public_id):
    follow_up = selectors.get_follow_up_for_user(
        request.user, public_id, write=True, request=request
    )
    person = follow_up.person
    form = ReferralForm(
        request.POST or None,
        resources=selectors.resource_choices(request.user, territory=follow_up.territory),
    )
    form.instance.follow_up = follow_up
    if request.method == "POST":
        if form.is_valid():
            try:
                services.referral_add(
                    user=request.user, referral=form.save(commit=False), request=request
                )
            except ValidationError as error:
                _add_errors(form, error)
            else:
                messages.success(request, _("La référence a été inscrite."))
                return redirect(_person_url(person, f"#suivi-{follow_up.public_id}"))
        _refused(request, follow_up, "casework.referral.refused", form.errors.as_data(), person)
    return render(
        request,
        "casework/form.html",
        {
            "form": form,
            "person": person,
            "title": _("Inscrire une référence"),
            "intro": _("Vers une ressource du répertoire."),
            "submit": _("Inscrire"),
        },
    )


@casework_page
@GET_POST
def referral_update(request, public_id):
    referral = selectors.get_referral_for_user(request.user, public_id, write=True, request=request)
    person = referral.follow_up.person
    form = ReferralOutcomeForm(request.POST or None, instance=referral)
    if request.method == "POST":
        if form.is_valid():
            try:
                services.referral_update(
                    user=request.user,
                    referral=form.save(commit=False),
                    changed=_changed(form),
                    request=request,
                )
            except ValidationError as error:
                _add_errors(form, error)
            else:
                messages.success(request, _("Le résultat de la référence a été inscrit."))
                return redirect(_person_url(person, f"#suivi-{referral.follow_up.public_id}"))
        _refused(request, referral, "casework.referral.refused", form.errors.as_data(), person)
    return render(
        request,
        "casework/form.html",
        {
            "form": form,
            "person": person,
            "title": _("Résultat de la référence"),
            "intro": _("Référence vers %(name)s, le %(date)s.")
            % {"name": referral.resource.name, "date": referral.referred_on.isoformat()},
            "submit": _("Enregistrer"),
        },
    )


# --------------------------------------------------------------------------- communications


@casework_page
@GET_POST
def communication_create(request, public_id):
    person = selectors.get_person_for_user(request.user, public_id, write=True, request=request)
    form = CommunicationForm(request.POST or None, person=person)
    has_consent = form.fields["consent"].queryset.exists()
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.communication_record(
                    user=request.user,
                    person=person,
                    consent=data["consent"],
                    what=data["what"],
                    why=data["why"],
                    shared_on=data["shared_on"],
                    request=request,
                )
            except ValidationError as error:
                _add_errors(form, error)
            else:
                messages.success(request, _("La communication a été inscrite au registre."))
                return redirect(_person_url(person, "#communications"))
        _refused(request, person, "casework.communication.refused", form.errors.as_data(), person)
    return render(
        request,
        "casework/communication_form.html",
        {"form": form, "person": person, "has_consent": has_consent},
    )


# --------------------------------------------------------------------------- bars


@casework_page
@GET_POST
def worker_bar(request, public_id):
    person = selectors.get_person_for_user(request.user, public_id, write=True, request=request)
    form = WorkerBarForm(
        request.POST or None, workers=selectors.workers_for_bar(request.user, person)
    )
    if request.method == "POST":
        if form.is_valid():
            worker = form.cleaned_data["worker"]
            try:
                services.worker_bar(
                    user=request.user, person=person, worker=worker, request=request
                )
            except ValidationError as error:
                _add_errors(form, error)
            else:
                messages.success(
                    request,
                    _("%(name)s n'a plus accès à ce dossier.")
                    % {"name": worker.get_full_name() or worker.username},
                )
                if worker.pk == request.user.pk:
                    return redirect("casework:caseload")
                return redirect(_person_url(person, "#refus"))
        _refused(request, person, "casework.worker_bar.refused", form.errors.as_data(), person)
    return render(
        request,
        "casework/form.html",
        {
            "form": form,
            "person": person,
            "title": _("Refus d'un·e intervenant·e"),
            "intro": _(
                "La personne peut refuser qu'un·e intervenant·e nommé·e consulte son dossier. "
                "Cette personne n'y aura plus accès, même assignée ; sa superviseure ou son "
                "superviseur réassigne le suivi au besoin."
            ),
            "submit": _("Inscrire le refus"),
        },
    )


# --------------------------------------------------------------------------- emergency access


@casework_page
@GET_POST
def emergency_access(request):
    user = request.user
    if not permissions.can_request_emergency_access(user):
        raise Http404
    form = EmergencyAccessForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            matches = selectors.emergency_access_matches(
                user,
                first_name=data["first_name"],
                last_name=data["last_name"],
                birth_year=data["birth_year"],
                building=data.get("building"),
            )
            in_load = permissions.persons_in_scope(user, write=True).filter(
                pk__in=[p.pk for p in matches]
            )
            if len(matches) == 1 and in_load.exists():
                messages.info(request, _("Ce dossier fait déjà partie de votre charge."))
                return redirect(_person_url(matches[0]))
            try:
                access = services.emergency_access_request(
                    user=user, matches=matches, reason=data["reason"], request=request
                )
            except ValidationError as error:
                _add_errors(form, error)
            else:
                messages.warning(
                    request,
                    _(
                        "Accès d'urgence accordé jusqu'à %(time)s, en lecture seule. Il a été "
                        "signalé à la personne responsable de la protection des renseignements "
                        "personnels."
                    )
                    % {"time": _local_time(access.expires_at)},
                )
                return redirect(_person_url(access.person))
        else:
            _refused(request, None, "casework.emergency_access.refused", form.errors.as_data())
    return render(
        request,
        "casework/emergency_access_form.html",
        {"form": form, "hours": services.EMERGENCY_ACCESS_HOURS},
    )


def _local_time(value) -> str:
    return timezone.localtime(value).strftime("%H:%M")


# --------------------------------------------------------------------------- resources


@login_required
def resource_list(request):
    qs = selectors.resources_for_user(request.user)
    filterset = ResourceFilter(request.GET or None, queryset=qs)
    resources = filterset.qs if filterset.is_bound else qs
    total = resources.count()
    pages = max(1, -(-total // RESOURCE_PAGE_SIZE))
    page = min(_int(request.GET.get("page")), pages)
    start = (page - 1) * RESOURCE_PAGE_SIZE
    return render(
        request,
        "casework/resource_list.html",
        {
            "filter": filterset,
            "resources": list(resources[start : start + RESOURCE_PAGE_SIZE]),
            "total": total,
            "page": page,
            "pages": pages,
            "can_edit": permissions.can_edit_resources(request.user),
        },
    )


def _resource_form(request, resource, *, creating):
    form = ResourceForm(request.POST or None, instance=resource)
    if request.method == "POST" and form.is_valid():
        try:
            services.resource_save(
                user=request.user, resource=form.save(commit=False), request=request
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("La ressource a été enregistrée."))
            return redirect("casework:resource-list")
    return render(
        request,
        "casework/form.html",
        {
            "form": form,
            "title": _("Nouvelle ressource") if creating else _("Modifier la ressource"),
            "submit": _("Enregistrer"),
            "back_url": "casework:resource-list",
            "back_label": _("Répertoire des ressources"),
        },
    )


@login_required
@GET_POST
def resource_create(request):
    if not permissions.can_edit_resources(request.user):
        raise Http404
    return _resource_form(request, Resource(), creating=True)


@login_required
@GET_POST
def resource_edit(request, public_id):
    resource = selectors.get_resource_for_edit(request.user, public_id)
    return _resource_form(request, resource, creating=False)
