"""Questionnaire pages: list, create, read (any version), edit (sections and questions),
preview, XLSForm export and import. Thin: reads through selectors, writes through services.

Coordination and organizers read every questionnaire; the coordination and the author change
one (``permissions.can_edit_questionnaire``). Editing a version that has answers creates the
next version: the page says so.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Max
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from tremplin.core.form_pages import NOT_SAVED, form_page, refusal_messages, submitted

from . import answering, permissions, selectors, services, xlsform
from .forms import AnswerForm, QuestionForm, QuestionnaireForm, SectionForm, XLSFormUploadForm
from .models import Question, QuestionnaireImport, QuestionnaireVersion


def _version(questionnaire, number=None) -> QuestionnaireVersion:
    versions = questionnaire.versions.all()
    try:
        if number:
            return versions.get(number=int(number))
        return versions.order_by("-number")[0]
    except (QuestionnaireVersion.DoesNotExist, ValueError, IndexError):
        raise Http404 from None


def _new_version_message(request, created: bool, questionnaire) -> None:
    if created:
        latest = questionnaire.versions.order_by("-number").first()
        messages.info(
            request,
            _(
                "La version %(old)s a des réponses et ne change plus : vos modifications sont "
                "dans la nouvelle version %(new)s."
            )
            % {"old": latest.number - 1, "new": latest.number},
        )


def _to_detail(questionnaire):
    return redirect("surveys:questionnaire-detail", public_id=questionnaire.public_id)


def _saved(request, form, questionnaire, save, success: str):
    """A questionnaire's form, posted: once ``save()`` is done (it says whether it made a new
    version), the messages and back to the questionnaire; None while there is a form to show."""
    created = submitted(request, form, save)
    if created is NOT_SAVED:
        return None
    _new_version_message(request, created, questionnaire)
    messages.success(request, success)
    return _to_detail(questionnaire)


# --------------------------------------------------------------------------- list, create


@login_required
def questionnaire_list(request):
    questionnaires = list(
        selectors.questionnaires_for_user(request.user)
        .annotate(last_version=Max("versions__number"), campaign_count=Count("versions__campaigns"))
        .order_by("title")
    )
    return render(
        request,
        "surveys/questionnaire_list.html",
        {"questionnaires": questionnaires},
    )


@login_required
@require_http_methods(["GET", "POST"])
def questionnaire_create(request):
    selectors.questionnaires_for_user(request.user)  # 404 outside the survey staff
    form = QuestionnaireForm(request.POST or None)
    return form_page(
        request,
        form,
        lambda: services.questionnaire_create(
            user=request.user, request=request, **form.cleaned_data
        ),
        success=_("Le questionnaire a été créé : ajoutez-lui des questions."),
        to=lambda questionnaire: reverse(
            "surveys:questionnaire-detail", args=[questionnaire.public_id]
        ),
        template="surveys/questionnaire_form.html",
        context={"creating": True},
    )


# --------------------------------------------------------------------------- read


@login_required
def questionnaire_detail(request, public_id):
    questionnaire = selectors.get_questionnaire_for_user(request.user, public_id)
    versions = list(
        questionnaire.versions.annotate(
            campaign_count=Count("campaigns", distinct=True),
            response_count=Count("responses", distinct=True),
        ).order_by("-number")
    )
    version = _version(questionnaire, request.GET.get("version"))
    struct = answering.structure(version)
    for info in struct.questions:
        info.condition_text = struct.describe(info.question.condition)
    is_latest = version.number == versions[0].number
    can_edit = permissions.can_edit_questionnaire(request.user, questionnaire) and is_latest
    return render(
        request,
        "surveys/questionnaire_detail.html",
        {
            "questionnaire": questionnaire,
            "version": version,
            "versions": versions,
            "struct": struct,
            "is_latest": is_latest,
            "can_edit": can_edit,
            "campaigns": selectors.campaigns_for_user(request.user)
            .filter(version=version)
            .order_by("-opens_on"),
        },
    )


@login_required
def questionnaire_preview(request, public_id):
    questionnaire = selectors.get_questionnaire_for_user(request.user, public_id)
    version = _version(questionnaire, request.GET.get("version"))
    return render(
        request,
        "surveys/questionnaire_preview.html",
        {
            "questionnaire": questionnaire,
            "version": version,
            "form": AnswerForm(answering.structure(version)),
        },
    )


@login_required
def questionnaire_export(request, public_id):
    questionnaire = selectors.get_questionnaire_for_user(request.user, public_id)
    version = _version(questionnaire, request.GET.get("version"))
    content = xlsform.export_xlsform(version)
    name = slugify(version.title_fr)[:60] or "questionnaire"
    response = HttpResponse(content, content_type=xlsform.XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{name}-v{version.number}.xlsx"'
    return response


# --------------------------------------------------------------------------- edit


@login_required
@require_http_methods(["GET", "POST"])
def questionnaire_edit(request, public_id):
    questionnaire = selectors.get_questionnaire_for_edit(request.user, public_id)
    version = _version(questionnaire)
    form = QuestionnaireForm(
        request.POST or None,
        initial={
            "title_fr": version.title_fr,
            "title_en": version.title_en,
            "intro_fr": version.intro_fr,
            "intro_en": version.intro_en,
        },
    )
    done = _saved(
        request,
        form,
        questionnaire,
        lambda: services.questionnaire_update(
            user=request.user, questionnaire=questionnaire, request=request, **form.cleaned_data
        ),
        _("Le questionnaire a été enregistré."),
    )
    if done is not None:
        return done
    return render(
        request,
        "surveys/questionnaire_form.html",
        {"form": form, "questionnaire": questionnaire, "version": version, "creating": False},
    )


def _section_of(version, public_id):
    try:
        return version.sections.get(public_id=public_id)
    except (ValueError, ValidationError, version.sections.model.DoesNotExist):
        raise Http404 from None


@login_required
@require_http_methods(["GET", "POST"])
def section_form(request, public_id, section_id=None):
    questionnaire = selectors.get_questionnaire_for_edit(request.user, public_id)
    version = _version(questionnaire)
    section = _section_of(version, section_id) if section_id else None
    initial = {"title_fr": section.title_fr, "title_en": section.title_en} if section else {}
    form = SectionForm(request.POST or None, initial=initial)
    done = _saved(
        request,
        form,
        questionnaire,
        lambda: services.section_save(
            user=request.user,
            questionnaire=questionnaire,
            section_name=section.name if section else None,
            request=request,
            **form.cleaned_data,
        )[1],
        _("La section a été enregistrée."),
    )
    if done is not None:
        return done
    return render(
        request,
        "surveys/section_form.html",
        {"form": form, "questionnaire": questionnaire, "version": version, "section": section},
    )


@login_required
@require_POST
def section_action(request, public_id, section_id):
    """Move a section up or down, or delete it (with its questions)."""
    questionnaire = selectors.get_questionnaire_for_edit(request.user, public_id)
    section = _section_of(_version(questionnaire), section_id)
    return _move_or_delete(
        request,
        questionnaire,
        services.section_move,
        services.section_delete,
        _("La section a été supprimée."),
        section_name=section.name,
    )


def _move_or_delete(request, questionnaire, move, delete, deleted: str, **name):
    """``action=up|down|delete`` on a section or a question (a new version when needed)."""
    action = request.POST.get("action")
    if action not in ("up", "down", "delete"):
        raise Http404
    common = {"user": request.user, "questionnaire": questionnaire, "request": request, **name}
    try:
        if action == "delete":
            created = delete(**common)
            messages.success(request, deleted)
        else:
            created = move(offset=-1 if action == "up" else 1, **common)
    except ValidationError as error:
        refusal_messages(request, error)
    else:
        _new_version_message(request, created, questionnaire)
    return _to_detail(questionnaire)


def _question_of(version, public_id) -> Question:
    try:
        return Question.objects.select_related("section").get(version=version, public_id=public_id)
    except (ValueError, ValidationError, Question.DoesNotExist):
        raise Http404 from None


@login_required
@require_http_methods(["GET", "POST"])
def question_form(request, public_id, question_id=None):
    questionnaire = selectors.get_questionnaire_for_edit(request.user, public_id)
    version = _version(questionnaire)
    struct = answering.structure(version)
    question = _question_of(version, question_id) if question_id else None
    initial = {}
    if question is not None:
        initial = QuestionForm.initial_for(question, question.choices.all())
    elif request.GET.get("section"):
        initial = {"section": request.GET["section"], "integer_only": True}
    else:
        initial = {"integer_only": True}
    form = QuestionForm(request.POST or None, initial=initial, struct=struct, question=question)

    def save():
        data = form.cleaned_data
        _q, created = services.question_save(
            user=request.user,
            questionnaire=questionnaire,
            section_name=data["section"],
            question_name=question.name if question else None,
            new_name=data["name"],
            values={
                "kind": data["kind"],
                "label_fr": data["label_fr"].strip(),
                "label_en": data["label_en"].strip(),
                "hint_fr": data["hint_fr"].strip(),
                "hint_en": data["hint_en"].strip(),
                "required": data["required"],
                "condition": data["condition"],
                "integer_only": data["integer_only"],
                "min_value": data["min_value"],
                "max_value": data["max_value"],
            },
            choices=services.parse_choice_lines(data["choices"]),
            request=request,
        )
        return created

    done = _saved(request, form, questionnaire, save, _("La question a été enregistrée."))
    if done is not None:
        return done
    return render(
        request,
        "surveys/question_form.html",
        {
            "form": form,
            "questionnaire": questionnaire,
            "version": version,
            "question": question,
        },
    )


@login_required
@require_POST
def question_action(request, public_id, question_id):
    questionnaire = selectors.get_questionnaire_for_edit(request.user, public_id)
    question = _question_of(_version(questionnaire), question_id)
    return _move_or_delete(
        request,
        questionnaire,
        services.question_move,
        services.question_delete,
        _("La question a été supprimée."),
        question_name=question.name,
    )


# --------------------------------------------------------------------------- import


@login_required
@require_http_methods(["GET", "POST"])
def import_upload(request):
    selectors.questionnaires_for_user(request.user)
    form = XLSFormUploadForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        if upload.size > xlsform.max_upload_bytes():
            form.add_error("file", _("Le fichier dépasse la taille maximale de 5 Mo."))
        else:
            content = upload.read()
            report = xlsform.check_xlsform(content, upload.name)
            if report.ok:
                job = QuestionnaireImport.objects.create(
                    user=request.user, filename=upload.name[:255], content=content
                )
                return redirect("surveys:import-review", public_id=job.public_id)
    status = 400 if report is not None and not report.ok else 200
    return render(
        request, "surveys/import_upload.html", {"form": form, "report": report}, status=status
    )


@login_required
@require_http_methods(["GET", "POST"])
def import_review(request, public_id):
    selectors.questionnaires_for_user(request.user)
    try:
        job = QuestionnaireImport.objects.get(public_id=public_id, user=request.user)
    except (QuestionnaireImport.DoesNotExist, ValueError, ValidationError):
        raise Http404 from None
    content = bytes(job.content)
    if request.method == "POST" and job.status == QuestionnaireImport.Status.CHECKED:
        questionnaire, report = xlsform.import_xlsform(
            user=request.user, content=content, filename=job.filename, request=request
        )
        if questionnaire is not None:
            job.status = QuestionnaireImport.Status.APPLIED
            job.questionnaire = questionnaire
            job.content = b""
            job.save(update_fields=["status", "questionnaire", "content", "updated_at"])
            messages.success(request, _("Le questionnaire a été importé."))
            return _to_detail(questionnaire)
    if job.status == QuestionnaireImport.Status.APPLIED and job.questionnaire_id:
        return _to_detail(job.questionnaire)
    report = xlsform.check_xlsform(content, job.filename)
    return render(request, "surveys/import_review.html", {"job": job, "report": report})
