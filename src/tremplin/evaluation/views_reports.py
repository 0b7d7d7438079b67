"""Pages of the highlights reports (Faits saillants): the list (with the new-report form,
prefilled from the dashboard's ``?period=&area=``), a report as a page with its exports (PDF,
Word, HTML), and the editing page (texts, and the examples' order with plain POST buttons).

Reading: the roles that read the evaluation; creating and editing: the coordination. Others
get a 404. Writes go through ``report_services``; figures are computed, never typed.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from tremplin.territories.models import Territory

from . import report_services as services
from .forms_reports import ExampleMoveForm, ReportNewForm, ReportTextsForm, initial_from_query
from .permissions import can_edit_reports
from .report import build_highlights, saved_report_for
from .report_render import CONTENT_TYPES, FORMATS, chart_uri, export

FORMAT_LABELS = {"pdf": "PDF", "docx": "Word", "html": "HTML"}


def _require_editor(user):
    if not can_edit_reports(user):
        raise Http404


def _matching_report(initial):
    """The saved report of the period and area the dashboard asks for, if there is one."""
    if "period_start" not in initial:
        return None
    territory = None
    if initial.get("territory"):
        territory = Territory.objects.filter(slug=initial["territory"]).first()
    return saved_report_for(initial["period_start"], initial["period_end"], territory)


@login_required
def report_list(request):
    reports = services.reports_for_user(request.user)
    initial = initial_from_query(request.GET)
    can_edit = can_edit_reports(request.user)
    return render(
        request,
        "evaluation/highlights_list.html",
        {
            "reports": list(reports),
            "can_edit": can_edit,
            "form": ReportNewForm(initial=initial) if can_edit else None,
            "matching": _matching_report(initial),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def report_new(request):
    _require_editor(request.user)
    if request.method == "POST":
        form = ReportNewForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                report = services.report_create(
                    user=request.user,
                    title=data["title"],
                    period_start=data["period_start"],
                    period_end=data["period_end"],
                    territory=data["territory"],
                    agreement=data["agreement"],
                )
            except ValidationError as error:
                for field, messages_ in error.message_dict.items():
                    form.add_error(field if field in form.fields else None, messages_)
            else:
                messages.success(
                    request, _("Rapport créé : rédigez ses textes et choisissez ses exemples.")
                )
                return redirect("evaluation:report-edit", report.public_id)
    else:
        form = ReportNewForm(initial=initial_from_query(request.GET))
    return render(request, "evaluation/highlights_new.html", {"form": form})


@login_required
def report_detail(request, public_id):
    report = services.get_report_for_user(request.user, public_id)
    h = build_highlights(report, user=request.user)
    return render(
        request,
        "evaluation/highlights_detail.html",
        {
            "report": report,
            "h": h,
            "chart_uri": chart_uri(h),
            "formats": [(fmt, FORMAT_LABELS[fmt]) for fmt in FORMATS],
            "can_edit": can_edit_reports(request.user),
        },
    )


def _edit_page(request, report, texts_form):
    ordered, shown = services.example_state(report, request.user)
    return render(
        request,
        "evaluation/highlights_edit.html",
        {
            "report": report,
            "form": texts_form,
            "examples": ordered[:shown],
            "others": ordered[shown:],
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def report_edit(request, public_id):
    report = services.get_report_for_edit(request.user, public_id)
    if request.method == "GET":
        return _edit_page(request, report, ReportTextsForm.for_report(report))
    if "move" in request.POST:
        return _move_example(request, report)
    form = ReportTextsForm.for_report(report, request.POST)
    if form.is_valid():
        try:
            services.report_update(user=request.user, report=report, **form.cleaned_data)
        except ValidationError as error:
            for field, messages_ in error.message_dict.items():
                form.add_error(field if field in form.fields else None, messages_)
        else:
            messages.success(request, _("Textes enregistrés."))
            return redirect("evaluation:report-edit", report.public_id)
    # The texts typed stay in the form, with the errors beside them.
    return _edit_page(request, report, form)


def _move_example(request, report):
    form = ExampleMoveForm(request.POST)
    if form.is_valid():
        try:
            services.report_move_example(
                user=request.user,
                report=report,
                project_id=str(form.cleaned_data["project"]),
                move=form.cleaned_data["move"],
            )
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("Ordre des exemples enregistré."))
    else:
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
    return redirect(f"{request.path}#exemples")


@login_required
def report_export(request, public_id, fmt):
    report = services.get_report_for_user(request.user, public_id)
    if fmt not in FORMATS:
        raise Http404
    content, content_type, name = export(report, fmt, user=request.user)
    response = HttpResponse(content, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
