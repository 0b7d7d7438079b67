"""A person's file: its creation, the file itself (a read, logged), rectification, consents,
communications to a partner and the workers the person bars."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import permissions, selectors, services
from ..forms import (
    CommunicationForm,
    ConsentForm,
    ConsentWithdrawForm,
    PersonCreateForm,
    PersonForm,
    WorkerBarForm,
)
from ..models import ConsentKind
from .common import (
    GET_POST,
    casework_page,
    done,
    form_page,
    person_url,
    require_caseworker,
    submitted,
)


@casework_page
@GET_POST
def person_create(request):
    user = request.user
    require_caseworker(user)
    form = PersonCreateForm(request.POST or None, user=user)
    person = submitted(
        request,
        form,
        lambda: services.person_create(
            user=user,
            person=form.save(commit=False),
            consent=form.consent(),
            follow_up=form.follow_up(),
            workers=form.workers(),
            notice_acknowledged=form.cleaned_data["notice_acknowledged"],
            request=request,
        ),
        refused="casework.person.refused",
    )
    if person:
        return done(request, _("Le dossier a été créé."), person_url(person))
    retention_years = int(getattr(settings, "TREMPLIN_RETENTION_YEARS", 5))
    return render(
        request,
        "casework/person_create.html",
        {"form": form, "retention_years": retention_years},
    )


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
    user = request.user
    person = selectors.get_person_for_user(user, public_id, write=True, request=request)
    form = PersonForm(
        request.POST or None, instance=person, user=user, initial={"building": person.building_id}
    )
    if submitted(
        request,
        form,
        lambda: services.person_update(
            user=user, person=form.save(commit=False), changed=form.changed_data, request=request
        ),
        refused="casework.person.refused",
        obj=person,
        person=person,
    ):
        return done(request, _("Les renseignements ont été rectifiés."), person_url(person))
    if request.method == "GET":
        selectors.record_read(
            user, person, "casework.person.read", person=person, request=request,
            data={"page": "edit"},
        )  # fmt: skip
    return form_page(request, form, person, _("Rectifier les renseignements"), _("Enregistrer"))


# --------------------------------------------------------------------------- consents


@casework_page
@GET_POST
def consent_create(request, public_id):
    user = request.user
    person = selectors.get_person_for_user(user, public_id, write=True, request=request)
    form = ConsentForm(request.POST or None)
    if submitted(
        request,
        form,
        lambda: services.consent_record(
            user=user, person=person, consent=form.save(commit=False), request=request
        ),
        refused="casework.consent.refused",
        obj=person,
        person=person,
    ):
        return done(
            request, _("Le consentement a été inscrit."), person_url(person, "#consentements")
        )
    return form_page(request, form, person, _("Inscrire un consentement"), _("Inscrire"))


@casework_page
@GET_POST
def consent_withdraw(request, public_id):
    user = request.user
    consent = selectors.get_consent_for_user(user, public_id, write=True, request=request)
    person = consent.person
    back = person_url(person, "#consentements")
    if consent.withdrawn_on:
        messages.info(request, _("Ce consentement a déjà été retiré."))
        return redirect(back)
    form = ConsentWithdrawForm(request.POST or None)
    if submitted(
        request,
        form,
        lambda: services.consent_withdraw(
            user=user,
            consent=consent,
            withdrawn_on=form.cleaned_data["withdrawn_on"],
            request=request,
        ),
        refused="casework.consent.refused",
        obj=consent,
        person=person,
    ):
        message = _(
            "Le retrait du consentement a été inscrit. Les données existantes sont "
            "conservées pendant la durée de conservation."
        )
        return done(request, message, back)
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
    return form_page(
        request, form, person, _("Retirer un consentement"), _("Inscrire le retrait"), intro
    )


# --------------------------------------------------------------------------- communications


@casework_page
@GET_POST
def communication_create(request, public_id):
    user = request.user
    person = selectors.get_person_for_user(user, public_id, write=True, request=request)
    form = CommunicationForm(request.POST or None, person=person)
    has_consent = form.fields["consent"].queryset.exists()
    if submitted(
        request,
        form,
        lambda: services.communication_record(
            user=user,
            person=person,
            consent=form.cleaned_data["consent"],
            what=form.cleaned_data["what"],
            why=form.cleaned_data["why"],
            shared_on=form.cleaned_data["shared_on"],
            request=request,
        ),
        refused="casework.communication.refused",
        obj=person,
        person=person,
    ):
        message = _("La communication a été inscrite au registre.")
        return done(request, message, person_url(person, "#communications"))
    return render(
        request,
        "casework/communication_form.html",
        {"form": form, "person": person, "has_consent": has_consent},
    )


# --------------------------------------------------------------------------- bars


@casework_page
@GET_POST
def worker_bar(request, public_id):
    user = request.user
    person = selectors.get_person_for_user(user, public_id, write=True, request=request)
    form = WorkerBarForm(request.POST or None, workers=selectors.workers_for_bar(user, person))
    bar = submitted(
        request,
        form,
        lambda: services.worker_bar(
            user=user, person=person, worker=form.cleaned_data["worker"], request=request
        ),
        refused="casework.worker_bar.refused",
        obj=person,
        person=person,
    )
    if bar:
        worker = bar.worker
        message = _("%(name)s n'a plus accès à ce dossier.") % {
            "name": worker.get_full_name() or worker.username
        }
        if worker.pk == user.pk:
            return done(request, message, "casework:caseload")
        return done(request, message, person_url(person, "#refus"))
    intro = _(
        "La personne peut refuser qu'un·e intervenant·e nommé·e consulte son dossier. "
        "Cette personne n'y aura plus accès, même assignée ; sa superviseure ou son "
        "superviseur réassigne le suivi au besoin."
    )
    return form_page(
        request, form, person, _("Refus d'un·e intervenant·e"), _("Inscrire le refus"), intro
    )
