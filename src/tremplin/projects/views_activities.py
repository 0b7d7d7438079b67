"""A project's activities: all of them, page by page (the project page shows the latest), and
logging a new one. Reading them is reading the project (every program role); logging one is
editing it (``permissions.can_edit_project``); anyone else gets a 404."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from tremplin.core import keyset
from tremplin.core.form_pages import form_page

from . import permissions, selectors, services
from .forms import ActivityForm

ACTIVITY_ORDER = ("-date", "-id")
ACTIVITIES_PER_PAGE = 25


@login_required
@require_GET
def activity_list(request, public_id):
    project = selectors.get_project_for_user(request.user, public_id)
    # The count is kept on the project (services.project_refresh_counts): page numbers cost
    # nothing; a page is read after the previous page's last row, or from the nearer end.
    total = project.activity_count
    page = keyset.keyset_page(
        project.activities.order_by(*ACTIVITY_ORDER),
        ACTIVITY_ORDER,
        per_page=ACTIVITIES_PER_PAGE,
        total=total,
        params=request.GET,
    )
    return render(
        request,
        "projects/activity_list.html",
        {
            "project": project,
            "total": total,
            **page.context(),
            "can_edit": permissions.can_edit_project(request.user, project),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def activity_create(request, public_id):
    project = selectors.get_project_for_edit(request.user, public_id)
    form = ActivityForm(request.POST or None, project=project)
    return form_page(
        request,
        form,
        lambda: services.activity_log(
            user=request.user, activity=form.save(commit=False), request=request
        ),
        success=_("L'activité a été inscrite."),
        to=reverse("projects:project-detail", args=[project.public_id]),
        template="projects/activity_form.html",
        context={"project": project},
    )
