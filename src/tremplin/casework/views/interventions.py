"""Interventions: a follow-up's list (page by page, a read, logged), the fast entry
(phone-first) and the correction of one (a read, logged)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.shortcuts import render
from django.utils.translation import gettext as _

from tremplin.core.keyset import page_number

from .. import selectors, services
from ..forms import InterventionForm
from .common import GET_POST, casework_page, done, require_caseworker, submitted
from .followups import follow_up_url


@casework_page
def follow_up_interventions(request, public_id):
    """All the interventions of a follow-up, oldest first, in pages (core.keyset)."""
    listing = selectors.interventions_page(
        request.user,
        public_id,
        page=page_number(request.GET.get("page")),
        params=request.GET,
        request=request,
    )
    return render(
        request,
        "casework/follow_up_interventions.html",
        {
            "listing": listing,
            "follow_up": listing.follow_up,
            "person": listing.follow_up.person,
            "rows": listing.rows,
            "page": listing.page,
            "pages": listing.pages,
        },
    )


@casework_page
@GET_POST
def intervention_create(request):
    """The fast entry (phone): choose one of one's open follow-ups, or arrive with ?suivi=."""
    user = request.user
    require_caseworker(user)
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

    def save():
        if follow_up is None:
            raise ValidationError({"follow_up": _("Choisissez un suivi de la liste.")})
        return services.intervention_add(
            user=user, intervention=form.save(commit=False), request=request
        )

    person = follow_up.person if follow_up else None
    if submitted(
        request, form, save, refused="casework.intervention.refused", obj=follow_up, person=person
    ):
        message = _("L'intervention a été inscrite au dossier de %(name)s.") % {"name": person}
        if request.POST.get("then") == "file":
            return done(request, message, follow_up_url(follow_up))
        return done(request, message, "casework:caseload")
    return render(
        request,
        "casework/intervention_form.html",
        {"form": form, "follow_up": follow_up, "has_follow_ups": bool(follow_ups)},
    )


@casework_page
@GET_POST
def intervention_edit(request, public_id):
    user = request.user
    intervention = selectors.get_intervention_for_user(user, public_id, write=True, request=request)
    follow_up = intervention.follow_up
    person = follow_up.person
    form = InterventionForm(request.POST or None, instance=intervention)
    if submitted(
        request,
        form,
        lambda: services.intervention_edit(
            user=user,
            intervention=form.save(commit=False),
            changed=form.changed_data,
            request=request,
        ),
        refused="casework.intervention.refused",
        obj=intervention,
        person=person,
    ):
        return done(request, _("L'intervention a été corrigée."), follow_up_url(follow_up))
    if request.method == "GET":
        selectors.record_read(
            user,
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
