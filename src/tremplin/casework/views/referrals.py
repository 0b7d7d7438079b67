"""Referrals of a follow-up to a resource of the directory, and how they turned out."""

from __future__ import annotations

from django.utils.translation import gettext as _

from .. import selectors, services
from ..forms import ReferralForm, ReferralOutcomeForm
from .common import GET_POST, casework_page, done, form_page, submitted
from .followups import follow_up_url


@casework_page
@GET_POST
def referral_create(request, public_id):
    user = request.user
    follow_up = selectors.get_follow_up_for_user(user, public_id, write=True, request=request)
    form = ReferralForm(
        request.POST or None,
        resources=selectors.resource_choices(user, territory=follow_up.territory),
    )
    form.instance.follow_up = follow_up
    if submitted(
        request,
        form,
        lambda: services.referral_add(user=user, referral=form.save(commit=False), request=request),
        refused="casework.referral.refused",
        obj=follow_up,
        person=follow_up.person,
    ):
        return done(request, _("La référence a été inscrite."), follow_up_url(follow_up))
    intro = _("Vers une ressource du répertoire.")
    return form_page(
        request, form, follow_up.person, _("Inscrire une référence"), _("Inscrire"), intro
    )


@casework_page
@GET_POST
def referral_update(request, public_id):
    user = request.user
    referral = selectors.get_referral_for_user(user, public_id, write=True, request=request)
    person = referral.follow_up.person
    form = ReferralOutcomeForm(request.POST or None, instance=referral)
    if submitted(
        request,
        form,
        lambda: services.referral_update(
            user=user, referral=form.save(commit=False), changed=form.changed_data, request=request
        ),
        refused="casework.referral.refused",
        obj=referral,
        person=person,
    ):
        message = _("Le résultat de la référence a été inscrit.")
        return done(request, message, follow_up_url(referral.follow_up))
    intro = _("Référence vers %(name)s, le %(date)s.") % {
        "name": referral.resource.name,
        "date": referral.referred_on.isoformat(),
    }
    title = _("Résultat de la référence")
    return form_page(request, form, person, title, _("Enregistrer"), intro)
