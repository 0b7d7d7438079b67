"""The resource directory: every member reads it; the coordination and supervisors edit it."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _

from tremplin.core.form_pages import NOT_SAVED, submitted
from tremplin.core.keyset import offset_page

from .. import permissions, selectors, services
from ..forms import ResourceFilter, ResourceForm
from ..models import Resource
from .common import GET_POST, done, form_page

RESOURCE_PAGE_SIZE = 50


@login_required
def resource_list(request):
    qs = selectors.resources_for_user(request.user)
    filterset = ResourceFilter(request.GET or None, queryset=qs)
    resources = filterset.qs if filterset.is_bound else qs
    total = resources.count()
    page = offset_page(resources, per_page=RESOURCE_PAGE_SIZE, total=total, params=request.GET)
    return render(
        request,
        "casework/resource_list.html",
        {
            "filter": filterset,
            "resources": page.rows,
            "total": total,
            "page": page.number,
            "pages": page.pages,
            "can_edit": permissions.can_edit_resources(request.user),
        },
    )


def _resource_form(request, resource, *, creating):
    form = ResourceForm(request.POST or None, instance=resource)
    saved = submitted(
        request,
        form,
        lambda: services.resource_save(
            user=request.user, resource=form.save(commit=False), request=request
        ),
    )
    if saved is not NOT_SAVED:
        return done(request, _("La ressource a été enregistrée."), "casework:resource-list")
    title = _("Nouvelle ressource") if creating else _("Modifier la ressource")
    return form_page(
        request,
        form,
        None,
        title,
        _("Enregistrer"),
        back_url="casework:resource-list",
        back_label=_("Répertoire des ressources"),
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
