"""One question row of an XLSForm's ``survey`` sheet, and the check of the conditions
(``relevant``) once every question is known."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from .. import conditions
from ..models import RATING_MAX, RATING_MIN, QuestionKind
from ..services import MAX_CHOICES, NAME_PATTERN
from .sheets import Columns, parse_constraint, parse_parameters, parse_required
from .specs import QuestionSpec, Report

QUESTION_TYPES = {
    "select_one", "select_multiple", "integer", "int", "decimal", "text", "string", "range",
}  # fmt: skip
CHOICE_APPEARANCES = {"minimal", "likert", "horizontal", "columns", "horizontal-compact", "quick"}


def parse_relevant(report: Report, row_number: int, text: str) -> dict | None:
    """A ``relevant`` cell as a condition (None when empty; an error when unreadable)."""
    if not text:
        return None
    try:
        return conditions.parse(text)
    except conditions.ConditionError as error:
        report.error(
            "survey",
            row_number,
            _("« relevant » illisible (%(text)s) : %(error)s")
            % {"text": text[:120], "error": error},
        )
        return None


def _named(report: Report, number: int, name: str, names: dict) -> bool:
    """The question's name is there, well formed and not used before (else an error)."""
    if not name:
        report.error("survey", number, _("Nom (name) manquant."))
        return False
    if not NAME_PATTERN.match(name):
        report.error(
            "survey",
            number,
            _(
                "Nom invalide « %(name)s » : lettres sans accents, chiffres, _ ; commence par une lettre."
            )
            % {"name": name[:64]},
        )
        return False
    if name in names:
        report.error(
            "survey",
            number,
            _("Le nom « %(name)s » est déjà utilisé (ligne %(row)s).")
            % {"name": name, "row": names[name].row},
        )
        return False
    return True


def _skip_appearance(report: Report, number: int, appearance: str) -> None:
    report.skip("survey", number, _("Apparence « %(value)s » ignorée.") % {"value": appearance})


def _choices(question, kind, args, appearance, choice_lists, report, number) -> bool:
    question.kind = QuestionKind.SINGLE if kind == "select_one" else QuestionKind.MULTIPLE
    if not args:
        report.error(
            "survey",
            number,
            _("Nom de la liste de choix manquant après « %(type)s ».") % {"type": kind},
        )
        return False
    list_name = args[0]
    if len(args) > 1 and args[1].lower() == "or_other":
        report.skip(
            "survey",
            number,
            _("« or_other » non pris en charge : pas de choix « Autre » à préciser."),
        )
    if list_name not in choice_lists:
        report.error(
            "survey",
            number,
            _("Liste de choix « %(list)s » introuvable dans la feuille « choices ».")
            % {"list": list_name},
        )
        return False
    question.choices = list(choice_lists[list_name])
    if len(question.choices) > MAX_CHOICES:
        report.error("survey", number, _("Plus de %(max)s choix.") % {"max": MAX_CHOICES})
        return False
    if appearance and appearance not in CHOICE_APPEARANCES:
        _skip_appearance(report, number, appearance)
    return True


def _range(question, parameters: str, report: Report, number: int) -> bool:
    params = parse_parameters(parameters)
    try:
        start = Decimal(params.get("start", "1"))
        end = Decimal(params.get("end", "10"))
        step = Decimal(params.get("step", "1"))
    except InvalidOperation:
        report.error("survey", number, _("Paramètres de « range » illisibles."))
        return False
    if (start, end, step) == (RATING_MIN, RATING_MAX, 1):
        question.kind = QuestionKind.RATING
        return True
    question.kind = QuestionKind.NUMBER
    question.integer_only = step == step.to_integral_value()
    question.min_value, question.max_value = min(start, end), max(start, end)
    report.skip(
        "survey",
        number,
        _("Échelle (range) autre que 1 à 5 : lue comme un nombre entre %(min)s et %(max)s.")
        % {"min": question.min_value, "max": question.max_value},
    )
    return True


def _constraint(question, constraint: str, report: Report, number: int) -> None:
    bounds = None
    if question.kind == QuestionKind.NUMBER:
        bounds = parse_constraint(constraint, question.integer_only)
    if bounds is None:
        report.skip(
            "survey",
            number,
            _("Contrainte « %(text)s » non prise en charge : ignorée.")
            % {"text": constraint[:120]},
        )
        return
    low, high = bounds
    question.min_value = low if low is not None else question.min_value
    question.max_value = high if high is not None else question.max_value


def read_question(
    row: dict,
    number: int,
    kind: str,
    args: list[str],
    *,
    columns: Columns,
    choice_lists: dict,
    names: dict,
    report: Report,
) -> QuestionSpec | None:
    """The question of a row whose type is one of ``QUESTION_TYPES`` (its condition aside), or
    None with the reason in the report."""
    name = columns.get(row, "name")
    fr_label = columns.get(row, "label", "fr")
    en_label = columns.get(row, "label", "en")
    if not _named(report, number, name, names):
        return None
    if not fr_label and not en_label:
        report.error(
            "survey",
            number,
            _("Libellé manquant pour la question « %(name)s ».") % {"name": name},
        )
        return None
    question = QuestionSpec(
        row=number,
        name=name,
        kind=QuestionKind.SHORT_TEXT,
        label_fr=(fr_label or en_label)[:500],
        label_en=en_label[:500],
        hint_fr=(columns.get(row, "hint", "fr") or columns.get(row, "hint", "en"))[:500],
        hint_en=columns.get(row, "hint", "en")[:500],
        required=parse_required(columns.get(row, "required"), report, number),
    )
    if not fr_label:
        report.skip(
            "survey", number, _("Libellé français manquant : le libellé anglais est repris.")
        )
    appearance = columns.get(row, "appearance").lower()
    if kind in ("select_one", "select_multiple"):
        if not _choices(question, kind, args, appearance, choice_lists, report, number):
            return None
    elif kind in ("integer", "int", "decimal"):
        question.kind = QuestionKind.NUMBER
        question.integer_only = kind != "decimal"
    elif kind == "range":
        if not _range(question, columns.get(row, "parameters"), report, number):
            return None
    else:  # text
        multiline = "multiline" in appearance
        question.kind = QuestionKind.LONG_TEXT if multiline else QuestionKind.SHORT_TEXT
        if appearance and not multiline:
            _skip_appearance(report, number, appearance)
    constraint = columns.get(row, "constraint")
    if constraint:
        _constraint(question, constraint, report, number)
    return question


def check_conditions(spec, pending, *, names, earlier, skipped_names, report: Report) -> None:
    """Each condition must name questions placed before, with values they can take; the parts
    that depend on a row not imported are dropped (and said)."""
    order = {q.name: i for i, q in enumerate(spec.questions)}
    for question, number, parts in pending:
        refs = conditions.referenced_names(question.condition)
        skipped = sorted(r for r in refs if r in skipped_names)
        if skipped:
            # Keep the parts (the group's, the question's own) that do not depend on them.
            report.skip(
                "survey",
                number,
                _("Condition ignorée : elle dépend de « %(names)s », non importé.")
                % {"names": ", ".join(skipped)},
            )
            kept = [p for p in parts if not conditions.referenced_names(p) & set(skipped)]
            question.condition = conditions.conjoin(*kept)
            refs = conditions.referenced_names(question.condition)
            if not question.condition:
                continue
        unknown = sorted(r for r in refs if r not in names)
        if unknown:
            report.error(
                "survey",
                number,
                _("« relevant » fait référence à ${%(name)s}, question inconnue.")
                % {"name": unknown[0]},
            )
            continue
        later = sorted(r for r in refs if order[r] >= order[question.name])
        if later:
            report.error(
                "survey",
                number,
                _("« relevant » fait référence à ${%(name)s}, posée après cette question.")
                % {"name": later[0]},
            )
            continue
        before = {n: earlier[n] for n in refs}
        try:
            conditions.check(question.condition, before)
        except conditions.ConditionError as error:
            report.error("survey", number, _("« relevant » : %(error)s") % {"error": error})
