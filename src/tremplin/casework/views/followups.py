"""A follow-up's pages: open one (under an active follow-up consent), close it, assign it."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from .. import permissions, selectors, services
from ..forms import FollowUpAssignForm, FollowUpCloseForm, FollowUpOpenForm
from ..models import FollowUp, FollowUpStatus
from .common import GET_POST, casework_page, done, form_page, person_url, submitted


def follow_up_url(follow_up):
    return person_url(follow_up.person, f"#suivi-{follow_up.public_id}")


@casework_page
@GET_POST
def follow_up_open(request, public_id):
    user = request.user
    person = selectors.get_person_for_user(user, public_id, write=True, request=request)
    form = FollowUpOpenForm(request.POST or None, user=user, person=person)
    has_consent = form.fields["consent"].queryset.exists()
    if submitted(
        request,
        form,
        lambda: services.follow_up_open(
            user=user,
            person=person,
            follow_up=form.follow_up(),
            workers=form.workers(),
            request=request,
        ),
        refused="casework.follow_up.refused",
        obj=person,
        person=person,
    ):
        return done(request, _("Le suivi a été ouvert."), person_url(person, "#suivis"))
    return render(
        request,
        "casework/follow_up_open.html",
        {"form": form, "person": person, "has_consent": has_consent},
    )


@casework_page
@GET_POST
def follow_up_close(request, public_id):
    user = request.user
    follow_up = selectors.get_follow_up_for_user(user, public_id, write=True, request=request)
    if follow_up.status == FollowUpStatus.CLOSED:
        messages.info(request, _("Ce suivi est déjà fermé."))
        return redirect(follow_up_url(follow_up))
    form = FollowUpCloseForm(request.POST or None)
    if submitted(
        request,
        form,
        lambda: services.follow_up_close(
            user=user,
            follow_up=follow_up,
            closed_on=form.cleaned_data["closed_on"],
            outcome=form.cleaned_data["outcome"],
            request=request,
        ),
        refused="casework.follow_up.refused",
        obj=follow_up,
        person=follow_up.person,
    ):
        return done(request, _("Le suivi a été fermé."), follow_up_url(follow_up))
    intro = _("Suivi commencé le %(date)s.") % {"date": follow_up.started_on.isoformat()}
    title = _("Fermer le suivi")
    return form_page(request, form, follow_up.person, title, title, intro)


@casework_page
@GET_POST
def follow_up_assign(request, public_id):
    user = request.user
    if not permissions.is_supervisor(user):
        selectors.deny(user, FollowUp, public_id, request=request, write=True)
    follow_up = selectors.get_follow_up_for_user(user, public_id, write=True, request=request)
    form = FollowUpAssignForm(request.POST or None, user=user, follow_up=follow_up)
    if submitted(
        request,
        form,
        lambda: services.follow_up_assign(
            user=user, follow_up=follow_up, workers=form.cleaned_data["workers"], request=request
        ),
        refused="casework.follow_up.refused",
        obj=follow_up,
        person=follow_up.person,
    ):
        message = _("Les intervenant·es du suivi ont été modifié·es.")
        return done(request, message, follow_up_url(follow_up))
    return form_page(request, form, follow_up.person, _("Assigner le suivi"), _("Enregistrer"))
