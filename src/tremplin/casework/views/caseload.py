"""A worker's caseload (a supervisor's: the team's) and emergency access (« bris de verre »)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from tremplin.core.form_pages import service_errors
from tremplin.core.keyset import page_count, page_number

from .. import permissions, selectors, services
from ..forms import CaseloadSearchForm, EmergencyAccessForm
from ..models import FollowUpStatus
from .common import (
    GET_POST,
    casework_page,
    log_refused,
    person_url,
    require_caseworker,
)

CASELOAD_PAGE_SIZE = 50


@casework_page
def caseload(request):
    user = request.user
    require_caseworker(user)
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
    pages = page_count(total, CASELOAD_PAGE_SIZE)
    page = page_number(request.GET.get("page"), pages)
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
                return redirect(person_url(matches[0]))
            try:
                # The service logs its refusals itself (flagged: probing names is worth a look).
                access = services.emergency_access_request(
                    user=user, matches=matches, reason=data["reason"], request=request
                )
            except ValidationError as error:
                service_errors(form, error)
            else:
                messages.warning(
                    request,
                    _(
                        "Accès d'urgence accordé jusqu'à %(time)s, en lecture seule. Il a été "
                        "signalé à la personne responsable de la protection des renseignements "
                        "personnels."
                    )
                    % {"time": timezone.localtime(access.expires_at).strftime("%H:%M")},
                )
                return redirect(person_url(access.person))
        else:
            log_refused(request, None, "casework.emergency_access.refused", form.errors.as_data())
    return render(
        request,
        "casework/emergency_access_form.html",
        {"form": form, "hours": services.EMERGENCY_ACCESS_HOURS},
    )
