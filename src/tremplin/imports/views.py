"""The import pages: upload → mapping → review (dry run) → commit; history, rejected rows, undo.
Thin: the entity's importer says who may use it; writes go through ``services``."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from tremplin.core import tabular
from tremplin.core.tabular.rejects import rejected_xlsx

from . import selectors, services
from .forms import MappingForm, UploadForm
from .models import ImportRecord

REVIEW_ROWS = 500  # rows shown on the review page (every rejected row is in the download)


def _importer_for(user, entity):
    importer = selectors.entities_for_user(user).get(entity)
    if importer is None:
        raise Http404
    return importer


def _megabytes(size: int) -> str:
    return f"{size / 1024 / 1024:.0f}"


@login_required
def history(request):
    entities = selectors.entities_for_user(request.user)
    if not entities:
        raise Http404
    records = list(selectors.records_for_user(request.user)[:100])
    for record in records:
        record.entity_label = _(entities[record.entity].label)
    return render(
        request,
        "imports/history.html",
        {"records": records, "entities": [(e, _(c.label)) for e, c in entities.items()]},
    )


@login_required
@require_http_methods(["GET", "POST"])
def upload(request, entity):
    importer = _importer_for(request.user, entity)
    options_form = getattr(importer, "options_form", None)
    form = UploadForm(
        request.POST or None,
        request.FILES or None,
        options_form=options_form,
        initial=request.GET.dict(),  # e.g. the event stop of an attendance list
    )
    limit = settings.TREMPLIN_IMPORT_MAX_BYTES
    if request.method == "POST" and form.is_valid():
        upload_file = form.cleaned_data["file"]
        if upload_file.size > limit:
            form.add_error(
                "file",
                _(
                    "Le fichier dépasse la taille maximale de %(max)s Mo : découpez-le en "
                    "plusieurs fichiers."
                )
                % {"max": _megabytes(limit)},
            )
        else:
            options = {
                k: v if isinstance(v, str | bool | int) else str(v)
                for k, v in form.cleaned_data.items()
                if k not in ("file", "sheet") and v is not None
            }
            try:
                record = services.import_start(
                    user=request.user,
                    entity=entity,
                    content=upload_file.read(),
                    filename=upload_file.name,
                    sheet=form.cleaned_data["sheet"],
                    options=options,
                )
            except tabular.FileError as error:
                form.add_error("file", str(error))
            else:
                return redirect("imports:mapping", public_id=record.public_id)
    return render(
        request,
        "imports/upload.html",
        {
            "form": form,
            "entity": entity,
            "label": _(importer.label),
            "fields": importer.fields,
            "max_mb": _megabytes(limit),
        },
    )


def _draft(request, public_id) -> tuple[ImportRecord, type]:
    record = selectors.get_record_for_user(request.user, public_id)
    return record, _importer_for(request.user, record.entity)


@login_required
@require_http_methods(["GET", "POST"])
def mapping(request, public_id):
    record, importer = _draft(request, public_id)
    if record.status != ImportRecord.Status.DRAFT:
        return redirect("imports:review", public_id=record.public_id)
    fields = services.record_fields(record).fields
    form = MappingForm(
        request.POST or None,
        headers=record.headers,
        fields=fields,
        initial_mapping=record.mapping,
    )
    errors = services.mapping_errors(record)
    if request.method == "POST" and form.is_valid():
        errors = services.import_set_mapping(record=record, mapping=form.mapping())
        if not errors:
            return redirect("imports:review", public_id=record.public_id)
    return render(
        request,
        "imports/mapping.html",
        {
            "record": record,
            "form": form,
            "errors": errors,
            "sample": services.sample_rows(record),
            "label": _(importer.label),
            "missing": [f for f in fields if f.required and f.key not in record.mapping.values()],
        },
    )


def _mapping_rows(record) -> list[tuple[str, str]]:
    """Each column of the file beside the French label of its field ("" when ignored)."""
    try:
        fields = services.record_fields(record)
    except tabular.FileError:  # its campaign or stop is gone: the keys will do
        fields = None
    return [
        (header, fields.label(key) if fields and key in fields.by_key else key)
        for header, key in record.mapping.items()
    ]


@login_required
@require_http_methods(["GET", "POST"])
def review(request, public_id):
    record, importer = _draft(request, public_id)
    context = {"record": record, "label": _(importer.label), "row_label": _(importer.row_label)}
    if record.status != ImportRecord.Status.DRAFT:
        context["mapping_rows"] = _mapping_rows(record)
        if request.method == "POST":
            messages.info(request, _("Ce fichier a déjà été importé."))
        return render(request, "imports/record.html", context)
    if request.method == "POST":
        try:
            report = services.import_commit(user=request.user, record=record, request=request)
        except tabular.FileError as error:
            messages.error(request, str(error))
            return redirect("imports:review", public_id=record.public_id)
        if report.file_errors:
            for error in report.file_errors:
                messages.error(request, error)
            return redirect("imports:mapping", public_id=record.public_id)
        messages.success(
            request,
            _(
                "Importation terminée : %(created)s créé(s), %(updated)s mis à jour, "
                "%(rejected)s rejeté(s)."
            )
            % report.counts(),
        )
        return redirect("imports:review", public_id=record.public_id)
    report = services.import_check(user=request.user, record=record)
    if report.file_errors and services.mapping_errors(record):
        return redirect("imports:mapping", public_id=record.public_id)
    counts = report.counts()
    context |= {
        "report": report,
        "counts": counts,
        "accepted": counts["created"] + counts["updated"],
        "rows": report.rows[:REVIEW_ROWS],
        "more_rows": max(0, len(report.rows) - REVIEW_ROWS),
    }
    return render(request, "imports/review.html", context)


@login_required
def rejected(request, public_id):
    record = selectors.get_record_for_user(request.user, public_id)
    if not record.rejected:
        raise Http404
    response = HttpResponse(
        rejected_xlsx(record.headers, record.rejected),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    stem = record.filename.rsplit(".", 1)[0] or "import"
    response["Content-Disposition"] = f'attachment; filename="{stem}-rejets.xlsx"'
    return response


@login_required
@require_POST
def undo(request, public_id):
    record, importer = _draft(request, public_id)
    reasons = services.import_undo(user=request.user, record=record, request=request)
    if reasons:
        record.refresh_from_db()
        context = {
            "record": record,
            "label": _(importer.label),
            "undo_reasons": reasons,
            "mapping_rows": _mapping_rows(record),
        }
        return render(request, "imports/record.html", context, status=409)
    messages.success(request, _("L'importation a été annulée."))
    return redirect("imports:review", public_id=record.public_id)
