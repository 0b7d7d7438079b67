"""The sheets of an XLSForm read as text: rows, columns by language, settings, choice lists,
and the small grammars of its cells (``required``, ``parameters``, ``constraint``, types)."""

from __future__ import annotations

import re
from decimal import Decimal

from django.utils.translation import gettext as _

from .specs import FALSE, MAX_ROWS, TRUE, ChoiceSpec, Report


def cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def language_code(tag: str) -> str | None:
    """``French (fr)`` / ``fr`` / ``Français`` → ``fr``; ``English (en)`` → ``en``; else None."""
    tag = tag.strip()
    code = re.search(r"\(([A-Za-z-]+)\)\s*$", tag)
    word = (code.group(1) if code else tag).lower()
    if word in {"fr", "fr-ca", "french", "français", "francais"}:
        return "fr"
    if word in {"en", "en-ca", "en-us", "english", "anglais"}:
        return "en"
    return None


def read_sheet(sheet) -> tuple[list[str], list[tuple[int, dict]]]:
    """(header names as written, [(row number, {header: text})]) of non-empty rows."""
    rows = sheet.iter_rows(values_only=True)
    try:
        header_cells = next(rows)
    except StopIteration:
        return [], []
    headers = [cell_text(h) for h in header_cells]
    data = []
    for number, cells in enumerate(rows, start=2):
        if number > MAX_ROWS + 1:
            raise ValueError(_("Plus de %(max)s lignes.") % {"max": MAX_ROWS})
        row = {}
        for header, cell in zip(headers, cells, strict=False):
            if header:
                value = cell_text(cell)
                if value:
                    row[header] = value
        if row:
            data.append((number, row))
    return headers, data


class Columns:
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
            code = language_code(lang)
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


def sheets_by_name(workbook) -> dict[str, object]:
    return {name.strip().lower(): workbook[name] for name in workbook.sheetnames}


def parse_required(value: str, report: Report, row: int) -> bool:
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


def parse_parameters(text: str) -> dict[str, str]:
    return dict(re.findall(r"([A-Za-z_]+)\s*=\s*([^\s;]+)", text or ""))


_BOUND = re.compile(r"^\.\s*(>=|<=|>|<)\s*(-?\d+(?:\.\d+)?)$")


def parse_constraint(text: str, integer: bool):
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


def read_settings(sheets, report: Report) -> dict:
    sheet = sheets.get("settings")
    if sheet is None:
        return {}
    _headers, rows = read_sheet(sheet)
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


def read_choices(sheets, default_language: str, report: Report) -> dict[str, list[ChoiceSpec]]:
    sheet = sheets.get("choices")
    if sheet is None:
        return {}
    headers, rows = read_sheet(sheet)
    columns = Columns(headers, default_language)
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


def type_of(raw: str) -> tuple[str, list[str]]:
    parts = raw.strip().split()
    if not parts:
        return "", []
    head = parts[0].lower()
    if head in ("begin", "end") and len(parts) > 1:
        return f"{head}_{parts[1].lower()}", parts[2:]
    if head in ("select", "select1") and len(parts) > 1 and parts[1].lower() in ("one", "multiple"):
        return f"select_{parts[1].lower()}", parts[2:]
    return head, parts[1:]
