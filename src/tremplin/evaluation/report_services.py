"""Reads and writes of the highlights reports (Faits saillants).

Reads (``reports_for_user``, ``get_report_for_user``, ``get_report_for_edit``): every role that
reads the evaluation reads every report (they hold aggregates only); others get a 404. Writes:
the coordination only (``can_edit_reports``), each validated with ``full_clean`` inside a
transaction and written to the audit log. Only texts and the order of the examples are saved:
figures are computed whenever a report is shown or exported.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.utils.translation import gettext as _

from tremplin.audit.services import log_action

from .models import HighlightsReport
from .periods import Period
from .permissions import can_edit_reports, require_evaluation
from .report import (
    EXAMPLE_LIMIT,
    agreement_in_force,
    default_title,
    ordered_projects,
    period_projects,
)

EARLIEST = dt.date(2000, 1, 1)
LATEST = dt.date(2100, 12, 31)
TEXT_FIELDS = ("title", "context", "achievements_intro", "extra_examples")
MOVES = ("up", "down", "add", "remove")


# --- reads -----------------------------------------------------------------------------------


def reports_for_user(user):
    require_evaluation(user)
    return HighlightsReport.objects.select_related("territory", "agreement").order_by(
        "-period_start", "title", "id"
    )


def get_report_for_user(user, public_id) -> HighlightsReport:
    try:
        return reports_for_user(user).get(public_id=public_id)
    except (HighlightsReport.DoesNotExist, ValueError, ValidationError):
        raise Http404 from None


def get_report_for_edit(user, public_id) -> HighlightsReport:
    report = get_report_for_user(user, public_id)
    if not can_edit_reports(user):
        raise Http404
    return report


def _require_editor(user) -> None:
    if not can_edit_reports(user):
        raise Http404


# --- validation ------------------------------------------------------------------------------


def period_errors(start: dt.date | None, end: dt.date | None) -> dict[str, str]:
    """French messages for a period's dates (the form and the command line say the same)."""
    errors = {}
    for name, value in (("period_start", start), ("period_end", end)):
        if value is not None and not EARLIEST <= value <= LATEST:
            errors[name] = _("Choisissez une date entre %(first)s et %(last)s.") % {
                "first": EARLIEST.isoformat(),
                "last": LATEST.isoformat(),
            }
    if start and end and not errors and end < start:
        errors["period_end"] = _("La fin de la période précède son début.")
    return errors


# --- writes ----------------------------------------------------------------------------------


def report_create(
    *,
    user,
    period_start: dt.date,
    period_end: dt.date,
    title: str = "",
    territory=None,
    agreement=None,
) -> HighlightsReport:
    """A new report of a period (and a territory, or the whole program). Without a title, the
    agreement's (the one given, or the one in force during the period)."""
    _require_editor(user)
    errors = period_errors(period_start, period_end)
    if errors:
        raise ValidationError(errors)
    if not title.strip():
        period = Period.span(period_start, period_end)
        title = default_title(agreement or agreement_in_force(period_start, period_end), period)
    report = HighlightsReport(
        title=title.strip(),
        period_start=period_start,
        period_end=period_end,
        territory=territory,
        agreement=agreement,
        updated_by=user,
    )
    with transaction.atomic():
        report.full_clean()
        report.save()
        log_action(
            report,
            "evaluation.report.create",
            user=user,
            data={
                "period": Period.span(period_start, period_end).key,
                "territory": territory.slug if territory else "",
                "agreement": agreement.slug if agreement else "",
            },
        )
    return report


def report_update(*, user, report: HighlightsReport, **texts: str) -> HighlightsReport:
    """Change the report's texts (title, context, achievements_intro, extra_examples)."""
    _require_editor(user)
    unknown = set(texts) - set(TEXT_FIELDS)
    if unknown:
        raise TypeError(f"not a text of the report: {sorted(unknown)}")
    changed = []
    for name, value in texts.items():
        value = (value or "").replace("\r\n", "\n").strip()
        if getattr(report, name) != value:
            setattr(report, name, value)
            changed.append(name)
    if not changed:
        return report
    report.updated_by = user
    with transaction.atomic():
        report.full_clean()
        report.save()
        log_action(report, "evaluation.report.update", user=user, data={"fields": changed})
    return report


def example_state(report: HighlightsReport, user=None) -> tuple[list, int]:
    """The period's projects in the report's order, and how many of them are examples."""
    projects = list(period_projects(user, report.period_start, report.period_end, report.territory))
    ordered = ordered_projects(projects, report.example_order or [])
    ids = {str(p.public_id) for p in projects}
    chosen = len({str(i) for i in report.example_order or []} & ids)
    return ordered, min(len(ordered), max(EXAMPLE_LIMIT, chosen))


def report_move_example(
    *, user, report: HighlightsReport, project_id: str, move: str
) -> HighlightsReport:
    """Move a project of the period among the examples: ``up`` or ``down`` one place, ``add``
    it after the examples, ``remove`` it (it goes last, after the others). The examples are
    then saved as the editor's choice, in their new order."""
    _require_editor(user)
    if move not in MOVES:
        raise ValidationError({"move": _("Ce déplacement n'existe pas.")})
    ordered, shown = example_state(report, user)
    index = next((i for i, p in enumerate(ordered) if str(p.public_id) == str(project_id)), None)
    if index is None:
        raise ValidationError(
            {"project": _("Ce projet ne fait pas partie des projets de la période du rapport.")}
        )
    project = ordered[index]
    if move == "up" and index > 0:
        ordered[index - 1], ordered[index] = ordered[index], ordered[index - 1]
    elif move == "down" and index < len(ordered) - 1:
        ordered[index], ordered[index + 1] = ordered[index + 1], ordered[index]
    elif move == "add" and index >= shown:
        ordered.insert(shown, ordered.pop(index))
        shown += 1
    elif move == "remove" and index < shown:
        ordered.append(ordered.pop(index))
        shown -= 1
    # Saved as the editor's whole choice: at least as many examples as the report shows by
    # default, so that no project left out comes back to fill the list.
    shown = max(shown, min(EXAMPLE_LIMIT, len(ordered)))
    order = [str(p.public_id) for p in ordered[:shown]]
    if order == list(report.example_order or []):
        return report
    report.example_order = order
    report.updated_by = user
    with transaction.atomic():
        report.full_clean()
        report.save()
        log_action(
            report,
            "evaluation.report.examples",
            user=user,
            data={"move": move, "project": str(project.public_id)},
        )
    return report
