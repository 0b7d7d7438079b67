"""Pages of projects. Thin: reads through selectors, writes through services.

Every program role reads projects; the coordination, or an organizer of a project's
territories, changes them (``permissions.can_edit_project``); anyone else gets a 404.
"""

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef, Prefetch, Q, Subquery
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from tremplin.core import keyset
from tremplin.core.form_pages import form_page
from tremplin.housing.models import Building
from tremplin.partners.permissions import can_read_funding

from . import exports, funding_links, permissions, selectors, services
from .filters import list_totals, project_filter
from .forms import (
    AttachmentForm,
    FundingLinkForm,
    LeadForm,
    PartnerLinkForm,
    ProjectForm,
    StaffAddForm,
)
from .models import (
    Accompaniment,
    Project,
    ProjectActivity,
    ProjectAttachment,
    Status,
)
from .views_activities import ACTIVITY_ORDER

PAGE_SIZES = (25, 50, 100)
QUIET_DAYS = 30
LATEST_ACTIVITIES = 10


def _require_reader(user):
    if not permissions.can_read(user):
        raise Http404


# --------------------------------------------------------------------------- list and exports


@login_required
def project_list(request):
    filterset = project_filter(request.user, request.GET)
    projects = filterset.qs
    totals = list_totals(projects)
    # The page's ids first, in a subquery that reads only the sort index (from the previous
    # page's last row, or from the nearer end: core.keyset), then those rows in full.
    context = keyset.list_page(
        request,
        filterset,
        total=totals["projects"],
        sizes=PAGE_SIZES,
        select_related=["lead_organizer"],
    )
    context.update(totals=totals, can_create=permissions.can_create(request.user))
    return render(request, keyset.results_template(request, "projects/project_list.html"), context)


def _export_queryset(user, params):
    return project_filter(user, params).qs.prefetch_related(
        "providers",
        Prefetch("buildings", queryset=Building.objects.select_related("municipality")),
    )


def _filename(ext: str) -> str:
    return f"projets-{timezone.localdate().isoformat()}.{ext}"


@login_required
def export_csv(request):
    projects = _export_queryset(request.user, request.GET)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{_filename("csv")}"'
    exports.write_csv(projects, response)
    return response


@login_required
def export_xlsx(request):
    projects = _export_queryset(request.user, request.GET)
    response = HttpResponse(
        exports.xlsx_bytes(projects),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{_filename("xlsx")}"'
    return response


# --------------------------------------------------------------------------- project page


@login_required
def project_detail(request, public_id):
    project = selectors.get_project_for_user(request.user, public_id)
    # The latest activities; all of them on their own paged list. Totals as kept on the
    # project by services.project_refresh_counts.
    activities = list(project.activities.order_by(*ACTIVITY_ORDER)[:LATEST_ACTIVITIES])
    participation = {
        "activities": project.activity_count,
        "participants": project.participant_sum,
        "tenants": project.tenant_sum,
    }
    can_edit = permissions.can_edit_project(request.user, project)
    can_edit_funding = can_edit and can_read_funding(request.user)
    forms = {}
    if can_edit:
        forms = {
            "partner_form": PartnerLinkForm(user=request.user),
            "lead_form": LeadForm(initial={"lead_organizer": project.lead_organizer_id}),
            "staff_form": StaffAddForm(project=project),
            "attachment_form": AttachmentForm(),
        }
    if can_edit_funding:
        forms["funding_form"] = FundingLinkForm(user=request.user)
    return render(
        request,
        "projects/project_detail.html",
        {
            **forms,
            "project": project,
            "buildings": project.buildings.select_related("municipality", "provider"),
            "providers": project.providers.select_related("municipality"),
            "territories": project.territories.all(),
            "local_teams": project.local_teams.all(),
            "determinants": project.determinants.all(),
            "target_groups": project.target_groups.all(),
            "staff": project.staff.all(),
            "partner_roles": project.partner_roles.select_related("partner"),
            "funding": funding_links.project_funding_for_user(request.user, project),
            "activities": activities,
            "participation": participation,
            "attachments": project.attachments.all(),
            "can_edit": can_edit,
            "can_edit_funding": can_edit_funding,
        },
    )


# --------------------------------------------------------------------------- create and edit


def _save_project(request, project, *, creating: bool):
    form = ProjectForm(request.POST or None, instance=project, user=request.user)

    def save():
        data = form.cleaned_data
        return services.project_save(
            user=request.user,
            project=form.save(commit=False),
            sites=(data["buildings"], data["providers"]),
            determinants=data["determinants"],
            target_groups=data["target_groups"],
            request=request,
        )

    return form_page(
        request,
        form,
        save,
        success=_("Le projet a été enregistré."),
        to=lambda saved: reverse("projects:project-detail", args=[saved.public_id]),
        template="projects/project_form.html",
        context={"project": project, "creating": creating},
    )


@login_required
@require_http_methods(["GET", "POST"])
def project_create(request):
    if not permissions.can_create(request.user):
        raise Http404
    return _save_project(request, Project(), creating=True)


@login_required
@require_http_methods(["GET", "POST"])
def project_edit(request, public_id):
    project = selectors.get_project_for_edit(request.user, public_id)
    return _save_project(request, project, creating=False)


@login_required
@require_http_methods(["GET", "POST"])
def project_delete(request, public_id):
    project = selectors.get_project_for_edit(request.user, public_id)
    if request.method == "POST":
        services.project_delete(user=request.user, project=project, request=request)
        messages.success(request, _("Le projet a été supprimé."))
        return redirect("projects:project-list")
    return render(
        request,
        "projects/project_confirm_delete.html",
        {
            "project": project,
            "activity_count": project.activities.count(),
            "funding_count": project.funding.count(),
        },
    )


# --------------------------------------------------------------------------- attachments


@login_required
@require_POST
def attachment_add(request, public_id):
    project = selectors.get_project_for_edit(request.user, public_id)
    form = AttachmentForm(request.POST, request.FILES)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    else:
        try:
            services.attachment_add(
                user=request.user,
                project=project,
                title=form.cleaned_data["title"],
                upload=form.cleaned_data["file"],
                request=request,
            )
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("La pièce jointe a été ajoutée."))
    return redirect("projects:project-detail", public_id=project.public_id)


@login_required
def attachment_download(request, public_id):
    _require_reader(request.user)
    try:
        attachment = ProjectAttachment.objects.select_related("project").get(public_id=public_id)
    except (ProjectAttachment.DoesNotExist, ValueError, ValidationError):
        raise Http404 from None
    # The same rule as the project page: whoever reads the project reads its attachments.
    selectors.get_project_for_user(request.user, attachment.project.public_id)
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    name = f"{slugify(attachment.title) or 'piece-jointe'}.{attachment.extension}"
    response = FileResponse(
        handle,
        as_attachment=not attachment.is_image,
        filename=name,
        content_type=attachment.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, max-age=0"
    return response


# --------------------------------------------------------------------------- my work


@login_required
def my_work(request):
    _require_reader(request.user)
    user = request.user
    today = timezone.localdate()
    recent = ProjectActivity.objects.filter(
        project_id=OuterRef("pk"), date__gte=today - dt.timedelta(days=QUIET_DAYS)
    )
    mine = (
        selectors.projects_for_user(user)
        .filter(
            Q(lead_organizer=user)
            | Q(pk__in=Project.staff.through.objects.filter(user=user).values("project_id"))
        )
        .filter(status__in=[Status.UNDER_WAY, Status.PREPARATION])
    )
    projects = list(
        mine.annotate(
            last_activity=Subquery(
                ProjectActivity.objects.filter(project_id=OuterRef("pk"))
                .order_by("-date")
                .values("date")[:1]
            ),
            recently_active=Exists(recent),
        ).order_by("status", "-start_date", "title")
    )
    to_log = [p for p in projects if p.status == Status.UNDER_WAY and not p.recently_active]
    accompaniments = list(
        Accompaniment.objects.filter(organizer=user)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=today))
        .select_related("provider__municipality", "association")
        .order_by("-start_date")
    )
    return render(
        request,
        "projects/my_work.html",
        {
            "projects": projects,
            "to_log": to_log,
            "accompaniments": accompaniments,
            "quiet_days": QUIET_DAYS,
            "can_create": permissions.can_create(user),
        },
    )
