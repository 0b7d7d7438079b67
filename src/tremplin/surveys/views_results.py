"""Results pages of a campaign (whole campaign or one site), charts, comparison across sites,
free-text answers and their themes, volunteers, raw exports and the results report.

Who: those who manage the campaign (``selectors.get_campaign_for_user``); volunteers' contact
details only the organizers of the volunteer's site territory (``selectors.volunteers_for_user``).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from tremplin.audit.services import log_action
from tremplin.core import keyset
from tremplin.core.form_pages import refusal_messages

from . import answering, charts, exports, permissions, reports, results, selectors, services
from .forms import ThemeForm
from .models import Question

TEXT_PAGE_SIZE = 50
MAX_TEXT_PAGES = 2000


def _question_of(campaign, public_id) -> answering.QuestionInfo:
    try:
        question = Question.objects.get(version=campaign.version, public_id=public_id)
    except (Question.DoesNotExist, ValueError, ValidationError):
        raise Http404 from None
    struct = answering.structure(campaign.version)
    return struct.by_id[question.pk]


@login_required
def results_page(request, public_id):
    campaign = selectors.get_campaign_for_user(request.user, public_id)
    site = selectors.site_of_campaign(campaign, request.GET.get("site"))
    res = results.campaign_results(campaign, site)
    if site is None:
        tablet = sum(s.site.tablet_count for s in res.sites)
        paper = sum(s.site.paper_count for s in res.sites)
    else:
        tablet, paper = site.tablet_count, site.paper_count
    return render(
        request,
        "surveys/results.html",
        {
            "campaign": campaign,
            "site": site,
            "results": res,
            "sources": {"online": res.responses - tablet - paper, "tablet": tablet, "paper": paper},
            "min_cell": results.MIN_CELL,
            "state": campaign.status_on(timezone.localdate()),
            "can_see_volunteers": bool(permissions.volunteer_territories(request.user)),
        },
    )


@login_required
def results_chart(request, public_id, question_id):
    campaign = selectors.get_campaign_for_user(request.user, public_id)
    site = selectors.site_of_campaign(campaign, request.GET.get("site"))
    info = _question_of(campaign, question_id)
    result = results.question_result(campaign, info, site)
    if not result.has_chart:
        raise Http404
    return HttpResponse(charts.question_chart(result), content_type="image/svg+xml; charset=utf-8")


@login_required
def results_compare(request, public_id, question_id):
    campaign = selectors.get_campaign_for_user(request.user, public_id)
    info = _question_of(campaign, question_id)
    if not info.question.is_closed:
        raise Http404
    return render(
        request,
        "surveys/results_compare.html",
        {
            "campaign": campaign,
            "info": info,
            "rows": results.compare_sites(campaign, info),
            "min_cell": results.MIN_CELL,
        },
    )


# --------------------------------------------------------------------------- free text


@login_required
@require_http_methods(["GET", "POST"])
def text_answers(request, public_id):
    campaign = selectors.get_campaign_for_user(request.user, public_id)
    struct = answering.structure(campaign.version)
    text_questions = [q for q in struct.questions if q.question.is_text]
    params = request.GET
    question = next(
        (q for q in text_questions if str(q.question.public_id) == params.get("question")), None
    )
    site = selectors.site_of_campaign(campaign, params.get("site"))
    theme = None
    if params.get("theme"):
        theme = selectors.get_theme_for_user(request.user, campaign, params.get("theme"))
    theme_form = ThemeForm()
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "theme-create":
                theme_form = ThemeForm(request.POST)
                if theme_form.is_valid():
                    services.theme_create(
                        user=request.user,
                        campaign=campaign,
                        name=theme_form.cleaned_data["name"],
                        request=request,
                    )
                    messages.success(request, _("Le thème a été créé."))
                    return redirect(request.get_full_path())
            elif action in ("tag", "untag"):
                target = selectors.get_theme_for_user(
                    request.user, campaign, request.POST.get("target")
                )
                ids = [int(i) for i in request.POST.getlist("answer") if i.isdigit()][:500]
                if not ids:
                    messages.error(request, _("Cochez au moins une réponse."))
                else:
                    n = services.answers_tag(
                        user=request.user,
                        campaign=campaign,
                        theme=target,
                        answer_ids=ids,
                        add=action == "tag",
                        request=request,
                    )
                    messages.success(
                        request,
                        (
                            _("%(n)s réponse(s) classée(s) dans « %(theme)s ».")
                            if action == "tag"
                            else _("%(n)s réponse(s) retirée(s) de « %(theme)s ».")
                        )
                        % {"n": n, "theme": target.name},
                    )
                return redirect(request.get_full_path())
            elif action == "theme-delete":
                target = selectors.get_theme_for_user(
                    request.user, campaign, request.POST.get("target")
                )
                services.theme_delete(user=request.user, theme=target, request=request)
                messages.success(request, _("Le thème a été supprimé."))
                return redirect(reverse("surveys:text-answers", args=[campaign.public_id]))
            else:
                raise Http404
        except ValidationError as error:
            refusal_messages(request, error)
    answers = selectors.text_answers(
        campaign,
        [question.question] if question else [q.question for q in text_questions],
        site=site,
        theme=theme,
    )
    if theme is None:
        # One text value per response and question: the summary rows count them.
        total = results.text_answer_count(
            campaign,
            [question.question] if question else [q.question for q in text_questions],
            site,
        )
    else:
        total = answers.count()
    pages = min(MAX_TEXT_PAGES, keyset.page_count(total, TEXT_PAGE_SIZE))
    page = keyset.page_number(request.GET.get("page"), pages)
    rows = list(
        answers.select_related("site")
        .prefetch_related("themes")
        .order_by("id")[(page - 1) * TEXT_PAGE_SIZE : page * TEXT_PAGE_SIZE]
    )
    by_id = struct.by_id
    for row in rows:
        row.info = by_id.get(row.question_id)
    return render(
        request,
        "surveys/text_answers.html",
        {
            "campaign": campaign,
            "text_questions": text_questions,
            "question": question,
            "site": site,
            "sites": campaign.sites.order_by("label"),
            "theme": theme,
            "themes": results.theme_summary(campaign),
            "rows": rows,
            "total": total,
            "page": page,
            "pages": pages,
            "theme_form": theme_form,
        },
    )


# --------------------------------------------------------------------------- volunteers


@login_required
def volunteers(request, public_id):
    campaign = selectors.get_campaign_for_user(request.user, public_id)
    people = list(
        selectors.volunteers_for_user(request.user, campaign).order_by("site__label", "id")
    )
    log_action(
        campaign,
        "surveys.volunteers.read",
        user=request.user,
        request=request,
        data={"count": len(people)},
    )
    return render(request, "surveys/volunteers.html", {"campaign": campaign, "volunteers": people})


# --------------------------------------------------------------------------- exports


def _filename(campaign, ext: str) -> str:
    return f"{slugify(campaign.title)[:60] or 'enquete'}-{timezone.localdate().isoformat()}.{ext}"


def _export(request, public_id, ext: str, content, content_type: str) -> HttpResponse:
    """The raw answers of a campaign as a file (audited: who exported what, in which format)."""
    campaign = selectors.get_campaign_for_user(request.user, public_id)
    log_action(
        campaign,
        "surveys.answers.export",
        user=request.user,
        request=request,
        data={"format": ext},
    )
    response = HttpResponse(content(campaign), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{_filename(campaign, ext)}"'
    return response


@login_required
def export_csv(request, public_id):
    return _export(request, public_id, "csv", exports.csv_bytes, "text/csv; charset=utf-8")


@login_required
def export_xlsx(request, public_id):
    return _export(request, public_id, "xlsx", exports.xlsx_bytes, exports.XLSX_CONTENT_TYPE)


@login_required
def report(request, public_id, fmt):
    if fmt not in ("pdf", "docx"):
        raise Http404
    campaign = selectors.get_campaign_for_user(request.user, public_id)
    if fmt == "pdf":
        content, content_type = reports.report_pdf(campaign), "application/pdf"
    else:
        content, content_type = reports.report_docx(campaign), reports.DOCX_CONTENT_TYPE
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{_filename(campaign, fmt)}"'
    return response
