"""Checking a file row by row (the dry run) and committing it all or nothing.

An entity's import is a subclass of ``Importer``: its fields, who may use it, how one row is
checked against the database (``check``: a ``RowResult`` and a plan of what to write), how the
accepted plans are written through the app's services (``write``, inside the transaction),
and what it wrote, to undo it (``written_records``, ``undo_obstacles``, ``undo``; see
``undo.py``). The runner reads the file, maps its columns, feeds the
rows one by one, and collects the report; it never writes on its own.
"""

import re
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from tremplin.core.text import fold

from . import cells
from .mapping import Field, Fields, build_mapping, header_key
from .reading import FileError, locate_header, open_source
from .undo import Written, fingerprints

ACTIONS = ("create", "update", "unchanged", "reject")
_TOTALS = re.compile(r"^(grand )?(sous-)?(total|totaux)\b")


@dataclass
class RowResult:
    line: int  # line number in the file as a spreadsheet user sees it (header = 1)
    action: str  # "create" | "update" | "unchanged" | "reject"
    label: str  # what the row is about, e.g. "OMH de Lévis – 25, rue X"
    reasons: list[str] = field(default_factory=list)  # French reasons, for rejections
    cells: list[str] | None = None  # the row as read, kept for rejected rows only


@dataclass
class Report:
    rows: list[RowResult] = field(default_factory=list)
    file_errors: list[str] = field(default_factory=list)  # French, file-level (nothing imported)
    notes: list[str] = field(default_factory=list)  # French, informative (e.g. ignored columns)
    headers: list[str] = field(default_factory=list)
    mapping: list[str] = field(default_factory=list)  # each column's field key, "" if ignored
    header_line: int = 0
    sheet: str = ""
    sheet_names: list[str] = field(default_factory=list)
    written: dict = field(default_factory=dict)  # what the commit wrote, to undo it
    fingerprints: dict = field(default_factory=dict)  # of what it wrote, to see changes since

    def counts(self) -> dict:
        counts = dict.fromkeys(ACTIONS, 0)
        for r in self.rows:
            counts[r.action] += 1
        return {
            "created": counts["create"],
            "updated": counts["update"],
            "unchanged": counts["unchanged"],
            "rejected": counts["reject"],
        }

    @property
    def rejected(self) -> list[RowResult]:
        return [r for r in self.rows if r.action == "reject"]

    def mapping_by_header(self) -> dict[str, str]:
        return {h: k for h, k in zip(self.headers, self.mapping, strict=False) if h}


class Row:
    """The cells of one row, by field key, with parsers that word their French reasons."""

    def __init__(self, line: int, cells_: list[str], columns: dict[str, tuple[int, str]]):
        self.line = line
        self.cells = cells_
        self.columns = columns

    def has(self, key: str) -> bool:
        return key in self.columns

    def get(self, key: str) -> str:
        if key not in self.columns:
            return ""
        index = self.columns[key][0]
        return self.cells[index].strip() if index < len(self.cells) else ""

    def text(self, key: str) -> str:
        return " ".join(self.get(key).split())

    def header(self, key: str) -> str:
        return self.columns[key][1]

    def required(self, keys, reasons: list[str]) -> None:
        for key in keys:
            if self.has(key) and not self.get(key):
                reasons.append(
                    _("Valeur manquante dans la colonne obligatoire « %(column)s »")
                    % {"column": self.header(key)}
                )

    def too_long(self, key: str, limit: int, reasons: list[str]) -> None:
        if len(self.text(key)) > limit:
            reasons.append(
                _("Texte trop long dans la colonne « %(column)s » (%(limit)s caractères au plus).")
                % {"column": self.header(key), "limit": limit}
            )

    def formula_reason(self, key: str, text: str, reasons: list[str]) -> bool:
        """When ``text`` is a formula, say so (the reason of a cell that is not a value)."""
        if cells.looks_like_formula(text):
            reasons.append(
                _(
                    "« %(value)s » est une formule (colonne « %(column)s ») : les formules ne sont "
                    "jamais calculées ; inscrivez la valeur."
                )
                % {"value": text, "column": self.header(key)}
            )
            return True
        return False

    def integer(self, key: str, reasons: list[str], *, minimum=None, maximum=None) -> int | None:
        text = self.get(key)
        try:
            value = cells.parse_int(text)
        except ValueError:
            if not self.formula_reason(key, text, reasons):
                reasons.append(
                    _("« %(value)s » n'est pas un nombre entier (colonne « %(column)s »).")
                    % {"value": text, "column": self.header(key)}
                )
            return None
        if value is not None and (
            (minimum is not None and value < minimum) or (maximum is not None and value > maximum)
        ):
            reasons.append(
                _("%(value)s est hors limites dans la colonne « %(column)s » (%(min)s à %(max)s).")
                % {"value": value, "column": self.header(key), "min": minimum, "max": maximum}
            )
            return None
        return value

    def amount(self, key: str, reasons: list[str]):
        text = self.get(key)
        try:
            return cells.parse_amount(text)
        except ValueError:
            if not self.formula_reason(key, text, reasons):
                reasons.append(
                    _(
                        "« %(value)s » n'est pas un montant (colonne « %(column)s ») : écrivez par "
                        "exemple 1 234,56 $ ou 1234.56."
                    )
                    % {"value": text, "column": self.header(key)}
                )
            return None

    def date(self, key: str, reasons: list[str]):
        text = self.get(key)
        try:
            return cells.parse_date(text)
        except ValueError:
            if not self.formula_reason(key, text, reasons):
                reasons.append(
                    _(
                        "« %(value)s » n'est pas une date (colonne « %(column)s ») : écrivez "
                        "AAAA-MM-JJ ou JJ/MM/AAAA."
                    )
                    % {"value": text, "column": self.header(key)}
                )
            return None

    def boolean(self, key: str, reasons: list[str]) -> bool | None:
        text = self.get(key)
        try:
            return cells.parse_bool(text)
        except ValueError:
            reasons.append(
                _("« %(value)s » n'est pas une réponse oui/non valide (colonne « %(column)s »).")
                % {"value": text, "column": self.header(key)}
            )
            return None

    def choice(self, key: str, index: dict[str, str], reasons: list[str], *, expected: str):
        """A value among a few, matched loosely (case, accents, spaces and dashes ignored)."""
        text = self.text(key)
        if not text:
            return None
        value = index.get(loose(text))
        if value is None:
            reasons.append(
                _("« %(value)s » inconnu dans la colonne « %(column)s » (attendu : %(expected)s).")
                % {"value": text, "column": self.header(key), "expected": expected}
            )
        return value


def loose(text) -> str:
    return re.sub(r"[^0-9a-z]", "", fold(text))


def choice_index(choices) -> dict[str, str]:
    """{loose spelling: value} for a ``TextChoices``: a value named by its key or its French or
    English label, whatever the request's language (labels are lazy: read once, they would keep
    that moment's language)."""
    index = {loose(value): value for value in choices.values}
    for language in ("en", "fr"):
        with translation.override(language):
            index |= {loose(str(label)): value for value, label in choices.choices}
    return index


class Importer:
    """One entity's import. Subclasses set ``entity``, ``label``, ``fields``, and implement
    ``can_import``, ``check`` and ``write`` (and ``undo`` when a commit can be taken back)."""

    entity = ""
    label = ""  # French, what is imported ("Répertoire : organismes et immeubles")
    row_label = ""  # French heading of the review's "what the row is about" column
    fields: list[Field] = []
    # Whether the runner rejects a row identical to an earlier one (entities that recognise
    # their own duplicates, by identifier or by address, say False).
    reject_identical_rows = True

    def __init__(self, *, user=None, options: dict | None = None):
        self.user = user
        self.options = options or {}

    @classmethod
    def field_set(cls) -> Fields:
        return Fields(list(cls.fields))

    @classmethod
    def can_import(cls, user) -> bool:
        raise NotImplementedError

    def prepare(self, columns: dict[str, tuple[int, str]]) -> None:
        """Load what rows are checked against (once, not once per row)."""
        self.columns = columns

    def notes(self, columns: dict[str, tuple[int, str]]) -> list[str]:
        return []

    def check(self, row: Row) -> tuple[RowResult, object | None]:
        raise NotImplementedError

    def write(self, plans: list, *, report: Report) -> dict:
        """Write the accepted rows through the app's services (inside the transaction);
        return what was written (JSON), for ``undo``."""
        raise NotImplementedError

    def written_records(self, written: dict) -> list[Written]:
        """What a commit wrote that its undo deletes or puts back: fingerprinted at the commit,
        compared before the undo (``undo.changes``)."""
        return []

    def undo_obstacles(self, written: dict) -> list[str]:
        """French reasons, other than a change, that the commit cannot be taken back (records
        created by it that other records now point to…)."""
        return []

    def undo(self, written: dict) -> None:
        """Take a commit back (inside the transaction), once nothing stands in the way.
        An importer without it cannot be undone."""
        raise NotImplementedError


def max_rows() -> int:
    return int(getattr(settings, "TREMPLIN_IMPORT_MAX_ROWS", 50_000))


def _number(n: int) -> str:
    return f"{n:,}".replace(",", "\u00a0")


def analyse(
    importer: Importer,
    content: bytes,
    filename: str,
    *,
    chosen: dict[str, str] | None = None,
    saved: dict[str, str] | None = None,
    sheet: str | None = None,
    keep_plans: bool = True,
) -> tuple[Report, list]:
    """Read, map and check every row; writes nothing. Returns the report and the plans."""
    report = Report()
    try:
        fields = importer.field_set()
        known = fields.known() | {header_key(h) for h in (chosen or {})}
        source = open_source(content, filename, known=known, sheet=sheet)
        report.sheet, report.sheet_names = source.sheet, source.sheet_names
        located = locate_header(source, known)
    except FileError as exc:
        report.file_errors.append(str(exc))
        return report, []
    if located is None:
        report.file_errors.append(_("Le fichier est vide."))
        return report, []
    report.header_line, report.headers = located
    report.mapping, errors = build_mapping(report.headers, fields, chosen=chosen, saved=saved)
    if errors:
        report.file_errors += errors
        return report, []
    columns = {
        key: (index, report.headers[index]) for index, key in enumerate(report.mapping) if key
    }
    ignored = [h for h, k in zip(report.headers, report.mapping, strict=False) if h and not k]
    if ignored:
        report.notes.append(
            _("Colonnes ignorées : %(columns)s")
            % {"columns": ", ".join(f"« {h} »" for h in ignored)}
        )
    try:
        importer.prepare(columns)
    except FileError as exc:
        report.file_errors.append(str(exc))
        return report, []
    report.notes += importer.notes(columns)

    plans = []
    seen: dict[tuple, int] = {}
    limit = max_rows()
    formulas = 0
    data_rows = 0
    try:
        for line, row_cells in source.rows():
            if line <= report.header_line:
                continue
            first = next((c for c in row_cells if c), "")
            if _TOTALS.match(fold(first)):
                report.notes.append(
                    _("Ligne %(line)s ignorée : ligne de totaux (« %(text)s »).")
                    % {"line": line, "text": first}
                )
                continue
            data_rows += 1
            if data_rows > limit:
                raise FileError(
                    _(
                        "Le fichier compte plus de %(max)s lignes : découpez-le en plusieurs fichiers."
                    )
                    % {"max": _number(limit)}
                )
            mapped = tuple(
                row_cells[i].strip() if i < len(row_cells) else "" for i, _h in columns.values()
            )
            formulas += sum(cells.looks_like_formula(c) for c in mapped)
            row = Row(line, row_cells, columns)
            result, plan = importer.check(row)
            if importer.reject_identical_rows and any(mapped):
                key = tuple(fold(c) for c in mapped)
                if key in seen and result.action != "reject":
                    result.action, plan = "reject", None
                    result.reasons.append(
                        _("Doublon de la ligne %(line)s (mêmes valeurs).") % {"line": seen[key]}
                    )
                seen.setdefault(key, line)
            if result.action == "reject":
                result.cells = row_cells
            report.rows.append(result)
            if plan is not None and keep_plans:
                plans.append(plan)
    except FileError as exc:
        report.file_errors.append(str(exc))
        report.rows = []
        return report, []
    if not data_rows:
        report.file_errors.append(
            _("Le fichier ne contient aucune ligne de données sous l'en-tête.")
        )
    if formulas:
        report.notes.append(
            _(
                "%(count)s cellule(s) commencent par =, +, - ou @ : elles sont gardées comme "
                "texte, jamais calculées."
            )
            % {"count": _number(formulas)}
        )
    return report, plans


def dry_run(importer: Importer, content: bytes, filename: str, **kwargs) -> Report:
    """The check shown for review: every row's fate, nothing written."""
    return analyse(importer, content, filename, keep_plans=False, **kwargs)[0]


def commit(importer: Importer, content: bytes, filename: str, **kwargs) -> Report:
    """Check the file again and write every accepted row, all or nothing: an unexpected error
    while writing rolls everything back and is raised again."""
    with transaction.atomic():
        report, plans = analyse(importer, content, filename, **kwargs)
        if report.file_errors:
            return report
        report.written = importer.write(plans, report=report) or {}
        report.fingerprints = fingerprints(importer.written_records(report.written))
    return report
