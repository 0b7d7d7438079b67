"""The resource directory: every member reads it; the coordination and supervisors edit it."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _

from .. import permissions, selectors, services
from ..forms import ResourceFilter, ResourceForm
from ..models import Resource
from .common import GET_POST, add_errors, done, form_page, page_number

RESOURCE_PAGE_SIZE = 50


@login_required
def resource_list(request):
    qs = selectors.resources_for_user(request.user)
    filterset = ResourceFilter(request.GET or None, queryset=qs)
    resources = filterset.qs if filterset.is_bound else qs
    total = resources.count()
    pages = max(1, -(-total // RESOURCE_PAGE_SIZE))
    page = min(page_number(request.GET.get("page")), pages)
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
            add_errors(form, error)
        else:
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
