"""Importing a checked XLSForm, and exporting a version as one."""

from __future__ import annotations

import io
from decimal import Decimal

from django.conf import settings
from django.db import transaction

from tremplin.audit.services import log_action

from .. import answering, conditions
from ..models import (
    CHOICE_KINDS,
    RATING_MAX,
    RATING_MIN,
    Choice,
    Question,
    QuestionKind,
    Questionnaire,
    QuestionnaireVersion,
    Section,
)
from ..services import make_name, version_check
from .reading import check_xlsform
from .specs import EN, FR, MAX_BYTES, ChoiceSpec, Report

# --------------------------------------------------------------------------- importing


@transaction.atomic
def import_xlsform(
    *, user, content: bytes, filename: str = "", request=None
) -> tuple[Questionnaire | None, Report]:
    """Create a questionnaire (version 1) from an XLSForm; nothing when the report has errors."""
    report = check_xlsform(content, filename)
    if not report.ok:
        return None, report
    spec = report.spec
    questionnaire = Questionnaire.objects.create(title=spec.title_fr, created_by=user)
    version = QuestionnaireVersion.objects.create(
        questionnaire=questionnaire,
        number=1,
        title_fr=spec.title_fr,
        title_en=spec.title_en,
        created_by=user,
    )
    choices = []
    for s_position, section_spec in enumerate(spec.sections, start=1):
        section = Section.objects.create(
            version=version,
            position=s_position,
            name=section_spec.name,
            title_fr=section_spec.title_fr,
            title_en=section_spec.title_en,
        )
        for q_position, q in enumerate(section_spec.questions, start=1):
            question = Question.objects.create(
                version=version,
                section=section,
                position=q_position,
                name=q.name,
                kind=q.kind,
                label_fr=q.label_fr,
                label_en=q.label_en,
                hint_fr=q.hint_fr,
                hint_en=q.hint_en,
                required=q.required,
                condition=q.condition,
                integer_only=q.integer_only,
                min_value=q.min_value,
                max_value=q.max_value,
            )
            if q.kind == QuestionKind.RATING:
                rows = [
                    ChoiceSpec(str(n), str(n), str(n)) for n in range(RATING_MIN, RATING_MAX + 1)
                ]
            else:
                rows = q.choices if q.kind in CHOICE_KINDS else []
            choices += [
                Choice(
                    question=question,
                    position=i,
                    name=c.name,
                    label_fr=c.label_fr,
                    label_en=c.label_en,
                )
                for i, c in enumerate(rows, start=1)
            ]
    Choice.objects.bulk_create(choices)
    version_check(version)
    log_action(
        questionnaire,
        "surveys.questionnaire.import",
        user=user,
        request=request,
        data={
            "filename": filename[:200],
            "questions": len(spec.questions),
            "unsupported": len(report.unsupported),
        },
    )
    return questionnaire, report


# --------------------------------------------------------------------------- exporting


def _number_text(value: Decimal) -> str:
    return str(int(value)) if value == value.to_integral_value() else str(value.normalize())


def export_xlsform(version: QuestionnaireVersion) -> bytes:
    """The version as an XLSForm workbook (what ``check_xlsform`` reads back unchanged)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    struct = answering.structure(version)
    workbook = Workbook()
    survey = workbook.active
    survey.title = "survey"
    survey_headers = [
        "type", "name", f"label::{FR}", f"label::{EN}", f"hint::{FR}", f"hint::{EN}",
        "required", "relevant", "appearance", "constraint", "parameters",
    ]  # fmt: skip
    survey.append(survey_headers)
    choices = workbook.create_sheet("choices")
    choices.append(["list_name", "name", f"label::{FR}", f"label::{EN}"])
    for section in struct.sections:
        survey.append(
            [
                "begin_group",
                section.section.name,
                section.section.title_fr,
                section.section.title_en,
            ]
        )
        for info in section.questions:
            q = info.question
            appearance = constraint = parameters = ""
            if q.kind == QuestionKind.SINGLE:
                kind = f"select_one {q.name}"
            elif q.kind == QuestionKind.MULTIPLE:
                kind = f"select_multiple {q.name}"
            elif q.kind == QuestionKind.RATING:
                kind, parameters = "range", f"start={RATING_MIN} end={RATING_MAX} step=1"
            elif q.kind == QuestionKind.NUMBER:
                kind = "integer" if q.integer_only else "decimal"
                bounds = []
                if q.min_value is not None:
                    bounds.append(f". >= {_number_text(q.min_value)}")
                if q.max_value is not None:
                    bounds.append(f". <= {_number_text(q.max_value)}")
                constraint = " and ".join(bounds)
            else:
                kind = "text"
                appearance = "multiline" if q.kind == QuestionKind.LONG_TEXT else ""
            survey.append(
                [
                    kind,
                    q.name,
                    q.label_fr,
                    q.label_en,
                    q.hint_fr,
                    q.hint_en,
                    "yes" if q.required else "",
                    conditions.to_xlsform(q.condition),
                    appearance,
                    constraint,
                    parameters,
                ]  # fmt: skip
            )
            if q.kind in CHOICE_KINDS:
                for c in info.choices:
                    choices.append([q.name, c.name, c.label_fr, c.label_en])
        survey.append(["end_group", section.section.name])
    sheet = workbook.create_sheet("settings")
    sheet.append(["form_title", "form_id", "version", "default_language"])
    form_id = make_name(version.title_fr, set(), prefix="questionnaire")
    sheet.append([version.title_fr, form_id, str(version.number), FR])
    for ws in (survey, choices, sheet):
        for cell in ws[1]:
            cell.font = Font(bold=True)
        ws.freeze_panes = "A2"
        _as_text(ws)
    for column, width in zip(
        "ABCDEFGHIJK", (24, 22, 48, 40, 30, 30, 10, 36, 12, 22, 22), strict=False
    ):
        survey.column_dimensions[column].width = width
    for column, width in zip("ABCD", (22, 22, 40, 36), strict=False):
        choices.column_dimensions[column].width = width
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _as_text(ws) -> None:
    """A label or hint that begins with "=" stays text: openpyxl would write it as a formula,
    which Excel would run and XLSForm tools would not read back. Stored as a string, it reads
    back exactly as typed (no apostrophe added: the form's labels are not changed)."""
    for row in ws.iter_rows():
        for cell in row:
            if isinstance(cell.value, str) and cell.value.startswith("="):
                cell.data_type = "s"


def max_upload_bytes() -> int:
    return min(MAX_BYTES, getattr(settings, "TREMPLIN_IMPORT_MAX_BYTES", MAX_BYTES))
