"""One tabular import framework for every entity: reading CSV/XLSX row by row, mapping the
file's columns to the entity's fields, checking each row (dry run), committing all or nothing.

- ``reading``: the file (encoding, separator, sheet, title lines, merged header cells);
- ``mapping``: ``Field``, the column → field mapping and its errors;
- ``cells``: parsers of numbers, amounts, dates, yes/no; formula-looking text neutralised;
- ``runner``: ``Importer`` (subclassed by each app), ``Row``, ``Report``, ``dry_run``, ``commit``;
- ``rejects``: the rejected rows as a spreadsheet with a column of reasons;
- ``undo``: what a commit wrote, fingerprinted; an undo refused when any of it changed since.
"""

from .cells import neutralise
from .mapping import Field, MappingError, header_key, headers_fingerprint, parse_map_options
from .reading import FileError
from .runner import Importer, Report, Row, RowResult, choice_index, commit, dry_run, loose
from .undo import Written, changed_since, still_linked, undo

__all__ = [
    "Field",
    "FileError",
    "Importer",
    "MappingError",
    "Report",
    "Row",
    "RowResult",
    "changed_since",
    "commit",
    "dry_run",
    "header_key",
    "headers_fingerprint",
    "choice_index",
    "loose",
    "neutralise",
    "parse_map_options",
    "still_linked",
    "undo",
    "Written",
]
