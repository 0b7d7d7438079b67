"""Reading an XLSForm (a dry run: nothing is written). See the package docstring.

The sheets are read as text by ``sheets.py``; each question row becomes a ``QuestionSpec`` in
``questions.py``; this module walks the ``survey`` sheet's groups and gathers the form."""

from __future__ import annotations

import io
import re

from django.utils.translation import gettext as _

from .. import conditions
from ..services import MAX_QUESTIONS, NAME_PATTERN, make_name
from .questions import QUESTION_TYPES, check_conditions, parse_relevant, read_question
from .sheets import (
    Columns,
    language_code,
    read_choices,
    read_settings,
    read_sheet,
    sheets_by_name,
    type_of,
)
from .specs import (
    MAX_BYTES,
    METADATA_TYPES,
    QUIET_COLUMNS,
    SURVEY_COLUMNS,
    UNSUPPORTED_TYPES,
    FormSpec,
    QuestionSpec,
    Report,
    SectionSpec,
)


def check_xlsform(content: bytes, filename: str = "") -> Report:
    """Read an XLSForm without writing anything: the form it describes and every problem."""
    from openpyxl import load_workbook

    report = Report()
    if len(content) > MAX_BYTES:
        report.error("", None, _("Le fichier dépasse 5 Mo."))
        return report
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception:  # noqa: BLE001 - whatever openpyxl raises on a file that is not a workbook
        report.error(
            "",
            None,
            _(
                "Ce fichier n'est pas un classeur Excel (.xlsx) lisible : enregistrez le formulaire au format .xlsx."
            ),
        )
        return report
    try:
        return _check(workbook, filename, report)
    except ValueError as error:
        report.error("", None, str(error))
        return report
    finally:
        workbook.close()


def _skip_row(kind: str, report: Report, number: int) -> bool:
    """Metadata and unsupported types: said in the report and skipped (True)."""
    if kind in METADATA_TYPES:
        message = _("Métadonnée « %(type)s » non recueillie (aucun suivi des répondant·es).")
    elif kind in UNSUPPORTED_TYPES:
        message = _("Type « %(type)s » non pris en charge : ligne ignorée.")
    else:
        return False
    report.skip("survey", number, message % {"type": kind})
    return True


def _form_spec(form_settings: dict, filename: str) -> FormSpec:
    title = (
        form_settings.get("form_title")
        or re.sub(r"\.xlsx?$", "", filename or "", flags=re.I)
        or _("Questionnaire importé")
    )
    spec = FormSpec(title_fr=title[:200], form_id=form_settings.get("form_id", "")[:64])
    for key, value in form_settings.items():
        if key.startswith("form_title::") and language_code(key.split("::", 1)[1]) == "en":
            spec.title_en = value[:200]
    return spec


def _check(workbook, filename: str, report: Report) -> Report:
    sheets = sheets_by_name(workbook)
    if "survey" not in sheets:
        report.error(
            "", None, _("Feuille « survey » introuvable : ce n'est pas un formulaire XLSForm.")
        )
        return report
    form_settings = read_settings(sheets, report)
    default_language = language_code(form_settings.get("default_language", "")) or "fr"
    headers, rows = read_sheet(sheets["survey"])
    columns = Columns(headers, default_language)
    if "type" not in columns.bases():
        report.error("survey", 1, _("Colonne « type » introuvable dans la feuille « survey »."))
        return report
    for lang in sorted(columns.other_languages):
        report.skip(
            "survey",
            1,
            _("Langue « %(lang)s » ignorée (français et anglais seulement).") % {"lang": lang},
        )
    choice_lists = read_choices(sheets, default_language, report)
    needs_choices = False

    spec = _form_spec(form_settings, filename)
    ignored_columns: dict[str, list[int]] = {}
    skipped_names: dict[str, str] = {}  # name → why (questions we do not import)
    names: dict[str, QuestionSpec] = {}
    section_names: set[str] = set()
    group_stack: list[tuple[str, dict | None, int]] = []  # (kind, condition, row)
    current: SectionSpec | None = None
    earlier: dict[str, tuple[str, set[str]]] = {}
    pending_refs: list[tuple[QuestionSpec, int, list]] = []

    def new_section(name: str, fr: str, en: str) -> SectionSpec:
        base = name if name and NAME_PATTERN.match(name) else ""
        section_name = make_name(base or fr, section_names, prefix="section")
        section_names.add(section_name)
        section = SectionSpec(section_name, (fr or name or _("Section"))[:200], en[:200])
        spec.sections.append(section)
        return section

    for number, row in rows:
        raw_type = columns.get(row, "type")
        name = columns.get(row, "name")
        if not raw_type:
            if name or columns.get(row, "label"):
                report.error("survey", number, _("Type manquant."))
            continue
        kind, args = type_of(raw_type)
        for base in sorted(columns.bases() - SURVEY_COLUMNS):
            if base not in QUIET_COLUMNS and any(
                row.get(h) for h in columns.by_base[base].values()
            ):
                ignored_columns.setdefault(base, []).append(number)
        fr_label = columns.get(row, "label", "fr")
        en_label = columns.get(row, "label", "en")
        relevant_text = columns.get(row, "relevant")

        if kind in ("begin_group", "begin_repeat"):
            condition = parse_relevant(report, number, relevant_text)
            if kind == "begin_repeat":
                report.skip(
                    "survey",
                    number,
                    _(
                        "Répétition (repeat) lue comme une section ordinaire : ses questions sont posées une seule fois."
                    ),
                )
            if not group_stack:
                current = new_section(name, fr_label or en_label, en_label)
            else:
                report.skip(
                    "survey",
                    number,
                    _(
                        "Groupe imbriqué « %(name)s » : ses questions rejoignent la section qui le contient."
                    )
                    % {"name": name or fr_label},
                )
            group_stack.append((kind, condition, number))
            continue
        if kind in ("end_group", "end_repeat"):
            if not group_stack:
                report.error(
                    "survey",
                    number,
                    _("« %(type)s » sans début de groupe correspondant.") % {"type": raw_type},
                )
                continue
            group_stack.pop()
            if not group_stack:
                current = None
            continue
        if _skip_row(kind, report, number):
            if name:
                skipped_names[name] = kind
            continue
        if kind not in QUESTION_TYPES:
            report.error(
                "survey",
                number,
                _("Type de question inconnu : « %(type)s ».") % {"type": raw_type[:60]},
            )
            continue

        needs_choices = needs_choices or kind in ("select_one", "select_multiple")
        question = read_question(
            row,
            number,
            kind,
            args,
            columns=columns,
            choice_lists=choice_lists,
            names=names,
            report=report,
        )
        if question is None:
            continue
        own = parse_relevant(report, number, relevant_text)
        parts = [c for _k, c, _r in group_stack if c] + ([own] if own else [])
        question.condition = conditions.conjoin(*parts)
        if question.condition:
            pending_refs.append((question, number, parts))
        if current is None:
            # Questions outside groups gather in a section of their own until the next group.
            current = new_section("", spec.title_fr if not spec.sections else _("Questions"), "")
        current.questions.append(question)
        names[name] = question
        earlier[name] = (question.kind, {c.name for c in question.choices})

    if group_stack:
        report.error(
            "survey",
            group_stack[-1][2],
            _("Groupe commencé ici mais jamais fermé (end_group manquant)."),
        )
    if needs_choices and "choices" not in sheets:
        report.error(
            "",
            None,
            _("Feuille « choices » introuvable alors que des questions à choix l'utilisent."),
        )
    check_conditions(
        spec,
        pending_refs,
        names=names,
        earlier=earlier,
        skipped_names=skipped_names,
        report=report,
    )
    for base, numbers in sorted(ignored_columns.items()):
        shown = ", ".join(str(n) for n in numbers[:10]) + ("…" if len(numbers) > 10 else "")
        report.skip(
            "survey",
            None,
            _("Colonne « %(column)s » ignorée (lignes %(rows)s).")
            % {"column": base, "rows": shown},
        )
    spec.sections = [s for s in spec.sections if s.questions]
    if not spec.questions and not report.errors:
        report.error("survey", None, _("Aucune question importable dans ce formulaire."))
    if len(spec.questions) > MAX_QUESTIONS:
        report.error("survey", None, _("Plus de %(max)s questions.") % {"max": MAX_QUESTIONS})
    report.spec = spec
    return report
