"""Reading an XLSForm (a dry run: nothing is written). See the package docstring."""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from .. import conditions
from ..models import (
    RATING_MAX,
    RATING_MIN,
    QuestionKind,
)
from ..services import MAX_CHOICES, MAX_QUESTIONS, NAME_PATTERN, make_name

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 3000
FR, EN = "French (fr)", "English (en)"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

METADATA_TYPES = {
    "start", "end", "today", "deviceid", "phonenumber", "username", "email", "simserial",
    "subscriberid", "audit", "start-geopoint", "background-audio", "imei",
}  # fmt: skip
UNSUPPORTED_TYPES = {
    "note", "calculate", "hidden", "acknowledge", "date", "time", "datetime", "geopoint",
    "geotrace", "geoshape", "image", "audio", "video", "file", "barcode", "rank", "trigger",
    "xml-external", "csv-external", "select_one_from_file", "select_multiple_from_file",
    "background-geopoint", "osm", "begin_repeat_count",
}  # fmt: skip
SURVEY_COLUMNS = {"type", "name", "label", "hint", "required", "relevant", "appearance",
                  "constraint", "parameters", "constraint_message", "required_message"}  # fmt: skip
QUIET_COLUMNS = {"constraint_message", "required_message", "$given_name", "$kuid", "$autoname",
                 "$prev", "$xpath"}  # fmt: skip
TRUE = {"yes", "true", "true()", "1", "y", "oui", "vrai"}
FALSE = {"", "no", "false", "false()", "0", "n", "non", "faux"}


@dataclass
class Problem:
    sheet: str
    row: int | None
    message: str


@dataclass
class ChoiceSpec:
    name: str
    label_fr: str
    label_en: str = ""


@dataclass
class QuestionSpec:
    row: int
    name: str
    kind: str
    label_fr: str
    label_en: str = ""
    hint_fr: str = ""
    hint_en: str = ""
    required: bool = False
    condition: dict | None = None
    integer_only: bool = True
    min_value: Decimal | None = None
    max_value: Decimal | None = None
    choices: list[ChoiceSpec] = field(default_factory=list)

    @property
    def kind_label(self) -> str:
        return str(QuestionKind(self.kind).label)


@dataclass
class SectionSpec:
    name: str
    title_fr: str
    title_en: str = ""
    questions: list[QuestionSpec] = field(default_factory=list)


@dataclass
class FormSpec:
    title_fr: str
    title_en: str = ""
    form_id: str = ""
    sections: list[SectionSpec] = field(default_factory=list)

    @property
    def questions(self) -> list[QuestionSpec]:
        return [q for s in self.sections for q in s.questions]


@dataclass
class Report:
    errors: list[Problem] = field(default_factory=list)
    unsupported: list[Problem] = field(default_factory=list)
    spec: FormSpec | None = None

    @property
    def ok(self) -> bool:
        return not self.errors and self.spec is not None

    def error(self, sheet, row, message):
        self.errors.append(Problem(sheet, row, message))

    def skip(self, sheet, row, message):
        self.unsupported.append(Problem(sheet, row, message))


# --------------------------------------------------------------------------- reading


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _language(tag: str) -> str | None:
    """``French (fr)`` / ``fr`` / ``Français`` → ``fr``; ``English (en)`` → ``en``; else None."""
    tag = tag.strip()
    code = re.search(r"\(([A-Za-z-]+)\)\s*$", tag)
    word = (code.group(1) if code else tag).lower()
    if word in {"fr", "fr-ca", "french", "français", "francais"}:
        return "fr"
    if word in {"en", "en-ca", "en-us", "english", "anglais"}:
        return "en"
    return None


def _read_sheet(sheet) -> tuple[list[str], list[tuple[int, dict]]]:
    """(header names as written, [(row number, {header: text})]) of non-empty rows."""
    rows = sheet.iter_rows(values_only=True)
    try:
        header_cells = next(rows)
    except StopIteration:
        return [], []
    headers = [_text(h) for h in header_cells]
    data = []
    for number, cells in enumerate(rows, start=2):
        if number > MAX_ROWS + 1:
            raise ValueError(_("Plus de %(max)s lignes.") % {"max": MAX_ROWS})
        row = {}
        for header, cell in zip(headers, cells, strict=False):
            if header:
                value = _text(cell)
                if value:
                    row[header] = value
        if row:
            data.append((number, row))
    return headers, data


class _Columns:
    """Finds ``label``/``hint`` columns by language, and the other columns by name."""

    def __init__(self, headers: list[str], default_language: str):
        self.by_base: dict[str, dict[str | None, str]] = {}
        self.other_languages: set[str] = set()
        for header in headers:
            if not header:
                continue
            base, _sep, lang = header.partition("::")
            base = base.strip().lower()
            if not lang:
                self.by_base.setdefault(base, {})[default_language] = header
                self.by_base[base].setdefault("plain", header)
                continue
            code = _language(lang)
            if code is None:
                self.other_languages.add(lang.strip())
            else:
                self.by_base.setdefault(base, {})[code] = header

    def get(self, row: dict, base: str, language: str | None = None) -> str:
        headers = self.by_base.get(base, {})
        header = headers.get(language) if language else headers.get("plain")
        if header is None and language is None:
            header = next(iter(headers.values()), None)
        return row.get(header, "") if header else ""

    def bases(self) -> set[str]:
        return set(self.by_base)


def _sheets(workbook) -> dict[str, object]:
    return {name.strip().lower(): workbook[name] for name in workbook.sheetnames}


def _parse_required(value: str, report: Report, row: int) -> bool:
    folded = value.strip().lower()
    if folded in TRUE:
        return True
    if folded not in FALSE:
        report.skip(
            "survey",
            row,
            _("« required » calculé (%(value)s) non pris en charge : question facultative.")
            % {"value": value[:60]},
        )
    return False


def _parse_parameters(text: str) -> dict[str, str]:
    return dict(re.findall(r"([A-Za-z_]+)\s*=\s*([^\s;]+)", text or ""))


_BOUND = re.compile(r"^\.\s*(>=|<=|>|<)\s*(-?\d+(?:\.\d+)?)$")


def _parse_constraint(text: str, integer: bool):
    """``. >= 0 and . <= 40`` → (min, max); None when the form is not understood."""
    low = high = None
    for part in re.split(r"\s+and\s+", text.strip()):
        match = _BOUND.match(part.strip())
        if not match:
            return None
        op, value = match.group(1), Decimal(match.group(2))
        if op in (">", "<"):
            if not integer:
                return None
            value = value + 1 if op == ">" else value - 1
        if op.startswith(">"):
            low = value
        else:
            high = value
    return low, high


def _settings(sheets, report: Report) -> dict:
    sheet = sheets.get("settings")
    if sheet is None:
        return {}
    _headers, rows = _read_sheet(sheet)
    if not rows:
        return {}
    row_number, row = rows[0]
    values = {k.strip().lower(): v for k, v in row.items()}
    known = {"form_title", "form_id", "version", "default_language"}
    for key in sorted(set(values) - known):
        if key.startswith("form_title::"):
            continue
        report.skip(
            "settings", row_number, _("Réglage « %(name)s » non pris en charge.") % {"name": key}
        )
    return values


def _read_choices(sheets, default_language: str, report: Report) -> dict[str, list[ChoiceSpec]]:
    sheet = sheets.get("choices")
    if sheet is None:
        return {}
    headers, rows = _read_sheet(sheet)
    columns = _Columns(headers, default_language)
    lists: dict[str, list[ChoiceSpec]] = {}
    seen: dict[str, set[str]] = {}
    extra = {b for b in columns.bases() if b not in {"list_name", "list name", "name", "label"}}
    for number, row in rows:
        list_name = columns.get(row, "list_name") or columns.get(row, "list name")
        name = columns.get(row, "name")
        if not list_name and not name:
            continue
        if not list_name:
            report.error("choices", number, _("Nom de liste (list_name) manquant."))
            continue
        if not name:
            report.error("choices", number, _("Nom de choix (name) manquant."))
            continue
        fr = columns.get(row, "label", "fr")
        en = columns.get(row, "label", "en")
        if not fr and not en:
            report.error(
                "choices",
                number,
                _("Libellé manquant pour le choix « %(name)s ».") % {"name": name},
            )
            continue
        if name in seen.setdefault(list_name, set()):
            report.error(
                "choices",
                number,
                _("Le choix « %(name)s » apparaît deux fois dans la liste « %(list)s ».")
                % {"name": name, "list": list_name},
            )
            continue
        seen[list_name].add(name)
        if len(name) > 64:
            report.error("choices", number, _("Nom de choix trop long (64 caractères au plus)."))
            continue
        used_extra = sorted(b for b in extra if columns.get(row, b))
        if used_extra:
            report.skip(
                "choices",
                number,
                _("Colonnes ignorées : %(columns)s.") % {"columns": ", ".join(used_extra)},
            )
        lists.setdefault(list_name, []).append(ChoiceSpec(name, (fr or en)[:200], en[:200]))
    return lists


def _type_of(raw: str) -> tuple[str, list[str]]:
    parts = raw.strip().split()
    if not parts:
        return "", []
    head = parts[0].lower()
    if head in ("begin", "end") and len(parts) > 1:
        return f"{head}_{parts[1].lower()}", parts[2:]
    if head in ("select", "select1") and len(parts) > 1 and parts[1].lower() in ("one", "multiple"):
        return f"select_{parts[1].lower()}", parts[2:]
    return head, parts[1:]


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


def _check(workbook, filename: str, report: Report) -> Report:
    sheets = _sheets(workbook)
    if "survey" not in sheets:
        report.error(
            "", None, _("Feuille « survey » introuvable : ce n'est pas un formulaire XLSForm.")
        )
        return report
    form_settings = _settings(sheets, report)
    default_language = _language(form_settings.get("default_language", "")) or "fr"
    headers, rows = _read_sheet(sheets["survey"])
    columns = _Columns(headers, default_language)
    if "type" not in columns.bases():
        report.error("survey", 1, _("Colonne « type » introuvable dans la feuille « survey »."))
        return report
    for lang in sorted(columns.other_languages):
        report.skip(
            "survey",
            1,
            _("Langue « %(lang)s » ignorée (français et anglais seulement).") % {"lang": lang},
        )
    choice_lists = _read_choices(sheets, default_language, report)
    needs_choices = False

    title = (
        form_settings.get("form_title")
        or re.sub(r"\.xlsx?$", "", filename or "", flags=re.I)
        or _("Questionnaire importé")
    )
    spec = FormSpec(title_fr=title[:200], form_id=form_settings.get("form_id", "")[:64])
    for key, value in form_settings.items():
        if key.startswith("form_title::") and _language(key.split("::", 1)[1]) == "en":
            spec.title_en = value[:200]
    ignored_columns: dict[str, list[int]] = {}
    skipped_names: dict[str, str] = {}  # name → why (questions we do not import)
    names: dict[str, QuestionSpec] = {}
    section_names: set[str] = set()
    group_stack: list[tuple[str, dict | None, int]] = []  # (kind, condition, row)
    current: SectionSpec | None = None
    earlier: dict[str, tuple[str, set[str]]] = {}
    pending_refs: list[tuple[QuestionSpec, int]] = []

    def condition_of(row_number: int, text: str) -> dict | None:
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
        kind, args = _type_of(raw_type)
        for base in sorted(columns.bases() - SURVEY_COLUMNS):
            if base not in QUIET_COLUMNS and any(
                row.get(h) for h in columns.by_base[base].values()
            ):
                ignored_columns.setdefault(base, []).append(number)
        fr_label = columns.get(row, "label", "fr")
        en_label = columns.get(row, "label", "en")
        relevant_text = columns.get(row, "relevant")

        if kind in ("begin_group", "begin_repeat"):
            condition = condition_of(number, relevant_text)
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
        if kind in METADATA_TYPES:
            report.skip(
                "survey",
                number,
                _("Métadonnée « %(type)s » non recueillie (aucun suivi des répondant·es).")
                % {"type": kind},
            )
            if name:
                skipped_names[name] = kind
            continue
        if kind in UNSUPPORTED_TYPES:
            report.skip(
                "survey",
                number,
                _("Type « %(type)s » non pris en charge : ligne ignorée.") % {"type": kind},
            )
            if name:
                skipped_names[name] = kind
            continue
        if kind not in (
            "select_one",
            "select_multiple",
            "integer",
            "int",
            "decimal",
            "text",
            "string",
            "range",
        ):
            report.error(
                "survey",
                number,
                _("Type de question inconnu : « %(type)s ».") % {"type": raw_type[:60]},
            )
            continue

        # A question.
        if not name:
            report.error("survey", number, _("Nom (name) manquant."))
            continue
        if not NAME_PATTERN.match(name):
            report.error(
                "survey",
                number,
                _(
                    "Nom invalide « %(name)s » : lettres sans accents, chiffres, _ ; commence par une lettre."
                )
                % {"name": name[:64]},
            )
            continue
        if name in names:
            report.error(
                "survey",
                number,
                _("Le nom « %(name)s » est déjà utilisé (ligne %(row)s).")
                % {"name": name, "row": names[name].row},
            )
            continue
        if not fr_label and not en_label:
            report.error(
                "survey",
                number,
                _("Libellé manquant pour la question « %(name)s ».") % {"name": name},
            )
            continue
        question = QuestionSpec(
            row=number,
            name=name,
            kind=QuestionKind.SHORT_TEXT,
            label_fr=(fr_label or en_label)[:500],
            label_en=en_label[:500],
            hint_fr=(columns.get(row, "hint", "fr") or columns.get(row, "hint", "en"))[:500],
            hint_en=columns.get(row, "hint", "en")[:500],
            required=_parse_required(columns.get(row, "required"), report, number),
        )
        if not fr_label:
            report.skip(
                "survey", number, _("Libellé français manquant : le libellé anglais est repris.")
            )
        appearance = columns.get(row, "appearance").lower()
        constraint = columns.get(row, "constraint")
        if kind in ("select_one", "select_multiple"):
            needs_choices = True
            question.kind = QuestionKind.SINGLE if kind == "select_one" else QuestionKind.MULTIPLE
            if not args:
                report.error(
                    "survey",
                    number,
                    _("Nom de la liste de choix manquant après « %(type)s ».") % {"type": kind},
                )
                continue
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
                continue
            question.choices = list(choice_lists[list_name])
            if len(question.choices) > MAX_CHOICES:
                report.error("survey", number, _("Plus de %(max)s choix.") % {"max": MAX_CHOICES})
                continue
            if appearance and appearance not in (
                "minimal",
                "likert",
                "horizontal",
                "columns",
                "horizontal-compact",
                "quick",
            ):
                report.skip(
                    "survey", number, _("Apparence « %(value)s » ignorée.") % {"value": appearance}
                )
        elif kind in ("integer", "int", "decimal"):
            question.kind = QuestionKind.NUMBER
            question.integer_only = kind != "decimal"
        elif kind == "range":
            params = _parse_parameters(columns.get(row, "parameters"))
            try:
                start = Decimal(params.get("start", "1"))
                end = Decimal(params.get("end", "10"))
                step = Decimal(params.get("step", "1"))
            except InvalidOperation:
                report.error("survey", number, _("Paramètres de « range » illisibles."))
                continue
            if (start, end, step) == (RATING_MIN, RATING_MAX, 1):
                question.kind = QuestionKind.RATING
            else:
                question.kind = QuestionKind.NUMBER
                question.integer_only = step == step.to_integral_value()
                question.min_value, question.max_value = min(start, end), max(start, end)
                report.skip(
                    "survey",
                    number,
                    _(
                        "Échelle (range) autre que 1 à 5 : lue comme un nombre entre %(min)s et %(max)s."
                    )
                    % {"min": question.min_value, "max": question.max_value},
                )
        else:  # text
            question.kind = (
                QuestionKind.LONG_TEXT if "multiline" in appearance else QuestionKind.SHORT_TEXT
            )
            if appearance and "multiline" not in appearance:
                report.skip(
                    "survey", number, _("Apparence « %(value)s » ignorée.") % {"value": appearance}
                )
        if constraint:
            bounds = None
            if question.kind == QuestionKind.NUMBER:
                bounds = _parse_constraint(constraint, question.integer_only)
            if bounds is None:
                report.skip(
                    "survey",
                    number,
                    _("Contrainte « %(text)s » non prise en charge : ignorée.")
                    % {"text": constraint[:120]},
                )
            else:
                low, high = bounds
                question.min_value = low if low is not None else question.min_value
                question.max_value = high if high is not None else question.max_value
        own = condition_of(number, relevant_text)
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
    if needs_choices and "choices" not in _sheets(workbook):
        report.error(
            "",
            None,
            _("Feuille « choices » introuvable alors que des questions à choix l'utilisent."),
        )

    # Conditions: each must name questions placed before, with values they can take.
    order = {q.name: i for i, q in enumerate(spec.questions)}
    for question, number, parts in pending_refs:
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
