"""Reading a spreadsheet row by row: CSV (encoding and separator detected) or XLSX.

Nothing here knows what the rows mean: ``open_source`` checks the file and returns a
``Source`` whose ``rows()`` yields ``(line, cells)`` lazily (a workbook is read with openpyxl's
read-only mode, so a 50,000-row file is never held as cells in memory), and ``locate_header``
finds the header row below any title lines, filling header cells merged over several rows.
"""

import csv
import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from .cells import cell_text

MAX_COLUMNS = 200
HEADER_SCAN_ROWS = 10  # title lines tolerated above the header row
MAX_UNCOMPRESSED = 400 * 1024 * 1024  # a workbook that inflates beyond this is a zip bomb
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_MERGE = re.compile(rb'<(?:\w+:)?mergeCell\s+ref="([A-Z]+)(\d+):([A-Z]+)(\d+)"')


class FileError(Exception):
    """A file-level problem: the message is French and shown as is; nothing is imported."""


@dataclass
class Source:
    """An opened file: its format, its sheets, and its rows read again on each ``rows()``."""

    format: str  # "csv" | "xlsx"
    content: bytes
    sheet: str = ""
    sheet_names: list[str] = field(default_factory=list)
    delimiter: str = ";"
    encoding: str = ""
    text: str = ""
    # Cells merged in the first rows, (min_row, min_col, max_row, max_col), 1-based.
    merged: list[tuple[int, int, int, int]] = field(default_factory=list)

    def rows(self) -> Iterator[tuple[int, list[str]]]:
        """Every non-empty row as (line number as the spreadsheet shows it, cells as text)."""
        if self.format == "xlsx":
            yield from _xlsx_rows(self.content, self.sheet)
        else:
            yield from _csv_rows(self.text, self.delimiter)


def _unreadable_xlsx() -> FileError:
    return FileError(
        _(
            "Le fichier Excel est illisible ou endommagé. Ouvrez-le dans Excel ou LibreOffice et "
            "enregistrez-le de nouveau au format .xlsx (ou .csv)."
        )
    )


def _check_zip(content: bytes) -> None:
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
        infos = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise _unreadable_xlsx() from exc
    names = {info.filename.lower() for info in infos}
    if any(name.endswith("vbaproject.bin") for name in names):
        raise FileError(
            _(
                "Le classeur contient des macros : elles ne sont jamais exécutées, mais le fichier "
                "est refusé. Enregistrez-le sans macros (« Classeur Excel (.xlsx) ») ou en CSV."
            )
        )
    if sum(info.file_size for info in infos) > MAX_UNCOMPRESSED:
        raise FileError(_("Le classeur Excel est anormalement volumineux une fois décompressé."))


def _open_workbook(content: bytes):
    from openpyxl import load_workbook

    try:
        # data_only=False: a formula comes as its text, never as a value computed by someone.
        return load_workbook(io.BytesIO(content), read_only=True, data_only=False)
    except Exception as exc:  # untrusted input: any failure of the parser means unreadable
        raise _unreadable_xlsx() from exc


def _merged_ranges(content: bytes, worksheet_path: str) -> list[tuple[int, int, int, int]]:
    """Merged cells of the sheet's first rows (read-only mode does not give them)."""
    from openpyxl.utils import column_index_from_string

    ranges = []
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            with archive.open(worksheet_path.lstrip("/")) as xml:
                tail = b""
                while chunk := xml.read(1 << 20):
                    data = tail + chunk
                    for match in _MERGE.finditer(data):
                        c1, r1, c2, r2 = match.groups()
                        if int(r1) <= HEADER_SCAN_ROWS + 2:
                            ranges.append(
                                (
                                    int(r1),
                                    column_index_from_string(c1.decode()),
                                    int(r2),
                                    column_index_from_string(c2.decode()),
                                )
                            )
                    tail = data[-200:]
    except (KeyError, zipfile.BadZipFile, OSError):
        return []
    return sorted(set(ranges))


def _open_xlsx(content: bytes, sheet: str | None) -> Source:
    _check_zip(content)
    workbook = _open_workbook(content)
    try:
        names = list(workbook.sheetnames)
        if not names:
            raise FileError(_("Le classeur Excel ne contient aucune feuille."))
        chosen = names[0]
        if sheet:
            if sheet not in names:
                raise FileError(
                    _("Le classeur n'a pas de feuille « %(sheet)s » ; ses feuilles : %(names)s.")
                    % {"sheet": sheet, "names": ", ".join(f"« {n} »" for n in names)}
                )
            chosen = sheet
        path = getattr(workbook[chosen], "_worksheet_path", "")
    except FileError:
        raise
    except Exception as exc:
        raise _unreadable_xlsx() from exc
    finally:
        workbook.close()
    merged = _merged_ranges(content, path) if path else []
    return Source("xlsx", content, sheet=chosen, sheet_names=names, merged=merged)


def _xlsx_rows(content: bytes, sheet: str) -> Iterator[tuple[int, list[str]]]:
    workbook = _open_workbook(content)
    try:
        ws = workbook[sheet]
        if hasattr(ws, "reset_dimensions"):
            ws.reset_dimensions()  # some tools write a wrong sheet size: read every row
        for number, values in enumerate(ws.iter_rows(values_only=True), start=1):
            cells = [cell_text(v) for v in values[:MAX_COLUMNS]]
            if any(cells):
                yield number, cells
    except FileError:
        raise
    except Exception as exc:
        raise _unreadable_xlsx() from exc
    finally:
        workbook.close()


def _decode(content: bytes) -> tuple[str, str]:
    if content.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise FileError(
            _("Le fichier est encodé en UTF-16 : enregistrez-le au format « CSV UTF-8 » ou .xlsx.")
        )
    if b"\x00" in content:
        raise FileError(
            _(
                "Le fichier contient des caractères nuls : ce n'est pas un fichier CSV texte. "
                "Envoyez un fichier CSV ou Excel (.xlsx)."
            )
        )
    text, encoding = None, "utf-8"
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        encoding = "cp1252"
        try:
            text = content.decode("cp1252").removeprefix("ï»¿")
        except UnicodeDecodeError:
            text = None
    if text is None or _CONTROL.search(text):
        raise FileError(
            _(
                "Ce fichier n'est ni un fichier CSV lisible ni un classeur Excel (.xlsx). "
                "Enregistrez-le au format CSV (UTF-8 ou Windows-1252) ou .xlsx."
            )
        )
    return text, encoding


def _csv_rows(text: str, delimiter: str, limit: int | None = None):
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    number, found = 0, 0
    try:
        for number, record in enumerate(reader, start=1):
            cells = [cell_text(c) for c in record[:MAX_COLUMNS]]
            if any(cells):
                yield number, cells
                found += 1
                if limit is not None and found >= limit:
                    return
    except csv.Error as exc:
        raise FileError(
            _(
                "Le fichier CSV est mal formé près de la ligne %(line)s (guillemets ou cellule "
                "trop longue)."
            )
            % {"line": reader.line_num or number + 1}
        ) from exc


def _open_csv(content: bytes, known: set[str]) -> Source:
    from .mapping import header_key

    text, encoding = _decode(content)
    # The separator is the one under which the most known headers appear in the first lines
    # (more robust than counting characters: addresses hold commas, titles may sit above),
    # then the one giving the widest first line.
    best = None
    for delimiter in (";", ",", "\t"):
        try:
            sample = list(_csv_rows(text, delimiter, HEADER_SCAN_ROWS))
        except FileError:
            continue
        score = max((sum(header_key(c) in known for c in cells) for _n, cells in sample), default=0)
        width = max((len(cells) for _n, cells in sample), default=0)
        if best is None or (score, width) > best[:2]:
            best = (score, width, delimiter)
    if best is None:
        list(_csv_rows(text, ";"))  # raises the malformed-file error with its line
    return Source("csv", b"", delimiter=best[2], encoding=encoding, text=text)


def open_source(
    content: bytes, filename: str, *, known: set[str] = frozenset(), sheet: str | None = None
) -> Source:
    """Check the file's kind by its content (not its name) and open it; raises FileError.

    ``known`` holds the header keys the entity recognises, to choose a CSV's separator."""
    if not content or not content.strip():
        raise FileError(_("Le fichier est vide."))
    if content.startswith(b"PK"):  # a ZIP archive: an .xlsx workbook, whatever its name
        return _open_xlsx(content, sheet)
    if content.startswith(b"\xd0\xcf\x11\xe0"):
        if "EncryptedPackage".encode("utf-16-le") in content:
            raise FileError(
                _(
                    "Le classeur est protégé par un mot de passe : il ne peut pas être lu. "
                    "Enregistrez-le sans mot de passe (Fichier › Informations › Protéger le "
                    "classeur) ou en CSV."
                )
            )
        raise FileError(
            _(
                "Les classeurs Excel 97-2003 (.xls) ne sont pas acceptés : enregistrez le fichier "
                "au format .xlsx ou CSV."
            )
        )
    if content.startswith(b"%PDF"):
        raise FileError(
            _("Un fichier PDF ne peut pas être importé : envoyez un fichier CSV ou .xlsx.")
        )
    try:
        return _open_csv(content, known)
    except FileError:
        if filename.lower().endswith((".xlsx", ".xlsm")):
            raise FileError(
                _(
                    "Le fichier porte l'extension .xlsx mais n'est pas un classeur Excel valide : "
                    "il est peut-être endommagé."
                )
            ) from None
        raise


def _fill_merged(rows: list[tuple[int, list[str]]], merged) -> list[tuple[int, list[str]]]:
    """A header cell merged over several rows shows its text on each of them (in its first
    column: a cell merged across columns names one column, the others stay unnamed)."""
    if not merged:
        return rows
    by_line = {line: list(cells) for line, cells in rows}
    for r1, c1, r2, _c2 in merged:
        value = by_line.get(r1, [])[c1 - 1 : c1]
        if not value or not value[0]:
            continue
        for line in range(r1 + 1, r2 + 1):
            cells = by_line.setdefault(line, [])
            cells.extend([""] * (c1 - len(cells)))
            if not cells[c1 - 1]:
                cells[c1 - 1] = value[0]
    return sorted(by_line.items())


def locate_header(source: Source, known: set[str]) -> tuple[int, list[str]] | None:
    """The header row: among the first rows, the one naming the most known columns, else the
    first of the widest rows (a file whose headers are all unknown, to be mapped by hand).
    Returns (line, headers) or None when the file has no row."""
    from .mapping import header_key

    rows = []
    for line, cells in source.rows():
        rows.append((line, cells))
        if len(rows) >= HEADER_SCAN_ROWS:
            break
    if not rows:
        return None
    rows = _fill_merged(rows, source.merged)
    scored = [
        (sum(header_key(c) in known for c in cells), sum(bool(c) for c in cells), -i)
        for i, (_line, cells) in enumerate(rows)
    ]
    best = max(range(len(rows)), key=lambda i: scored[i] if scored[i][0] else (0, 0, 0))
    if not max(s[0] for s in scored):
        widest = max(s[1] for s in scored)
        best = next(i for i, s in enumerate(scored) if s[1] == widest)
    line, cells = rows[best]
    while cells and not cells[-1]:
        cells = cells[:-1]
    return line, cells
