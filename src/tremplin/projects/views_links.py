"""The short forms of a project page: partners and their roles, funding lines, the staff.

Each form is on the project page for those who may edit the project; it posts to its own URL,
which also shows the form alone (on a phone, or again with its errors). The rule is the
project's: the coordination, or an organizer of its territories (``get_project_for_edit``);
anyone else gets a 404. Funding also needs read access to funding (``partners.permissions``).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from tremplin.core.form_pages import form_page
from tremplin.partners import permissions as funding_permissions

from . import selectors, services
from .forms import FundingLinkForm, LeadForm, PartnerLinkForm, StaffAddForm

SECTIONS = {
    "partner": ("partenaires", gettext_lazy("Ajouter un partenaire"), gettext_lazy("Ajouter")),
    "funding": ("financement", gettext_lazy("Ajouter un financement"), gettext_lazy("Imputer")),
    "lead": ("equipe", gettext_lazy("Changer de responsable"), gettext_lazy("Enregistrer")),
    "staff": ("equipe", gettext_lazy("Ajouter à l'équipe"), gettext_lazy("Ajouter")),
}


def _back(project, section: str):
    anchor = SECTIONS[section][0]
    return redirect(reverse("projects:project-detail", args=[project.public_id]) + f"#{anchor}")


def _link_form(request, project, form, section: str, service, success: str, **fields):
    """The form alone (first visit from a phone, or again with its errors); once valid,
    ``service(user=…, project=…, request=…)`` with the form's ``fields`` (argument → field
    name); once saved, back to its section of the project page."""
    anchor, title, submit = SECTIONS[section]
    back = reverse("projects:project-detail", args=[project.public_id]) + f"#{anchor}"
    return form_page(
        request,
        form,
        lambda: service(
            user=request.user,
            project=project,
            request=request,
            **{argument: form.cleaned_data[name] for argument, name in fields.items()},
        ),
        success=success,
        to=back,
        template="projects/project_link_form.html",
        context={
            "project": project,
            "title": title,
            "submit": submit,
            "action": request.path,
            "back": back,
        },
    )


def _project_for_funding(user, public_id):
    project = selectors.get_project_for_edit(user, public_id)
    if not funding_permissions.can_read_funding(user):
        raise Http404
    return project


def _posted(request, name: str, queryset):
    """The object named by ``name`` in the POST body within ``queryset``, or 404."""
    try:
        return queryset.get(**{name: request.POST.get("id")})
    except (queryset.model.DoesNotExist, ValidationError, ValueError, TypeError):
        raise Http404 from None


# --------------------------------------------------------------------------- partners


@login_required
@require_http_methods(["GET", "POST"])
def partner_add(request, public_id):
    project = selectors.get_project_for_edit(request.user, public_id)
    form = PartnerLinkForm(request.POST or None, user=request.user)
    return _link_form(
        request,
        project,
        form,
        "partner",
        services.project_partner_set,
        _("Le partenaire a été inscrit au projet."),
        partner="partner",
        role="role",
    )


@login_required
@require_POST
def partner_remove(request, public_id):
    project = selectors.get_project_for_edit(request.user, public_id)
    link = _posted(request, "partner__public_id", project.partner_roles.select_related("partner"))
    services.project_partner_remove(
        user=request.user, project=project, partner=link.partner, request=request
    )
    messages.success(
        request,
        _("%(partner)s a été retiré des partenaires du projet.") % {"partner": link.partner.name},
    )
    return _back(project, "partner")


# --------------------------------------------------------------------------- funding


@login_required
@require_http_methods(["GET", "POST"])
def funding_add(request, public_id):
    project = _project_for_funding(request.user, public_id)
    form = FundingLinkForm(request.POST or None, user=request.user)
    return _link_form(
        request,
        project,
        form,
        "funding",
        services.project_funding_set,
        _("Le financement du projet a été enregistré."),
        commitment="commitment",
        amount="amount",
    )


@login_required
@require_POST
def funding_remove(request, public_id):
    project = _project_for_funding(request.user, public_id)
    row = _posted(request, "commitment__public_id", project.funding.select_related("commitment"))
    services.project_funding_remove(
        user=request.user, project=project, commitment=row.commitment, request=request
    )
    messages.success(request, _("La ligne de financement a été retirée du projet."))
    return _back(project, "funding")


# --------------------------------------------------------------------------- staff


@login_required
@require_http_methods(["GET", "POST"])
def lead_set(request, public_id):
    project = selectors.get_project_for_edit(request.user, public_id)
    form = LeadForm(request.POST or None, initial={"lead_organizer": project.lead_organizer_id})
    return _link_form(
        request,
        project,
        form,
        "lead",
        services.project_lead_set,
        _("L'organisateur·trice responsable a été enregistré·e."),
        lead="lead_organizer",
    )


@login_required
@require_http_methods(["GET", "POST"])
def staff_add(request, public_id):
    project = selectors.get_project_for_edit(request.user, public_id)
    form = StaffAddForm(request.POST or None, project=project)
    return _link_form(
        request,
        project,
        form,
        "staff",
        services.project_staff_add,
        _("La personne a été ajoutée à l'équipe du projet."),
        member="member",
    )


@login_required
@require_POST
def staff_remove(request, public_id):
    project = selectors.get_project_for_edit(request.user, public_id)
    member = _posted(request, "pk", project.staff.all())
    services.project_staff_remove(
        user=request.user, project=project, member=member, request=request
    )
    messages.success(request, _("La personne a été retirée de l'équipe du projet."))
    return _back(project, "staff")


urlpatterns_links = [
    path("<uuid:public_id>/partenaires/", partner_add, name="partner-add"),
    path("<uuid:public_id>/partenaires/retirer/", partner_remove, name="partner-remove"),
    path("<uuid:public_id>/financement/", funding_add, name="funding-add"),
    path("<uuid:public_id>/financement/retirer/", funding_remove, name="funding-remove"),
    path("<uuid:public_id>/equipe/responsable/", lead_set, name="lead-set"),
    path("<uuid:public_id>/equipe/", staff_add, name="staff-add"),
    path("<uuid:public_id>/equipe/retirer/", staff_remove, name="staff-remove"),
]
